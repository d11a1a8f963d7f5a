// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Occlusion sensitivity: a patch of the input blanked to the blob's zero, slid over it; each
// pixel gets the mean score drop of the windows covering it.

#include "method_table.hpp"
#include "perturb.hpp"

namespace cv {
namespace xcam {
namespace detail {

namespace {

// Window starts along one axis: every `stride` from 0 while below size - patch, then
// size - patch (the last window touches the border).
std::vector<int> windowStarts(int size, int patch, int stride)
{
    std::vector<int> starts;
    for (int x = 0; x < size - patch; x += stride)
        starts.push_back(x);
    starts.push_back(size - patch);
    return starts;
}

} // namespace

std::vector<Rect> occlusionWindows(Size size, const CAMMethodParams& params)
{
    if (params.patchSize < 0 || params.stride < 0)
        CV_Error_(Error::StsOutOfRange, ("patchSize and stride must not be negative, got %d and "
                                         "%d", params.patchSize, params.stride));
    const int patch = params.patchSize > 0 ? params.patchSize
                                           : (std::min(size.width, size.height) + 6) / 7;
    const int stride = params.stride > 0 ? params.stride : (patch + 1) / 2;
    if (patch > size.height || patch > size.width)
        CV_Error_(Error::StsOutOfRange, ("patchSize %d is larger than the %dx%d input", patch,
                                         size.width, size.height));
    std::vector<Rect> windows;
    for (int y : windowStarts(size.height, patch, stride))
        for (int x : windowStarts(size.width, patch, stride))
            windows.push_back(Rect(x, y, patch, patch));
    return windows;
}

void occlusionSaliency(const Engine& engine, const CAMMethodParams& params, const Mat& clean,
                       Mat& maps)
{
    const Size size = engine.size();
    const std::vector<Rect> windows = occlusionWindows(size, params);
    const int targets = clean.cols;
    Mat acc = Mat::zeros(targets * size.height, size.width, CV_32F);  // one map per column
    Mat counts = Mat::zeros(size, CV_32F);
    runMasked(engine, Mat(), (int)windows.size(),
        [&](int start, Mat& masks) {
            masks.setTo(1);
            for (int i = 0; i < masks.rows; ++i)
                Mat(size, CV_32F, masks.ptr<float>(i))(windows[start + i]).setTo(0);
        },
        [&](int start, const Mat&, const Mat& scores) {
            for (int i = 0; i < scores.rows; ++i)
            {
                const Rect r = windows[start + i];
                counts(r) += 1;
                for (int j = 0; j < targets; ++j)
                    acc(r + Point(0, j * size.height)) += clean.at<float>(j) - scores.at<float>(i, j);
            }
        });
    counts = max(counts, 1);  // pixels no window covers keep 0
    maps.create(targets, size.area(), CV_32F);
    for (int j = 0; j < targets; ++j)
    {
        Mat row = maps.row(j).reshape(1, size.height);
        divide(acc.rowRange(j * size.height, (j + 1) * size.height), counts, row);
    }
}

void occlusionMethod(const MethodContext& ctx, const std::vector<int>& classes,
                     std::vector<Mat>& maps)
{
    Engine engine = ctx.engine;
    engine.scorer = classColumns(ctx.engine.scorer, classes, true);
    Mat clean, probs, rows;
    softmaxRows(ctx.logits, probs);
    clean.create(1, (int)classes.size(), CV_32F);
    for (size_t j = 0; j < classes.size(); ++j)
        clean.at<float>((int)j) = probs.at<float>(classes[j]);
    occlusionSaliency(engine, ctx.params, clean, rows);
    splitRows(rows, engine.size().height, maps);
}

}}} // namespace cv::xcam::detail
