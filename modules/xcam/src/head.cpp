// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "head.hpp"

#include <cmath>

namespace cv {
namespace xcam {
namespace detail {

namespace {

int sampleSize(const dnn::MatShape& shape)
{
    return shape.empty() ? 0 : (int)(dnn::total(shape) / std::max(1, shape[0]));
}

class PassThroughOp CV_FINAL : public HeadOp
{
public:
    void forward(const Mat& in, Mat& out) const CV_OVERRIDE { out = in; }
    void backward(const Mat&, const Mat&, const Mat& gy, Mat& gx) const CV_OVERRIDE { gx = gy; }
};

/** AVE or MAX pooling over explicit windows (OpenCV's window and divisor rules). */
class PoolingOp CV_FINAL : public HeadOp
{
public:
    PoolingOp(const dnn::PoolingLayer& layer, const dnn::MatShape& in, const dnn::MatShape& out)
        : isMax(layer.type == 0), channels(in[1]), inCells(in[2] * in[3]),
          outCells(out[2] * out[3])
    {
        const bool global = layer.globalPooling;
        const int ky = global ? in[2] : (int)layer.kernel_size[0];
        const int kx = global ? in[3] : (int)layer.kernel_size[1];
        const int sy = global ? 1 : (int)layer.strides[0], sx = global ? 1 : (int)layer.strides[1];
        const int py = global ? 0 : (int)layer.pads_begin[0];
        const int px = global ? 0 : (int)layer.pads_begin[1];
        const int pye = global ? 0 : (int)layer.pads_end[0];
        const int pxe = global ? 0 : (int)layer.pads_end[1];
        for (int oy = 0; oy < out[2]; ++oy)
            for (int ox = 0; ox < out[3]; ++ox)
            {
                const int y0 = oy * sy - py, x0 = ox * sx - px;
                const int y1 = std::min(y0 + ky, in[2] + pye), x1 = std::min(x0 + kx, in[3] + pxe);
                const int cy0 = std::max(y0, 0), cx0 = std::max(x0, 0);
                const int cy1 = std::min(y1, in[2]), cx1 = std::min(x1, in[3]);
                std::vector<int> cells;
                for (int y = cy0; y < cy1; ++y)
                    for (int x = cx0; x < cx1; ++x)
                        cells.push_back(y * in[3] + x);
                const int area = layer.avePoolPaddedArea ? (y1 - y0) * (x1 - x0) : (int)cells.size();
                windows.push_back(cells);
                divisors.push_back(1.f / std::max(area, 1));
            }
    }

    void forward(const Mat& in, Mat& out) const CV_OVERRIDE
    {
        out.create(in.rows, channels * outCells, CV_32F);
        for (int n = 0; n < in.rows; ++n)
            for (int c = 0; c < channels; ++c)
            {
                const float* src = in.ptr<float>(n) + c * inCells;
                float* dst = out.ptr<float>(n) + c * outCells;
                for (int o = 0; o < outCells; ++o)
                    dst[o] = isMax ? windowMax(src, o) : windowSum(src, o) * divisors[o];
            }
    }

    int needs() const CV_OVERRIDE { return isMax ? NEEDS_INPUT : NEEDS_NOTHING; }

    void backward(const Mat& x, const Mat&, const Mat& gy, Mat& gx) const CV_OVERRIDE
    {
        gx = Mat::zeros(gy.rows, channels * inCells, CV_32F);
        for (int c = 0; c < channels; ++c)
        {
            const float* src = x.ptr<float>() + c * inCells;
            for (int o = 0; o < outCells; ++o)
            {
                const int argmax = isMax ? windowArgMax(src, o) : -1;
                for (int n = 0; n < gy.rows; ++n)
                {
                    const float g = gy.ptr<float>(n)[c * outCells + o];
                    float* dst = gx.ptr<float>(n) + c * inCells;
                    if (isMax)
                        dst[argmax] += g;
                    else
                        for (int i : windows[o])
                            dst[i] += g * divisors[o];
                }
            }
        }
    }

private:
    float windowSum(const float* src, int o) const
    {
        float s = 0;
        for (int i : windows[o])
            s += src[i];
        return s;
    }
    float windowMax(const float* src, int o) const
    {
        return windows[o].empty() ? 0.f : src[windowArgMax(src, o)];
    }
    int windowArgMax(const float* src, int o) const
    {
        int best = windows[o].empty() ? 0 : windows[o][0];
        for (int i : windows[o])
            if (src[i] > src[best])
                best = i;
        return best;
    }

