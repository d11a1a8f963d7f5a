// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// D-RISE, occlusion and Eigen-CAM on a detector: the classifier methods' engine (engine.hpp,
// perturb.hpp) with a scorer that decodes each masked input's proposals and scores them against
// the targets by the D-RISE similarity. Maps at the network input's (or the feature layer's)
// resolution, which DetectorModel resizes to the image.

#include "detector_internal.hpp"
#include "eigen.hpp"
#include "perturb.hpp"

namespace cv {
namespace xcam {
namespace detail {

namespace {

// Input i of a batch output (first dimension the batch) as a batch-1 view.
Mat batchItem(const Mat& out, int i)
{
    std::vector<Range> ranges(out.dims, Range::all());
    ranges[0] = Range(i, i + 1);
    return out(ranges.data());
}

} // namespace

BatchScorer similarityScorer(const DetectorExplainContext& ctx,
                             const std::vector<Detection>& targets)
{
    return [&ctx, &targets](const Mat& blobs, Mat& scores) {
        std::vector<Mat> outs, one;
        ctx.net->forward(blobs, outs);
        const int n = blobs.size[0];
        scores.create(n, (int)targets.size(), CV_32F);
        std::vector<Detection> proposals;
        for (int i = 0; i < n; ++i)
        {
            one.clear();
            for (const Mat& out : outs)
                one.push_back(batchItem(out, i));
            ctx.decode(one, proposals);
            for (size_t t = 0; t < targets.size(); ++t)
                scores.at<float>(i, (int)t) = bestSimilarity(targets[t], proposals);
        }
    };
}

void dRiseMaps(const DetectorExplainContext& ctx, const std::vector<Detection>& targets,
               const CAMMethodParams& params, std::vector<Mat>& maps)
{
    CAMMethodParams p = params;
    if (p.gridSize == 0)
        p.gridSize = kDetectorGridSize;
    Engine engine = ctx.engine;
    engine.scorer = similarityScorer(ctx, targets);
    const RiseMasks check(engine.size(), p);  // the parameters, before any forward pass
    (void)check;
    maps.clear();
    if (targets.empty())
        return;
    Mat rows;
    riseSaliency(engine, p, rows);
    splitRows(rows, engine.size().height, maps);
}

void detectorOcclusionMaps(const DetectorExplainContext& ctx,
                           const std::vector<Detection>& targets, const CAMMethodParams& params,
                           std::vector<Mat>& maps)
{
    Engine engine = ctx.engine;
    engine.scorer = similarityScorer(ctx, targets);
    occlusionWindows(engine.size(), params);  // the parameters, before any forward pass
    maps.clear();
    if (targets.empty())
        return;
    Mat clean(1, (int)targets.size(), CV_32F);  // s_0 per target
    for (size_t t = 0; t < targets.size(); ++t)
        clean.at<float>((int)t) = bestSimilarity(targets[t], ctx.clean);
    Mat rows;
    occlusionSaliency(engine, params, clean, rows);
    splitRows(rows, engine.size().height, maps);
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
