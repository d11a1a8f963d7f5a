// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The re-evaluation family: the head run on modified copies of the feature blob (Ablation-CAM,
// Recipro-CAM), batched; closed forms on GAP->FC and class-map heads.

#include "method_table.hpp"

#include <functional>

namespace cv {
namespace xcam {
namespace detail {

namespace {

bool closedForm(const MethodContext& ctx)
{
    return ctx.layers->camHead && ctx.params.closedForm;
}

/** Row c of the GAP->FC weights (class-map head: the one-hot row of channel c). */
Mat classWeights(const MethodContext& ctx, int c)
{
    if (!ctx.layers->classMap)
        return ctx.layers->weights.row(c);
    Mat row = Mat::zeros(1, ctx.features.rows, CV_32F);
    row.at<float>(c) = 1.f;
    return row;
}

float classBias(const MethodContext& ctx, int c)
{
    return ctx.layers->bias.empty() ? 0.f : ctx.layers->bias.at<float>(c);
}

/** Runs the head on `count` modified copies of A (fill(index, row) writes copy `index`),
    params.batchSize at a time; logits is count x K. */
void reevaluate(const MethodContext& ctx, int count, const std::function<void(int, Mat&)>& fill,
                Mat& logits)
{
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
        ctx.head->forward(batch, out);
        if (logits.empty())
            logits.create(count, out.cols, CV_32F);
        out.copyTo(logits.rowRange(start, start + n));
        reportProgress(ctx.engine.progress, start + n, count);
    }
}

/** Ablation-CAM weights (k x C): (y_c - y_c^(k)) / y_c, unscaled when y_c = 0. */
void ablationWeights(const MethodContext& ctx, const std::vector<int>& classes, Mat& weights)
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
            Mat row = weights.row(i);
            multiply(classWeights(ctx, classes[i]), means.t(), row);
            y[i] = (float)sum(row)[0] + classBias(ctx, classes[i]);
        }
    }
    else
    {
        Mat logits, ablated;
        ctx.head->forward(ctx.features.reshape(1, 1), logits);
        reevaluate(ctx, channels,
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
void reciproMaps(const MethodContext& ctx, const std::vector<int>& classes, Mat& maps)
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
            cam.reshape(1, 1).convertTo(row, CV_32F, 1.0 / cells, classBias(ctx, classes[i]));
        }
        return;
    }
    const int channels = ctx.features.rows;
    Mat logits;
    reevaluate(ctx, cells, [&](int p, Mat& row) {
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

void ablationCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    Mat weights, rows;
    ablationWeights(ctx, classes, weights);
    weightedSum(weights, ctx.features, rows);
    checkFinite(rows, "map (feature blob or head parameters)");
    splitRows(rows, ctx.height, maps);
}

void reciproCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    Mat rows;
    reciproMaps(ctx, classes, rows);
    checkFinite(rows, "map (feature blob or head parameters)");
    splitRows(rows, ctx.height, maps);
}

}}} // namespace cv::xcam::detail
