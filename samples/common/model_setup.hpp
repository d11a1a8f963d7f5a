// The model of the options: files checked, preprocessing, layers, labels, backend; and a check
// that the images' channel count is what the net declares.
#ifndef XCAM_SAMPLES_MODEL_SETUP_HPP
#define XCAM_SAMPLES_MODEL_SETUP_HPP

#include "options.hpp"

namespace xcam_samples {

/** Creates the CAMModel of `options`; throws cv::Exception with a one-line message in the
    user's words (missing or empty file, not a model, bad label file, ...). */
cv::Ptr<cv::xcam::CAMModel> createModel(const ModelOptions& options);

/** The input channels the net's first convolution takes (1 or 3), or 0 when it cannot tell. */
int declaredInputChannels(const cv::dnn::Net& net);

/** Throws when the net declares 1 input channel and --gray is off, or 3 and --gray is on. */
void checkInputChannels(const cv::dnn::Net& net, bool gray);

} // namespace xcam_samples

#endif
