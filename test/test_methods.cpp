// The head-based methods (Grad-CAM family, Eigen-CAM, Ablation-CAM, Recipro-CAM) on the
// known-weight nets, against gradients and ablations derived by hand from their weights, and on
// the real MobileNetV2: closed forms equal to the head evaluated layer by layer.
#include "test_common.hpp"
#include "test_nets.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>

namespace {

using namespace cv;
using namespace xcam_test;

Mat explainOne(xcam::CAMModel& model, const Mat& input, int method, int cls,
               const xcam::CAMMethodParams& params = xcam::CAMMethodParams())
{
    std::vector<Mat> maps;
    model.explain(input, method, {cls}, maps, params);
    EXPECT_EQ(maps.size(), 1u);
    EXPECT_EQ(maps[0].type(), CV_32F);
    return maps[0];
}

/** max |a - b| relative to max |b| (maps are compared in their own scale). */
double mapError(const Mat& a, const Mat& b)
{
    return norm(a, b, NORM_INF) / std::max(norm(b, NORM_INF), 1e-12);
}

double channelMean(const Mat& a)
{
    return mean(a)[0];
}

// flat_fc: Flatten of the whole map into an FC whose weights are FC_W/(H*W) on every cell, so
// dy_c/dA_k(i,j) = FC_W[c][k]/(H*W) everywhere.
TEST(HeadMethods, FlattenFcGradientsByHand)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("flat_fc.onnx"));
    const Mat input = makeInput(3);
    const std::vector<Mat> a = referenceFeatures(input);
    for (int c = 0; c < kK; ++c)
    {
        const Mat cam = referenceCAM(a, c) / (kH * kW);
        EXPECT_LT(mapError(explainOne(*model, input, xcam::CAM_METHOD_GRADCAM, c), cam), 1e-5);
        EXPECT_LT(mapError(explainOne(*model, input, xcam::CAM_METHOD_HIRESCAM, c), cam), 1e-5);
        Mat layer(kH, kW, CV_32F, Scalar(0));
        for (int k = 0; k < kC; ++k)
            layer += std::max(FC_W[c][k], 0.f) / (kH * kW) * a[k];
        EXPECT_LT(mapError(explainOne(*model, input, xcam::CAM_METHOD_LAYERCAM, c), layer), 1e-5);
    }
    EXPECT_EQ(model->getFeatureLayer(), "onnx_node!features/relu");  // not the Flatten after it
    EXPECT_EQ(model->getHeadLayers(), (std::vector<String>{"onnx_node!flatten/flatten",
                                                           "onnx_node!flatten", "onnx_node!fc"}));
}

// Ablation: zeroing A_k takes FC_W[c][k] * mean(A_k) out of the logit. Recipro: the head on A
// masked to one cell gives sum_k FC_W[c][k] A_k(i,j) / (H*W) + b_c.
TEST(HeadMethods, AblationAndReciproByHand)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("flat_fc.onnx"));
    const Mat input = makeInput(5);
    const std::vector<Mat> a = referenceFeatures(input);
    for (int c = 0; c < kK; ++c)
    {
        double logit = FC_B[c];
        for (int k = 0; k < kC; ++k)
            logit += FC_W[c][k] * channelMean(a[k]);
        Mat ablation(kH, kW, CV_32F, Scalar(0));
        for (int k = 0; k < kC; ++k)
            ablation += FC_W[c][k] * channelMean(a[k]) / logit * a[k];
        EXPECT_LT(mapError(explainOne(*model, input, xcam::CAM_METHOD_ABLATIONCAM, c), ablation),
                  1e-4);
        const Mat recipro = referenceCAM(a, c) / (kH * kW) + FC_B[c];
        EXPECT_LT(mapError(explainOne(*model, input, xcam::CAM_METHOD_RECIPROCAM, c), recipro),
                  1e-5);
    }
}

// Global MAX pooling: the gradient of channel k is FC_W[c][k] at the first maximum of A_k.
TEST(HeadMethods, MaxPoolingGradientGoesToTheArgMax)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gmp_fc.caffemodel"),
                                                       testdata("gmp_fc.prototxt"));
    const Mat input = makeInput(1);
    const std::vector<Mat> a = referenceFeatures(input);
    for (int c = 0; c < kK; ++c)
    {
        Mat hires(kH, kW, CV_32F, Scalar(0)), grad(kH, kW, CV_32F, Scalar(0));
        for (int k = 0; k < kC; ++k)
        {
            int best = 0;
            for (int i = 1; i < kH * kW; ++i)
                if (a[k].at<float>(i) > a[k].at<float>(best))
                    best = i;
            hires.at<float>(best) += FC_W[c][k] * a[k].at<float>(best);
            grad += FC_W[c][k] / (kH * kW) * a[k];  // Grad-CAM: the mean gradient per channel
        }
        EXPECT_LT(mapError(explainOne(*model, input, xcam::CAM_METHOD_HIRESCAM, c), hires), 1e-5);
        EXPECT_LT(mapError(explainOne(*model, input, xcam::CAM_METHOD_GRADCAM, c), grad), 1e-5);
    }
}

