// xcam_detect's options: the cv::CommandLineParser keys (the shared net, run, method-parameter
// and overlay keys plus the detector's own) and parseDetectOptions(), a pure function from the
// parsed command line to a DetectOptions value.
#ifndef XCAM_SAMPLES_DETECT_OPTIONS_HPP
#define XCAM_SAMPLES_DETECT_OPTIONS_HPP

#include "options.hpp"

#include <set>
#include <string>
#include <vector>

namespace xcam_samples {

/** --format=blazeface: samples/blazeface_decoder.hpp, a decoder written as a user would. */
const int kFormatBlazeFace = -1;

struct DetectOptions
{
    ModelOptions model;  // model.classes: --labels; model.feature: --feature-layer
    RunOptions run;
    int format = cv::xcam::DETECTION_YOLOV5;  // a cv::xcam::DetectionFormat or kFormatBlazeFace
    bool nhwc = false;
    float scoreThreshold = 0.25f, nmsThreshold = 0.45f;  // DetectorModel's defaults
    int method = -1;  // -1: Eigen-CAM on a video or camera, D-RISE on files
    cv::xcam::CAMMethodParams methodParams;
    cv::xcam::CAMOverlayParams overlay;
};

/** The keys of cv::CommandLineParser for xcam_detect. */
extern const std::string kDetectKeys;
/** xcam_detect's keys that are flags (given bare: --rgb). */
extern const std::set<std::string> kDetectFlags;

/** The methods that work on detectors (getCAMMethods() rows with `detectors`), in table order. */
std::vector<int> detectorMethods();

/** "rise, occlusion, eigencam": their names, comma-separated. */
std::string detectorMethodNames();

/** The --format name of `format` (yolov5, yolov8, ssd, blazeface). */
std::string formatName(int format);

/** The class names: --labels (checked: requireFile), one per line; BlazeFace without --labels:
    "face"; else none. Throws cv::Exception with one line. */
std::vector<std::string> detectorLabels(const DetectOptions& options);

/** Fills `options` from `parser` (--format=blazeface first fills BlazeFace's preprocessing and
    thresholds; options given override them). Strict, as parseOptions; false with `error`, one
    line naming the option. Reads no file. */
bool parseDetectOptions(const cv::CommandLineParser& parser, DetectOptions& options, std::string& error);

} // namespace xcam_samples

#endif
