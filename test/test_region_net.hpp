// A net whose class scores depend only on a known region of its 1x3x16x16 input, built with the
// cv::dnn API: input -> Scale (1 inside the region, 0 outside) -> 1x1 Convolution (4 channels)
// -> ReLU ("features", 16x16) -> global average pooling -> InnerProduct ("fc", 6 classes).
#ifndef XCAM_TEST_REGION_NET_HPP
#define XCAM_TEST_REGION_NET_HPP

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/xcam.hpp>

namespace xcam_test {

const int kRegionSide = 16, kRegionClasses = 6;
const cv::Rect kRegion(9, 3, 5, 4);  // x, y, w, h in input pixels

/** An identity layer that counts the forward passes that reach it (batches, not blobs). */
class CountingLayer CV_FINAL : public cv::dnn::Layer
{
public:
    static int& calls()
    {
        static int n = 0;
        return n;
    }
    explicit CountingLayer(const cv::dnn::LayerParams& params) { setParamsFrom(params); }
    static cv::Ptr<cv::dnn::Layer> create(cv::dnn::LayerParams& params)
    {
        return cv::makePtr<CountingLayer>(params);
    }
    bool getMemoryShapes(const std::vector<cv::dnn::MatShape>& inputs, int,
                         std::vector<cv::dnn::MatShape>& outputs,
                         std::vector<cv::dnn::MatShape>&) const CV_OVERRIDE
    {
        outputs = inputs;
        return false;
    }
    void forward(cv::InputArrayOfArrays in, cv::OutputArrayOfArrays out,
                 cv::OutputArrayOfArrays) CV_OVERRIDE
    {
        ++calls();
        std::vector<cv::Mat> inputs, outputs;
        in.getMatVector(inputs);
        out.getMatVector(outputs);
        inputs[0].copyTo(outputs[0]);
    }
};

/** The region net; with `counting`, a CountingLayer first (type "XcamCounting"). */
inline cv::dnn::Net makeRegionNet(const cv::Rect& region = kRegion, bool counting = false)
{
    using cv::dnn::LayerParams;
    const int channels = 4, side = kRegionSide;
    cv::dnn::Net net;
    net.setInputsNames({"data"});
    if (counting)
    {
        cv::dnn::LayerFactory::registerLayer("XcamCounting", CountingLayer::create);
        LayerParams count;
        net.addLayerToPrev("count", "XcamCounting", count);
    }

    LayerParams scale;
    const int maskShape[] = {3, side, side};
    cv::Mat mask(3, maskShape, CV_32F, cv::Scalar(0));
    for (int c = 0; c < 3; ++c)
        cv::Mat(side, side, CV_32F, mask.ptr<float>(c))(region).setTo(1);
    scale.blobs = {mask};
    scale.set("axis", 1);
    scale.set("bias_term", false);
    net.addLayerToPrev("region", "Scale", scale);

    LayerParams conv;
    const int convShape[] = {channels, 3, 1, 1};
    const float convW[] = {1.f, .5f, .2f, -.3f, 1.f, .4f, .2f, .2f, .9f, .6f, -.5f, .8f};
    conv.blobs = {cv::Mat(4, convShape, CV_32F, (void*)convW).clone(),
                  cv::Mat(1, channels, CV_32F, cv::Scalar(0))};
    conv.set("kernel_size", 1);
    conv.set("num_output", channels);
    conv.set("bias_term", true);
    net.addLayerToPrev("conv", "Convolution", conv);
    LayerParams relu;
    net.addLayerToPrev("features", "ReLU", relu);

    LayerParams pool;
    pool.set("pool", "ave");
    pool.set("global_pooling", true);
    net.addLayerToPrev("pool", "Pooling", pool);

    LayerParams fc;
    const float fcW[kRegionClasses * 4] = {24.f, 18.f, 12.f, 18.f,  -5.f, 10.f, 0.f, 5.f,
                                           10.f, -8.f, 6.f,  2.f,   0.f,  0.f,  9.f, -3.f,
                                           3.f,  3.f,  3.f,  3.f,   -9.f, 4.f,  4.f, 0.f};
    const float fcB[kRegionClasses] = {-.5f, 0.f, .2f, .1f, -.1f, .3f};
    fc.blobs = {cv::Mat(kRegionClasses, channels, CV_32F, (void*)fcW).clone(),
                cv::Mat(1, kRegionClasses, CV_32F, (void*)fcB).clone()};
    fc.set("num_output", kRegionClasses);
    fc.set("bias_term", true);
    net.addLayerToPrev("fc", "InnerProduct", fc);
    return net;
}

/** A 1x3x16x16 blob of values in [0.2, 1] (positive: the region lights every channel). */
inline cv::Mat makeRegionInput(int seed = 1)
{
    const int shape[] = {1, 3, kRegionSide, kRegionSide};
    cv::Mat blob(4, shape, CV_32F);
    cv::RNG rng(seed);
    rng.fill(blob, cv::RNG::UNIFORM, 0.2, 1.0);
    return blob;
}

/** Softmax probability of class `c` the plain net gives `blob` (the tests' reference). */
inline float plainProbability(cv::dnn::Net& net, const cv::Mat& blob, int c)
{
    net.setInput(blob);
    cv::Mat logits = net.forward().reshape(1, 1), e;
    double top = 0;
    cv::minMaxLoc(logits, nullptr, &top);
    cv::exp(logits - top, e);
    return (float)(e.at<float>(c) / cv::sum(e)[0]);
}

inline cv::Ptr<cv::xcam::CAMModel> makeRegionModel()
{
    cv::Ptr<cv::xcam::CAMModel> model = cv::xcam::CAMModel::create(makeRegionNet());
    model->forward(makeRegionInput());
    return model;
}

} // namespace xcam_test

#endif
