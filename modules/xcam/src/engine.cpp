// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "engine.hpp"

#include "opencv2/core/utils/logger.hpp"

#include <cstring>

namespace cv {
namespace xcam {
namespace detail {

BatchedNet::BatchedNet(const dnn::Net& net_, const std::vector<String>& outputs)
    : net(net_), names(outputs)
{
}

void BatchedNet::forward(const Mat& blobs, std::vector<Mat>& outs)
{
    const int n = blobs.size[0];
    if (n == 1 || !oneAtATime)
    {
        bool batched = false;
        try
        {
            net.setInput(blobs);
            net.forward(outs, names);
            batched = isBatchOf(outs, n);
        }
        catch (const cv::Exception&)
        {
            if (n == 1)
                throw;
        }
        if (batched)
            return;
        CV_Assert(n > 1);
        oneAtATime = true;
        CV_LOG_WARNING(NULL, "xcam: the net does not take a batch of " << n
                       << " inputs; running them one at a time");
    }
    forwardOneAtATime(blobs, outs);
}

bool BatchedNet::isBatchOf(const std::vector<Mat>& outs, int n) const
{
    for (size_t j = 0; j < outs.size(); ++j)
    {
        if (outs[j].dims < 1 || outs[j].size[0] != n)
            return false;
        if (j < itemShapes.size())
        {
            dnn::MatShape shape = dnn::shape(outs[j]);
            shape[0] = 1;
            if (shape != itemShapes[j])
                return false;
        }
    }
    return true;
}

void BatchedNet::forwardOneAtATime(const Mat& blobs, std::vector<Mat>& outs)
{
    const int n = blobs.size[0];
    std::vector<Mat> one;
    for (int i = 0; i < n; ++i)
    {
        std::vector<Range> rows(blobs.dims, Range::all());
        rows[0] = Range(i, i + 1);
        net.setInput(blobs(rows.data()).clone());
        net.forward(one, names);
        outs.resize(one.size());
        for (size_t j = 0; j < one.size(); ++j)
        {
            CV_Assert(one[j].isContinuous() && one[j].dims >= 1 && one[j].size[0] == 1);
            std::vector<int> shape(one[j].size.p, one[j].size.p + one[j].dims);
            shape[0] = n;
            if (i == 0)
                outs[j].create((int)shape.size(), shape.data(), one[j].type());
            if (outs[j].total() != n * one[j].total())
                CV_Error(Error::StsError, "the net's outputs change shape from one input to the "
                                          "next: they cannot be stacked");
            const size_t bytes = one[j].total() * one[j].elemSize();
            std::memcpy(outs[j].data + i * bytes, one[j].data, bytes);
        }
    }
}

Size Engine::size() const
{
    return channelsLast ? Size(blob.size[2], blob.size[1]) : Size(blob.size[3], blob.size[2]);
}

int Engine::channels() const
{
    return channelsLast ? blob.size[3] : blob.size[1];
}

namespace {

/** dst = mask ⊙ diff (+ base) for one input in NCHW: the mask applied to each channel plane. */
void maskPlanes(const float* mask, const float* diff, const float* base, int channels, int plane,
                float* dst)
{
    const Mat m(1, plane, CV_32F, (void*)mask);
    for (int c = 0; c < channels; ++c)
    {
        Mat out(1, plane, CV_32F, dst + (size_t)c * plane);
        multiply(m, Mat(1, plane, CV_32F, (void*)(diff + (size_t)c * plane)), out);
        if (base)
            add(out, Mat(1, plane, CV_32F, (void*)(base + (size_t)c * plane)), out);
    }
}

/** The same in NHWC: each pixel's channels scaled by its mask value. */
void maskPixels(const float* mask, const float* diff, const float* base, int channels, int plane,
                float* dst)
{
    for (int p = 0; p < plane; ++p)
        for (int c = 0; c < channels; ++c)
        {
            const size_t i = (size_t)p * channels + c;
            dst[i] = mask[p] * diff[i] + (base ? base[i] : 0.f);
        }
}

} // namespace

void runMasked(const Engine& engine, const Mat& base, int count, const MaskWriter& writeMasks,
               const ScoresReader& readScores)
{
    const Mat& blob = engine.blob;
    CV_Assert(blob.dims == 4 && blob.size[0] == 1 && blob.type() == CV_32F && blob.isContinuous());
    CV_Assert(base.empty() || (base.size == blob.size && base.type() == CV_32F &&
                               base.isContinuous()));
    checkBatchSize(engine.batchSize, "batchSize");
    if (count <= 0)
        return;
    const int channels = engine.channels(), plane = (int)(blob.total() / channels);
    const int batch = std::min(engine.batchSize, count);
    std::vector<int> shape(blob.size.p, blob.size.p + 4);
    shape[0] = batch;
    Mat inputs(4, shape.data(), CV_32F), masks(batch, plane, CV_32F), diff, scores;
    if (base.empty())
        diff = blob;
    else
        subtract(blob, base, diff);  // input = base + mask * (blob - base)
    const float* basePtr = base.empty() ? nullptr : base.ptr<float>();
    const auto apply = engine.channelsLast ? maskPixels : maskPlanes;
    for (int start = 0; start < count; start += batch)
    {
        const int n = std::min(batch, count - start);
        Mat m = masks.rowRange(0, n);
        writeMasks(start, m);
        parallel_for_(Range(0, n), [&](const Range& r) {
            for (int i = r.start; i < r.end; ++i)
                apply(m.ptr<float>(i), diff.ptr<float>(), basePtr, channels, plane,
                      inputs.ptr<float>() + (size_t)i * blob.total());
        });
        shape[0] = n;
        engine.scorer(Mat(4, shape.data(), CV_32F, inputs.ptr<float>()), scores);
        CV_Assert(scores.rows == n && scores.type() == CV_32F);
        readScores(start, m, scores);
        reportProgress(engine.progress, start + n, count);
    }
}

BatchScorer classColumns(const BatchScorer& logits, const std::vector<int>& ids, bool softmax)
{
    return [logits, ids, softmax](const Mat& blobs, Mat& scores) {
        Mat all;
        logits(blobs, all);
        if (softmax)
            softmaxRows(all, all);
        scores.create(all.rows, (int)ids.size(), CV_32F);
        for (int i = 0; i < all.rows; ++i)
            for (size_t j = 0; j < ids.size(); ++j)
                scores.at<float>(i, (int)j) = all.at<float>(i, ids[j]);
    };
}

}}} // namespace cv::xcam::detail
