// The C++ answers of the detector tests (python/tests/test_detector.py): every wrapped call of
// detection.hpp on one detector and image, and its bad calls, written with cv::FileStorage.
//   xcam_reference --detector case.yml results.yml
// A case's `format` is a DetectionFormat name, or `blazeface` for the sample decoder
// (samples/blazeface_decoder.hpp), which the Python test re-implements in numpy.
#include "reference.hpp"

#include "blazeface_decoder.hpp"

#include <opencv2/imgcodecs.hpp>

using namespace cv;
using namespace cv::xcam;

namespace {

// Detections as rows x, y, w, h, classId, score, objectness, classProbs... (CV_32F).
Mat detectionRows(const std::vector<Detection>& dets)
{
    const size_t c = dets.empty() ? 0 : dets[0].classProbs.size();
    Mat rows((int)dets.size(), 7 + (int)c, CV_32F);
    for (size_t i = 0; i < dets.size(); ++i)
    {
        const Detection& d = dets[i];
        CV_Assert(d.classProbs.size() == c);
        std::vector<float> row = {d.box.x, d.box.y, d.box.width, d.box.height, (float)d.classId,
                                  d.score, d.objectness};
        row.insert(row.end(), d.classProbs.begin(), d.classProbs.end());
        Mat(row).reshape(1, 1).copyTo(rows.row((int)i));
    }
    return rows;
}

struct DetectorCase
{
    FileStorage fs;
    Ptr<DetectorModel> model;
    Mat image;
    double scale = 1;
    Size inputSize;
    Scalar mean;
    bool swapRB = false, nhwc = false;
    int format = -1;  // -1: the BlazeFace decoder
};

DetectorCase openDetectorCase(const std::string& path)
{
    DetectorCase c;
    c.fs.open(path, FileStorage::READ);
    CV_Assert(c.fs.isOpened());
    const FileNode& f = c.fs.root();
    c.model = DetectorModel::create((std::string)f["model"]);
    c.scale = (double)f["scale"];
    c.inputSize = Size((int)f["width"], (int)f["height"]);
    const std::vector<double> mean = reference::numbers<double>(f["mean"]);
    c.mean = Scalar(mean[0], mean[1], mean[2]);
    c.swapRB = (int)f["swapRB"] != 0;
    c.model->setInputParams(c.scale, c.inputSize, c.mean, c.swapRB);
    c.nhwc = (int)f["nhwc"] != 0;
    c.model->setInputNHWC(c.nhwc);
    const std::string format = (std::string)f["format"];
    if (format == "blazeface")
        c.model->setDecoder(blazeface::decode);
    else
        c.model->setFormat(c.format = parseDetectionFormat(format));
    c.model->setThresholds((float)f["scoreThreshold"], (float)f["nmsThreshold"]);
    c.model->setFeatureLayer((std::string)f["feature"]);
    c.image = imread((std::string)f["image"], IMREAD_COLOR);
    CV_Assert(!c.image.empty());
    return c;
}

// The net's raw outputs for the image (the model's preprocessing, by hand), and their proposals.
void writeRawOutputs(DetectorCase& c, FileStorage& out)
{
    Mat blob = dnn::blobFromImage(c.image, c.scale, c.inputSize, c.mean, c.swapRB, false);
    if (c.nhwc)  // 1xCxHxW -> 1xHxWxC
    {
        std::vector<Mat> planes;
        for (int ch = 0; ch < blob.size[1]; ++ch)
            planes.emplace_back(blob.size[2], blob.size[3], CV_32F, blob.ptr<float>(0, ch));
        Mat hwc;
        merge(planes, hwc);
        blob = hwc.reshape(1, std::vector<int>{1, blob.size[2], blob.size[3], blob.size[1]});
    }
    dnn::Net net = c.model->getNet();
    std::vector<Mat> outs;
    net.setInput(blob);
    net.forward(outs, net.getUnconnectedOutLayersNames());
    std::vector<Detection> proposals;
    if (c.format >= 0)
        decodeDetections(outs, c.format, c.inputSize, c.image.size(), proposals);
    else
        blazeface::decode(outs, c.image.size(), proposals);
    out << "proposals" << detectionRows(proposals);
}

// detect, explain with each method of the case on its first targets, explain with no targets.
void writeDetectAndExplain(DetectorCase& c, FileStorage& out)
{
    out << "featureLayerBefore" << c.model->getFeatureLayer();
    std::vector<Detection> dets;
    c.model->detect(c.image, dets);
    out << "detections" << detectionRows(dets) << "featureLayer" << c.model->getFeatureLayer();
    const std::vector<Detection> targets(dets.begin(),
                                         dets.begin() + std::min((int)c.fs["targets"],
                                                                 (int)dets.size()));
    const CAMMethodParams params = reference::methodParams(c.fs["params"]);
    for (int method : reference::numbers<int>(c.fs["methods"]))
    {
        std::vector<Mat> maps;
        c.model->explain(c.image, targets, method, maps, params);
        out << "explain_" + std::to_string(method) << maps;
    }
    std::vector<Mat> maps;
    c.model->explain(c.image, std::vector<Detection>(), CAM_METHOD_EIGENCAM, maps);
    c.model->getLastDetections(dets);
    out << "explain_auto" << maps << "lastDetections" << detectionRows(dets);
    out << "deletionAUC" << deletionAUC(c.model, c.image, maps[0], dets[0], 5, 4);
    out << "insertionAUC" << insertionAUC(c.model, c.image, maps[0], dets[0], 5, 4);
    Mat similarity((int)targets.size(), (int)targets.size(), CV_32F);
    for (size_t i = 0; i < targets.size(); ++i)
        for (size_t j = 0; j < targets.size(); ++j)
            similarity.at<float>((int)i, (int)j) = detectionSimilarity(targets[i], targets[j]);
    out << "detectionSimilarity" << similarity;
}

void writeFormats(FileStorage& out)
{
    std::vector<String> names;
    std::vector<int> parsed;
    for (int format : {DETECTION_YOLOV5, DETECTION_YOLOV8, DETECTION_SSD})
        names.push_back(getDetectionFormatName(format));
    for (const char* name : {"YOLOv5", "yolov8", "SSD"})
        parsed.push_back(parseDetectionFormat(name));
    out << "getDetectionFormatName" << names << "parseDetectionFormat" << parsed;
}

// The bad calls of test_detector.py's detector_error_cases, by the same names.
reference::ErrorCases detectorErrorCases(DetectorCase& c)
{
    const Ptr<DetectorModel> m = c.model;
    const Mat image = c.image;
    return {
        {"parseDetectionFormat", [] { parseDetectionFormat("yolov99"); }},
        {"getDetectionFormatName", [] { getDetectionFormatName(7); }},
        {"setFormat", [=] { m->setFormat(9); }},
        {"setThresholds", [=] { m->setThresholds(2.f, 0.5f); }},
        {"explain_method", [=] { std::vector<Mat> maps;
                                 m->explain(image, {}, CAM_METHOD_GRADCAM, maps); }},
        {"detect_empty", [=] { std::vector<Detection> d; m->detect(Mat(), d); }},
        {"no_decoder", [=] { std::vector<Detection> d;
                             DetectorModel::create(m->getNet())->detect(image, d); }},
        {"create_missing", [] { DetectorModel::create("/nonexistent/detector.onnx"); }},
    };
}

} // namespace

namespace reference {

void runDetectorCase(const std::string& casePath, const std::string& outPath)
{
    DetectorCase c = openDetectorCase(casePath);
    FileStorage out(outPath, FileStorage::WRITE);
    writeRawOutputs(c, out);
    writeDetectAndExplain(c, out);
    writeFormats(out);
    out << "errors" << "{";
    writeErrorCases(detectorErrorCases(c), out);
    out << "}";
}

} // namespace reference
