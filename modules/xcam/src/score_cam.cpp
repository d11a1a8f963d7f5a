// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Score-CAM: one forward pass per feature channel, of the input blob times the channel upsampled
// and min-max scaled; the channel's weight is the class's score for that input.

#include "method_table.hpp"

#include <algorithm>
#include <numeric>

namespace cv {
namespace xcam {
namespace detail {

namespace {

// Source index and weight of the next sample for each destination index, align_corners=True:
// source coordinate i * (n - 1) / (m - 1).
void alignCornersTaps(int n, int m, std::vector<int>& index, std::vector<float>& frac)
{
    index.resize(m);
    frac.resize(m);
    const double scale = m > 1 ? (double)(n - 1) / (m - 1) : 0.0;
    for (int i = 0; i < m; ++i)
    {
        const double s = scale * i;
        index[i] = std::min((int)s, n - 1);
        frac[i] = index[i] < n - 1 ? (float)(s - index[i]) : 0.f;
    }
}

/** Bilinear resize with align_corners=True sampling (PyTorch's UpsamplingBilinear2d): the corner
    samples of `src` and `dst` coincide. CV_32F single channel; dst preallocated. */
void resizeAlignCorners(const Mat& src, Mat& dst)
{
    std::vector<int> xi, yi;
    std::vector<float> xf, yf;
    alignCornersTaps(src.cols, dst.cols, xi, xf);
    alignCornersTaps(src.rows, dst.rows, yi, yf);
    for (int y = 0; y < dst.rows; ++y)
    {
        const float* r0 = src.ptr<float>(yi[y]);
        const float* r1 = src.ptr<float>(std::min(yi[y] + 1, src.rows - 1));
        const float fy = yf[y];
        float* out = dst.ptr<float>(y);
        for (int x = 0; x < dst.cols; ++x)
        {
            const int x0 = xi[x], x1 = std::min(x0 + 1, src.cols - 1);
            const float top = r0[x0] + (r0[x1] - r0[x0]) * xf[x];
            const float bottom = r1[x0] + (r1[x1] - r1[x0]) * xf[x];
            out[x] = top + (bottom - top) * fy;
        }
    }
}

// Score-CAM's channels: the maxChannels of highest spatial variance (all when 0), in channel
// order; the paper's mode skips channels that are constant (no mask to make).
std::vector<int> scoreCAMChannels(const Mat& features, const CAMMethodParams& params)
{
    const int channels = features.rows;
    std::vector<double> variance(channels), range(channels);
    for (int k = 0; k < channels; ++k)
    {
        Scalar mean, dev;
        meanStdDev(features.row(k), mean, dev);
        variance[k] = dev[0] * dev[0];
        double lo = 0, hi = 0;
        minMaxLoc(features.row(k), &lo, &hi);
        range[k] = hi - lo;
    }
    std::vector<int> order(channels);
    std::iota(order.begin(), order.end(), 0);
    if (params.maxChannels > 0 && params.maxChannels < channels)
    {
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return variance[a] > variance[b]; });
        order.resize(params.maxChannels);
        std::sort(order.begin(), order.end());
    }
    if (!params.channelSoftmax)
        order.erase(std::remove_if(order.begin(), order.end(),
                                   [&](int k) { return !(range[k] > 0); }), order.end());
    return order;
}

// One Score-CAM mask: the channel upsampled to the input and min-max scaled, written into `dst`.
void channelMask(const Mat& channel, Size size, bool pytorch, Mat dst)
{
    Mat up(size, CV_32F, dst.ptr<float>());
    if (pytorch)
        resizeAlignCorners(channel, up);
    else
        resize(channel, up, size, 0, 0, INTER_LINEAR);
    double lo = 0, hi = 0;
    minMaxLoc(up, &lo, &hi);
    const double span = (hi - lo) + (pytorch ? 1e-8 : 0.0);
    if (span > 0)
        up.convertTo(up, CV_32F, 1.0 / span, -lo / span);
    else
        up.setTo(0);
}

} // namespace

void scoreCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    const CAMMethodParams& params = ctx.params;
    if (params.maxChannels < 0)
        CV_Error_(Error::StsOutOfRange, ("maxChannels must not be negative, got %d",
                                         params.maxChannels));
    const Mat a = ctx.features.clone();  // the net's buffers are reused by the forwards below
    checkFinite(a, "feature blob");
    const std::vector<int> channels = scoreCAMChannels(a, params);
    const bool pytorch = params.channelSoftmax;
    Engine engine = ctx.engine;
    engine.scorer = classColumns(ctx.engine.scorer, classes, !pytorch);
    const Size size = engine.size();
    Mat scores((int)classes.size(), (int)channels.size(), CV_32F);  // class x selected channel
    runMasked(engine, Mat(), (int)channels.size(),
        [&](int start, Mat& masks) {
            parallel_for_(Range(0, masks.rows), [&](const Range& r) {
                for (int i = r.start; i < r.end; ++i)
                    channelMask(a.row(channels[start + i]).reshape(1, ctx.height), size, pytorch,
                                masks.row(i));
            });
        },
        [&](int start, const Mat&, const Mat& s) {
            Mat(s.t()).copyTo(scores.colRange(start, start + s.rows));
        });
    if (pytorch && !channels.empty())
        softmaxRows(scores, scores);  // over the channels, per class
    Mat weights = Mat::zeros((int)classes.size(), a.rows, CV_32F), rows;
    for (size_t i = 0; i < channels.size(); ++i)
        scores.col((int)i).copyTo(weights.col(channels[i]));
    weightedSum(weights, a, rows);
    splitRows(rows, ctx.height, maps);
}

}}} // namespace cv::xcam::detail
