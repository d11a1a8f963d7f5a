// Every method of the table against oracles that are not xcam's code:
// samples/data/oracle/methods/*.yml.gz, written by tools/make_method_fixtures.py from three models
// (fashion_gapfc.onnx: GAP->FC head; fashion_vgg.onnx: MaxPool -> Flatten -> FC -> ReLU -> FC;
// oracle/methods/avgpool_head.onnx: AvgPool -> Flatten -> FC -> Tanh -> FC) by PyTorch autograd,
// real channel ablation and masking with re-runs of the head or of the whole net, numpy's SVD,
// scikit-learn's KernelPCA and an independent RISE mask generator. Each file lists its variants
// (a method and the CAMMethodParams fields that differ from the defaults); for each variant and
// class, CAMModel::explain must give the oracle's raw map within kTolerance of the map's largest
// |value| (Eigen-CAM and Eigen-Grad-CAM up to the sign). A method of getCAMMethods() that a model
// supports must have an oracle on it; one it does not support must not.
#include "test_common.hpp"

#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <map>
#include <set>

using namespace cv;
using namespace xcam_test;

namespace {

const std::vector<std::string> kModels = {"gapfc", "vgg", "avgpool"};
const char* const kImages[] = {"0_ankle_boot", "2_trouser", "4_shirt", "6_coat"};
const double kTolerance = 1e-5;

std::string data(const std::string& relative)
{
    return std::string(XCAM_DATA_DIR) + "/" + relative;
}

std::string fixturePath(const std::string& kind, const std::string& stem)
{
    return data("oracle/methods/" + kind + "_" + stem + ".yml.gz");
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
    CV_Assert(m.empty() || m.type() == CV_32S);
    return m.empty() ? std::vector<int>() : std::vector<int>(m.begin<int>(), m.end<int>());
}

/** The CAMMethodParams of a variant: the defaults, then the fields it lists (an unknown field
    fails: the test must learn it). */
xcam::CAMMethodParams variantParams(const FileNode& v)
{
    xcam::CAMMethodParams p;
    std::map<std::string, int*> ints = {
        {"maxChannels", &p.maxChannels}, {"patchSize", &p.patchSize}, {"stride", &p.stride},
        {"numMasks", &p.numMasks},       {"gridSize", &p.gridSize},   {"seed", &p.seed},
        {"finerClasses", &p.finerClasses}, {"kpcaKernel", &p.kpcaKernel}};
    std::map<std::string, double*> reals = {{"keepProbability", &p.keepProbability},
                                            {"finerAlpha", &p.finerAlpha},
                                            {"kpcaGamma", &p.kpcaGamma}};
    std::map<std::string, bool*> flags = {{"channelSoftmax", &p.channelSoftmax},
                                          {"reciproGaussian", &p.reciproGaussian}};
    for (const std::string& key : v.keys())
    {
        if (ints.count(key))
            *ints[key] = (int)v[key];
        else if (reals.count(key))
            *reals[key] = (double)v[key];
        else if (flags.count(key))
            *flags[key] = (int)v[key] != 0;
        else
            EXPECT_TRUE(key == "key" || key == "method" || key == "up_to_sign")
                << "unknown variant field " << key;
    }
    return p;
}

/** A variant with the method's default parameters. */
bool isDefault(const FileNode& v)
{
    return v.keys().size() == 3;  // key, method, up_to_sign: no parameter
}

Ptr<xcam::CAMModel> openModel(const FileStorage& fs, Mat& image)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(data((std::string)fs["model"]));
    model->setInputParams(1.0 / 255.0, Size(28, 28));   // x / 255, mean 0, no swapRB
    model->setLayers((std::string)fs["feature_layer"]);
    image = imread(data("images/" + (std::string)fs["image"]), IMREAD_GRAYSCALE);
    EXPECT_EQ(image.size(), Size(28, 28)) << (std::string)fs["image"];
    model->forward(image);
    return model;
}

struct Worst
{
    double error = 0;
    int maps = 0;
};

/** Checks every variant of one fixture file; updates the worst error per variant key. */
void checkFile(const std::string& yml, std::map<std::string, Worst>& worst)
{
    FileStorage fs(yml, FileStorage::READ);
    ASSERT_TRUE(fs.isOpened()) << yml;
    Mat image, logits;
    Ptr<xcam::CAMModel> model = openModel(fs, image);
    fs["logits"] >> logits;
    EXPECT_LE(maxRelativeError(model->getScores(), logits), 1e-4) << "logits";
    const std::vector<int> shape = readInts(fs["feature_shape"]);
    const Mat features = model->getFeatures();
    ASSERT_EQ(features.dims, 4);
    for (int d = 0; d < 4; ++d)
        EXPECT_EQ(features.size[d], shape[d]) << "feature_shape[" << d << "]";
    const std::vector<int> classes = readInts(fs["class_ids"]);
    for (const FileNode& v : fs["variants"])
    {
        const std::string key = (std::string)v["key"];
        SCOPED_TRACE(key);
        std::vector<Mat> maps;
        model->explain(image, xcam::parseCAMMethod((std::string)v["method"]), classes, maps,
                       variantParams(v));
        ASSERT_EQ(maps.size(), classes.size());
        for (size_t i = 0; i < classes.size(); ++i)
        {
            Mat want;
            fs[key + "_" + std::to_string(classes[i])] >> want;
            ASSERT_FALSE(want.empty()) << yml << ": no " << key << "_" << classes[i];
            ASSERT_EQ(maps[i].size(), want.size());
            const double err = errorToMax(maps[i], want, (int)v["up_to_sign"] != 0);
            EXPECT_LE(err, kTolerance) << yml << " class " << classes[i];
            worst[key].error = std::max(worst[key].error, err);
            ++worst[key].maps;
        }
    }
}

