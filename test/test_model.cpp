// CAMModel on the small known-weight nets (ONNX and Caffe): layer detection, exact maps derived
// by hand, the CAM identity against OpenCV's own FC output, probabilities, and bad input.
#include "test_common.hpp"
#include "test_nets.hpp"

#include <opencv2/dnn.hpp>

#include <limits>

using namespace cv;
using namespace xcam_test;

namespace {

struct NetCase
{
    const char* name;
    const char* model;      // in testdata
    const char* config;     // in testdata, or ""
    const char* feature;    // expected layer names, as cv::dnn names them
    const char* fc;
    const char* scores;
    const char* userFeature; // the same layers as a user writes them
    const char* userFC;
    bool classMap;
    bool relu;               // the feature block ends with ReLU
    bool bias;               // the FC has FC_B
};

std::ostream& operator<<(std::ostream& os, const NetCase& c) { return os << c.name; }

const NetCase kCases[] = {
    {"onnx_gemm", "gap_fc_gemm.onnx", "", "onnx_node!features/relu", "onnx_node!fc",
     "onnx_node!fc", "features/relu", "fc", false, true, true},
    {"onnx_logits_output", "gap_fc_logits.onnx", "", "onnx_node!features/relu", "onnx_node!fc",
     "onnx_node!fc", "features/relu", "fc", false, true, true},
    {"onnx_matmul", "gap_fc_matmul.onnx", "", "onnx_node!features/relu", "onnx_node!fc",
     "onnx_node!fc", "features/relu", "fc", false, true, false},
    {"onnx_conv_as_fc", "gap_conv_fc.onnx", "", "onnx_node!features/relu", "onnx_node!fc",
     "onnx_node!logits", "features/relu", "fc", false, true, true},
    {"onnx_classmap", "classmap.onnx", "", "onnx_node!relu_conv10", "", "onnx_node!flatten",
     "relu_conv10", "", true, true, false},
    {"onnx_classmap_unnamed", "classmap_unnamed.onnx", "", "onnx_node_output_0!class_maps", "",
     "onnx_node_output_0!scores", "class_maps", "", true, false, false},
    {"caffe_gap_fc", "gap_fc.caffemodel", "gap_fc.prototxt", "relu1", "fc", "fc", "relu1", "fc",
     false, true, true},
    {"caffe_googlenet_like", "googlenet_like.caffemodel", "googlenet_like.prototxt",
     "inception_5b/output", "loss3/classifier", "loss3/classifier", "inception_5b/output",
     "loss3/classifier", false, true, true},
    {"caffe_squeezenet_like", "squeezenet_like.caffemodel", "squeezenet_like.prototxt",
     "relu_conv10", "", "pool10", "relu_conv10", "", true, true, false},
};

dnn::Net loadNet(const NetCase& c)
{
    return dnn::readNet(testdata(c.model), *c.config ? testdata(c.config) : String());
}

Ptr<xcam::CAMModel> makeModel(const NetCase& c)
{
    return xcam::CAMModel::create(testdata(c.model), *c.config ? testdata(c.config) : String());
}

/** What the map of class `cls` must be, from the known weights alone. */
Mat expectedMap(const NetCase& c, const Mat& input, int cls)
{
    std::vector<Mat> features = referenceFeatures(input);
    if (!c.relu)  // the same convolution without the ReLU: recompute without clamping
    {
        const float* in = input.ptr<float>();
        for (int k = 0; k < kC; ++k)
            for (int y = 0; y < kH; ++y)
                for (int x = 0; x < kW; ++x)
                {
                    float v = FEAT_B[k];
                    for (int i = 0; i < kIn; ++i)
                        v += FEAT_W[k][i] * in[(i * kH + y) * kW + x];
                    features[k].at<float>(y, x) = v;
                }
    }
    return c.classMap ? features[cls] : referenceCAM(features, cls);
}

int numClasses(const NetCase& c) { return c.classMap ? kC : kK; }

class SmallNets : public ::testing::TestWithParam<NetCase>
{
};

} // namespace