// Eigen-CAM against OpenCV's SVD of the centred (H*W) x C matrix.
/** The centred cells x channels matrix (CV_32F) projected on its first right singular vector
    (OpenCV's SVD in double), as an H x W map. */
Mat svdProjection(const Mat& cells, int height)
{
    Mat x, means;
    cells.convertTo(x, CV_64F);
    reduce(x, means, 0, REDUCE_AVG);
    x -= repeat(means, x.rows, 1);
    SVD svd(x);
    Mat projection = x * svd.vt.row(0).t(), out;
    projection.reshape(1, height).convertTo(out, CV_32F);
    return out;
}

TEST(HeadMethods, EigenCamIsTheFirstSingularProjection)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    const Mat input = makeInput(2);
    const std::vector<Mat> a = referenceFeatures(input);
    Mat blob;
    merge(a, blob);  // H x W x C: one cell a row once reshaped
    const Mat expected = svdProjection(blob.reshape(1, kH * kW), kH);
    const Mat map = explainOne(*model, input, xcam::CAM_METHOD_EIGENCAM, 0);
    EXPECT_LT(std::min(mapError(map, expected), mapError(map, -expected)), 1e-5);
    Mat sum(kH, kW, CV_32F, Scalar(0));
    for (int k = 0; k < kC; ++k)
        sum += a[k];
    EXPECT_GE((map - mean(map)[0]).dot(sum - mean(sum)[0]), 0.0);  // the documented sign
}

// Closed forms of GAP->FC and class-map heads equal the head evaluated layer by layer.
void expectClosedFormsEqualTheHead(xcam::CAMModel& model, const Mat& input,
                                   const std::vector<int>& classes, double tolerance)
{
    xcam::CAMMethodParams closed, layered;
    layered.closedForm = false;
    layered.batchSize = 7;
    for (int gaussian = 0; gaussian < 2; ++gaussian)
        for (int method : headMethods())
        {
            closed.reciproGaussian = layered.reciproGaussian = gaussian != 0;
            std::vector<Mat> a, b;
            model.explain(input, method, classes, a, closed);
            model.explain(input, method, classes, b, layered);
            ASSERT_EQ(a.size(), classes.size());
            for (size_t i = 0; i < classes.size(); ++i)
                EXPECT_LT(mapError(a[i], b[i]), tolerance)
                    << xcam::getCAMMethodName(method) << " class " << classes[i];
        }
}

TEST(HeadMethods, ClosedFormsEqualTheHeadOnKnownNets)
{
    for (const char* name : {"gap_fc_gemm.onnx", "classmap.onnx"})
    {
        Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata(name));
        model->forward(makeInput());
        std::vector<int> all(model->getNumClasses());
        for (int c = 0; c < (int)all.size(); ++c)
            all[c] = c;
        expectClosedFormsEqualTheHead(*model, makeInput(4), all, 1e-5);
    }
}

TEST(HeadMethods, RealMobileNetV2)
{
    XCAM_REQUIRE_SHARED();
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(
        shared("models/mobilenet_v2_1.0_224_imagenet/mobilenet_v2_1.0_224.onnx"));
    model->setInputParams(1 / 127.5, Size(224, 224), Scalar::all(127.5), true);
    const Mat image = imread(shared("images/chelsea.png"));
    ASSERT_FALSE(image.empty());
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<Mat> cams;
    model->classify(image, 3, ids, probs, cams);
    for (size_t i = 0; i < ids.size(); ++i)  // Grad-CAM = CAM / (H*W) exactly
        EXPECT_LT(mapError(explainOne(*model, image, xcam::CAM_METHOD_GRADCAM, ids[i]),
                           cams[i] / 49.0), 1e-5);
    // Eigen-CAM over 1280 channels against a double SVD; KPCA-CAM's linear kernel is the same.
    const Mat a = model->getFeatures().reshape(1, 1280);
    const Mat expected = svdProjection(a.t(), 7);
    const Mat eigen = explainOne(*model, image, xcam::CAM_METHOD_EIGENCAM, ids[0]);
    EXPECT_LT(std::min(mapError(eigen, expected), mapError(eigen, -expected)), 1e-5);
    xcam::CAMMethodParams linear;
    linear.kpcaKernel = xcam::CAM_KERNEL_LINEAR;
    const Mat kpca = explainOne(*model, image, xcam::CAM_METHOD_KPCACAM, ids[0], linear);
    EXPECT_LT(std::min(mapError(kpca, expected), mapError(kpca, -expected)), 1e-5);
    expectClosedFormsEqualTheHead(*model, image, ids, 1e-4);
}

