// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Masked batched forward passes of a multi-output net (NCHW or NHWC input) and RISE's masks:
// what DetectorModel's D-RISE and occlusion need. The only file to change when the shared
// perturbation engine replaces it.
#ifndef OPENCV_XCAM_MASKED_FORWARD_HPP
#define OPENCV_XCAM_MASKED_FORWARD_HPP

#include "precomp.hpp"

#include <functional>

namespace cv {
namespace xcam {
namespace detail {

/** Runs the net on a batch blob (batch first) and gives one Mat per net output. */
typedef std::function<void(const Mat& batch, std::vector<Mat>& outputs)> BatchForward;

/** The net and the input to mask. */
struct MaskedNet
{
    Mat blob;                  //!< 1 x C x H x W, or 1 x H x W x C when nhwc; CV_32F
    bool nhwc = false;
    BatchForward forward;
    std::vector<dnn::MatShape> outputShapes;  //!< of one input's outputs (batch 1)
    bool* batchOne = nullptr;  //!< in/out: the net takes one input at a time (may be null)
    CAMProgressCallback progress;
};

/** The H x W plane a mask covers: the blob's spatial size in either layout. */
Size maskSize(const Mat& blob, bool nhwc);

/** Writes the masks of inputs [start, start + masks.rows) into the rows of `masks` (H*W CV_32F,
    values multiply the blob: 0 = the blob's zero). */
typedef std::function<void(int start, Mat& masks)> MaskFiller;
/** Scores one masked input from its outputs (each with batch dimension 1): `scores` points at
    that input's numScores values. */
typedef std::function<void(const std::vector<Mat>& outputs, float* scores)> OutputScorer;
/** Receives the masks of inputs [start, start + scores.rows) and their scores (one row each). */
typedef std::function<void(int start, const Mat& masks, const Mat& scores)> ScoresReader;

/** Runs `count` inputs blob ⊙ mask_i (each mask applied to every channel), `batchSize` per
    forward pass. A net that throws on a batch, or whose outputs are not outputShapes with the
    batch as first dimension, is run one input at a time from then on (*net.batchOne set, said
    once in the log).
    Progress after each batch; a false return cancels (StsError). */
void runMaskedForwards(const MaskedNet& net, int count, int batchSize, int numScores,
                       const MaskFiller& fill, const OutputScorer& score,
                       const ScoresReader& read);

/** RISE's masks in order (xcam's rule, as CAM_METHOD_RISE): an s x s grid of cells kept with
    probability p, upsampled with cv::resize INTER_LINEAR to (s+1)*cell (cell = ceil(size/s) per
    axis), shifted by a random offset in [0, cell) and cropped; antithetic pairs at p = 0.5.
    cv::RNG(seed) is drawn in mask order, so any split into batches gives the same masks. */
class RiseMaskSource
{
public:
    RiseMaskSource(Size size, int gridSize, double keepProbability, int seed);
    /** Writes the next masks.rows masks into the rows of `masks` (H*W CV_32F). */
    void fill(Mat& masks);

private:
    Size size, cell;
    int grid;
    double p;
    RNG rng;
    int drawn = 0;
    Mat previous;       // the last drawn grid, for its antithetic twin
    Point previousShift;
};

}}} // namespace cv::xcam::detail

#endif