    bool isMax;
    int channels, inCells, outCells;
    std::vector<std::vector<int> > windows;
    std::vector<float> divisors;
};

/** InnerProduct, or a 1x1 convolution: out(K x P) = W (K x C) * in (C x P) + b, per image. */
class LinearOp CV_FINAL : public HeadOp
{
public:
    LinearOp(const Mat& w, const Mat& b, int cells) : cells(cells)
    {
        // The net's own weights when they are CV_32F: one copy in the cache, not two
        if (w.depth() == CV_32F && w.isContinuous())
            weights = w.reshape(1, w.size[0]);
        else
            w.reshape(1, w.size[0]).convertTo(weights, CV_32F);
        if (!b.empty())
            b.reshape(1, 1).convertTo(bias, CV_32F);
    }

    void forward(const Mat& in, Mat& out) const CV_OVERRIDE
    {
        const int k = weights.rows, c = weights.cols;
        out.create(in.rows, k * cells, CV_32F);
        if (cells == 1)  // one dot product per output: faster than gemm for these shapes
            parallel_for_(Range(0, in.rows), [&](const Range& r) {
                for (int n = r.start; n < r.end; ++n)
                    for (int j = 0; j < k; ++j)
                        out.at<float>(n, j) = (float)weights.row(j).dot(in.row(n));
            });
        else
            for (int n = 0; n < in.rows; ++n)
            {
                Mat dst = out.row(n).reshape(1, k);
                gemm(weights, in.row(n).reshape(1, c), 1.0, noArray(), 0.0, dst);
            }
        if (!bias.empty())
            for (int n = 0; n < in.rows; ++n)
            {
                Mat dst = out.row(n).reshape(1, k);
                for (int i = 0; i < k; ++i)
                    dst.row(i) += bias.at<float>(i);
            }
    }

    void backward(const Mat&, const Mat&, const Mat& gy, Mat& gx) const CV_OVERRIDE
    {
        const int k = weights.rows, c = weights.cols;
        gx.create(gy.rows, c * cells, CV_32F);
        if (cells == 1)  // gx = gy W, skipping the rows of W no gradient reaches
            multiplyRows(gy, weights, gx);
        else
            for (int n = 0; n < gy.rows; ++n)
            {
                Mat dst = gx.row(n).reshape(1, c);
                gemm(weights, gy.row(n).reshape(1, k), 1.0, noArray(), 0.0, dst, GEMM_1_T);
            }
    }

private:
    Mat weights, bias;
    int cells;
};

/** Element-wise activations: ReLU (with a negative slope), ReLU6/clip, Sigmoid, TanH. */
class ActivationOp CV_FINAL : public HeadOp
{
public:
    enum Kind { RELU, CLIP, SIGMOID, TANH };
    ActivationOp(Kind kind, float a, float b) : kind(kind), a(a), b(b) {}

    void forward(const Mat& in, Mat& out) const CV_OVERRIDE
    {
        out.create(in.size(), CV_32F);
        for (int n = 0; n < in.rows; ++n)
        {
            const float* s = in.ptr<float>(n);
            float* d = out.ptr<float>(n);
            for (int i = 0; i < in.cols; ++i)
                d[i] = apply(s[i]);
        }
    }

    // The derivative from the output y alone, except for a ReLU with a negative slope (whose
    // output does not tell the input's sign).
    int needs() const CV_OVERRIDE
    {
        return kind == RELU && a < 0 ? NEEDS_INPUT : NEEDS_OUTPUT;
    }

    void backward(const Mat& x, const Mat& y, const Mat& gy, Mat& gx) const CV_OVERRIDE
    {
        gx.create(gy.size(), CV_32F);
        if (kind == RELU && a >= 0)  // the common case, without a test of kind per element
            scaleBy(gy, y, gx, [this](float v) { return v > 0 ? 1.f : a; });
        else if (needs() == NEEDS_INPUT)
            scaleBy(gy, x, gx, [this](float v) { return derivative(v); });
        else
            scaleBy(gy, y, gx, [this](float v) { return derivativeFromOutput(v); });
    }

private:
    /** gx = gy * f(v) element by element, v one row (the values of the one image). */
    template <typename F>
    static void scaleBy(const Mat& gy, const Mat& v, Mat& gx, F f)
    {
        const float* value = v.ptr<float>();
        for (int n = 0; n < gy.rows; ++n)
        {
            const float* g = gy.ptr<float>(n);
            float* d = gx.ptr<float>(n);
            for (int i = 0; i < gy.cols; ++i)
                d[i] = g[i] * f(value[i]);
        }
    }

