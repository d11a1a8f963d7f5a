// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_DETECTION_HPP
#define OPENCV_XCAM_DETECTION_HPP

#include "opencv2/core.hpp"
#include "opencv2/dnn.hpp"
#include "opencv2/xcam/methods.hpp"

#include <functional>

namespace cv {
namespace xcam {

//! @addtogroup xcam
//! @{

/** @brief One detection (or one raw proposal) of an object detector, boxes in image pixels.

The constructor sets an empty box, classId -1 (no class), score 0, objectness 1 and no class
vector.
*/
struct CV_EXPORTS_W_SIMPLE Detection
{
    CV_WRAP Detection();
    /** The box in image pixels (x, y of the top-left corner, width, height), not clipped. */
    CV_PROP_RW cv::Rect2f box;
    /** The class, in [0, C); -1 means "any class" in a target (see detectionSimilarity). */
    CV_PROP_RW int classId;
    /** The detector's confidence (YOLOv5: objectness × best class probability). */
    CV_PROP_RW float score;
    /** The objectness \f$O\f$ of D-RISE; 1 where the detector has none (YOLOv8 layout). */
    CV_PROP_RW float objectness;
    /** Per-class probabilities \f$P\f$ (C values); may be empty (one-class detectors, SSD's
        DetectionOutput, which gives only the winning class of each row). */
    CV_PROP_RW std::vector<float> classProbs;
};

/** @brief A detector's decoder: the raw outputs of one image (one Mat per output of
cv::dnn::Net::getUnconnectedOutLayersNames, in that order, batch dimension 1) and the image's
size in, EVERY proposal out, boxes in image pixels, no score threshold and no NMS (DetectorModel
applies those). The blob is the image stretched to the network input size. C++ only. */
typedef std::function<void(const std::vector<Mat>& outputs, const Size& imageSize,
                           std::vector<Detection>& proposals)> DetectionDecoder;

/** @brief Output layouts of DetectorModel's built-in decoders (DetectorModel::setFormat). */
enum DetectionFormat
{
    /** YOLOv5 (and v3/v7-style exports): the first output is \f$1 \times N \times (5 + C)\f$
        rows of cx, cy, w, h in network-input pixels, objectness, C class probabilities;
        score = objectness × best class probability (YOLOv5's `non_max_suppression`), classProbs
        the C probabilities. */
    DETECTION_YOLOV5 = 0,
    /** YOLOv8 (and later Ultralytics exports): the first output is \f$1 \times (4 + C) \times N\f$
        (one column per proposal): cx, cy, w, h in network-input pixels, C class scores;
        objectness 1, score = best class score, classProbs the C scores. */
    DETECTION_YOLOV8 = 1,
    /** SSD's `DetectionOutput` (Caffe, TensorFlow Object Detection API in OpenCV): the first
        output is \f$1 \times 1 \times N \times 7\f$ rows of image id, class, score, x1, y1, x2, y2
        with corners normalized to [0, 1]; rows with a negative image id or class, or a score
        \f$\le 0\f$ (padding), are skipped. objectness = score; classProbs stays empty: a row
        carries only its class, and detectionSimilarity compares such classes as one-hot vectors.
        DetectionOutput merges a batch into one list, so such nets run one masked input at a
        time in explain(). */
    DETECTION_SSD = 2
};

/** @brief The name of a DetectionFormat (`yolov5`, `yolov8`, `ssd`).
@param format a DetectionFormat.
@return its name; throws StsOutOfRange for anything else.
*/
CV_EXPORTS_W String getDetectionFormatName(int format);

/** @brief The DetectionFormat of a name (case ignored), as getDetectionFormatName gives it.
@param name `yolov5`, `yolov8` or `ssd`.
@return the format; throws StsBadArg listing the known names for anything else.
*/
CV_EXPORTS_W int parseDetectionFormat(const String& name);

/** @brief Decodes raw outputs with a built-in decoder: every proposal, no threshold, no NMS.
@param outputs the net's outputs for one image (getUnconnectedOutLayersNames order; the first is
       read), batch dimension 1;
@param format a DetectionFormat;
@param inputSize the network input's width and height (YOLO boxes are in its pixels);
@param imageSize the image's width and height: boxes are scaled to it (the blob is the image
       stretched to the input size);
@param proposals every proposal, in output order.
*/
CV_EXPORTS_W void decodeDetections(const std::vector<Mat>& outputs, int format,
                                   const Size& inputSize, const Size& imageSize,
                                   CV_OUT std::vector<Detection>& proposals);

/** @brief D-RISE's similarity of a proposal to a target @cite petsiuk2021drise:
\f$s(t, d) = \mathrm{IoU}(B_t, B_d) \cdot \cos(P_t, P_d) \cdot O_d\f$.

The cosine is taken between class vectors; where one side has no class vector (`classProbs`
empty) its class is the one-hot vector of its classId, and where a side's classId is -1 and it
has no vector the cosine is 1 (a one-class detector, or a class-agnostic target). A zero vector
gives cosine 0. Boxes with a non-positive width or height have IoU 0.
@param target the detection to explain;
@param proposal a raw proposal of the detector;
@return the similarity, in [0, 1] when the objectness is; throws StsBadArg for non-finite boxes
        or objectness and StsBadSize for class vectors of different lengths.
*/
CV_EXPORTS_W float detectionSimilarity(const Detection& target, const Detection& proposal);

/** @brief An object detector wrapped for explanations: preprocessing, one forward pass, a decoder
(built-in formats or any user function), class-wise NMS, and D-RISE, occlusion and Eigen-CAM maps
of its detections.

@code
Ptr<xcam::DetectorModel> model = xcam::DetectorModel::create("yolov5s.onnx");
model->setInputParams(1 / 255.0, Size(640, 640), Scalar(), true);
model->setFormat(xcam::DETECTION_YOLOV5);
std::vector<xcam::Detection> dets;
model->detect(image, dets);                                  // boxes in image pixels
std::vector<Mat> maps;
model->explain(image, dets, xcam::CAM_METHOD_RISE, maps);    // D-RISE, one map per detection
@endcode

Threads: one DetectorModel per thread (the cv::dnn::Net it wraps is not reentrant).
*/
class CV_EXPORTS_W DetectorModel
{
public:
    /** @brief Destroys the wrapper (the network handle it holds is released). */
    virtual ~DetectorModel();

