// The model of the options: files checked, preprocessing, layers, labels, backend; and a check
// that the images' channel count is what the net declares.
#ifndef XCAM_SAMPLES_MODEL_SETUP_HPP
#define XCAM_SAMPLES_MODEL_SETUP_HPP

#include "options.hpp"

namespace xcam_samples {

/** Creates the CAMModel of `options`; throws cv::Exception with a one-line message in the
    user's words (missing or empty file, not a model, bad label file, ...). */
cv::Ptr<cv::xcam::CAMModel> createModel(const ModelOptions& options);

/** Creates the DetectorModel of `options` (files, preprocessing, backend; --crop cannot apply:
    a detector stretches the image) with the output layout `format`: yolov5, yolov8, ssd
    (cv::xcam::parseDetectionFormat) or blazeface (samples/blazeface_decoder.hpp, NHWC). `nhwc`
    feeds the net NHWC blobs; `scoreThreshold` and `nmsThreshold` are detect()'s; --feature is
    Eigen-CAM's layer (--fc and --classes are not used). Throws as createModel. */
cv::Ptr<cv::xcam::DetectorModel> createDetector(const ModelOptions& options,
                                                const std::string& format, bool nhwc,
                                                float scoreThreshold, float nmsThreshold);

/** The input channels the net's first convolution takes (1 or 3), or 0 when it cannot tell. */
int declaredInputChannels(const cv::dnn::Net& net);

/** Throws when the net declares 1 input channel and --gray is off, or 3 and --gray is on. */
void checkInputChannels(const cv::dnn::Net& net, bool gray);

} // namespace xcam_samples

#endif
