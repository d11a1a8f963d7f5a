// The known weights of the nets written by tools/make_test_nets.py, and the maps they must give,
// derived by hand from those weights (plain loops, nothing from xcam).
#ifndef XCAM_TEST_NETS_HPP
#define XCAM_TEST_NETS_HPP

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

namespace xcam_test {

const int kH = 5, kW = 7;          // input and feature map size (H != W)
const int kIn = 3, kC = 4, kK = 5; // input channels, feature channels, FC classes

// Feature block: 1x1 convolution 3 -> 4 (FEAT_W, FEAT_B), then ReLU.
const float FEAT_W[kC][kIn] = {{1.f, 0.f, 0.f}, {0.f, 1.f, 0.f}, {0.f, 0.f, 1.f}, {1.f, -1.f, .5f}};
const float FEAT_B[kC] = {0.f, .5f, -.25f, .1f};
// GAP -> FC 4 -> 5.
const float FC_W[kK][kC] = {{1.f, -.5f, .25f, 0.f},
                            {-1.f, 2.f, 0.f, .5f},
                            {.5f, .5f, -1.5f, 1.f},
                            {0.f, -.25f, 1.f, -2.f},
                            {.3f, .7f, .2f, .1f}};
const float FC_B[kK] = {.1f, -.2f, .3f, 0.f, -.05f};

/** A 1x3x5x7 input blob with positive and negative values, different per channel and cell. */
inline cv::Mat makeInput(int seed = 0)
{
    const int shape[] = {1, kIn, kH, kW};
    cv::Mat blob(4, shape, CV_32F);
    float* p = blob.ptr<float>();
    for (int i = 0; i < kIn * kH * kW; ++i)
        p[i] = (float)(((i + seed) * 37 % 17) - 8) / 4.f;
    return blob;
}

/** A[k](y, x) = ReLU(sum_i FEAT_W[k][i] * in[i](y, x) + FEAT_B[k]), as kC maps of kH x kW. */
inline std::vector<cv::Mat> referenceFeatures(const cv::Mat& input)
{
    std::vector<cv::Mat> maps(kC);
    const float* in = input.ptr<float>();
    for (int k = 0; k < kC; ++k)
    {
        maps[k].create(kH, kW, CV_32F);
        for (int y = 0; y < kH; ++y)
            for (int x = 0; x < kW; ++x)
            {
                float v = FEAT_B[k];
                for (int i = 0; i < kIn; ++i)
                    v += FEAT_W[k][i] * in[(i * kH + y) * kW + x];
                maps[k].at<float>(y, x) = v > 0 ? v : 0;
            }
    }
    return maps;
}

/** The CAM of class c of a GAP->FC net: sum_k FC_W[c][k] * A[k]. */
inline cv::Mat referenceCAM(const std::vector<cv::Mat>& features, int c)
{
    cv::Mat cam(kH, kW, CV_32F, cv::Scalar(0));
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x)
            for (int k = 0; k < kC; ++k)
                cam.at<float>(y, x) += FC_W[c][k] * features[k].at<float>(y, x);
    return cam;
}

/** A net whose head holds a layer xcam cannot differentiate (Power), built with the dnn API:
    1x1 convolution (all weights 1) inputChannels -> 2, ReLU, global average pooling, Power 2,
    FC 2 -> 3. */
inline cv::dnn::Net netWithPowerInHead(int inputChannels = 1)
{
    cv::dnn::Net net;
    cv::dnn::LayerParams conv;
    conv.set("kernel_size", 1);
    conv.set("num_output", 2);
    conv.set("bias_term", true);
    const int wShape[] = {2, inputChannels, 1, 1};
    conv.blobs = {cv::Mat(4, wShape, CV_32F, cv::Scalar(1)), cv::Mat::zeros(1, 2, CV_32F)};
    net.addLayerToPrev("conv", "Convolution", conv);
    cv::dnn::LayerParams relu;
    net.addLayerToPrev("relu", "ReLU", relu);
    cv::dnn::LayerParams pool;
    pool.set("pool", "ave");
    pool.set("global_pooling", true);
    net.addLayerToPrev("pool", "Pooling", pool);
    cv::dnn::LayerParams power;
    power.set("power", 2.0f);
    net.addLayerToPrev("square", "Power", power);
    cv::dnn::LayerParams fc;
    fc.set("num_output", 3);
    fc.set("bias_term", true);
    fc.blobs = {(cv::Mat_<float>(3, 2) << 1, 0, 0, 1, 1, -1), cv::Mat::zeros(1, 3, CV_32F)};
    net.addLayerToPrev("fc", "InnerProduct", fc);
    return net;
}

} // namespace xcam_test

#endif