    /** @brief Reads a network with cv::dnn::readNet.
    @param model binary weights (`*.onnx`, `*.caffemodel`, `*.pb`, …);
    @param config text description (`*.prototxt`, …) when the format needs one.
    @return the model, with no format or decoder set yet (setFormat or setDecoder).
    */
    CV_WRAP static Ptr<DetectorModel> create(const String& model, const String& config = String());
    /** @brief Wraps an already loaded network (shared, not copied: backends and targets set on it
    apply to the model).
    @param net the network.
    @return the model.
    */
    CV_WRAP static Ptr<DetectorModel> create(const dnn::Net& net);

    /** @brief Preprocessing, as cv::dnn::blobFromImage takes it (no crop: the blob is the image
    stretched to `size`, so boxes map back to the image by scaling each axis).
    @param scale multiplier applied after the mean is subtracted;
    @param size network input size; empty keeps the image's size;
    @param mean subtracted from each channel, in the network's channel order;
    @param swapRB swap the first and last channels (BGR image, RGB-trained net).
    */
    CV_WRAP virtual void setInputParams(double scale = 1.0, const Size& size = Size(),
                                        const Scalar& mean = Scalar(), bool swapRB = false) = 0;
    /** @brief Feed the net a \f$1 \times H \times W \times C\f$ blob (the
    \f$1 \times C \times H \times W\f$ blob of blobFromImage transposed) instead of NCHW: nets
    converted from TensorFlow / TFLite such as MediaPipe's BlazeFace take only that.
    @param nhwc true for NHWC (default false).
    */
    CV_WRAP virtual void setInputNHWC(bool nhwc) = 0;
    /** @brief Selects a built-in decoder.
    @param format a DetectionFormat; replaces any decoder given to setDecoder.
    */
    CV_WRAP virtual void setFormat(int format) = 0;
    /** @brief Sets the decoder of any other detector (C++ only); replaces the format.
    @param decoder maps one image's raw outputs to every proposal (see DetectionDecoder); an
           exception it throws reaches the caller as a cv::Exception that says so.
    */
    virtual void setDecoder(const DetectionDecoder& decoder) = 0;
    /** @brief Thresholds of detect().
    @param scoreThreshold proposals with score above it are kept (in [0, 1], default 0.25, as
           YOLOv5's detect.py);
    @param nmsThreshold IoU above which cv::dnn::NMSBoxes suppresses a box of the same class
           (in [0, 1], default 0.45).
    */
    CV_WRAP virtual void setThresholds(float scoreThreshold, float nmsThreshold) = 0;
    /** @brief The layer whose output Eigen-CAM projects.

    Empty (default) = auto-detected from the net: the detection head's convolutions are those
    whose output reaches a net output without passing through another convolution; the feature
    layer is, among their inputs (pass-through layers such as Identity skipped back), the one
    computed last whose output is an image-like map: 4-D, height and width > 1, the input divided
    by the same stride on both axes (within 10 %). On YOLOv5 exports that is the last C3 block
    before `Detect` (`model[-2]`, pytorch-grad-cam's YOLO recipe); on BlazeFace the 8×8 block
    feeding the second head. A net with no such layer raises an error asking for a name.
    @param name the layer, as cv::dnn names it or as the ONNX node is named (`onnx_node!`
           prefixes optional); an unknown name fails at the next Eigen-CAM explain() listing the
           nearest names.
    */
    CV_WRAP virtual void setFeatureLayer(const String& name) = 0;
    /** @brief The Eigen-CAM feature layer: the name set, or the auto-detected one once the input
    size is known (after the first detect() or explain()).
    @return the layer's name as cv::dnn lists it; empty when it cannot be known yet.
    */
    CV_WRAP virtual String getFeatureLayer() const = 0;

