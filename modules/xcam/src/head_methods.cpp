// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "head_methods.hpp"
#include "eigen_top.hpp"

#include <functional>

namespace cv {
namespace xcam {
namespace detail {

namespace {

bool closedForm(const HeadContext& ctx)
{
    return ctx.layers->camHead && ctx.params.closedForm;
}

const Head& requireHead(const HeadContext& ctx, int method)
{
    if (!ctx.head)
        CV_Error_(Error::StsNotImplemented, ("%s needs a head xcam can differentiate: %s",
                                             getCAMMethodName(method).c_str(),
                                             ctx.headError.c_str()));
    return *ctx.head;
}

/** Row c of the GAP->FC weights (class-map head: the one-hot row of channel c). */
Mat classWeights(const HeadContext& ctx, int c)
{
    if (!ctx.layers->classMap)
        return ctx.layers->weights.row(c);
    Mat row = Mat::zeros(1, ctx.features.rows, CV_32F);
    row.at<float>(c) = 1.f;
    return row;
}

/** k x (C*H*W): the gradient of each class's logit with respect to A. */
void gradients(const HeadContext& ctx, int method, const std::vector<int>& classes, Mat& grads)
{
    const int channels = ctx.features.rows, cells = ctx.features.cols;
    if (!closedForm(ctx))
    {
        requireHead(ctx, method).gradients(ctx.features.reshape(1, 1), classes, grads);
        return;
    }
    // GAP->FC: d y_c / d A_k(i,j) = W[c,k] / (H*W) at every cell.
    grads.create((int)classes.size(), channels * cells, CV_32F);
    for (size_t i = 0; i < classes.size(); ++i)
    {
        const Mat w = classWeights(ctx, classes[i]);
        Mat g = grads.row((int)i).reshape(1, channels);
        for (int k = 0; k < channels; ++k)
            g.row(k).setTo(w.at<float>(k) / cells);
    }
}

/** Runs the head on `count` modified copies of A (fill(index, row) writes copy `index`),
    params.batchSize at a time; logits is count x K. */
void reevaluate(const HeadContext& ctx, int method, int count,
                const std::function<void(int, Mat&)>& fill, Mat& logits)
{
    const Head& head = requireHead(ctx, method);
    const Mat a = ctx.features.reshape(1, 1);
    for (int start = 0; start < count; start += ctx.params.batchSize)
    {
        const int n = std::min(ctx.params.batchSize, count - start);
        Mat batch(n, a.cols, CV_32F), out;
        for (int i = 0; i < n; ++i)
        {
            Mat row = batch.row(i);
            a.copyTo(row);
            fill(start + i, row);
        }
        head.forward(batch, out);
        if (logits.empty())
            logits.create(count, out.cols, CV_32F);
        out.copyTo(logits.rowRange(start, start + n));
        if (ctx.progress && !ctx.progress(start + n, count))
            CV_Error(Error::StsError, "cancelled by the progress callback");
    }
}

/** The logits the head gives A itself (checked against the net's in the model). */
Mat headLogits(const HeadContext& ctx, int method)
{
    Mat logits;
    requireHead(ctx, method).forward(ctx.features.reshape(1, 1), logits);
    return logits;
}

/** Ablation-CAM weights (k x C): (y_c - y_c^(k)) / y_c, unscaled when y_c = 0. */
void ablationWeights(const HeadContext& ctx, const std::vector<int>& classes, Mat& weights)
{
    const int channels = ctx.features.rows, cells = ctx.features.cols, k = (int)classes.size();
    std::vector<float> y(k);
    weights.create(k, channels, CV_32F);
    if (closedForm(ctx))
    {
        // Zeroing A_k takes W[c,k] * mean(A_k) out of the logit W[c] . mean(A) + b_c.
        Mat means;
        reduce(ctx.features, means, 1, REDUCE_AVG);
        for (int i = 0; i < k; ++i)
        {
            const Mat w = classWeights(ctx, classes[i]);
            Mat row = weights.row(i);
            multiply(w, means.t(), row);
            const Mat& bias = ctx.layers->bias;
            y[i] = (float)sum(row)[0] + (bias.empty() ? 0.f : bias.at<float>(classes[i]));
        }
    }
    else
    {
        const Mat logits = headLogits(ctx, CAM_METHOD_ABLATIONCAM);
        Mat ablated;
        reevaluate(ctx, CAM_METHOD_ABLATIONCAM, channels,
                   [cells](int c, Mat& row) { row.colRange(c * cells, (c + 1) * cells) = 0.f; },
                   ablated);
        for (int i = 0; i < k; ++i)
        {
            y[i] = logits.at<float>(classes[i]);
            Mat row = weights.row(i);
            subtract(Scalar::all(y[i]), ablated.col(classes[i]).t(), row);
        }
    }
    for (int i = 0; i < k; ++i)
        if (y[i] != 0.f)
            weights.row(i) /= y[i];
}

/** The paper's 3x3 Gaussian spread of Recipro-CAM. */
Mat reciproKernel()
{
    return (Mat_<float>(3, 3) << 1 / 16.f, 1 / 8.f, 1 / 16.f, 1 / 8.f, 1 / 4.f, 1 / 8.f,
            1 / 16.f, 1 / 8.f, 1 / 16.f);
}

/** Recipro-CAM maps (k x H*W): the class's logit of the head on A masked around each cell. */
void reciproMaps(const HeadContext& ctx, const std::vector<int>& classes, Mat& maps)
{
    const int h = ctx.height, w = ctx.width, cells = h * w;
    const bool gaussian = ctx.params.reciproGaussian;
    const Mat kernel = gaussian ? reciproKernel() : Mat::ones(1, 1, CV_32F);
    maps.create((int)classes.size(), cells, CV_32F);
    if (closedForm(ctx))
    {
        // head(A . M_ij) = W (sum_p A(p) M_ij(p)) / (H*W) + b: the CAM filtered by the mask.
        for (size_t i = 0; i < classes.size(); ++i)
        {
            Mat cam = classWeights(ctx, classes[i]) * ctx.features, row = maps.row((int)i);
            filter2D(cam.reshape(1, h), cam, CV_32F, kernel, Point(-1, -1), 0, BORDER_CONSTANT);
            const float b = ctx.layers->bias.empty() ? 0.f : ctx.layers->bias.at<float>(classes[i]);
            cam.reshape(1, 1).convertTo(row, CV_32F, 1.0 / cells, b);
        }
        return;
    }
    const int channels = ctx.features.rows;
    Mat logits;
    reevaluate(ctx, CAM_METHOD_RECIPROCAM, cells, [&](int p, Mat& row) {
        Mat mask = Mat::zeros(h, w, CV_32F);
        mask.at<float>(p / w, p % w) = 1.f;
        if (gaussian)
            filter2D(mask, mask, CV_32F, kernel, Point(-1, -1), 0, BORDER_CONSTANT);
        Mat flat = mask.reshape(1, 1);
        for (int k = 0; k < channels; ++k)
        {
            Mat part = row.colRange(k * cells, (k + 1) * cells);
            multiply(part, flat, part);
        }
    }, logits);
    for (size_t i = 0; i < classes.size(); ++i)
        Mat(logits.col(classes[i]).t()).copyTo(maps.row((int)i));
}

} // namespace

void eigenProjection(const Mat& m, Mat& map)
{
    Mat x;
    m.convertTo(x, CV_64F);
    Mat means;
    reduce(x, means, 1, REDUCE_AVG);
    x -= repeat(means, 1, x.cols);  // centred per channel
    // X^T v1 = sigma u1: from the smaller Gram matrix (X = x^T is (H*W) x C).
    Mat projection, gram, values, vectors;
    const bool cellsFewer = x.cols <= x.rows;
    mulTransposed(x, gram, cellsFewer);  // the smaller of x^T x ((H*W)^2) and x x^T (C^2)
    topEigen(gram, values, vectors);  // the first eigenpair only
    if (cellsFewer)  // u1, with eigenvalue sigma^2
        projection = vectors.row(0) * std::sqrt(std::max(values.at<double>(0), 0.0));
    else             // v1
        projection = vectors.row(0) * x;
    Mat sum;
    reduce(m, sum, 0, REDUCE_SUM, CV_64F);
    const double corr = (projection - mean(projection)[0]).dot(sum - mean(sum)[0]);
    if (corr < 0)
        projection = -projection;
    projection.convertTo(map, CV_32F);
}

namespace {

/** Channel weights of Grad-CAM, Grad-CAM++ and XGrad-CAM (1 x C) from g and A (C x H*W). */
void gradientWeights(int method, const Mat& g, const Mat& a, Mat& weights)
{
    weights.create(1, g.rows, CV_32F);
    for (int k = 0; k < g.rows; ++k)
    {
        const float* gk = g.ptr<float>(k);
        const float* ak = a.ptr<float>(k);
        double sumA = 0, w = 0;
        for (int p = 0; p < g.cols; ++p)
            sumA += ak[p];
        for (int p = 0; p < g.cols; ++p)
        {
            const double gp = gk[p];
            if (method == CAM_METHOD_GRADCAM)
                w += gp / g.cols;
            else if (method == CAM_METHOD_XGRADCAM)
                w += sumA + 1e-7 != 0 ? gp * ak[p] / (sumA + 1e-7) : 0.0;
            else if (gp != 0)  // Grad-CAM++
            {
                const double denom = 2 * gp * gp + sumA * gp * gp * gp + 1e-6;
                w += denom != 0 ? gp * gp / denom * std::max(gp, 0.0) : 0.0;
            }
        }
        weights.at<float>(k) = (float)w;
    }
}

/** One class's map (1 x H*W) of a gradient method from g and A (both C x H*W). */
void gradientMap(int method, const Mat& g, const Mat& a, Mat& map)
{
    if (method == CAM_METHOD_HIRESCAM || method == CAM_METHOD_LAYERCAM ||
        method == CAM_METHOD_EIGENGRADCAM)
    {
        Mat product;
        multiply(method == CAM_METHOD_LAYERCAM ? Mat(max(g, 0.f)) : g, a, product);
        if (method == CAM_METHOD_EIGENGRADCAM)
            eigenProjection(product, map);
        else
            reduce(product, map, 0, REDUCE_SUM);
        return;
    }
    Mat weights;
    gradientWeights(method, g, a, weights);
    weightedSum(weights, a, map);
}

} // namespace

bool headSupports(const HeadContext& ctx, int method)
{
    if (method == CAM_METHOD_EIGENCAM)
        return true;
    return closedForm(ctx) || ctx.head != nullptr;
}

void headMethodMaps(const HeadContext& ctx, int method, const std::vector<int>& classes,
                    Mat& maps)
{
    const Mat& a = ctx.features;
    const int k = (int)classes.size();
    maps.create(k, a.cols, CV_32F);
    if (method == CAM_METHOD_EIGENCAM)
    {
        Mat map;
        eigenProjection(a, map);
        for (int i = 0; i < k; ++i)
            map.copyTo(maps.row(i));
    }
    else if (method == CAM_METHOD_ABLATIONCAM)
    {
        Mat weights;
        ablationWeights(ctx, classes, weights);
        weightedSum(weights, a, maps);
    }
    else if (method == CAM_METHOD_RECIPROCAM)
        reciproMaps(ctx, classes, maps);
    else
    {
        Mat grads;
        gradients(ctx, method, classes, grads);
        for (int i = 0; i < k; ++i)
        {
            Mat map, row = maps.row(i);
            gradientMap(method, grads.row(i).reshape(1, a.rows), a, map);
            map.copyTo(row);
        }
    }
    checkFinite(maps, "map (feature blob or head parameters)");
}

}}} // namespace cv::xcam::detail