class MethodOracle : public ::testing::TestWithParam<std::string>
{
};

TEST_P(MethodOracle, ExplainMatchesTheFixtures)
{
    std::map<std::string, Worst> worst;
    for (const char* stem : kImages)
    {
        SCOPED_TRACE(stem);
        checkFile(fixturePath(GetParam(), stem), worst);
    }
    EXPECT_FALSE(worst.empty());
    for (const auto& w : worst)
        std::printf("[method oracle] %-8s %-26s %3d maps, max error / max |map| %.3g\n",
                    GetParam().c_str(), w.first.c_str(), w.second.maps, w.second.error);
    std::fflush(stdout);
}

// Every method of the table has an oracle with its default parameters. On each model: a method
// of one forward pass that it runs has one (the many-forward ones: on the demo models' first
// image); a method it does not run has none, and explain refuses it.
TEST(MethodOracleCoverage, EveryMethodHasAnOracle)
{
    std::set<std::string> everywhere;
    for (const std::string& kind : kModels)
    {
        SCOPED_TRACE(kind);
        std::set<std::string> defaults, any;
        for (const char* stem : kImages)
        {
            FileStorage fs(fixturePath(kind, stem), FileStorage::READ);
            ASSERT_TRUE(fs.isOpened()) << stem;
            for (const FileNode& v : fs["variants"])
            {
                any.insert((std::string)v["method"]);
                if (isDefault(v))
                    defaults.insert((std::string)v["method"]);
            }
        }
        everywhere.insert(defaults.begin(), defaults.end());
        FileStorage fs(fixturePath(kind, kImages[0]), FileStorage::READ);
        Mat image;
        Ptr<xcam::CAMModel> model = openModel(fs, image);
        for (const xcam::CAMMethodInfo& m : xcam::getCAMMethods())
        {
            SCOPED_TRACE(m.name);
            if (model->supportsMethod(m.method))
            {
                if (!m.manyForwards)
                    EXPECT_EQ(defaults.count(m.name), 1u) << "no oracle with the defaults";
                continue;
            }
            EXPECT_EQ(any.count(m.name), 0u);
            std::vector<Mat> maps;
            EXPECT_CV_ERROR(model->explain(image, m.method, {0}, maps), "needs");
        }
    }
    for (const xcam::CAMMethodInfo& m : xcam::getCAMMethods())
        EXPECT_EQ(everywhere.count(m.name), 1u) << m.name << " has no oracle";
}

INSTANTIATE_TEST_SUITE_P(Fashion, MethodOracle, ::testing::ValuesIn(kModels),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             return info.param;
                         });

/** Compares the RISE masks one fixture file holds with generateRISEMasks; returns how many. */
int checkRiseMasks(const std::string& yml)
{
    FileStorage fs(yml, FileStorage::READ);
    EXPECT_TRUE(fs.isOpened()) << yml;
    int checked = 0;
    for (const FileNode& v : fs["variants"])
    {
        const std::string key = (std::string)v["key"];
        const std::vector<int> indices = readInts(fs["mask_indices_" + key]);
        if (indices.empty())
            continue;
        const xcam::CAMMethodParams p = variantParams(v);
        Mat all;
        xcam::generateRISEMasks(Size(28, 28), p, 0, p.numMasks, all);
        for (int i : indices)
        {
            Mat want, one;
            fs["mask_" + key + "_" + std::to_string(i)] >> want;
            xcam::generateRISEMasks(Size(28, 28), p, i, 1, one);
            EXPECT_LE(norm(one.reshape(1, 28), want, NORM_INF), 1e-6) << key << " mask " << i;
            EXPECT_EQ(norm(one, all.row(i), NORM_INF), 0) << key << " mask " << i;
            ++checked;
        }
    }
    return checked;
}

// The RISE masks of the fixtures (the fixture tool's own generator) equal generateRISEMasks, one
// at a time and as one block.
TEST(MethodOracleRise, MasksEqualTheIndependentGenerator)
{
    int checked = 0;
    for (const std::string& kind : kModels)
        for (const char* stem : kImages)
            checked += checkRiseMasks(fixturePath(kind, stem));
    EXPECT_GE(checked, 8);  // two RISE variants on the first image of each demo model
}

} // namespace
