// Gradient methods on VGG-like heads (MAX pooling, Flatten, FC, ReLU, Dropout, FC inside the head):
// the nets vgg_head.onnx and vgg_head.caffemodel written by tools/make_test_nets.py. Their feature
// map A (4 x 2 x 2) is pooled to 4 x 1 x 1, so A is the last 4-D output with a spatial size > 1:
// the auto-detected feature layer, with the MAX pooling inside the head. The gradient
// d y_c / d A is derived here BY HAND from the literal weights below (which repeat the script's):
// the argmax of each pooling window routes the gradient of the pooled value, the ReLU mask of the
// hidden layer gates it, and the two FC matrices are transposed. HiRes-CAM (sum_k g_k * A_k) and
// Grad-CAM (sum_k mean(g_k) A_k) from CAMModel::explain must equal the maps built from it.
#include "test_common.hpp"

#include <cstdio>

using namespace cv;
using namespace xcam_test;

namespace {

const int kIn = 3, kC = 4, kH = 2, kW = 2;     // input channels, A = kC x kH x kW
const int kPH = kH / 2, kPW = kW / 2;          // after the 2x2 stride-2 MAX pooling: 1 x 1
const int kFlat = kC * kPH * kPW, kHidden = 4, kClasses = 3;

const float HEAD_FEAT_W[kC][kIn] = {{1.f, -.5f, .25f}, {-.5f, 1.f, .75f}, {.5f, .25f, -1.f},
                                    {-.25f, .75f, .5f}};
const float HEAD_FEAT_B[kC] = {.1f, -.2f, .3f, 0.f};
const float FC1_W[kHidden][kFlat] = {
    {.5f, -.25f, .75f, -1.f}, {-.5f, 1.f, .25f, .5f}, {1.f, .5f, -.75f, .25f}, {-.75f, -.5f, .25f, 1.f}};
const float FC1_B[kHidden] = {.1f, -1.f, .05f, -.5f};
const float FC2_W[kClasses][kHidden] = {
    {1.f, -.5f, .5f, .25f}, {-.75f, 1.f, .25f, -.5f}, {.5f, .5f, -1.f, 1.f}};
const float FC2_B[kClasses] = {.05f, -.1f, .2f};

/** A 1 x 3 x 2 x 2 input with distinct positive and negative values. */
Mat makeHeadInput(int seed)
{
    const int shape[] = {1, kIn, kH, kW};
    Mat blob(4, shape, CV_32F);
    float* p = blob.ptr<float>();
    for (int i = 0; i < kIn * kH * kW; ++i)
        p[i] = (float)(((i * 37 + 11 * seed) % 61) - 30) / 8.f;
    return blob;
}

/** A(k, y, x) = ReLU(sum_i HEAD_FEAT_W[k][i] in(i, y, x) + HEAD_FEAT_B[k]), 1 x kC x kH x kW. */
Mat handFeatures(const Mat& input)
{
    const int shape[] = {1, kC, kH, kW};
    Mat a(4, shape, CV_32F);
    const float* in = input.ptr<float>();
    float* out = a.ptr<float>();
    for (int k = 0; k < kC; ++k)
        for (int i = 0; i < kH * kW; ++i)
        {
            float v = HEAD_FEAT_B[k];
            for (int j = 0; j < kIn; ++j)
                v += HEAD_FEAT_W[k][j] * in[j * kH * kW + i];
            out[k * kH * kW + i] = v > 0 ? v : 0;
        }
    return a;
}

/** The head run by hand on A, with what backpropagation needs. */
struct HandHead
{
    int argmax[kFlat];        // index (y * kW + x) in its channel of each pooled value's source
    float hidden[kHidden];    // FC1 output before the ReLU
    float logits[kClasses];
    int ties = 0;             // pooling windows whose non-zero maximum is not unique
};

HandHead runHead(const float* a)
{
    HandHead h;
    float pooled[kFlat];
    for (int k = 0; k < kC; ++k)
        for (int py = 0; py < kPH; ++py)
            for (int px = 0; px < kPW; ++px)
            {
                const int f = (k * kPH + py) * kPW + px;   // Flatten order: channel, row, column
                int best = -1, count = 0;
                for (int dy = 0; dy < 2; ++dy)
                    for (int dx = 0; dx < 2; ++dx)
                    {
                        const int idx = (2 * py + dy) * kW + 2 * px + dx;
                        const float v = a[k * kH * kW + idx];
                        if (best < 0 || v > a[k * kH * kW + best])
                            best = idx, count = 1;
                        else if (v == a[k * kH * kW + best])
                            ++count;
                    }
                h.argmax[f] = best;
                pooled[f] = a[k * kH * kW + best];
                h.ties += count > 1 && pooled[f] != 0;
            }
    for (int j = 0; j < kHidden; ++j)
    {
        h.hidden[j] = FC1_B[j];
        for (int f = 0; f < kFlat; ++f)
            h.hidden[j] += FC1_W[j][f] * pooled[f];
    }
    for (int c = 0; c < kClasses; ++c)
    {
        h.logits[c] = FC2_B[c];
        for (int j = 0; j < kHidden; ++j)
            h.logits[c] += FC2_W[c][j] * std::max(h.hidden[j], 0.f);
    }
    return h;
}

/** d y_c / d A: FC2 row c, through the ReLU mask, through FC1 transposed, to each window's argmax
    (the other cells of the window get 0). kC maps of kH x kW. */
std::vector<Mat> handGradient(const HandHead& h, int c)
{
    float dHidden[kHidden];
    for (int j = 0; j < kHidden; ++j)
        dHidden[j] = h.hidden[j] > 0 ? FC2_W[c][j] : 0.f;
    std::vector<Mat> g(kC);
    for (int k = 0; k < kC; ++k)
        g[k] = Mat::zeros(kH, kW, CV_32F);
    for (int f = 0; f < kFlat; ++f)
    {
        float d = 0;
        for (int j = 0; j < kHidden; ++j)
            d += FC1_W[j][f] * dHidden[j];
        g[f / (kPH * kPW)].at<float>(h.argmax[f] / kW, h.argmax[f] % kW) = d;
    }
    return g;
}

/** HiRes-CAM sum_k g_k * A_k, or Grad-CAM sum_k mean(g_k) A_k. */
Mat mapFromGradient(const std::vector<Mat>& g, const Mat& a, bool gradcam)
{
    Mat map = Mat::zeros(kH, kW, CV_32F);
    for (int k = 0; k < kC; ++k)
    {
        const Mat ak(kH, kW, CV_32F, const_cast<float*>(a.ptr<float>()) + k * kH * kW);
        if (gradcam)
            map += mean(g[k])[0] * ak;
        else
            map += g[k].mul(ak);
    }
    return map;
}

/** max |got - want| / max |want| (want not all zero). */
double relativeToMax(const Mat& got, const Mat& want)
{
    double scale = norm(want, NORM_INF);
    EXPECT_GT(scale, 0);
    return norm(got, want, NORM_INF) / std::max(scale, 1e-30);
}

struct HeadNet
{
    const char* model;
    const char* config;
    const char* feature;                  // auto-detected: the 4-D ReLU before the MAX pooling
    std::vector<std::string> head;        // must appear in this order; first and last exactly
};

std::ostream& operator<<(std::ostream& os, const HeadNet& net)
{
    return os << net.model;
}

class HeadNets : public ::testing::TestWithParam<HeadNet>
{
};

void expectHeadLayers(const std::vector<String>& got, const std::vector<std::string>& want)
{
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(got.front(), want.front());
    EXPECT_EQ(got.back(), want.back());
    size_t next = 0;
    for (const String& name : got)
        if (next < want.size() && name == want[next])
            ++next;
    std::string listed;
    for (const String& name : got)
        listed += name + " ";
    EXPECT_EQ(next, want.size()) << "head layers: " << listed;
}

TEST_P(HeadNets, GradientMethodsMatchHandDerivedGradient)
{
    const HeadNet& net = GetParam();
    Ptr<xcam::CAMModel> model =
        xcam::CAMModel::create(testdata(net.model), *net.config ? testdata(net.config) : String());
    ASSERT_FALSE(model.empty());
    const std::vector<int> classes = {0, 1, 2};
    double worstHiRes = 0, worstGrad = 0;
    int inactiveUnits = 0, movedArgmax = 0;
    for (int seed = 0; seed < 4; ++seed)
    {
        SCOPED_TRACE("seed " + std::to_string(seed));
        const Mat input = makeHeadInput(seed);
        std::vector<Mat> hires, grad;
        model->explain(input, xcam::CAM_METHOD_HIRESCAM, classes, hires);
        model->explain(input, xcam::CAM_METHOD_GRADCAM, classes, grad);
        EXPECT_EQ(model->getFeatureLayer(), net.feature);
        expectHeadLayers(model->getHeadLayers(), net.head);
        EXPECT_TRUE(model->supportsMethod(xcam::CAM_METHOD_HIRESCAM));
        EXPECT_TRUE(model->supportsMethod(xcam::CAM_METHOD_GRADCAM));
        EXPECT_FALSE(model->supportsMethod(xcam::CAM_METHOD_CAM)) << "not a GAP->FC head";

        const Mat a = model->getFeatures();
        ASSERT_EQ(a.dims, 4);
        ASSERT_EQ(a.total(), (size_t)(kC * kH * kW));
        EXPECT_LE(norm(a.reshape(1, 1), handFeatures(input).reshape(1, 1), NORM_INF), 1e-5);
        const HandHead h = runHead(a.ptr<float>());
        EXPECT_EQ(h.ties, 0) << "the test input must give unique maxima";
        const Mat scores = model->getScores();
        ASSERT_EQ(scores.total(), (size_t)kClasses);
        EXPECT_LE(maxRelativeError(scores, Mat(1, kClasses, CV_32F, (void*)h.logits)), 1e-5);
        for (int j = 0; j < kHidden; ++j)
            inactiveUnits += h.hidden[j] <= 0;
        for (int f = 0; f < kFlat; ++f)
            movedArgmax += h.argmax[f] % kW % 2 != 0 || h.argmax[f] / kW % 2 != 0;

        ASSERT_EQ(hires.size(), classes.size());
        ASSERT_EQ(grad.size(), classes.size());
        for (size_t i = 0; i < classes.size(); ++i)
        {
            const std::vector<Mat> g = handGradient(h, classes[i]);
            ASSERT_EQ(hires[i].size(), Size(kW, kH));
            ASSERT_EQ(grad[i].size(), Size(kW, kH));
            worstHiRes = std::max(worstHiRes, relativeToMax(hires[i], mapFromGradient(g, a, false)));
            worstGrad = std::max(worstGrad, relativeToMax(grad[i], mapFromGradient(g, a, true)));
        }
    }
    std::printf("[head] %s: max rel. error HiRes-CAM %.3g, Grad-CAM %.3g (%d inactive hidden units,"
                " %d pooled values not from the window's top-left cell)\n",
                net.model, worstHiRes, worstGrad, inactiveUnits, movedArgmax);
    EXPECT_LE(worstHiRes, 1e-5);
    EXPECT_LE(worstGrad, 1e-5);
    // The data exercise both non-linearities of the head.
    EXPECT_GT(inactiveUnits, 0);
    EXPECT_LT(inactiveUnits, 4 * kHidden);
    EXPECT_GT(movedArgmax, 0);
}

INSTANTIATE_TEST_SUITE_P(
    VggLike, HeadNets,
    ::testing::Values(
        HeadNet{"vgg_head.onnx", "", "onnx_node!features/relu",
                {"onnx_node!pool", "onnx_node!flatten", "onnx_node!fc1", "onnx_node!fc1/relu",
                 "onnx_node!drop", "onnx_node!fc2"}},
        HeadNet{"vgg_head.caffemodel", "vgg_head.prototxt", "relu1",
                {"pool", "fc1", "relu_fc1", "drop", "fc2"}}),
    [](const ::testing::TestParamInfo<HeadNet>& info) {
        return std::string(info.param.config[0] ? "Caffe" : "Onnx");
    });

} // namespace
