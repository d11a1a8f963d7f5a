// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The gradient family, as pytorch-grad-cam's two hooks: a target (what is differentiated: a
// logit, or Finer-CAM's comparison), channel weights from g = d target / d A, then the map.

#include "eigen.hpp"
#include "method_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace cv {
namespace xcam {
namespace detail {

namespace {

/** seeds (k x K CV_32F): row i is d target_i / d logits. */
typedef void (*TargetHook)(const MethodContext& ctx, const std::vector<int>& classes, Mat& seeds);
/** weights (1 x C CV_32F) from g and A (C x H*W CV_32F each). */
typedef void (*WeightsHook)(const Mat& g, const Mat& a, Mat& weights);
/** map (1 x H*W CV_32F) from g and A, for a method without channel weights. */
typedef void (*MapHook)(const Mat& g, const Mat& a, Mat& map);

// ---------------------------------------------------------------------------------- gradients

/** grads (k x C*H*W) = seeds back through the head. GAP->FC and class-map heads: the gradient
    of channel k is (seeds W)[k] / (H*W) at every cell (class-map: W is the identity). */
void gradients(const MethodContext& ctx, const Mat& seeds, Mat& grads)
{
    const int channels = ctx.features.rows, cells = ctx.features.cols;
    if (!(ctx.layers->camHead && ctx.params.closedForm))
    {
        std::vector<Mat> values = ctx.headValues;
        if (values.empty())
            ctx.head->values(ctx.features.reshape(1, 1), values);
        ctx.head->backward(values, seeds, grads);
        return;
    }
    Mat perChannel = seeds;  // seeds W: the rows of W of the seeds' non-zero logits only
    if (!ctx.layers->classMap)
        multiplyRows(seeds, ctx.layers->weights, perChannel);
    grads.create(seeds.rows, channels * cells, CV_32F);
    for (int i = 0; i < seeds.rows; ++i)
    {
        const float* w = perChannel.ptr<float>(i);
        float* g = grads.ptr<float>(i);
        for (int k = 0; k < channels; ++k)
            std::fill(g + (size_t)k * cells, g + (size_t)(k + 1) * cells, w[k] / cells);
    }
}

// ------------------------------------------------------------------------------------ targets

/** The logit of each class: one-hot seeds. */
void logitTarget(const MethodContext& ctx, const std::vector<int>& classes, Mat& seeds)
{
    seeds = Mat::zeros((int)classes.size(), ctx.logits.cols, CV_32F);
    for (size_t i = 0; i < classes.size(); ++i)
        seeds.at<float>((int)i, classes[i]) = 1.f;
}

/** The params.finerClasses classes whose logits are nearest to class c's (ties: lower id). */
std::vector<int> nearestClasses(const float* l, int count, int c, int n)
{
    std::vector<int> order;
    for (int j = 0; j < count; ++j)
        if (j != c)
            order.push_back(j);
    std::stable_sort(order.begin(), order.end(), [l, c](int a, int b) {
        return std::abs((double)l[a] - l[c]) < std::abs((double)l[b] - l[c]);
    });
    order.resize(std::min<size_t>(order.size(), (size_t)n));
    return order;
}

/** Finer-CAM's target T = sum_J p_j (l_c - alpha l_j) / (sum_J p_j + 1e-9), p = softmax(l),
    differentiated through p too: dT/dl_i = (dN_i D - N dD_i) / D^2 with
    dN_i = [i in J] p_i (l_c - alpha l_i - alpha) - p_i N + [i = c] S, dD_i = [i in J] p_i - p_i S,
    S = sum_J p_j, D = S + 1e-9. */
void finerTarget(const MethodContext& ctx, const std::vector<int>& classes, Mat& seeds)
{
    const int count = ctx.logits.cols;
    const double alpha = ctx.params.finerAlpha;
    if (ctx.params.finerClasses < 1 || !std::isfinite(alpha))
        CV_Error_(Error::StsOutOfRange, ("finerClasses must be at least 1 and finerAlpha finite, "
                                         "got %d and %g", ctx.params.finerClasses, alpha));
    if (count < 2)
        CV_Error(Error::StsBadArg, "finercam compares classes: the net must have at least 2");
    const float* l = ctx.logits.ptr<float>();
    Mat p;
    softmaxRows(ctx.logits, p);
    seeds.create((int)classes.size(), count, CV_32F);
    for (size_t row = 0; row < classes.size(); ++row)
    {
        const int c = classes[row];
        const std::vector<int> J = nearestClasses(l, count, c, ctx.params.finerClasses);
        std::vector<char> inJ(count, 0);
        double S = 0, N = 0;
        for (int j : J)
        {
            inJ[j] = 1;
            S += p.at<float>(j);
            N += p.at<float>(j) * ((double)l[c] - alpha * l[j]);
        }
        const double D = S + 1e-9;
        for (int i = 0; i < count; ++i)
        {
            const double pi = p.at<float>(i);
            const double dN = (inJ[i] ? pi * (l[c] - alpha * l[i] - alpha) : 0.0) - pi * N +
                              (i == c ? S : 0.0);
            const double dD = (inJ[i] ? pi : 0.0) - pi * S;
            seeds.at<float>((int)row, i) = (float)((dN * D - N * dD) / (D * D));
        }
    }
}

// ------------------------------------------------------------------------------------ weights
// In float, as pytorch-grad-cam (numpy float32); eight partial sums, so that the loops vectorize.

/** sum over g > 0 of g^2 / (2 g^2 + sumA g^3 + 1e-6) * g (pytorch-grad-cam's alpha ReLU(g)), in
    eight lanes (GCC vector types: the select does not vectorize as a plain loop). */
XCAM_VECTOR_CLONES
float plusPlusSum(const float* g, int n, float sumA)
{
    float s[8] = {};
    int p = 0;
#if defined(__GNUC__)
    typedef float Float8 __attribute__((vector_size(32)));
    Float8 lanes = {};
    for (; p + 8 <= n; p += 8)
    {
        Float8 gp;
        std::memcpy(&gp, g + p, sizeof(gp));
        const Float8 g2 = gp * gp, denom = 2 * g2 + sumA * g2 * gp + 1e-6f;
        const auto ok = denom != 0;
        const Float8 value = g2 / (ok ? denom : 1.f) * gp;
        lanes += (gp > 0) & ok ? value : 0.f;
    }
    std::memcpy(s, &lanes, sizeof(s));
#endif
    for (; p < n; ++p)
    {
        const float g2 = g[p] * g[p], denom = 2 * g2 + sumA * g2 * g[p] + 1e-6f;
        s[0] += g[p] > 0 && denom != 0 ? g2 / denom * g[p] : 0.f;
    }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

/** sum += f(g) a over n cells, f the identity or ReLU. */
XCAM_VECTOR_CLONES
void addProduct(const float* g, const float* a, int n, bool relu, float* sum)
{
    if (relu)
        for (int p = 0; p < n; ++p)
            sum[p] += std::max(g[p], 0.f) * a[p];
    else
        for (int p = 0; p < n; ++p)
            sum[p] += g[p] * a[p];
}

void gradCAMWeights(const Mat& g, const Mat& a, Mat& weights)
{
    CV_UNUSED(a);
    weights.create(1, g.rows, CV_32F);
    for (int k = 0; k < g.rows; ++k)
        weights.at<float>(k) = sumOf(g.ptr<float>(k), g.cols) / g.cols;
}

void gradCAMPlusPlusWeights(const Mat& g, const Mat& a, Mat& weights)
{
    weights.create(1, g.rows, CV_32F);
    for (int k = 0; k < g.rows; ++k)
        weights.at<float>(k) = plusPlusSum(g.ptr<float>(k), g.cols, sumOf(a.ptr<float>(k), a.cols));
}

/** w_k = sum(g_k A_k) / (sum(A_k) + 1e-7), 0 where the denominator vanishes. */
void xGradCAMWeights(const Mat& g, const Mat& a, Mat& weights)
{
    weights.create(1, g.rows, CV_32F);
    for (int k = 0; k < g.rows; ++k)
    {
        const float denom = sumOf(a.ptr<float>(k), a.cols) + 1e-7f;
        weights.at<float>(k) = denom != 0 ? dotOf(g.ptr<float>(k), a.ptr<float>(k), a.cols) / denom
                                          : 0.f;
    }
}

// ----------------------------------------------------------------- maps without channel weights

/** sum_k f(g_k) A_k cell by cell, f the identity or ReLU. */
template <bool relu>
void elementwiseMap(const Mat& g, const Mat& a, Mat& map)
{
    map.create(1, g.cols, CV_32F);
    map.setTo(0);
    for (int k = 0; k < g.rows; ++k)
        addProduct(g.ptr<float>(k), a.ptr<float>(k), g.cols, relu, map.ptr<float>());
}

void eigenGradMap(const Mat& g, const Mat& a, Mat& map)
{
    Mat product;
    multiply(g, a, product);
    eigenProjection(product, map);
}

// ---------------------------------------------------------------------------------- the family

void gradientMaps(const MethodContext& ctx, const std::vector<int>& classes, TargetHook target,
                  WeightsHook weights, MapHook map, std::vector<Mat>& maps)
{
    const Mat& a = ctx.features;
    Mat seeds, grads, rows((int)classes.size(), a.cols, CV_32F);
    target(ctx, classes, seeds);
    gradients(ctx, seeds, grads);
    // The classes in parallel, as the forward pass is (what runs inside is then serial); not
    // for small blobs, where waking the other threads costs more than it saves.
    const bool large = (double)a.total() * rows.rows >= 1e5;
    Mat w = weights ? Mat(rows.rows, a.rows, CV_32F) : Mat();
    parallel_for_(Range(0, rows.rows), [&](const Range& r) {
        for (int i = r.start; i < r.end; ++i)
        {
            const Mat g = grads.row(i).reshape(1, a.rows);
            const Mat dst = weights ? w.row(i) : rows.row(i);
            Mat out = dst;  // the hooks write in place unless they reallocate
            if (weights)
                weights(g, a, out);
            else
                map(g, a, out);
            if (out.data != dst.data)
                out.copyTo(dst);
        }
    }, large ? -1.0 : 1.0);
    if (weights)  // the maps of all classes in one product
        weightedSum(w, a, rows);
    checkFinite(rows, "map (feature blob or head parameters)");
    splitRows(rows, ctx.height, maps);
}

} // namespace

void gradCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    gradientMaps(ctx, classes, logitTarget, gradCAMWeights, nullptr, maps);
}

void gradCAMPlusPlus(const MethodContext& ctx, const std::vector<int>& classes,
                     std::vector<Mat>& maps)
{
    gradientMaps(ctx, classes, logitTarget, gradCAMPlusPlusWeights, nullptr, maps);
}

void xGradCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    gradientMaps(ctx, classes, logitTarget, xGradCAMWeights, nullptr, maps);
}

void hiResCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    gradientMaps(ctx, classes, logitTarget, nullptr, elementwiseMap<false>, maps);
}

void layerCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    gradientMaps(ctx, classes, logitTarget, nullptr, elementwiseMap<true>, maps);
}

void eigenGradCAM(const MethodContext& ctx, const std::vector<int>& classes,
                  std::vector<Mat>& maps)
{
    gradientMaps(ctx, classes, logitTarget, nullptr, eigenGradMap, maps);
}

void finerCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    gradientMaps(ctx, classes, finerTarget, gradCAMWeights, nullptr, maps);
}

}}} // namespace cv::xcam::detail