TEST_P(SmallNets, AutoDetectsTheLayers)
{
    const NetCase& c = GetParam();
    Ptr<xcam::CAMModel> model = makeModel(c);
    model->forward(makeInput());
    EXPECT_EQ(model->getFeatureLayer(), c.feature);
    EXPECT_EQ(model->getFCLayer(), c.fc);
    EXPECT_EQ(model->getScoreLayer(), c.scores);
    EXPECT_EQ(model->isClassMapMode(), c.classMap);
    EXPECT_EQ(model->getNumClasses(), numClasses(c));
}

TEST_P(SmallNets, MapsEqualTheHandDerivedOnes)
{
    const NetCase& c = GetParam();
    Ptr<xcam::CAMModel> model = makeModel(c);
    for (int seed : {0, 5})
    {
        const Mat input = makeInput(seed);
        model->forward(input);
        for (int cls = 0; cls < numClasses(c); ++cls)
        {
            Mat cam;
            model->getCAM(cls, cam);
            ASSERT_EQ(cam.type(), CV_32F);
            ASSERT_EQ(cam.size(), Size(kW, kH));
            EXPECT_LT(maxRelativeError(cam, expectedMap(c, input, cls)), 1e-5)
                << "class " << cls << " seed " << seed;
        }
    }
}

TEST_P(SmallNets, MeanOfMapPlusBiasEqualsTheNetsOwnScore)
{
    // For GAP->FC: mean(CAM_c) + b_c is the logit OpenCV's InnerProduct computed; for class-map
    // heads mean(CAM_c) is the pooled score. The reference is a separate, plain cv::dnn forward.
    const NetCase& c = GetParam();
    const Mat input = makeInput(3);
    dnn::Net net = loadNet(c);
    net.setInput(input);
    const Mat reference = net.forward(c.classMap ? c.scores : c.fc).reshape(1, 1);
    ASSERT_EQ(reference.cols, numClasses(c));

    Ptr<xcam::CAMModel> model = makeModel(c);
    model->forward(input);
    Mat recovered(1, reference.cols, CV_32F), spread(1, reference.cols, CV_32F);
    for (int cls = 0; cls < reference.cols; ++cls)
    {
        Mat cam;
        model->getCAM(cls, cam);
        recovered.at<float>(cls) = (float)mean(cam)[0] + (c.bias ? FC_B[cls] : 0.f);
    }
    EXPECT_LT(maxRelativeError(recovered, reference), 1e-4);

    model->setBiasMode(xcam::CAM_BIAS_SPREAD);
    for (int cls = 0; cls < reference.cols; ++cls)
    {
        Mat cam;
        model->getCAM(cls, cam);
        spread.at<float>(cls) = (float)mean(cam)[0];
    }
    EXPECT_LT(maxRelativeError(spread, reference), 1e-4);
    EXPECT_LT(maxRelativeError(model->getScores(), reference), 1e-6);
}

TEST_P(SmallNets, ProbabilitiesAreTheNetsSoftmax)
{
    const NetCase& c = GetParam();
    const Mat input = makeInput(1);
    dnn::Net net = loadNet(c);
    net.setInput(input);
    Mat out = net.forward().reshape(1, 1);  // the net's final output

    Ptr<xcam::CAMModel> model = makeModel(c);
    model->forward(input);
    Mat probs = model->getProbabilities();
    ASSERT_EQ(probs.cols, out.cols);
    if (String(c.model) == "gap_fc_logits.onnx")
    {
        // No Softmax in this net: its output is the logits; softmax them by hand.
        double total = 0;
        for (int i = 0; i < out.cols; ++i)
            total += std::exp((double)out.at<float>(i));
        for (int i = 0; i < out.cols; ++i)
            out.at<float>(i) = (float)(std::exp((double)out.at<float>(i)) / total);
    }
    EXPECT_LT(norm(probs, out, NORM_INF), 1e-6);
    EXPECT_NEAR(sum(probs)[0], 1.0, 1e-5);
}

