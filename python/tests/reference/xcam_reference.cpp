// The C++ answers the Python tests compare the binding with (python/tests/test_reference.py):
// every wrapped call of cv::xcam run on one model and image, written with cv::FileStorage.
//
//   xcam_reference case.yml results.yml    the calls a case file describes (keys below)
//   xcam_reference --errors case.yml errors.yml   each bad call of errorCases(): code, err, func
//   xcam_reference --detector case.yml results.yml   a detector case (detector_reference.cpp)
#include "reference.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/xcam.hpp>

#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

using namespace cv;
using namespace cv::xcam;
using reference::numbers;

namespace reference {

CAMMethodParams methodParams(const FileNode& p)
{
    CAMMethodParams params;
    params.batchSize = (int)p["batchSize"];
    params.maxChannels = (int)p["maxChannels"];
    params.channelSoftmax = (int)p["channelSoftmax"] != 0;
    params.patchSize = (int)p["patchSize"];
    params.stride = (int)p["stride"];
    params.numMasks = (int)p["numMasks"];
    params.gridSize = (int)p["gridSize"];
    params.keepProbability = (double)p["keepProbability"];
    params.seed = (int)p["seed"];
    params.reciproGaussian = (int)p["reciproGaussian"] != 0;
    params.closedForm = (int)p["closedForm"] != 0;
    params.finerAlpha = (double)p["finerAlpha"];
    params.finerClasses = (int)p["finerClasses"];
    params.kpcaKernel = (int)p["kpcaKernel"];
    params.kpcaGamma = (double)p["kpcaGamma"];
    return params;
}

void writeErrorCases(const ErrorCases& cases, FileStorage& out)
{
    for (auto& named : cases)
    {
        try
        {
            named.second();
            CV_Error(Error::StsError, "no error from " + named.first);
        }
        catch (const cv::Exception& e)
        {
            if (e.err.rfind("no error from", 0) == 0)
                throw;
            out << named.first << "{" << "code" << e.code << "err" << e.err << "func" << e.func
                << "}";
        }
    }
}

} // namespace reference