    float apply(float v) const
    {
        switch (kind)
        {
        case RELU: return v >= 0 ? v : v * a;
        case CLIP: return std::min(std::max(v, a), b);
        case SIGMOID: return 1.f / (1.f + std::exp(-v));
        default: return std::tanh(v);
        }
    }
    float derivative(float v) const
    {
        return kind == RELU ? (v > 0 ? 1.f : a) : derivativeFromOutput(apply(v));
    }
    // y > 0 iff v > 0 for a slope >= 0; y in (a, b) iff v is.
    float derivativeFromOutput(float y) const
    {
        switch (kind)
        {
        case RELU: return y > 0 ? 1.f : a;
        case CLIP: return y > a && y < b ? 1.f : 0.f;
        case SIGMOID: return y * (1.f - y);
        default: return 1.f - y * y;
        }
    }

    Kind kind;
    float a, b;
};

/** Per-channel scale and shift (BatchNorm, Scale): out = s_c * in + t_c. */
class AffineOp CV_FINAL : public HeadOp
{
public:
    AffineOp(const Mat& s, const Mat& t, const dnn::MatShape& in) : cells(1)
    {
        const int channels = in.size() > 1 ? in[1] : 1;
        for (size_t d = 2; d < in.size(); ++d)
            cells *= in[d];
        perChannel(s, channels, 1.f).copyTo(scale);
        perChannel(t, channels, 0.f).copyTo(shift);
    }

    void forward(const Mat& in, Mat& out) const CV_OVERRIDE
    {
        out.create(in.size(), CV_32F);
        for (int n = 0; n < in.rows; ++n)
            for (int c = 0; c < scale.cols; ++c)
            {
                const float* s = in.ptr<float>(n) + c * cells;
                float* d = out.ptr<float>(n) + c * cells;
                const float k = scale.at<float>(c), t = shift.at<float>(c);
                for (int i = 0; i < cells; ++i)
                    d[i] = s[i] * k + t;
            }
    }

    void backward(const Mat&, const Mat&, const Mat& gy, Mat& gx) const CV_OVERRIDE
    {
        gx.create(gy.size(), CV_32F);
        for (int n = 0; n < gy.rows; ++n)
            for (int c = 0; c < scale.cols; ++c)
            {
                Mat src = gy.row(n).colRange(c * cells, (c + 1) * cells);
                Mat dst = gx.row(n).colRange(c * cells, (c + 1) * cells);
                src.convertTo(dst, CV_32F, scale.at<float>(c));
            }
    }

private:
    static Mat perChannel(const Mat& m, int channels, float fallback)
    {
        if (m.empty())
            return Mat(1, channels, CV_32F, Scalar(fallback));
        Mat row;
        m.reshape(1, 1).convertTo(row, CV_32F);
        if (row.cols == 1)
            return Mat(1, channels, CV_32F, Scalar(row.at<float>(0)));
        CV_Assert(row.cols == channels);
        return row;
    }