TEST_P(SmallNets, ClassifyGivesSortedTopKAndTheirMapsFromOnePass)
{
    const NetCase& c = GetParam();
    Ptr<xcam::CAMModel> model = makeModel(c);
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<Mat> maps;
    const Mat input = makeInput(2);
    model->classify(input, 3, ids, probs, maps);
    ASSERT_EQ(ids.size(), 3u);
    ASSERT_EQ(probs.size(), 3u);
    ASSERT_EQ(maps.size(), 3u);
    const Mat all = model->getProbabilities();
    double best;
    minMaxLoc(all, nullptr, &best);
    EXPECT_EQ(probs[0], (float)best);
    for (int i = 0; i < 3; ++i)
    {
        EXPECT_EQ(probs[i], all.at<float>(ids[i]));
        if (i)
            EXPECT_GE(probs[i - 1], probs[i]);
        EXPECT_LT(maxRelativeError(maps[i], expectedMap(c, input, ids[i])), 1e-5);
    }
    // More than the class count is clipped to it.
    model->getTopK(100, ids, probs);
    EXPECT_EQ((int)ids.size(), numClasses(c));
}

TEST_P(SmallNets, LayersWrittenAsUsersWriteThemResolve)
{
    const NetCase& c = GetParam();
    Ptr<xcam::CAMModel> model = makeModel(c);
    model->setLayers(c.userFeature, c.userFC);
    const Mat input = makeInput(4);
    model->forward(input);
    EXPECT_EQ(model->getFeatureLayer(), c.feature);
    EXPECT_EQ(model->getFCLayer(), c.fc);
    Mat cam;
    model->getCAM(1, cam);
    EXPECT_LT(maxRelativeError(cam, expectedMap(c, input, 1)), 1e-5);
}

INSTANTIATE_TEST_CASE_P(KnownWeights, SmallNets, ::testing::ValuesIn(kCases),
                        [](const ::testing::TestParamInfo<NetCase>& info)
                        { return std::string(info.param.name); });

// ------------------------------------------------------------------------ partial layer choices

TEST(CAMModelLayers, FcAloneFindsTheFeatureLayerThroughDropoutAndPooling)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("googlenet_like.caffemodel"),
                                                       testdata("googlenet_like.prototxt"));
    model->setLayers("", "loss3/classifier");
    model->forward(makeInput());
    EXPECT_EQ(model->getFeatureLayer(), "inception_5b/output");
    EXPECT_FALSE(model->isClassMapMode());
}

TEST(CAMModelLayers, FeatureAloneOnAClassMapNetUsesTheChannels)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("squeezenet_like.caffemodel"),
                                                       testdata("squeezenet_like.prototxt"));
    model->setLayers("relu_conv10");
    model->forward(makeInput());
    EXPECT_TRUE(model->isClassMapMode());
    EXPECT_EQ(model->getFCLayer(), "");
    EXPECT_TRUE(model->getFCWeights().empty());
}

TEST(CAMModelLayers, FcNameIsNotTakenForTheIdentityOfTheGraphOutput)
{
    // gap_fc_logits.onnx has both "fc" (Identity, the graph output) and "onnx_node!fc" (Gemm).
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_logits.onnx"));
    model->setLayers("features/relu", "fc");
    model->forward(makeInput());
    EXPECT_EQ(model->getFCLayer(), "onnx_node!fc");
    Mat w = model->getFCWeights();
    ASSERT_EQ(w.size(), Size(kC, kK));
    EXPECT_EQ(w.at<float>(1, 1), FC_W[1][1]);
    EXPECT_EQ(model->getFCBias().at<float>(2), FC_B[2]);
}

