// The CAM method family against PyTorch/numpy oracles: samples/data/oracle/methods/*.yml, written by
// tools/make_method_fixtures.py from the committed Fashion-MNIST models (fashion_gapfc.onnx: GAP->FC
// head; fashion_vgg.onnx: MaxPool -> Flatten -> FC -> ReLU -> FC head) by autograd, real channel
// ablation and masking with re-runs of the head or the whole net, and numpy's SVD. For every method,
// model, image and class of the files, CAMModel::explain must give the oracle's raw map within 1e-4
// of the map's largest |value| (Eigen-CAM and Eigen-Grad-CAM up to the sign).
#include "test_common.hpp"

#include <opencv2/imgcodecs.hpp>

#include <cstdio>

using namespace cv;
using namespace xcam_test;

namespace {

const char* const kModels[] = {"gapfc", "vgg"};
const char* const kImages[] = {"0_ankle_boot", "2_trouser", "4_shirt", "6_coat"};
const int kClassesPerFile = 3;   // top-1, top-2, lowest probability

struct MethodCase
{
    const char* key;       // the fixture's map name: <key>_<class>
    int method;            // cv::xcam::CAMMethod
    bool gaussian;         // CAMMethodParams::reciproGaussian
    bool channelSoftmax;   // CAMMethodParams::channelSoftmax
    bool upToSign;
    int expected;          // maps the fixtures hold for this method
};

std::ostream& operator<<(std::ostream& os, const MethodCase& m)
{
    return os << m.key;
}

std::string data(const std::string& relative)
{
    return std::string(XCAM_DATA_DIR) + "/" + relative;
}

/** max |got - want| / max |want|; with upToSign, the better of got and -got. */
double errorToMax(const Mat& got, const Mat& want, bool upToSign)
{
    const double scale = norm(want, NORM_INF);
    EXPECT_GT(scale, 0) << "an all-zero oracle map tells nothing";
    double err = norm(got, want, NORM_INF);
    if (upToSign)
        err = std::min(err, norm(Mat(-got), want, NORM_INF));
    return err / std::max(scale, 1e-30);
}

std::vector<int> readInts(const FileNode& node)
{
    Mat m;
    node >> m;
    if (m.empty())
        return {};
    CV_Assert(m.type() == CV_32S);
    return std::vector<int>(m.begin<int>(), m.end<int>());
}

/** Checks one fixture file; returns the number of maps compared, updates the worst error. */
int checkFile(const MethodCase& mc, const std::string& kind, const std::string& stem, double& worst)
{
    const std::string yml = data("oracle/methods/" + kind + "_" + stem + ".yml");
    FileStorage fs(yml, FileStorage::READ);
    EXPECT_TRUE(fs.isOpened()) << yml;
    if (!fs.isOpened())
        return 0;
    const bool score = mc.method == xcam::CAM_METHOD_SCORECAM;
    const std::vector<int> classes = readInts(fs[score ? "scorecam_class_ids" : "class_ids"]);
    if (classes.empty())
        return 0;   // Score-CAM fixtures exist for some files only; the count is checked

    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(data((std::string)fs["model"]));
    model->setInputParams(1.0 / 255.0, Size(28, 28));   // x / 255, mean 0, no swapRB
    model->setLayers((std::string)fs["feature_layer"]);
    const Mat image = imread(data("images/" + (std::string)fs["image"]), IMREAD_GRAYSCALE);
    EXPECT_EQ(image.size(), Size(28, 28)) << (std::string)fs["image"];

    xcam::CAMMethodParams params;
    params.reciproGaussian = mc.gaussian;
    params.channelSoftmax = mc.channelSoftmax;
    std::vector<Mat> maps;
    model->explain(image, mc.method, classes, maps, params);
    EXPECT_EQ(classes.size(), maps.size());

    Mat logits, shape;
    fs["logits"] >> logits;
    fs["feature_shape"] >> shape;
    EXPECT_LE(maxRelativeError(model->getScores(), logits), 1e-4) << "logits";
    const Mat features = model->getFeatures();
    EXPECT_EQ(features.dims, 4);
    for (int d = 0; d < 4 && d < features.dims; ++d)
        EXPECT_EQ(features.size[d], shape.at<int>(d)) << "feature_shape[" << d << "]";

    int compared = 0;
    for (size_t i = 0; i < classes.size() && i < maps.size(); ++i)
    {
        Mat want;
        fs[std::string(mc.key) + "_" + std::to_string(classes[i])] >> want;
        EXPECT_FALSE(want.empty()) << yml << ": no " << mc.key << "_" << classes[i];
        EXPECT_EQ(maps[i].size(), want.size());
        if (want.empty() || maps[i].size() != want.size())
            continue;
        const double err = errorToMax(maps[i], want, mc.upToSign);
        EXPECT_LE(err, 1e-4) << kind << " " << stem << " class " << classes[i];
        worst = std::max(worst, err);
        ++compared;
    }
    return compared;
}

class MethodOracle : public ::testing::TestWithParam<MethodCase>
{
};

TEST_P(MethodOracle, ExplainMatchesPyTorch)
{
    const MethodCase& mc = GetParam();
    double worst = 0;
    int compared = 0;
    for (const char* kind : kModels)
        for (const char* stem : kImages)
        {
            SCOPED_TRACE(std::string(kind) + " " + stem);
            compared += checkFile(mc, kind, stem, worst);
        }
    std::printf("[method oracle] %-24s %2d maps, max error / max |map| %.3g\n", mc.key, compared,
                worst);
    std::fflush(stdout);
    EXPECT_EQ(compared, mc.expected) << "maps compared";
    EXPECT_LE(worst, 1e-4);
}

const int kAll = 2 * 4 * kClassesPerFile;   // models x images x classes
const int kScore = 2;                       // GAP->FC model, two images, top-1 class

INSTANTIATE_TEST_SUITE_P(
    Fashion, MethodOracle,
    ::testing::Values(
        MethodCase{"gradcam", xcam::CAM_METHOD_GRADCAM, false, false, false, kAll},
        MethodCase{"gradcamplusplus", xcam::CAM_METHOD_GRADCAM_PLUSPLUS, false, false, false, kAll},
        MethodCase{"xgradcam", xcam::CAM_METHOD_XGRADCAM, false, false, false, kAll},
        MethodCase{"hirescam", xcam::CAM_METHOD_HIRESCAM, false, false, false, kAll},
        MethodCase{"layercam", xcam::CAM_METHOD_LAYERCAM, false, false, false, kAll},
        MethodCase{"eigencam", xcam::CAM_METHOD_EIGENCAM, false, false, true, kAll},
        MethodCase{"eigengradcam", xcam::CAM_METHOD_EIGENGRADCAM, false, false, true, kAll},
        MethodCase{"ablationcam", xcam::CAM_METHOD_ABLATIONCAM, false, false, false, kAll},
        MethodCase{"reciprocam", xcam::CAM_METHOD_RECIPROCAM, false, false, false, kAll},
        MethodCase{"reciprocam_gaussian", xcam::CAM_METHOD_RECIPROCAM, true, false, false, kAll},
        MethodCase{"scorecam", xcam::CAM_METHOD_SCORECAM, false, false, false, kScore},
        MethodCase{"scorecam_channel_softmax", xcam::CAM_METHOD_SCORECAM, false, true, false,
                   kScore}),
    [](const ::testing::TestParamInfo<MethodCase>& info) { return std::string(info.param.key); });

} // namespace
