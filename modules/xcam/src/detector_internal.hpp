// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// What DetectorModel's files share: the D-RISE similarity, checks, NMS, the feature layer rule and
// the explanation methods.
#ifndef OPENCV_XCAM_DETECTOR_INTERNAL_HPP
#define OPENCV_XCAM_DETECTOR_INTERNAL_HPP

#include "engine.hpp"

#include <functional>

namespace cv {
namespace xcam {
namespace detail {

/** s(t, d) = IoU * cos * O_d without argument checks (both sides checked before). */
float similarity(const Detection& target, const Detection& proposal);

/** max_d s(t, d) over the proposals; 0 when there are none. */
float bestSimilarity(const Detection& target, const std::vector<Detection>& proposals);

/** Throws StsBadArg naming `what`[i] for a non-finite box, score, objectness or class
    probability; with `positiveBoxes`, also for a box whose width or height is not positive. */
void checkDetections(const std::vector<Detection>& detections, const char* what,
                     bool positiveBoxes);

/** Throws for targets whose class cannot be compared with the proposals' class vectors (a vector
    of another length, a classId outside [-1, C)), naming `what`[i]. */
void checkTargetClasses(const std::vector<Detection>& targets,
                        const std::vector<Detection>& proposals, const char* what = "targets");

/** Class-wise cv::dnn::NMSBoxes; the kept detections sorted by score, highest first. */
void classwiseNMS(const std::vector<Detection>& proposals, float scoreThreshold,
                  float nmsThreshold, std::vector<Detection>& detections);

/** The auto-detected Eigen-CAM feature layer of a detector (rule in DetectorModel::
    setFeatureLayer); throws StsObjectNotFound when there is none. */
String findDetectorFeatureLayer(const dnn::Net& net, const dnn::MatShape& inputShape,
                                Size inputSize);

/** One image's raw outputs -> every proposal (checked), boxes in image pixels. */
typedef std::function<void(const std::vector<Mat>& outputs, std::vector<Detection>& proposals)>
    ProposalDecoder;

/** D-RISE's grid on a detector when CAMMethodParams::gridSize is 0 (automatic): the paper's. */
const int kDetectorGridSize = 16;

/** What D-RISE and occlusion need from the model. */
struct DetectorExplainContext
{
    Engine engine;                  //!< the preprocessed blob, its layout, batch size, progress
    BatchedNet* net = nullptr;      //!< the net's outputs for a batch of blobs
    ProposalDecoder decode;
    std::vector<Detection> clean;   //!< the proposals of the unmasked blob
};

/** What the detector metrics (detector_metrics.cpp) take from a DetectorModel; DetectorModel::
    create's implementation provides it (not part of the public interface). */
class DetectorEngineSource
{
public:
    virtual ~DetectorEngineSource() {}
    /** Preprocesses `image`, runs one forward pass and fills `ctx`: the blob and its layout,
        `batchSize`, no progress callback, the batched net, the decoder (boxes in the image's
        pixels) and the clean proposals. `ctx` is valid while the model lives and until its next
        call. Throws as DetectorModel::explain for a bad image or no decoder. */
    virtual void explainContext(InputArray image, int batchSize,
                                DetectorExplainContext& ctx) = 0;
};

/** Row i of the scores: each target's best similarity (bestSimilarity) among masked input i's
    proposals; ctx and targets are read by reference at each call. */
BatchScorer similarityScorer(const DetectorExplainContext& ctx,
                             const std::vector<Detection>& targets);

/** D-RISE maps at the blob's H x W (CV_32F), one per target (DetectorModel::explain defines
    them); gridSize 0 is kDetectorGridSize. */
void dRiseMaps(const DetectorExplainContext& ctx, const std::vector<Detection>& targets,
               const CAMMethodParams& params, std::vector<Mat>& maps);

/** Occlusion maps on a detector: s_0 - max_d s(t, d_occluded), averaged over windows. */
void detectorOcclusionMaps(const DetectorExplainContext& ctx,
                           const std::vector<Detection>& targets, const CAMMethodParams& params,
                           std::vector<Mat>& maps);

/** Eigen-CAM of a 1 x C x H x W feature blob: an H x W CV_32F map. */
void detectorEigenMap(const Mat& features, Mat& map);

}}} // namespace cv::xcam::detail

#endif