TEST(HeadMethodErrors, UnsupportedHeadLayerIsNamed)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(netWithPowerInHead());
    const int shape[] = {1, 1, 4, 4};
    Mat blob(4, shape, CV_32F);
    randu(blob, 0, 1);
    model->forward(blob);
    EXPECT_EQ(model->getFeatureLayer(), "relu");
    EXPECT_FALSE(model->supportsMethod(xcam::CAM_METHOD_GRADCAM));
    EXPECT_TRUE(model->supportsMethod(xcam::CAM_METHOD_EIGENCAM));
    std::vector<Mat> maps;
    EXPECT_CV_ERROR(model->explain(blob, xcam::CAM_METHOD_GRADCAM, {0}, maps),
                    "head layer 'square' of type Power cannot be differentiated");
    EXPECT_CV_ERROR(model->explain(blob, xcam::CAM_METHOD_ABLATIONCAM, {0}, maps), "eigencam");
    model->explain(blob, xcam::CAM_METHOD_EIGENCAM, {0, 2}, maps);
    EXPECT_EQ(maps.size(), 2u);
}

TEST(HeadMethodErrors, BadArguments)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("flat_fc.onnx"));
    std::vector<Mat> maps;
    EXPECT_CV_ERROR(model->explain(makeInput(), 99, {0}, maps), "method 99 is not a CAMMethod");
    EXPECT_CV_ERROR(model->explain(makeInput(), xcam::CAM_METHOD_GRADCAM, {5}, maps),
                    "classId 5 is out of range [0, 5)");
    xcam::CAMMethodParams params;
    params.batchSize = 0;
    EXPECT_CV_ERROR(model->explain(makeInput(), xcam::CAM_METHOD_ABLATIONCAM, {0}, maps, params),
                    "batchSize");
    EXPECT_CV_ERROR(xcam::parseCAMMethod("gradcam+"), "known methods: cam, gradcam");
    EXPECT_EQ(xcam::parseCAMMethod("Grad-CAM++"), (int)xcam::CAM_METHOD_GRADCAM_PLUSPLUS);
    EXPECT_EQ(xcam::parseCAMMethod("gradcampp"), (int)xcam::CAM_METHOD_GRADCAM_PLUSPLUS);
    for (const xcam::CAMMethodInfo& m : xcam::getCAMMethods())
        EXPECT_EQ(xcam::parseCAMMethod(m.name), m.method);
    model->explain(makeInput(), xcam::CAM_METHOD_GRADCAM, {}, maps);  // empty: the top-1
    EXPECT_EQ(maps.size(), 1u);
}

// An all-zero feature blob: y_c = 0 (Ablation's denominator), sum A = 0 (XGrad-CAM's and
// Grad-CAM++'s), a constant matrix (Eigen-CAM): every map finite.
TEST(HeadMethodErrors, ZeroDenominatorsGiveFiniteMaps)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(netWithPowerInHead());
    Ptr<xcam::CAMModel> flat = xcam::CAMModel::create(testdata("flat_fc.onnx"));
    const int shape[] = {1, kIn, kH, kW};
    const Mat negative(4, shape, CV_32F, Scalar(-100));  // ReLU(conv) = 0 everywhere
    xcam::CAMMethodParams layered;
    layered.closedForm = false;
    for (int method : headMethods())
        for (const xcam::CAMMethodParams& p : {xcam::CAMMethodParams(), layered})
        {
            const Mat map = explainOne(*flat, negative, method, 3, p);  // FC_B[3] = 0: y = 0
            EXPECT_TRUE(checkRange(map)) << xcam::getCAMMethodName(method);
        }
    const int small[] = {1, 1, 4, 4};
    const Mat map = explainOne(*model, Mat::zeros(4, small, CV_32F), xcam::CAM_METHOD_EIGENCAM, 0);
    EXPECT_TRUE(checkRange(map));
    EXPECT_EQ(countNonZero(map), 0);
}

} // namespace

