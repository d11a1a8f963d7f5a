// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Score-CAM, occlusion sensitivity and RISE: forward passes of masked copies of the input blob
// (runMasked), every class of interest read from the same forwards.

#include "perturb.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cv {
namespace xcam {
namespace detail {

void softmaxRows(const Mat& logits, Mat& probs)
{
    CV_Assert(logits.type() == CV_32F && logits.dims == 2);
    Mat out(logits.size(), CV_32F);
    std::vector<double> e(logits.cols);
    for (int i = 0; i < logits.rows; ++i)
    {
        const float* x = logits.ptr<float>(i);
        const double top = *std::max_element(x, x + logits.cols);
        double total = 0;
        for (int j = 0; j < logits.cols; ++j)
            total += e[j] = std::exp((double)x[j] - top);
        float* p = out.ptr<float>(i);
        for (int j = 0; j < logits.cols; ++j)
            p[j] = (float)(e[j] / total);
    }
    probs = out;
}

void checkClassIds(const std::vector<int>& classIds, int numClasses)
{
    for (int id : classIds)
        if (id < 0 || id >= numClasses)
            CV_Error_(Error::StsOutOfRange, ("classId %d is out of range [0, %d)", id, numClasses));
}

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

} // namespace

void resizeAlignCorners(const Mat& src, Size dsize, Mat& dst)
{
    CV_Assert(src.type() == CV_32FC1 && !src.empty() && dsize.width > 0 && dsize.height > 0);
    std::vector<int> xi, yi;
    std::vector<float> xf, yf;
    alignCornersTaps(src.cols, dsize.width, xi, xf);
    alignCornersTaps(src.rows, dsize.height, yi, yf);
    dst.create(dsize, CV_32F);
    for (int y = 0; y < dsize.height; ++y)
    {
        const float* r0 = src.ptr<float>(yi[y]);
        const float* r1 = src.ptr<float>(std::min(yi[y] + 1, src.rows - 1));
        const float fy = yf[y];
        float* out = dst.ptr<float>(y);
        for (int x = 0; x < dsize.width; ++x)
        {
            const int x0 = xi[x], x1 = std::min(x0 + 1, src.cols - 1);
            const float top = r0[x0] + (r0[x1] - r0[x0]) * xf[x];
            const float bottom = r1[x0] + (r1[x1] - r1[x0]) * xf[x];
            out[x] = top + (bottom - top) * fy;
        }
    }
}

void runMasked(CAMModel& model, const Mat& blob, const Mat& base, int count, int batchSize,
               const MaskWriter& writeMasks, const LogitsReader& readLogits,
               const CAMProgressCallback& progress)
{
    CV_Assert(blob.dims == 4 && blob.size[0] == 1 && blob.type() == CV_32F && blob.isContinuous());
    CV_Assert(base.empty() || (base.size == blob.size && base.type() == CV_32F));
    if (batchSize < 1)
        CV_Error_(Error::StsOutOfRange, ("batchSize must be at least 1, got %d", batchSize));
    if (count <= 0)
        return;
    const int channels = blob.size[1], plane = blob.size[2] * blob.size[3];
    const int batch = std::min(batchSize, count);
    const int shape[] = {batch, channels, blob.size[2], blob.size[3]};
    Mat inputs(4, shape, CV_32F), masks(batch, plane, CV_32F), diff, logits;
    if (base.empty())
        diff = blob;
    else
        subtract(blob, base, diff);  // input = base + mask * (blob - base)
    for (int start = 0; start < count; start += batch)
    {
        const int n = std::min(batch, count - start);
        Mat m = masks.rowRange(0, n);
        writeMasks(start, m);
        parallel_for_(Range(0, n * channels), [&](const Range& r) {
            for (int t = r.start; t < r.end; ++t)  // plane t: input t / channels, channel c
            {
                const size_t c = (size_t)(t % channels) * plane;
                Mat dst(1, plane, CV_32F, inputs.ptr<float>() + (size_t)t * plane);
                multiply(m.row(t / channels), Mat(1, plane, CV_32F, diff.ptr<float>() + c), dst);
                if (!base.empty())
                    add(dst, Mat(1, plane, CV_32F, (void*)(base.ptr<float>() + c)), dst);
            }
        });
        const Range rows[] = {Range(0, n), Range::all(), Range::all(), Range::all()};
        model.forwardBatch(inputs(rows), logits, batchSize);
        readLogits(start, m, logits);
        if (progress && !progress(start + n, count))
            CV_Error(Error::StsError, "cancelled by the progress callback");
    }
}

namespace {

// The model's last input blob, checked: 1 x C x H x W CV_32F.
Mat inputBlob(const CAMModel& model)
{
    Mat blob = model.getInputBlob();
    if (blob.dims != 4 || blob.size[0] != 1 || blob.type() != CV_32F)
        CV_Error(Error::StsBadArg, "the perturbation methods need a 1xCxHxW CV_32F input blob");
    return blob;
}

// Columns `ids` of the softmax (or, with `raw`, of the logits) of each row.
Mat classColumns(const Mat& logits, const std::vector<int>& ids, bool raw = false)
{
    Mat p = logits;
    if (!raw)
        softmaxRows(logits, p);
    Mat out(logits.rows, (int)ids.size(), CV_32F);
    for (int i = 0; i < logits.rows; ++i)
        for (size_t j = 0; j < ids.size(); ++j)
            out.at<float>(i, (int)j) = p.at<float>(i, ids[j]);
    return out;
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
        resizeAlignCorners(channel, size, up);
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

void scoreCAM(CAMModel& model, const std::vector<int>& ids, const CAMMethodParams& params,
              std::vector<Mat>& maps, const CAMProgressCallback& progress)
{
    if (params.maxChannels < 0)
        CV_Error_(Error::StsOutOfRange, ("maxChannels must not be negative, got %d",
                                         params.maxChannels));
    const Mat blob = inputBlob(model), features = model.getFeatures();
    int h = 0, w = 0;
    const Mat A = featureRows(features, h, w, "feature blob");
    checkFinite(A, "feature blob");
    const std::vector<int> channels = scoreCAMChannels(A, params);
    const Size inputSize(blob.size[3], blob.size[2]);
    const bool pytorch = params.channelSoftmax;
    Mat scores((int)ids.size(), (int)channels.size(), CV_32F);  // class x selected channel
    runMasked(model, blob, Mat(), (int)channels.size(), params.batchSize,
        [&](int start, Mat& masks) {
            parallel_for_(Range(0, masks.rows), [&](const Range& r) {
                for (int i = r.start; i < r.end; ++i)
                    channelMask(A.row(channels[start + i]).reshape(1, h), inputSize, pytorch,
                                masks.row(i));
            });
        },
        [&](int start, const Mat&, const Mat& logits) {
            Mat s = classColumns(logits, ids, pytorch).t();
            s.copyTo(scores.colRange(start, start + logits.rows));
        },
        progress);
    if (pytorch && !channels.empty())
        softmaxRows(scores, scores);  // over the channels, per class
    Mat weights = Mat::zeros((int)ids.size(), A.rows, CV_32F), out;
    for (size_t i = 0; i < channels.size(); ++i)
        scores.col((int)i).copyTo(weights.col(channels[i]));
    weightedSum(weights, A, out);
    maps.resize(ids.size());
    for (size_t j = 0; j < ids.size(); ++j)
        maps[j] = out.row((int)j).reshape(1, h).clone();
}

} // namespace

std::vector<int> windowStarts(int size, int patch, int stride)
{
    std::vector<int> starts;
    for (int x = 0; x < size - patch; x += stride)
        starts.push_back(x);
    starts.push_back(size - patch);
    return starts;
}

namespace {

void occlusion(CAMModel& model, const std::vector<int>& ids, const CAMMethodParams& params,
               std::vector<Mat>& maps, const CAMProgressCallback& progress)
{
    if (params.patchSize < 0 || params.stride < 0)
        CV_Error_(Error::StsOutOfRange, ("patchSize and stride must not be negative, got %d and "
                                         "%d", params.patchSize, params.stride));
    const Mat blob = inputBlob(model);
    const int height = blob.size[2], width = blob.size[3];
    const int patch = params.patchSize > 0 ? params.patchSize
                                           : (std::min(height, width) + 6) / 7;  // ceil(min/7)
    const int stride = params.stride > 0 ? params.stride : (patch + 1) / 2;
    if (patch > height || patch > width)
        CV_Error_(Error::StsOutOfRange, ("patchSize %d is larger than the %dx%d input", patch,
                                         width, height));
    const std::vector<int> ys = windowStarts(height, patch, stride),
                           xs = windowStarts(width, patch, stride);
    const int nx = (int)xs.size();
    auto window = [&](int i) { return Rect(xs[i % nx], ys[i / nx], patch, patch); };

    const Mat p0 = classColumns(model.getScores(), ids);
    Mat acc = Mat::zeros((int)ids.size() * height, width, CV_32F);
    Mat counts = Mat::zeros(height, width, CV_32F);
    runMasked(model, blob, Mat(), (int)(ys.size() * xs.size()), params.batchSize,
        [&](int start, Mat& masks) {
            masks.setTo(1);
            for (int i = 0; i < masks.rows; ++i)
                Mat(height, width, CV_32F, masks.ptr<float>(i))(window(start + i)).setTo(0);
        },
        [&](int start, const Mat&, const Mat& logits) {
            const Mat p = classColumns(logits, ids);
            for (int i = 0; i < p.rows; ++i)
            {
                const Rect r = window(start + i);
                counts(r) += 1;
                for (int j = 0; j < p.cols; ++j)
                    acc(r + Point(0, j * height)) += p0.at<float>(j) - p.at<float>(i, j);
            }
        },
        progress);
    counts = max(counts, 1);  // pixels no window covers keep 0
    maps.resize(ids.size());
    for (size_t j = 0; j < ids.size(); ++j)
        divide(acc.rowRange((int)j * height, (int)(j + 1) * height), counts, maps[j]);
}

void rise(CAMModel& model, const std::vector<int>& ids, const CAMMethodParams& params,
          std::vector<Mat>& maps, const CAMProgressCallback& progress)
{
    const double p = params.keepProbability;
    if (params.numMasks <= 0)
        CV_Error_(Error::StsOutOfRange, ("numMasks must be positive, got %d", params.numMasks));
    if (params.gridSize < 1)
        CV_Error_(Error::StsOutOfRange, ("gridSize must be at least 1, got %d", params.gridSize));
    // Below 1e-6 no cell is ever kept and the 1/(N*p) scale overflows to 0 * inf = NaN.
    if (!(p >= 1e-6 && p <= 1))
        CV_Error_(Error::StsOutOfRange, ("keepProbability must be in [1e-6, 1], got %g", p));
    const Mat blob = inputBlob(model);
    const int height = blob.size[2], width = blob.size[3], s = params.gridSize;
    const int cellH = (height + s - 1) / s, cellW = (width + s - 1) / s;
    const Size up((s + 1) * cellW, (s + 1) * cellH);
    RNG rng((uint64)(int64)params.seed);
    Mat acc = Mat::zeros((int)ids.size(), height * width, CV_32F);
    // p = 0.5: masks come in antithetic pairs (a grid, then its complement with the same shift):
    // each mask has RISE's distribution and the expected map is the same, but every pixel is
    // kept exactly half the time, which takes most of the seed-to-seed noise out.
    const bool antithetic = p == 0.5;
    Mat previous;
    Point previousShift;
    runMasked(model, blob, Mat(), params.numMasks, params.batchSize,
        [&](int start, Mat& masks) {
            // Random numbers drawn in mask order, so any batch size gives the same masks.
            std::vector<Mat> grids(masks.rows);
            std::vector<Point> shifts(masks.rows);
            for (int i = 0; i < masks.rows; ++i)
            {
                if (antithetic && (start + i) % 2 == 1)
                {
                    grids[i] = 1.f - previous;
                    shifts[i] = previousShift;
                    continue;
                }
                grids[i].create(s, s, CV_32F);
                for (float& cell : Mat_<float>(grids[i]))
                    cell = rng.uniform(0.f, 1.f) < p ? 1.f : 0.f;
                shifts[i].x = rng.uniform(0, cellW);
                shifts[i].y = rng.uniform(0, cellH);
                previous = grids[i];
                previousShift = shifts[i];
            }
            parallel_for_(Range(0, masks.rows), [&](const Range& r) {
                Mat big;
                for (int i = r.start; i < r.end; ++i)
                {
                    resize(grids[i], big, up, 0, 0, INTER_LINEAR);
                    big(Rect(shifts[i], Size(width, height)))
                        .copyTo(Mat(height, width, CV_32F, masks.ptr<float>(i)));
                }
            });
        },
        [&](int, const Mat& masks, const Mat& logits) {
            Mat part;
            gemm(classColumns(logits, ids), masks, 1.0, noArray(), 0.0, part, GEMM_1_T);
            acc += part;  // sum_i p_c(I . M_i) M_i
        },
        progress);
    acc *= 1.0 / (params.numMasks * p);
    maps.resize(ids.size());
    for (size_t j = 0; j < ids.size(); ++j)
        maps[j] = acc.row((int)j).reshape(1, height).clone();
}

} // namespace

void perturbationMaps(CAMModel& model, int method, const std::vector<int>& classIds,
                      const CAMMethodParams& params, std::vector<Mat>& maps,
                      const CAMProgressCallback& progress)
{
    if (params.batchSize < 1)
        CV_Error_(Error::StsOutOfRange, ("batchSize must be at least 1, got %d",
                                         params.batchSize));
    checkClassIds(classIds, model.getNumClasses());
    switch (method)
    {
    case CAM_METHOD_SCORECAM: scoreCAM(model, classIds, params, maps, progress); break;
    case CAM_METHOD_OCCLUSION: occlusion(model, classIds, params, maps, progress); break;
    case CAM_METHOD_RISE: rise(model, classIds, params, maps, progress); break;
    default:
        CV_Error_(Error::StsBadArg, ("method %d is not a perturbation method (Score-CAM, "
                                     "occlusion, RISE)", method));
    }
}

}}} // namespace cv::xcam::detail