    /** @brief Preprocessing, one forward pass of every unconnected output, the decoder, then a
    class-wise cv::dnn::NMSBoxes (score threshold, NMS threshold).
    @param image CV_8U or CV_32F image with 1, 3 or 4 channels;
    @param detections the kept detections, highest score first, boxes in image pixels.
    */
    CV_WRAP virtual void detect(InputArray image, CV_OUT std::vector<Detection>& detections) = 0;

    /** @brief Explains detections: one CV_32F map per target, at the image's size.

    Methods on a detector:
    - CAM_METHOD_RISE is D-RISE @cite petsiuk2021drise: RISE masks (CAMMethodParams gridSize,
      keepProbability, seed; antithetic pairs at p = 0.5, as RISE here) at the network input's
      resolution; each masked blob's proposals (all of them: no threshold, no NMS) are scored
      against the target with detectionSimilarity; mask i weighs
      \f$w_i = \max_d s(t, d)\f$ and the map is \f$\sum_i w_i M_i / (N p)\f$, resized to the image
      (INTER_LINEAR). `gridSize` 0 (CAMMethodParams' default: automatic) is the paper's
      16 × 16 grid on a detector (any other value is used as given); `numMasks` keeps its
      default, 4000.
    - CAM_METHOD_OCCLUSION: \f$s_0 - \max_d s(t, d_{occluded})\f$ per occluding patch
      (CAMMethodParams patchSize, stride; xcam's window and averaging rule), with
      \f$s_0 = \max_d s(t, d)\f$ on the unoccluded input.
    - CAM_METHOD_EIGENCAM: Eigen-CAM @cite muhammad2020eigencam of the feature layer
      (setFeatureLayer) from one forward pass, resized to the image; class-agnostic, so every
      target gets the same map (pytorch-grad-cam's YOLO recipe).

    Any other method raises StsNotImplemented naming these three. Forward passes of masked blobs
    run CAMMethodParams::batchSize at a time; a net that refuses a batch (or merges it, like
    DetectionOutput) runs one at a time from then on.
    @param image as in detect();
    @param targets the detections to explain (boxes in image pixels, e.g. from detect()); empty:
           the detections detect() finds on this image, from the same forward pass (see
           getLastDetections);
    @param method CAM_METHOD_RISE, CAM_METHOD_OCCLUSION or CAM_METHOD_EIGENCAM;
    @param maps one raw map per target, image-sized CV_32F;
    @param params the methods' parameters.
    */
    CV_WRAP virtual void explain(InputArray image, const std::vector<Detection>& targets,
                                 int method, OutputArrayOfArrays maps,
                                 const CAMMethodParams& params = CAMMethodParams()) = 0;

    /** @brief The detections of the last detect(), or of the last explain() with no targets.
    @param detections as detect() gives them.
    */
    CV_WRAP virtual void getLastDetections(CV_OUT std::vector<Detection>& detections) const = 0;

    /** @brief Progress of explain()'s masked forward passes (C++ only).
    @param callback called with (inputs done, inputs in all) after each batch; returning false
           cancels (explain throws StsError). Empty: none.
    */
    virtual void setProgressCallback(const CAMProgressCallback& callback) = 0;

    /** @brief The wrapped network.
    @return a shared handle to it: set backends and targets on it.
    */
    CV_WRAP virtual dnn::Net getNet() const = 0;
};

//! @}

}} // namespace cv::xcam

#endif // OPENCV_XCAM_DETECTION_HPP
