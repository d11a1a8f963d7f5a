// xcam_detect's model: files checked, the DetectorModel with its preprocessing, decoder (a
// built-in format or samples/blazeface_decoder.hpp), thresholds and Eigen-CAM layer; its labels.
#ifndef XCAM_SAMPLES_DETECTOR_SETUP_HPP
#define XCAM_SAMPLES_DETECTOR_SETUP_HPP

#include "detect_options.hpp"

#include <string>
#include <vector>

namespace xcam_samples {

/** Creates the DetectorModel of `options`; throws cv::Exception with one line (missing or empty
    file, not a model cv::dnn reads). */
cv::Ptr<cv::xcam::DetectorModel> createDetector(const DetectOptions& options);

/** The class names: --labels, one per line; BlazeFace without --labels: "face"; else none. */
std::vector<std::string> detectorLabels(const DetectOptions& options);

} // namespace xcam_samples

#endif
