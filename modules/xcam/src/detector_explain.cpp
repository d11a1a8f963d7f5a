// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// D-RISE, occlusion and Eigen-CAM on a detector (/work/notes/drise.md): masked forward passes
// scored with the D-RISE similarity; maps at the network input's (or the feature layer's)
// resolution, which DetectorModel resizes to the image.

#include "detector_internal.hpp"
#include "head_methods.hpp"
#include "perturb.hpp"  // windowStarts: the occlusion windows of CAM_METHOD_OCCLUSION

namespace cv {
namespace xcam {
namespace detail {

namespace {

// D-RISE's grid on a detector (the paper's 16 x 16): CAMMethodParams' default (8, classifier
// RISE's) reads as "not set".
const int kDetectorGridSize = 16;

// Each row of `rows` (k x H*W) as an H x W map.
void rowsToMaps(const Mat& rows, Size size, std::vector<Mat>& maps)
{
    maps.resize(rows.rows);
    for (int i = 0; i < rows.rows; ++i)
        maps[i] = rows.row(i).reshape(1, size.height);
}

// Writes, for one masked input, each target's best similarity among its proposals.
OutputScorer similarityScorer(const DetectorExplainContext& ctx,
                              const std::vector<Detection>& targets,
                              std::vector<Detection>& proposals)
{
    return [&ctx, &targets, &proposals](const std::vector<Mat>& outputs, float* scores) {
        ctx.decode(outputs, proposals);
        for (size_t t = 0; t < targets.size(); ++t)
            scores[t] = bestSimilarity(targets[t], proposals);
    };
}

} // namespace

void dRiseMaps(const DetectorExplainContext& ctx, const std::vector<Detection>& targets,
               const CAMMethodParams& params, std::vector<Mat>& maps)
{
    const CAMMethodParams defaults;
    const int n = params.numMasks;
    const int grid = params.gridSize == defaults.gridSize ? kDetectorGridSize : params.gridSize;
    const double p = params.keepProbability;
    if (n <= 0)
        CV_Error_(Error::StsOutOfRange, ("params.numMasks must be positive, got %d", n));
    if (grid < 1)
        CV_Error_(Error::StsOutOfRange, ("params.gridSize must be at least 1, got %d", grid));
    if (!(p >= 1e-6 && p <= 1))
        CV_Error_(Error::StsOutOfRange, ("params.keepProbability must be in [1e-6, 1], got %g",
                                         p));
    if (targets.empty())
    {
        maps.clear();
        return;
    }
    const Size size = maskSize(ctx.net.blob, ctx.net.nhwc);
    RiseMaskSource source(size, grid, p, params.seed);
    Mat acc = Mat::zeros((int)targets.size(), size.area(), CV_32F);
    std::vector<Detection> proposals;
    runMaskedForwards(ctx.net, n, params.batchSize, (int)targets.size(),
        [&](int, Mat& masks) { source.fill(masks); },
        similarityScorer(ctx, targets, proposals),
        [&](int, const Mat& masks, const Mat& weights) {
            Mat part;
            gemm(weights, masks, 1.0, noArray(), 0.0, part, GEMM_1_T);
            acc += part;  // sum_i w_i M_i
        });
    acc *= 1.0 / (n * p);
    rowsToMaps(acc, size, maps);
}

void detectorOcclusionMaps(const DetectorExplainContext& ctx,
                           const std::vector<Detection>& targets, const CAMMethodParams& params,
                           std::vector<Mat>& maps)
{
    if (params.patchSize < 0 || params.stride < 0)
        CV_Error_(Error::StsOutOfRange, ("params.patchSize and params.stride must not be "
                                         "negative, got %d and %d", params.patchSize,
                                         params.stride));
    const Size size = maskSize(ctx.net.blob, ctx.net.nhwc);
    const int patch = params.patchSize > 0 ? params.patchSize
                                           : (std::min(size.width, size.height) + 6) / 7;
    const int stride = params.stride > 0 ? params.stride : (patch + 1) / 2;
    if (patch > size.width || patch > size.height)
        CV_Error_(Error::StsOutOfRange, ("params.patchSize %d is larger than the %dx%d input",
                                         patch, size.width, size.height));
    maps.clear();
    if (targets.empty())
        return;
    const std::vector<int> ys = windowStarts(size.height, patch, stride),
                           xs = windowStarts(size.width, patch, stride);
    const int nx = (int)xs.size(), k = (int)targets.size();
    auto window = [&](int i) { return Rect(xs[i % nx], ys[i / nx], patch, patch); };
    std::vector<float> s0(k);
    for (int t = 0; t < k; ++t)
        s0[t] = bestSimilarity(targets[t], ctx.clean);
    Mat acc = Mat::zeros(k * size.height, size.width, CV_32F);
    Mat counts = Mat::zeros(size, CV_32F);
    std::vector<Detection> proposals;
    runMaskedForwards(ctx.net, (int)(ys.size() * xs.size()), params.batchSize, k,
        [&](int start, Mat& masks) {
            masks.setTo(1);
            for (int i = 0; i < masks.rows; ++i)
                Mat(size, CV_32F, masks.ptr<float>(i))(window(start + i)).setTo(0);
        },
        similarityScorer(ctx, targets, proposals),
        [&](int start, const Mat&, const Mat& s) {
            for (int i = 0; i < s.rows; ++i)
            {
                const Rect r = window(start + i);
                counts(r) += 1;
                for (int t = 0; t < k; ++t)
                    acc(r + Point(0, t * size.height)) += s0[t] - s.at<float>(i, t);
            }
        });
    counts = max(counts, 1);  // pixels no window covers keep 0
    Mat rows(k, size.area(), CV_32F);
    for (int t = 0; t < k; ++t)
    {
        Mat avg(size, CV_32F, rows.ptr<float>(t));
        divide(acc.rowRange(t * size.height, (t + 1) * size.height), counts, avg);
    }
    rowsToMaps(rows, size, maps);
}

void detectorEigenMap(const Mat& features, Mat& map)
{
    if (features.dims != 4 || features.size[0] != 1)
        CV_Error_(Error::StsBadSize, ("the feature layer output must be a 1 x C x H x W map, got "
                                      "%d dimensions (%d values): choose another with "
                                      "setFeatureLayer", features.dims, (int)features.total()));
    int h = 0, w = 0;
    const Mat a = featureRows(features, h, w, "feature layer output");
    checkFinite(a, "feature layer output");
    Mat row;
    eigenProjection(a, row);
    map = row.reshape(1, h);
}

}}} // namespace cv::xcam::detail
