// The masked-forward engine (modules/xcam/src/engine.hpp, runMasked): the masks reach every
// channel in both blob layouts (NCHW and NHWC) and with a base, any batch size gives the same
// scores, progress is reported per batch and can cancel. A scorer of known weights stands in for
// a net.
#include "test_common.hpp"

#include "engine.hpp"

using namespace cv;
using namespace xcam_test;

namespace {

const int kC = 3, kH = 4, kW = 5;

/** Row i of the scores: for each channel c, sum over pixels of x[c](p) * (p + 1 + 10 c). */
void weightedSums(const Mat& blobs, bool channelsLast, Mat& scores)
{
    scores.create(blobs.size[0], kC, CV_32F);
    for (int n = 0; n < blobs.size[0]; ++n)
        for (int c = 0; c < kC; ++c)
        {
            double s = 0;
            for (int p = 0; p < kH * kW; ++p)
            {
                const float* x = blobs.ptr<float>(n);
                s += x[channelsLast ? p * kC + c : c * kH * kW + p] * (p + 1 + 10 * c);
            }
            scores.at<float>(n, c) = (float)s;
        }
}

/** The NCHW blob as NHWC (1 x H x W x C). */
Mat toChannelsLast(const Mat& nchw)
{
    const int shape[] = {1, kH, kW, kC};
    Mat out(4, shape, CV_32F);
    for (int c = 0; c < kC; ++c)
        for (int p = 0; p < kH * kW; ++p)
            out.ptr<float>()[p * kC + c] = nchw.ptr<float>()[c * kH * kW + p];
    return out;
}

/** Scores of `count` masked inputs through the engine; the masks are fixed by their index. */
Mat run(const Mat& blob, const Mat& base, bool channelsLast, int batch, int count,
        std::vector<std::pair<int, int> >* progress = nullptr)
{
    xcam::detail::Engine e;
    e.blob = blob;
    e.channelsLast = channelsLast;
    e.batchSize = batch;
    e.scorer = [channelsLast](const Mat& blobs, Mat& s) { weightedSums(blobs, channelsLast, s); };
    if (progress)
        e.progress = [progress](int done, int total) {
            progress->emplace_back(done, total);
            return true;
        };
    Mat all(count, kC, CV_32F);
    xcam::detail::runMasked(
        e, base, count,
        [](int start, Mat& masks) {
            for (int i = 0; i < masks.rows; ++i)
                RNG(start + i + 1).fill(masks.row(i), RNG::UNIFORM, 0, 1);
        },
        [&all](int start, const Mat& masks, const Mat& scores) {
            EXPECT_EQ(masks.rows, scores.rows);
            scores.copyTo(all.rowRange(start, start + scores.rows));
        });
    return all;
}

Mat randomBlob(int seed)
{
    const int shape[] = {1, kC, kH, kW};
    Mat blob(4, shape, CV_32F);
    RNG(seed).fill(blob, RNG::UNIFORM, -1, 1);
    return blob;
}

TEST(Engine, MasksReachEveryChannelInBothLayouts)
{
    const Mat blob = randomBlob(1), base = randomBlob(2);
    for (bool withBase : {false, true})
    {
        SCOPED_TRACE(withBase ? "base" : "no base");
        const Mat b = withBase ? base : Mat();
        const Mat nchw = run(blob, b, false, 4, 9);
        const Mat nhwc = run(toChannelsLast(blob), withBase ? toChannelsLast(base) : Mat(), true,
                             4, 9);
        EXPECT_LT(maxRelativeError(nhwc, nchw), 1e-5);
        // Input 0 by hand: base + mask * (blob - base), the same mask on every channel.
        Mat mask(1, kH * kW, CV_32F), input = blob.clone(), want;
        RNG(1).fill(mask, RNG::UNIFORM, 0, 1);
        for (int c = 0; c < kC; ++c)
            for (int p = 0; p < kH * kW; ++p)
            {
                float& x = input.ptr<float>()[c * kH * kW + p];
                const float z = withBase ? base.ptr<float>()[c * kH * kW + p] : 0.f;
                x = z + mask.at<float>(p) * (x - z);
            }
        weightedSums(input, false, want);
        EXPECT_LT(maxRelativeError(nchw.row(0), want), 1e-5);
    }
}

TEST(Engine, BatchSizeDoesNotChangeScoresAndProgressIsPerBatch)
{
    const Mat blob = randomBlob(3);
    const Mat one = run(blob, Mat(), false, 1, 10);
    for (int batch : {3, 10, 64})
    {
        std::vector<std::pair<int, int> > calls;
        EXPECT_EQ(norm(run(blob, Mat(), false, batch, 10, &calls), one, NORM_INF), 0) << batch;
        ASSERT_EQ((int)calls.size(), (10 + batch - 1) / batch) << batch;
        EXPECT_EQ(calls.back(), std::make_pair(10, 10));
    }
}

TEST(Engine, ProgressCancels)
{
    xcam::detail::Engine e;
    e.blob = randomBlob(4);
    e.batchSize = 2;
    e.scorer = [](const Mat& blobs, Mat& s) { weightedSums(blobs, false, s); };
    int batches = 0;
    e.progress = [&batches](int, int) { return ++batches < 2; };
    EXPECT_CV_ERROR(xcam::detail::runMasked(
                        e, Mat(), 10, [](int, Mat& m) { m.setTo(1); },
                        [](int, const Mat&, const Mat&) {}),
                    "cancelled");
    EXPECT_EQ(batches, 2);
    e.batchSize = 0;
    EXPECT_CV_ERROR(xcam::detail::runMasked(
                        e, Mat(), 10, [](int, Mat& m) { m.setTo(1); },
                        [](int, const Mat&, const Mat&) {}),
                    "batchSize");
}

} // namespace
