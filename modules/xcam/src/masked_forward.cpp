// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Masked batched forward passes for DetectorModel (see masked_forward.hpp).

#include "masked_forward.hpp"

#include "opencv2/core/utils/logger.hpp"

#include <algorithm>

namespace cv {
namespace xcam {
namespace detail {

Size maskSize(const Mat& blob, bool nhwc)
{
    CV_Assert(blob.dims == 4 && blob.size[0] == 1);
    return nhwc ? Size(blob.size[2], blob.size[1]) : Size(blob.size[3], blob.size[2]);
}

namespace {

typedef std::function<void(int index, const std::vector<Mat>& outputs)> OutputsVisitor;

// Every output is one input's shape with the batch as its first dimension (and can be cut into
// per-input headers).
bool batchShaped(const std::vector<Mat>& outs, const std::vector<dnn::MatShape>& shapes, int n)
{
    if (outs.empty() || outs.size() != shapes.size())
        return false;
    for (size_t k = 0; k < outs.size(); ++k)
    {
        dnn::MatShape expected = shapes[k];
        if (expected.empty())
            return false;
        expected[0] = n;
        if (dnn::shape(outs[k]) != expected || !outs[k].isContinuous())
            return false;
    }
    return true;
}

// Headers on input i's part of each batched output, batch dimension 1.
void sliceOutputs(const std::vector<Mat>& outs, int i, std::vector<Mat>& one)
{
    one.resize(outs.size());
    for (size_t k = 0; k < outs.size(); ++k)
    {
        const Mat& o = outs[k];
        std::vector<int> shape(o.size.p, o.size.p + o.dims);
        shape[0] = 1;
        one[k] = Mat(o.dims, shape.data(), o.type(), (void*)o.ptr(i));
    }
}

// Visits the outputs of each input of `batch`: one forward pass when the net takes the batch,
// else one pass per input (remembered in `batchOne`).
void forwardEach(const MaskedNet& net, const Mat& batch, bool& batchOne,
                 const OutputsVisitor& visit)
{
    const int n = batch.size[0];
    std::vector<Mat> outs, one;
    if (n > 1 && !batchOne)
    {
        bool ok = false;
        try
        {
            net.forward(batch, outs);
            ok = batchShaped(outs, net.outputShapes, n);
        }
        catch (const cv::Exception&)
        {
        }
        if (ok)
        {
            for (int i = 0; i < n; ++i)
            {
                sliceOutputs(outs, i, one);
                visit(i, one);
            }
            return;
        }
        batchOne = true;
        CV_LOG_WARNING(NULL, "xcam: the detector does not take a batch of " << n
                       << " inputs; running them one at a time");
    }
    for (int i = 0; i < n; ++i)
    {
        const Range rows[] = {Range(i, i + 1), Range::all(), Range::all(), Range::all()};
        net.forward(batch(rows), outs);
        visit(i, outs);
    }
}

// inputs[i] = blob ⊙ masks[i], the mask repeated over the channels of either layout.
void applyMasks(const Mat& blob, bool nhwc, const Mat& masks, Mat& inputs)
{
    const int plane = maskSize(blob, nhwc).area();
    const int channels = (int)(blob.total() / plane);
    const float* src = blob.ptr<float>();
    parallel_for_(Range(0, masks.rows), [&](const Range& r) {
        for (int i = r.start; i < r.end; ++i)
        {
            const float* m = masks.ptr<float>(i);
            float* dst = inputs.ptr<float>() + (size_t)i * plane * channels;
            if (nhwc)
                for (int p = 0; p < plane; ++p)
                    for (int c = 0; c < channels; ++c)
                        dst[p * channels + c] = src[p * channels + c] * m[p];
            else
                for (int c = 0; c < channels; ++c)
                    for (int p = 0; p < plane; ++p)
                        dst[c * plane + p] = src[c * plane + p] * m[p];
        }
    });
}

} // namespace

void runMaskedForwards(const MaskedNet& net, int count, int batchSize, int numScores,
                       const MaskFiller& fill, const OutputScorer& score,
                       const ScoresReader& read)
{
    const Mat& blob = net.blob;
    CV_Assert(blob.dims == 4 && blob.size[0] == 1 && blob.type() == CV_32F &&
              blob.isContinuous() && numScores >= 1);
    if (batchSize < 1)
        CV_Error_(Error::StsOutOfRange, ("batchSize must be at least 1, got %d", batchSize));
    const int batch = std::min(batchSize, std::max(count, 1));
    std::vector<int> shape(blob.size.p, blob.size.p + 4);
    shape[0] = batch;
    Mat inputs(4, shape.data(), CV_32F), masks(batch, maskSize(blob, net.nhwc).area(), CV_32F);
    Mat scores(batch, numScores, CV_32F);
    bool batchOne = net.batchOne && *net.batchOne;
    for (int start = 0; start < count; start += batch)
    {
        const int n = std::min(batch, count - start);
        Mat m = masks.rowRange(0, n);
        fill(start, m);
        applyMasks(blob, net.nhwc, m, inputs);
        const Range rows[] = {Range(0, n), Range::all(), Range::all(), Range::all()};
        forwardEach(net, inputs(rows), batchOne,
                    [&](int i, const std::vector<Mat>& outs) { score(outs, scores.ptr<float>(i)); });
        if (net.batchOne)
            *net.batchOne = batchOne;
        read(start, m, scores.rowRange(0, n));
        if (net.progress && !net.progress(start + n, count))
            CV_Error(Error::StsError, "cancelled by the progress callback");
    }
}

RiseMaskSource::RiseMaskSource(Size size_, int gridSize, double keepProbability, int seed)
    : size(size_), grid(gridSize), p(keepProbability), rng((uint64)(int64)seed)
{
    CV_Assert(size.width > 0 && size.height > 0 && grid >= 1);
    cell = Size((size.width + grid - 1) / grid, (size.height + grid - 1) / grid);
}

void RiseMaskSource::fill(Mat& masks)
{
    CV_Assert(masks.type() == CV_32F && masks.cols == size.area());
    // Random numbers drawn in mask order; at p = 0.5 every odd mask is the complement of the
    // one before it, with the same shift (antithetic pairs: each pixel kept exactly half the time).
    std::vector<Mat> grids(masks.rows);
    std::vector<Point> shifts(masks.rows);
    for (int i = 0; i < masks.rows; ++i, ++drawn)
    {
        if (p == 0.5 && drawn % 2 == 1)
        {
            grids[i] = 1.f - previous;
            shifts[i] = previousShift;
            continue;
        }
        grids[i].create(grid, grid, CV_32F);
        for (float& c : Mat_<float>(grids[i]))
            c = rng.uniform(0.f, 1.f) < p ? 1.f : 0.f;
        shifts[i].x = rng.uniform(0, cell.width);
        shifts[i].y = rng.uniform(0, cell.height);
        previous = grids[i];
        previousShift = shifts[i];
    }
    const Size up((grid + 1) * cell.width, (grid + 1) * cell.height);
    parallel_for_(Range(0, masks.rows), [&](const Range& r) {
        Mat big;
        for (int i = r.start; i < r.end; ++i)
        {
            resize(grids[i], big, up, 0, 0, INTER_LINEAR);
            big(Rect(shifts[i], size)).copyTo(Mat(size, CV_32F, masks.ptr<float>(i)));
        }
    });
}

}}} // namespace cv::xcam::detail
