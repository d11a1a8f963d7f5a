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

#if defined(__GNUC__)
typedef float Float16 __attribute__((vector_size(64)));
#endif

// The a^T b kernel has an AVX-512 clone too: one register per 16 columns there (two with AVX2).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(XCAM_TSAN)
#define XCAM_WIDE_CLONES \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define XCAM_WIDE_CLONES XCAM_VECTOR_CLONES
#endif

/** out (4 rows of `cols`, row step `ostep`) = sum_t g[4t + i] * b[rows[t]] for i < 4. */
XCAM_WIDE_CLONES
void weightedRows4(const float* b, size_t bstep, const int* rows, const float* g, int count,
                   int cols, float* out, size_t ostep)
{
    int done = 0;
#if defined(__GNUC__)
    // 16 columns of the 4 rows at a time; the last block overlaps the one before (same sums,
    // same values) instead of a scalar tail.
    for (int x = 0; cols >= 16 && x < cols; x += 16)
    {
        const int x0 = std::min(x, cols - 16);
        Float16 acc[4] = {};
        for (int t = 0; t < count; ++t)
        {
            Float16 row;
            std::memcpy(&row, b + rows[t] * bstep + x0, sizeof(row));
            for (int i = 0; i < 4; ++i)
                acc[i] += g[4 * t + i] * row;
        }
        for (int i = 0; i < 4; ++i)
            std::memcpy(out + i * ostep + x0, &acc[i], sizeof(acc[i]));
        done = cols;
    }
#endif
    for (int x0 = done; x0 < cols; ++x0)
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

/** Rows [i0, i0 + 4), columns [j0, j1) of dst = a^T b: a's four columns' non-zero rows weigh
    b's rows. */
void multiplyTransposedBlock(const Mat& a, const Mat& b, int i0, int j0, int j1, Mat& dst)
{
    const int n = std::min(4, a.cols - i0);
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
    Mat block(4, j1 - j0, CV_32F);
    weightedRows4(b.ptr<float>() + j0, b.step1(), rows.data(), g.data(), count, j1 - j0,
                  block.ptr<float>(), block.step1());
    block.rowRange(0, n).copyTo(dst(Rect(j0, i0, j1 - j0, n)));
}

/** dst = a^T b; with `upper` (b = a), only the blocks on and above the diagonal, mirrored. The
    blocks of four rows (and, for a wide b, of 256 columns: the gradient of a few seeds through a
    large FC is one row block) run in parallel, as the net's forward does: one thread would make
    the method the serial part of a frame. */
void multiplyTransposedBlocks(const Mat& a, const Mat& b, Mat& dst, bool upper)
{
    CV_Assert(a.type() == CV_32F && b.type() == CV_32F && a.rows == b.rows && b.isContinuous());
    dst.create(a.cols, b.cols, CV_32F);
    const int blocks = (a.cols + 3) / 4, width = upper ? b.cols : 256;
    const int chunks = (b.cols + width - 1) / width;
    // Below about 100,000 multiply-adds, waking the other threads costs more than it saves.
    const double work = (double)a.rows * a.cols * b.cols / (upper ? 2 : 1);
    parallel_for_(Range(0, blocks * chunks), [&](const Range& r) {
        for (int t = r.start; t < r.end; ++t)
        {
            // Upper: from the diagonal block on, but at least 16 columns wide (a vector block;
            // what it computes below the diagonal is overwritten by the mirror).
            const int i = t / chunks;
            const int j0 = upper ? std::min(4 * i, std::max(0, b.cols - 16)) : (t % chunks) * width;
            multiplyTransposedBlock(a, b, 4 * i, j0, std::min(b.cols, j0 + width), dst);
        }
    }, work < 1e5 ? 1.0 : -1.0);
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

XCAM_VECTOR_CLONES
float sumOf(const float* x, int n)
{
    float s[8] = {};
    int p = 0;
    for (; p + 8 <= n; p += 8)
        for (int j = 0; j < 8; ++j)
            s[j] += x[p + j];
    for (; p < n; ++p)
        s[0] += x[p];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

XCAM_VECTOR_CLONES
float dotOf(const float* x, const float* y, int n)
{
    float s[8] = {};
    int p = 0;
    for (; p + 8 <= n; p += 8)
        for (int j = 0; j < 8; ++j)
            s[j] += x[p + j] * y[p + j];
    for (; p < n; ++p)
        s[0] += x[p] * y[p];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
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
