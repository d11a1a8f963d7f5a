// opencv2/xcam/detection.hpp
#include "bindings.hpp"
#include "python_decoder.hpp"

#include <sstream>

namespace py = pybind11;
using namespace pybind11::literals;
using cv::xcam::CAMMethodParams;
using cv::xcam::Detection;
using cv::xcam::DetectorModel;
using DetectorPtr = cv::Ptr<DetectorModel>;

namespace xcam_py {
namespace {

using DetectorClass = py::class_<LockedDetector, std::shared_ptr<LockedDetector>>;

std::string detectionRepr(const Detection& d)
{
    std::ostringstream s;
    s << "Detection(box=(" << d.box.x << ", " << d.box.y << ", " << d.box.width << ", "
      << d.box.height << "), classId=" << d.classId << ", score=" << d.score
      << ", objectness=" << d.objectness << ", classProbs=[" << d.classProbs.size()
      << " values])";
    return s.str();
}

void bindDetectionType(py::module_& m)
{
    const Detection defaults;
    py::class_<Detection>(m, "Detection", doc::Detection)
        .def(py::init([](const cv::Rect2f& box, int classId, float score, float objectness,
                         const std::vector<float>& classProbs) {
                 Detection d;
                 d.box = box;
                 d.classId = classId;
                 d.score = score;
                 d.objectness = objectness;
                 d.classProbs = classProbs;
                 return d;
             }),
             "box"_a = defaults.box, "classId"_a = defaults.classId, "score"_a = defaults.score,
             "objectness"_a = defaults.objectness, "classProbs"_a = defaults.classProbs)
        .def_readwrite("box", &Detection::box, doc::Detection_box)
        .def_readwrite("classId", &Detection::classId, doc::Detection_classId)
        .def_readwrite("score", &Detection::score, doc::Detection_score)
        .def_readwrite("objectness", &Detection::objectness, doc::Detection_objectness)
        .def_readwrite("classProbs", &Detection::classProbs, doc::Detection_classProbs)
        .def("__repr__", &detectionRepr);
}

void bindFunctions(py::module_& m)
{
    XCAM_PY_CONSTANT(m, DETECTION_YOLOV5);
    XCAM_PY_CONSTANT(m, DETECTION_YOLOV8);
    XCAM_PY_CONSTANT(m, DETECTION_SSD);
    m.def("getDetectionFormatName", &cv::xcam::getDetectionFormatName, "format"_a,
          doc::getDetectionFormatName);
    m.def("parseDetectionFormat", &cv::xcam::parseDetectionFormat, "name"_a,
          doc::parseDetectionFormat);
    m.def(
        "decodeDetections",
        [](const std::vector<py::array>& arrays, int format, const cv::Size& inputSize,
           const cv::Size& imageSize) {
            std::vector<cv::Mat> outputs;  // blobs: a 1 x N x 15 output is not a 15-channel image
            for (const py::array& a : arrays)
                outputs.push_back(matFromArray(a, false));
            std::vector<Detection> proposals;
            py::gil_scoped_release release;
            cv::xcam::decodeDetections(outputs, format, inputSize, imageSize, proposals);
            return proposals;
        },
        "outputs"_a, "format"_a, "inputSize"_a, "imageSize"_a, doc::decodeDetections);
    m.def("detectionSimilarity", &cv::xcam::detectionSimilarity, "target"_a, "proposal"_a,
          doc::detectionSimilarity);
}

void bindSetup(DetectorClass& c)
{
    bindCreate<LockedDetector>(c, doc::DetectorModel_create, doc::DetectorModel_create_2);
    c.def(
        "setInputParams",
        [](LockedDetector& self, double scale, const cv::Size& size, const cv::Scalar& mean,
           bool swapRB) {
            withModel(self, [&](const DetectorPtr& m) {
                m->setInputParams(scale, size, mean, swapRB);
            });
        },
        "scale"_a = 1.0, "size"_a = cv::Size(), "mean"_a = cv::Scalar(), "swapRB"_a = false,
        doc::DetectorModel_setInputParams);
    c.def(
        "setInputNHWC",
        [](LockedDetector& self, bool nhwc) {
            withModel(self, [&](const DetectorPtr& m) { m->setInputNHWC(nhwc); });
        },
        "nhwc"_a, doc::DetectorModel_setInputNHWC);
    c.def(
        "setFormat",
        [](LockedDetector& self, int format) {
            withModel(self, [&](const DetectorPtr& m) { m->setFormat(format); });
        },
        "format"_a, doc::DetectorModel_setFormat);
    c.def(
        "setDecoder",
        [](LockedDetector& self, const py::function& decoder) {
            cv::xcam::DetectionDecoder d = pythonDecoder(decoder, self.decoderError);
            withModel(self, [&](const DetectorPtr& m) { m->setDecoder(d); });
        },
        "decoder"_a,
        "Sets the decoder of any other detector: a Python callable in place of C++'s "
        "DetectionDecoder; replaces the format.\n\n"
        "It runs with the GIL taken, once per forward pass of one image (explain's D-RISE and "
        "occlusion: once per masked input), and an exception it raises propagates out of "
        "detect() or explain() unchanged (with a note).\n\n"
        "Parameters:\n"
        "    decoder: decoder(outputs, imageSize) -> list[Detection], with outputs the raw "
        "outputs of one image (numpy arrays in getUnconnectedOutLayersNames order, batch "
        "dimension 1; copies it may keep) and imageSize the image's (width, height); it returns "
        "EVERY proposal, boxes in image pixels, no score threshold and no NMS.");
    c.def(
        "setThresholds",
        [](LockedDetector& self, float scoreThreshold, float nmsThreshold) {
            withModel(self, [&](const DetectorPtr& m) {
                m->setThresholds(scoreThreshold, nmsThreshold);
            });
        },
        "scoreThreshold"_a, "nmsThreshold"_a, doc::DetectorModel_setThresholds);
    c.def(
        "setFeatureLayer",
        [](LockedDetector& self, const std::string& name) {
            withModel(self, [&](const DetectorPtr& m) { m->setFeatureLayer(name); });
        },
        "name"_a, doc::DetectorModel_setFeatureLayer);
}

void bindCalls(DetectorClass& c)
{
    c.def(
        "detect",
        [](LockedDetector& self, const cv::Mat& image) {
            std::vector<Detection> detections;
            withDetector(self, "detect", [&](const DetectorPtr& m) {
                m->detect(image, detections);
            });
            return detections;
        },
        "image"_a, doc::DetectorModel_detect);
    c.def(
        "explain",
        [](LockedDetector& self, const cv::Mat& image, const std::vector<Detection>& targets,
           int method, const CAMMethodParams& params) {
            std::vector<cv::Mat> maps;
            withDetector(self, "explain", [&](const DetectorPtr& m) {
                m->explain(image, targets, method, maps, params);
            });
            return maps;
        },
        "image"_a, "targets"_a, "method"_a, "params"_a = CAMMethodParams(),
        doc::DetectorModel_explain);
    c.def(
        "getLastDetections",
        [](LockedDetector& self) {
            std::vector<Detection> detections;
            withModel(self, [&](const DetectorPtr& m) { m->getLastDetections(detections); });
            return detections;
        },
        doc::DetectorModel_getLastDetections);
    c.def(
        "getFeatureLayer",
        [](LockedDetector& self) {
            return withModel(self, [](const DetectorPtr& m) { return m->getFeatureLayer(); });
        },
        doc::DetectorModel_getFeatureLayer);
    c.def(
        "getNet",
        [](LockedDetector& self) {
            return withModel(self, [](const DetectorPtr& m) { return m->getNet(); });
        },
        doc::DetectorModel_getNet);
}

} // namespace

void bindDetection(py::module_& m)
{
    bindDetectionType(m);
    bindFunctions(m);
    DetectorClass detector(m, "DetectorModel", doc::DetectorModel);
    bindSetup(detector);
    bindCalls(detector);
}

} // namespace xcam_py