namespace {

TEST(HeadMethods, ProgressCallbackReportsAndCancels)
{
    Ptr<cv::xcam::CAMModel> model = cv::xcam::CAMModel::create(xcam_test::testdata("flat_fc.onnx"));
    cv::xcam::CAMMethodParams params;
    params.batchSize = 2;  // 4 channels: two batches
    std::vector<std::pair<int, int> > calls;
    model->setProgressCallback([&calls](int done, int total) {
        calls.emplace_back(done, total);
        return true;
    });
    std::vector<cv::Mat> maps;
    model->explain(xcam_test::makeInput(), cv::xcam::CAM_METHOD_ABLATIONCAM, {0}, maps, params);
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0], std::make_pair(2, 4));
    EXPECT_EQ(calls[1], std::make_pair(4, 4));
    model->setProgressCallback([](int, int) { return false; });
    EXPECT_CV_ERROR(model->explain(xcam_test::makeInput(), cv::xcam::CAM_METHOD_ABLATIONCAM, {0},
                                   maps, params),
                    "cancelled");
    model->setProgressCallback(cv::xcam::CAMProgressCallback());
    model->explain(xcam_test::makeInput(), cv::xcam::CAM_METHOD_ABLATIONCAM, {0}, maps, params);
}

} // namespace

namespace {

// The VGG-style demo model: no global pooling; the feature layer is the MaxPool (not the Flatten
// helper the ONNX importer inserts after it), the head is flatten -> fc1 -> relu -> fc2.
TEST(HeadMethods, VggDemoModelAutoDetectsItsLayers)
{
    Ptr<cv::xcam::CAMModel> model =
        cv::xcam::CAMModel::create(std::string(XCAM_DATA_DIR) + "/fashion_vgg.onnx");
    model->forward(cv::Mat::zeros(4, std::vector<int>{1, 1, 28, 28}.data(), CV_32F));
    EXPECT_EQ(model->getFeatureLayer(), "onnx_node!features/pool");
    EXPECT_EQ(model->getScoreLayer(), "onnx_node!fc2");
    EXPECT_EQ(model->getHeadLayers(),
              (std::vector<cv::String>{"onnx_node!flatten/flatten", "onnx_node!flatten",
                                       "onnx_node!fc1", "onnx_node!fc1/relu", "onnx_node!fc2"}));
    EXPECT_FALSE(model->supportsMethod(cv::xcam::CAM_METHOD_CAM));
    EXPECT_EQ(model->getDefaultMethod(), (int)cv::xcam::CAM_METHOD_GRADCAM);
    for (const cv::xcam::CAMMethodInfo& m : cv::xcam::getCAMMethods())
        EXPECT_EQ(model->supportsMethod(m.method), m.needs != cv::xcam::CAM_NEEDS_CAM_HEAD) << m.name;
}

} // namespace

namespace {

// A net with a fixed batch of 1 in a Reshape: forwardBatch detects it and runs one blob at a
// time, with the same logits as single forwards.
TEST(ForwardBatch, FixedBatchNetFallsBackToOneAtATime)
{
    cv::dnn::Net net;
    cv::dnn::LayerParams conv;  // the feature layer: 1x1, 3 -> 3 channels
    conv.set("kernel_size", 1);
    conv.set("num_output", 3);
    conv.set("bias_term", false);
    const int wShape[] = {3, 3, 1, 1};
    conv.blobs = {cv::Mat(4, wShape, CV_32F, cv::Scalar(0.5))};
    net.addLayerToPrev("conv", "Convolution", conv);
    cv::dnn::LayerParams reshape;
    const int dims[] = {1, -1};  // with N images: 1 x (N*105), which the FC cannot take
    reshape.set("dim", cv::dnn::DictValue::arrayInt(dims, 2));
    net.addLayerToPrev("flat", "Reshape", reshape);
    cv::dnn::LayerParams fc;
    fc.set("num_output", 2);
    fc.set("bias_term", false);
    cv::Mat w(2, 105, CV_32F);
    cv::randu(w, -1, 1);
    fc.blobs = {w};
    net.addLayerToPrev("fc", "InnerProduct", fc);
    Ptr<cv::xcam::CAMModel> model = cv::xcam::CAMModel::create(net);
    model->setLayers("conv");
    const int shape[] = {3, 3, 5, 7};
    cv::Mat blobs(4, shape, CV_32F);
    cv::randu(blobs, -1, 1);
    const cv::Range first[] = {cv::Range(0, 1), cv::Range::all(), cv::Range::all(),
                               cv::Range::all()};
    model->forward(blobs(first).clone());
    cv::Mat logits;
    model->forwardBatch(blobs, logits, 2);
    ASSERT_EQ(logits.size(), cv::Size(2, 3));
    for (int i = 0; i < 3; ++i)
    {
        const cv::Range one[] = {cv::Range(i, i + 1), cv::Range::all(), cv::Range::all(),
                                 cv::Range::all()};
        model->forward(blobs(one).clone());
        EXPECT_LT(cv::norm(model->getScores(), logits.row(i), cv::NORM_INF), 1e-5) << i;
    }
}

} // namespace