    int cells;
    Mat scale, shift;
};

Ptr<HeadOp> makeLinear(const Ptr<dnn::Layer>& layer, const HeadLayer& info)
{
    const Mat& w = layer->blobs[0];
    const Mat b = layer->blobs.size() > 1 ? layer->blobs[1] : Mat();
    const int inputs = (int)(w.total() / w.size[0]);
    if (layer->type == "InnerProduct" && sampleSize(info.in) == inputs)
        return makePtr<LinearOp>(w, b, 1);
    const dnn::ConvolutionLayer* conv = dynamic_cast<const dnn::ConvolutionLayer*>(layer.get());
    const bool plain = conv && w.dims == 4 && w.size[2] == 1 && w.size[3] == 1 &&
                       info.in.size() == 4 && info.in[1] == inputs &&
                       info.out.size() == 4 && info.out[2] == info.in[2] &&
                       info.out[3] == info.in[3];
    if (!plain)
        return Ptr<HeadOp>();
    return makePtr<LinearOp>(w, b, info.in[2] * info.in[3]);
}

Ptr<HeadOp> makeOp(const Ptr<dnn::Layer>& layer, const HeadLayer& info)
{
    const String& type = layer->type;
    if (type == "Identity" || type == "Dropout" || type == "Flatten" || type == "Reshape" ||
        type == "Split")
        return makePtr<PassThroughOp>();
    if (type == "Pooling")
    {
        const dnn::PoolingLayer* pool = dynamic_cast<const dnn::PoolingLayer*>(layer.get());
        const bool twoD = pool && info.in.size() == 4 && info.out.size() == 4 &&
                          (pool->globalPooling || pool->kernel_size.size() == 2);
        if (twoD && (pool->type == 0 || pool->type == 1))
            return makePtr<PoolingOp>(*pool, info.in, info.out);
        return Ptr<HeadOp>();
    }
    if ((type == "InnerProduct" || type == "Convolution") && !layer->blobs.empty())
        return makeLinear(layer, info);
    if (const dnn::ReLULayer* relu = dynamic_cast<const dnn::ReLULayer*>(layer.get()))
        return makePtr<ActivationOp>(ActivationOp::RELU, relu->negativeSlope, 0.f);
    if (const dnn::ReLU6Layer* clip = dynamic_cast<const dnn::ReLU6Layer*>(layer.get()))
        return makePtr<ActivationOp>(ActivationOp::CLIP, clip->minValue, clip->maxValue);
    if (type == "Sigmoid")
        return makePtr<ActivationOp>(ActivationOp::SIGMOID, 0.f, 0.f);
    if (type == "TanH")
        return makePtr<ActivationOp>(ActivationOp::TANH, 0.f, 0.f);
    if (type == "BatchNorm" || type == "Scale")
    {
        Mat scale, shift;
        layer->getScaleShift(scale, shift);
        if (!scale.empty() || !shift.empty())
            return makePtr<AffineOp>(scale, shift, info.in);
    }
    return Ptr<HeadOp>();
}

} // namespace

const char* headLayerTypes()
{
    return "Pooling (AVE, MAX), Identity/Dropout/Flatten/Reshape, InnerProduct (Gemm, MatMul), "
           "1x1 Convolution, ReLU/LeakyReLU/ReLU6/Clip/Sigmoid/TanH, BatchNorm/Scale";
}

Head::Head(const dnn::Net& net, const std::vector<HeadLayer>& layers)
{
    for (const HeadLayer& info : layers)
    {
        const Ptr<dnn::Layer> layer = net.getLayer(net.getLayerId(info.name));
        Ptr<HeadOp> op;
        if (!info.in.empty() && !info.out.empty())
            op = makeOp(layer, info);
        if (!op)
            CV_Error_(Error::StsNotImplemented,
                      ("head layer '%s' of type %s cannot be differentiated by xcam (it handles "
                       "%s)",
                       info.name.c_str(), layer->type.c_str(), headLayerTypes()));
        ops.push_back(op);
    }
}

void Head::forward(const Mat& features, Mat& logits) const
{
    Mat x = features;
    for (const Ptr<HeadOp>& op : ops)
    {
        Mat y;
        op->forward(x, y);
        x = y;
    }
    logits = x;
}

void Head::values(const Mat& features, std::vector<Mat>& values) const
{
    values.assign(1, features);
    for (const Ptr<HeadOp>& op : ops)
    {
        Mat y;
        op->forward(values.back(), y);
        values.push_back(y);
    }
}

std::vector<int> Head::neededValues() const
{
    std::vector<int> needed;
    for (size_t i = 0; i <= ops.size(); ++i)
    {
        const bool asInput = i < ops.size() && (ops[i]->needs() & HeadOp::NEEDS_INPUT);
        const bool asOutput = i > 0 && (ops[i - 1]->needs() & HeadOp::NEEDS_OUTPUT);
        if (asInput || asOutput)
            needed.push_back((int)i);
    }
    return needed;
}

void Head::backward(const std::vector<Mat>& values, const Mat& seeds, Mat& grads) const
{
    CV_Assert(values.size() == ops.size() + 1);
    Mat g = seeds;
    for (size_t i = ops.size(); i-- > 0;)
    {
        Mat gx;
        ops[i]->backward(values[i], values[i + 1], g, gx);
        g = gx;
    }
    grads = g;
}

}}} // namespace cv::xcam::detail
