// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "util.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace cv {
namespace xcam {
namespace detail {

namespace {

// The kernel is built twice, for AVX2+FMA (x86-64-v3) and for the baseline, and the right one is picked when
// the library loads (GCC/Clang ifunc): the gradient of a VGG-style head goes through an FC of
// about a million weights, and Eigen-CAM's Gram matrix through 60,000 activations; at baseline
// width either costs as much as the rest of the method.
// Not under ThreadSanitizer: the ifunc resolver runs before TSan's runtime is up and crashes
// the process at load time.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define XCAM_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define XCAM_TSAN 1
#endif
// Clones are named by feature level, not by CPU: GCC picks an "arch=haswell" clone only on a CPU
// that identifies as Haswell (never on a later Xeon). Clang 14 checks "arch=x86-64-v3" the same
// way, so it gets AVX2 alone (no FMA).
#if defined(__GNUC__) && defined(__x86_64__) && defined(__linux__) && !defined(XCAM_TSAN)
#if defined(__clang__)
#define XCAM_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define XCAM_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
#else
#define XCAM_VECTOR_CLONES
#endif

#if defined(__GNUC__)
typedef float Float8 __attribute__((vector_size(32)));
#endif

/** out (4 rows of `cols`, row step `ostep`) = sum_t g[4t + i] * b[rows[t]] for i < 4. */
XCAM_VECTOR_CLONES
void weightedRows4(const float* b, size_t bstep, const int* rows, const float* g, int count,
                   int cols, float* out, size_t ostep)
{
    int x0 = 0;
#if defined(__GNUC__)
    for (; x0 + 16 <= cols; x0 += 16)  // 16 columns of the 4 rows held in 8 vector registers
    {
        Float8 acc[4][2] = {};
        for (int t = 0; t < count; ++t)
        {
            Float8 b0, b1;
            std::memcpy(&b0, b + rows[t] * bstep + x0, sizeof(b0));
            std::memcpy(&b1, b + rows[t] * bstep + x0 + 8, sizeof(b1));
            for (int i = 0; i < 4; ++i)
            {
                acc[i][0] += g[4 * t + i] * b0;
                acc[i][1] += g[4 * t + i] * b1;
            }
        }
        for (int i = 0; i < 4; ++i)
            std::memcpy(out + i * ostep + x0, acc[i], sizeof(acc[i]));
    }
#endif
    for (; x0 < cols; ++x0)
    {
        float acc[4] = {0.f, 0.f, 0.f, 0.f};
        for (int t = 0; t < count; ++t)
            for (int i = 0; i < 4; ++i)
                acc[i] += g[4 * t + i] * b[rows[t] * bstep + x0];
        for (int i = 0; i < 4; ++i)
            out[i * ostep + x0] = acc[i];
    }
}

} // namespace

namespace {

/** Rows [i0, i0 + 4) of dst = a^T b (from column j0 on): a's four columns' non-zero rows weigh
    b's rows. */
void multiplyTransposedBlock(const Mat& a, const Mat& b, int i0, int j0, Mat& dst)
{
    const int n = std::min(4, a.cols - i0), c = b.cols;
    std::vector<int> rows(a.rows);
    std::vector<float> g(4 * (size_t)a.rows);
    int count = 0;
    for (int k = 0; k < a.rows; ++k)  // the rows of a's four columns that are not all zero
    {
        const float* ak = a.ptr<float>(k) + i0;
        float* v = &g[4 * (size_t)count];
        bool any = false;
        for (int i = 0; i < 4; ++i)
            any |= (v[i] = i < n ? ak[i] : 0.f) != 0.f;
        rows[count] = k;
        count += any;
    }
    Mat block(4, c, CV_32F);
    weightedRows4(b.ptr<float>() + j0, b.step1(), rows.data(), g.data(), count, c - j0,
                  block.ptr<float>(), block.step1());
    block(Rect(0, 0, c - j0, n)).copyTo(dst(Rect(j0, i0, c - j0, n)));
}

/** dst = a^T b; with `upper` (b = a), only the blocks on and above the diagonal, mirrored. The
    blocks of four rows run in parallel (the net's forward does too: one thread would make Eigen-CAM
    the serial part of a frame). */
void multiplyTransposedBlocks(const Mat& a, const Mat& b, Mat& dst, bool upper)
{
    CV_Assert(a.type() == CV_32F && b.type() == CV_32F && a.rows == b.rows && b.isContinuous());
    dst.create(a.cols, b.cols, CV_32F);
    const int blocks = (a.cols + 3) / 4;
    parallel_for_(Range(0, blocks), [&](const Range& r) {
        for (int i = r.start; i < r.end; ++i)
            multiplyTransposedBlock(a, b, 4 * i, upper ? 4 * i : 0, dst);
    });
    if (upper)
        completeSymm(dst);
}

} // namespace

void multiplyTransposed(const Mat& a, const Mat& b, Mat& dst)
{
    multiplyTransposedBlocks(a, b, dst, false);
}

void gramMatrix(const Mat& a, Mat& dst)
{
    multiplyTransposedBlocks(a, a, dst, true);
}

void softmaxRows(const Mat& scores, Mat& probs)
{
    CV_Assert(scores.type() == CV_32F && scores.dims == 2);
    Mat out(scores.size(), CV_32F);
    std::vector<double> e(scores.cols);
    for (int i = 0; i < scores.rows; ++i)
    {
        const float* x = scores.ptr<float>(i);
        const double top = *std::max_element(x, x + scores.cols);
        double total = 0;
        for (int j = 0; j < scores.cols; ++j)
            total += e[j] = std::exp((double)x[j] - top);
        float* p = out.ptr<float>(i);
        for (int j = 0; j < scores.cols; ++j)
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

void checkBatchSize(int batchSize, const char* argName)
{
    if (batchSize < 1)
        CV_Error_(Error::StsOutOfRange, ("%s must be at least 1, got %d", argName, batchSize));
}

void reportProgress(const CAMProgressCallback& progress, int done, int total)
{
    if (progress && !progress(done, total))
        CV_Error(Error::StsError, "cancelled by the progress callback");
}

void splitRows(const Mat& rows, int height, std::vector<Mat>& maps)
{
    maps.resize(rows.rows);
    for (int i = 0; i < rows.rows; ++i)
        maps[i] = rows.row(i).reshape(1, height).clone();
}

}}} // namespace cv::xcam::detail