TEST(CAMModelLayers, PreprocessingIsBlobFromImage)
{
    // An 8-bit BGR image through setInputParams must give the maps of blobFromImage's blob.
    Mat image(10, 14, CV_8UC3);
    RNG(7).fill(image, RNG::UNIFORM, 0, 256);
    const double scale = 1.0 / 64;
    const Scalar mean(100, 120, 140);
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    model->setInputParams(scale, Size(kW, kH), mean, true, false);
    model->forward(image);
    const Mat blob = dnn::blobFromImage(image, scale, Size(kW, kH), mean, true, false);
    for (int cls = 0; cls < kK; ++cls)
    {
        Mat cam;
        model->getCAM(cls, cam);
        EXPECT_LT(maxRelativeError(cam, referenceCAM(referenceFeatures(blob), cls)), 1e-5);
    }
    // crop=true takes the centre: a different blob, hence different maps.
    model->setInputParams(scale, Size(kW, kH), mean, true, true);
    model->forward(image);
    Mat cropped;
    model->getCAM(0, cropped);
    const Mat cropBlob = dnn::blobFromImage(image, scale, Size(kW, kH), mean, true, true);
    EXPECT_LT(maxRelativeError(cropped, referenceCAM(referenceFeatures(cropBlob), 0)), 1e-5);
}

TEST(CAMModelLayers, LabelsAreReadInOutputOrder)
{
    const std::string path = testdata("labels_test.txt");
    {
        FILE* f = fopen(path.c_str(), "w");
        ASSERT_TRUE(f);
        fputs("zero\r\none\ntwo words\nthree\nfour\n\n", f);
        fclose(f);
    }
    std::vector<String> labels = xcam::readClassLabels(path);
    ASSERT_EQ(labels.size(), 5u);
    EXPECT_EQ(labels[0], "zero");
    EXPECT_EQ(labels[2], "two words");
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    model->setLabels(labels);
    model->forward(makeInput());
    EXPECT_EQ(model->getLabel(3), "three");
}

// ------------------------------------------------------------------------------------ bad input

TEST(CAMModelErrors, UnknownLayerNameListsTheNearestOnes)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    model->setLayers("features/reluu");
    EXPECT_CV_ERROR(model->forward(makeInput()), "featureLayer 'features/reluu' is not a layer");
    EXPECT_CV_ERROR(model->forward(makeInput()), "nearest names: 'onnx_node!features/relu'");
    model->setLayers("", "fc_typo");
    EXPECT_CV_ERROR(model->forward(makeInput()), "fcLayer 'fc_typo' is not a layer");
    try
    {
        model->forward(makeInput());
    }
    catch (const cv::Exception& e)
    {
        EXPECT_EQ(e.code, Error::StsObjectNotFound);
    }
}

TEST(CAMModelErrors, LayerOfTheWrongKind)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    model->setLayers("", "pool");
    EXPECT_CV_ERROR(model->forward(makeInput()), "fcLayer 'pool' is a Pooling layer");
    model->setLayers("features/conv");  // feeds the ReLU, not the pooling: a head, not CAM's
    model->forward(makeInput());
    EXPECT_FALSE(model->supportsMethod(xcam::CAM_METHOD_CAM));
    EXPECT_EQ(model->getDefaultMethod(), (int)xcam::CAM_METHOD_GRADCAM);
    std::vector<Mat> maps;
    EXPECT_CV_ERROR(model->explain(makeInput(), xcam::CAM_METHOD_CAM, {0}, maps),
                    "cam needs a GAP->FC or class-map head");
}

