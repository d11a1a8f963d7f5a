// parseDetectOptions: xcam_detect's command line to a DetectOptions value (see detect_options.hpp).
#include "detect_options.hpp"

#include "model_setup.hpp"
#include "numbers.hpp"

namespace xcam_samples {

const std::string kDetectKeys =
    std::string("{ help h     |        | Print this help. }") + kNetKeys +
    "{ format     | yolov5 | Output layout: yolov5, yolov8, ssd (cv::xcam::DetectionFormat) or blazeface "
    "(MediaPipe BlazeFace through samples/blazeface_decoder.hpp: 128x128, RGB in [-1, 1], NHWC, "
    "score 0.5, NMS 0.3 unless given). }"
    "{ nhwc       |        | Feed the net a 1xHxWxC blob (nets converted from TensorFlow/TFLite). }"
    "{ labels     |        | Text file with class names, one per line, in class order. }"
    "{ score-threshold |   | Keep detections scoring above it, in [0, 1] (default 0.25). }"
    "{ nms-threshold |     | IoU above which NMS drops a box of the same class, in [0, 1] (default 0.45). }"
    "{ feature-layer |     | Eigen-CAM's layer (default: auto-detected, the map the detection head reads). }"
    "{ method     | auto   | auto (eigencam on a video or camera, rise on images), rise (D-RISE), "
    "occlusion or eigencam. }" +
    kRunKeys + kPerturbationKeys + kOverlayKeys;

const std::set<std::string> kDetectFlags = {"help", "rgb", "nhwc", "resume", "headless"};

std::vector<int> detectorMethods()
{
    std::vector<int> methods;
    for (const cv::xcam::CAMMethodInfo& m : cv::xcam::getCAMMethods())
        if (m.detectors)
            methods.push_back(m.method);
    return methods;
}

std::string detectorMethodNames()
{
    std::string names;
    for (int m : detectorMethods())
        names += (names.empty() ? "" : ", ") + cv::xcam::getCAMMethodName(m);
    return names;
}

std::string formatName(int format)
{
    return format == kFormatBlazeFace ? "blazeface" : cv::xcam::getDetectionFormatName(format);
}

std::vector<std::string> detectorLabels(const DetectOptions& o)
{
    requireFile(o.model.classes, "labels");
    if (!o.model.classes.empty())
        return cv::xcam::readClassLabels(o.model.classes);
    return o.format == kFormatBlazeFace ? std::vector<std::string>{"face"} : std::vector<std::string>();
}

namespace {

bool fail(std::string& error, const std::string& message)
{
    error = message;
    return false;
}

/** --format, and BlazeFace's preprocessing and thresholds as a preset. */
bool parseFormat(const cv::CommandLineParser& parser, DetectOptions& o, std::string& error)
{
    const std::string name = toLower(parser.get<std::string>("format"));
    if (name == "blazeface")
    {
        o.format = kFormatBlazeFace;
        o.model.width = o.model.height = 128;
        o.model.scale = 1 / 127.5;
        o.model.mean = cv::Scalar(127.5, 127.5, 127.5);
        o.model.rgb = o.nhwc = true;
        o.scoreThreshold = 0.5f;
        o.nmsThreshold = 0.3f;
        return true;
    }
    for (int f : {cv::xcam::DETECTION_YOLOV5, cv::xcam::DETECTION_YOLOV8, cv::xcam::DETECTION_SSD})
        if (name == formatName(f))
            return (o.format = f), true;
    return fail(error, "--format '" + printable(parser.get<std::string>("format")) +
                           "' is unknown; formats: yolov5, yolov8, ssd, blazeface");
}

bool parseThreshold(const cv::CommandLineParser& parser, const char* key, float& value, std::string& error)
{
    double v = value;
    if (parser.has(key) && !parseDouble(key, parser.get<std::string>(key), 0, 1, v, error))
        return false;
    value = (float)v;
    return true;
}

/** --method: auto (-1) or a method of detectors; one line naming them for anything else. */
bool parseDetectMethod(const cv::CommandLineParser& parser, int& method, std::string& error)
{
    const std::string name = parser.get<std::string>("method");
    method = -1;
    if (toLower(name) == "auto")
        return true;
    try
    {
        method = cv::xcam::parseCAMMethod(name);
    }
    catch (const cv::Exception&)
    {
    }
    if (method >= 0 && cv::xcam::getCAMMethodInfo(method).detectors)
        return true;
    return fail(error, "--method '" + printable(name) + "' " +
                           (method >= 0 ? "does not work on detectors" : "is unknown") +
                           "; methods on detectors: auto, " + detectorMethodNames());
}

bool parseDetectorOwn(const cv::CommandLineParser& parser, DetectOptions& o, std::string& error)
{
    if (parser.has("labels"))
        o.model.classes = parser.get<std::string>("labels");
    if (parser.has("feature-layer"))
        o.model.feature = parser.get<std::string>("feature-layer");
    return (!parser.has("nhwc") || parseBool("nhwc", parser.get<std::string>("nhwc"), o.nhwc, error)) &&
           parseThreshold(parser, "score-threshold", o.scoreThreshold, error) &&
           parseThreshold(parser, "nms-threshold", o.nmsThreshold, error) &&
           parseDetectMethod(parser, o.method, error);
}

} // namespace

bool parseDetectOptions(const cv::CommandLineParser& parser, DetectOptions& options, std::string& error)
{
    DetectOptions o;
    if (!(parseFormat(parser, o, error) && parseNetOptions(parser, o.model, error) &&
          parseDetectorOwn(parser, o, error) && parseRunOptions(parser, o.run, error) &&
          parseMethodParams(parser, o.methodParams, error, true) && parseOverlayOptions(parser, o.overlay, error)))
        return false;
    options = o;
    return true;
}

} // namespace xcam_samples