namespace {

using reference::methodParams;

struct Case
{
    FileStorage fs;
    Ptr<CAMModel> model;
    Mat image;
};

Case openCase(const std::string& path)
{
    Case c;
    c.fs.open(path, FileStorage::READ);
    CV_Assert(c.fs.isOpened());
    const FileNode& f = c.fs.root();
    c.model = CAMModel::create((std::string)f["model"], (std::string)f["config"]);
    const std::vector<double> mean = numbers<double>(f["mean"]);
    c.model->setInputParams((double)f["scale"], Size((int)f["width"], (int)f["height"]),
                            Scalar(mean[0], mean[1], mean[2]), (int)f["swapRB"] != 0,
                            (int)f["crop"] != 0);
    c.model->setLayers((std::string)f["feature"], (std::string)f["fc"]);
    c.model->setBiasMode((int)f["bias"]);
    if (!((std::string)f["labels"]).empty())
        c.model->setLabels(readClassLabels((std::string)f["labels"]));
    c.image = imread((std::string)f["image"], (int)f["grey"] ? IMREAD_GRAYSCALE : IMREAD_COLOR);
    CV_Assert(!c.image.empty());
    return c;
}

CAMOverlayParams overlayParams(const FileNode& p)
{
    CAMOverlayParams params;
    params.style = (int)p["style"];
    params.interpolation = (int)p["interpolation"];
    params.threshold = (float)p["threshold"];
    params.alpha = (float)p["alpha"];
    params.colormap = (int)p["colormap"];
    return params;
}

// classify, then every getter of the model's state after it.
void writeClassify(Case& c, FileStorage& out)
{
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<Mat> maps;
    c.model->classify(c.image, (int)c.fs["topK"], ids, probs, maps);
    out << "ids" << ids << "probs" << probs << "maps" << maps;
    // The getters, under their own names.
    out << "getScores" << c.model->getScores() << "getProbabilities" << c.model->getProbabilities();
    out << "getFeatures" << c.model->getFeatures() << "getFCWeights" << c.model->getFCWeights();
    out << "getFCBias" << c.model->getFCBias() << "getInputBlob" << c.model->getInputBlob();
    out << "getNumClasses" << c.model->getNumClasses() << "getLabel" << c.model->getLabel(ids[0]);
    out << "getFeatureLayer" << c.model->getFeatureLayer() << "getFCLayer" << c.model->getFCLayer();
    out << "getScoreLayer" << c.model->getScoreLayer();
    out << "isClassMapMode" << (int)c.model->isClassMapMode();
    out << "getDefaultMethod" << c.model->getDefaultMethod();
    out << "getBiasMode" << c.model->getBiasMode() << "getHeadLayers" << c.model->getHeadLayers();
    std::vector<int> topIds;
    std::vector<float> topProbs;
    c.model->getTopK(2, topIds, topProbs);
    out << "topKIds" << topIds << "topKProbs" << topProbs;
    Mat cam;
    std::vector<Mat> cams;
    c.model->getCAM(ids.back(), cam);
    c.model->getCAMs(ids, cams);
    out << "getCAM" << cam << "getCAMs" << cams;
    std::vector<int> supported;
    for (const CAMMethodInfo& m : getCAMMethods())
        supported.push_back((int)c.model->supportsMethod(m.method));
    out << "supports" << supported;
}

// explain() with every method the head supports, on the classes of the case.
void writeExplain(Case& c, FileStorage& out)
{
    const std::vector<int> classIds = numbers<int>(c.fs["classIds"]);
    const CAMMethodParams params = methodParams(c.fs["params"]);
    c.model->forward(c.image);
    for (const CAMMethodInfo& m : getCAMMethods())
    {
        const int method = m.method;
        if (!c.model->supportsMethod(method))
            continue;
        std::vector<Mat> maps;
        c.model->explain(c.image, method, classIds, maps, params);
        out << "explain_" + std::to_string(method) << maps;
    }
    std::vector<Mat> top1;
    c.model->explain(c.image, CAM_METHOD_EIGENCAM, std::vector<int>(), top1);  // default params
    out << "explain_default" << top1;
}

// The method table, one list per field, and RISE's masks for the case's parameters.
void writeMethodTable(Case& c, FileStorage& out)
{
    std::vector<String> names, families, descriptions, aliases;
    std::vector<int> needs, many, detectors, parsed;
    for (const CAMMethodInfo& m : getCAMMethods())
    {
        names.push_back(getCAMMethodName(m.method));
        families.push_back(m.family);
        descriptions.push_back(m.description);
        aliases.push_back(m.aliases.empty() ? String() : m.aliases[0]);
        needs.push_back(m.needs);
        many.push_back((int)m.manyForwards);
        detectors.push_back((int)m.detectors);
    }
    for (const char* name : {"Grad-CAM++", "gradcampp", "SCORE_CAM", "rise", "KPCA_CAM"})
        parsed.push_back(parseCAMMethod(name));
    out << "getCAMMethodName" << names << "parseCAMMethod" << parsed << "families" << families;
    out << "descriptions" << descriptions << "firstAliases" << aliases << "needs" << needs;
    out << "manyForwards" << many << "detectors" << detectors;
    out << "riseInfoName" << getCAMMethodInfo(CAM_METHOD_RISE).name;
    Mat masks;
    generateRISEMasks(Size(9, 7), methodParams(c.fs["params"]), 3, 5, masks);
    out << "generateRISEMasks" << masks;
}

// The free functions on the first map of classify().
void writeFunctions(Case& c, FileStorage& out)
{
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<Mat> maps;
    c.model->classify(c.image, 1, ids, probs, maps);
    const int steps = (int)c.fs["steps"];
    Mat cam, overlay, overlayDefault, logits;
    computeCAM(c.model->getFeatures(), c.model->getFCWeights(), ids[0], cam);
    out << "computeCAM" << cam;
    Mat batch;
    const Mat blob = c.model->getInputBlob();
    vconcat(blob.reshape(1, 1), blob.reshape(1, 1) * 0.5, batch);
    const int dims[] = {2, blob.size[1], blob.size[2], blob.size[3]};
    c.model->forwardBatch(batch.reshape(1, 4, dims), logits, 1);
    out << "forwardBatch" << logits;
    out << "deletionAUC" << deletionAUC(c.model, c.image, maps[0], ids[0], steps);
    out << "insertionAUC" << insertionAUC(c.model, c.image, maps[0], ids[0], steps, 4);
    double drop = 0;
    bool increase = false;
    confidenceChange(c.model, c.image, maps[0], ids[0], drop, increase);
    out << "drop" << drop << "increase" << (int)increase;
    const std::vector<int> box = numbers<int>(c.fs["box"]);
    out << "pointingGame"
        << (int)pointingGame(maps[0], c.image.size(), Rect(box[0], box[1], box[2], box[3]),
                             (int)c.fs["tolerance"]);
    out << "labels" << readClassLabels((std::string)c.fs["labelFile"]);
    writeMethodTable(c, out);
    applyCAMOverlay(c.image, maps[0], overlay, overlayParams(c.fs["overlay"]));
    applyCAMOverlay(c.image, maps[0], overlayDefault);
    out << "overlay" << overlay << "overlayDefault" << overlayDefault;
}

// The bad calls of the error tests, by name (python/tests/test_errors.py makes the same ones).
reference::ErrorCases errorCases(Case& c)
{
    const Mat activations(std::vector<int>{1, 2, 2, 3}, CV_32F, Scalar(1));
    const Mat weights(2, 2, CV_32F, Scalar(1));
    Mat nanMap(7, 7, CV_32F, Scalar(0)), out;
    nanMap.at<float>(3, 3) = std::numeric_limits<float>::quiet_NaN();
    std::vector<Mat> maps;
    const Ptr<CAMModel> m = c.model;
    const Mat image = c.image;
    return {
        {"computeCAM_classId", [=]() mutable { computeCAM(activations, weights, 2, out); }},
        {"parseCAMMethod", [] { parseCAMMethod("nope"); }},
        {"getCAMMethodName", [] { getCAMMethodName(99); }},
        {"create_missing", [] { CAMModel::create("/nonexistent/model.onnx"); }},
        {"getCAM_before_forward", [=]() mutable { m->getCAM(0, out); }},
        {"classify_empty", [=]() mutable { std::vector<int> i; std::vector<float> p;
                                           m->classify(Mat(), 3, i, p, maps); }},
        {"explain_classId",
         [=]() mutable { m->explain(image, CAM_METHOD_GRADCAM, {100000}, maps); }},
        {"explain_method", [=]() mutable { m->explain(image, 99, {}, maps); }},
        {"setBiasMode", [=] { m->setBiasMode(7); }},
        {"overlay_depth", [=]() mutable { Mat f; image.convertTo(f, CV_32F);
                                          applyCAMOverlay(f, nanMap * 0, out); }},
        {"overlay_nan", [=]() mutable { applyCAMOverlay(image, nanMap, out); }},
        {"readClassLabels", [] { readClassLabels("/nonexistent/labels.txt"); }},
        {"deletionAUC_steps", [=] { deletionAUC(m, image, nanMap * 0, 0, 0); }},
        {"forwardBatch_2d", [=]() mutable { m->forwardBatch(weights, out); }},
        {"pointingGame_nan", [=] { pointingGame(nanMap, Size(10, 10), Rect(0, 0, 5, 5)); }},
        {"setLayers_unknown", [=] { m->setLayers("no_such_layer"); m->forward(image); }},
    };
}

void writeErrors(Case& c, FileStorage& out)
{
    reference::writeErrorCases(errorCases(c), out);
}

} // namespace

int main(int argc, char** argv) try
{
    const std::string mode = argc == 4 ? argv[1] : "";
    const bool errors = mode == "--errors";
    if (argc != 3 && !errors && mode != "--detector")
    {
        std::cerr << "usage: xcam_reference [--errors | --detector] case.yml results.yml\n";
        return 2;
    }
    if (mode == "--detector")
    {
        reference::runDetectorCase(argv[2], argv[3]);
        return 0;
    }
    Case c = openCase(argv[argc - 2]);
    FileStorage out(argv[argc - 1], FileStorage::WRITE);
    if (errors)
    {
        writeErrors(c, out);
        return 0;
    }
    writeClassify(c, out);
    writeExplain(c, out);
    writeFunctions(c, out);
    return 0;
}
catch (const cv::Exception& e)
{
    std::cerr << "xcam_reference: " << e.what() << "\n";
    return 1;
}