TEST(CAMModelErrors, NetsWithoutACAMHeadAreRefused)
{
    Ptr<xcam::CAMModel> gmp = xcam::CAMModel::create(testdata("gmp_fc.caffemodel"),
                                                     testdata("gmp_fc.prototxt"));
    Ptr<xcam::CAMModel> flat = xcam::CAMModel::create(testdata("flat_fc.onnx"));
    for (const Ptr<xcam::CAMModel>& model : {gmp, flat})
    {
        model->forward(makeInput());  // other methods work on these heads
        EXPECT_FALSE(model->supportsMethod(xcam::CAM_METHOD_CAM));
        EXPECT_TRUE(model->supportsMethod(xcam::CAM_METHOD_GRADCAM));
        EXPECT_TRUE(model->getFCLayer().empty());
        std::vector<Mat> maps;
        EXPECT_CV_ERROR(model->explain(makeInput(), xcam::CAM_METHOD_CAM, {}, maps),
                        "cam needs a GAP->FC or class-map head");
    }
    flat->setLayers("features/relu", "fc");  // forced: the FC reads all 4x5x7 values, not 4
    EXPECT_CV_ERROR(flat->forward(makeInput()), "fcLayer 'fc' does not make a CAM head");
}

TEST(CAMModelErrors, ClassIdOutOfRangeAndNoForwardYet)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    Mat cam;
    std::vector<int> ids;
    std::vector<float> probs;
    EXPECT_CV_ERROR(model->getCAM(0, cam), "no forward() yet");
    EXPECT_CV_ERROR(model->getTopK(1, ids, probs), "no forward() yet");
    model->forward(makeInput());
    EXPECT_CV_ERROR(model->getCAM(kK, cam), "classId 5 is out of range [0, 5)");
    EXPECT_CV_ERROR(model->getCAM(-1, cam), "classId -1 is out of range");
    EXPECT_CV_ERROR(model->getCAMs({0, 9}, std::vector<Mat>()), "classId 9 is out of range");
    EXPECT_CV_ERROR(model->getTopK(0, ids, probs), "k must be at least 1");
}

TEST(CAMModelErrors, BadImages)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    model->setInputParams(1.0, Size(kW, kH));
    EXPECT_CV_ERROR(model->forward(Mat()), "image is empty");
    EXPECT_CV_ERROR(model->forward(Mat(10, 10, CV_16UC3, Scalar::all(1))),
                    "image must be a CV_8U or CV_32F image with 1, 3 or 4 channels");
    EXPECT_CV_ERROR(model->forward(Mat(10, 10, CV_8UC2, Scalar::all(1))),
                    "image must be a CV_8U or CV_32F image");
    const int shape[] = {1, 3, kH, kW};
    EXPECT_CV_ERROR(model->forward(Mat(4, shape, CV_8U, Scalar(1))), "4-D image blob must be CV_32F");

    Mat nanImage(kH, kW, CV_32FC3, Scalar::all(std::numeric_limits<float>::quiet_NaN()));
    EXPECT_CV_ERROR(model->forward(nanImage), "non-finite");
}

TEST(CAMModelErrors, BadParametersAndFiles)
{
    EXPECT_CV_ERROR(xcam::CAMModel::create(""), "model path is empty");
    EXPECT_THROW(xcam::CAMModel::create(testdata("no_such_model.onnx")), cv::Exception);
    EXPECT_CV_ERROR(xcam::CAMModel::create(dnn::Net()), "net is empty");
    EXPECT_CV_ERROR(xcam::readClassLabels(testdata("no_such_labels.txt")), "cannot read labels");

    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    EXPECT_CV_ERROR(model->setBiasMode(7), "mode must be CAM_BIAS_IGNORE or CAM_BIAS_SPREAD");
    EXPECT_CV_ERROR(model->setInputParams(std::numeric_limits<double>::quiet_NaN()),
                    "scale must be finite");
    EXPECT_CV_ERROR(model->setInputParams(1.0, Size(-1, 5)), "size must not be negative");
    model->setLabels({"a", "b"});
    EXPECT_CV_ERROR(model->forward(makeInput()), "2 labels were given but the net has 5 classes");
}
