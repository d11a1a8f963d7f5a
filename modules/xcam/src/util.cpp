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

// The a^T b kernel has an AVX-512 clone too (one register per 16 columns; two with AVX2).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(XCAM_TSAN)
#define XCAM_WIDE_CLONES \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
bool wideBlocks()
{
    static const bool wide = __builtin_cpu_supports("avx512f");
    return wide;
}
#else
#define XCAM_WIDE_CLONES XCAM_VECTOR_CLONES
bool wideBlocks() { return false; }
#endif

/** Four columns of a: the rows of b they weigh (those where any of the four is non-zero), and
    where each row's four weights are. */
struct PackedColumns
{
    const float* g;  // the four weights of row k at g + k * gstep
    size_t gstep;
    const int* rows;
    int count;  // rows used
    int n;      // columns of a (at most 4; the others weigh 0)
};

#if defined(__GNUC__)
/** Columns [x0, x0 + 16 V) of the R rows of out (inlined into each clone of weightedRows). */
template <int R, int V>
inline __attribute__((always_inline)) void weightedBlock(const float* b, size_t bstep,
                                                         const PackedColumns& p, int x0,
                                                         float* out, size_t ostep)
{
    Float16 acc[R][V] = {};
    for (int t = 0; t < p.count; ++t)
    {
        const float* src = b + p.rows[t] * bstep + x0;
        const float* g = p.g + p.rows[t] * p.gstep;
        for (int v = 0; v < V; ++v)
        {
            Float16 row;
            std::memcpy(&row, src + 16 * v, sizeof(row));
            for (int i = 0; i < R; ++i)
                acc[i][v] += g[i] * row;
        }
    }
    for (int i = 0; i < R; ++i)
        std::memcpy(out + i * ostep + x0, acc[i], sizeof(acc[i]));
}

/** All `cols` columns in blocks of 16 V (at least 16 V of them); the last block overlaps the one
    before (same sums, same values) instead of a scalar tail. */
template <int R, int V>
inline __attribute__((always_inline)) void weightedBlocks(const float* b, size_t bstep,
                                                          const PackedColumns& p, int cols,
                                                          float* out, size_t ostep)
{
    for (int x = 0; x < cols; x += 16 * V)
        weightedBlock<R, V>(b, bstep, p, std::min(x, cols - 16 * V), out, ostep);
}

/** R rows in blocks that keep at least 8 sums in flight, so that the multiply-adds do not wait on
    each other: 16 columns are one AVX-512 register (`wide`), two AVX2 ones. */
template <int R>
inline __attribute__((always_inline)) bool weightedRowsOf(const float* b, size_t bstep,
                                                          const PackedColumns& p, int cols,
                                                          float* out, size_t ostep, bool wide)
{
    constexpr int wideV = (8 + R - 1) / R, narrowV = (4 + R - 1) / R;
    if (wide && cols >= 16 * wideV)
        weightedBlocks<R, wideV>(b, bstep, p, cols, out, ostep);
    else if (cols >= 16 * narrowV)
        weightedBlocks<R, narrowV>(b, bstep, p, cols, out, ostep);
    else if (cols >= 16)
        weightedBlocks<R, 1>(b, bstep, p, cols, out, ostep);
    else
        return false;
    return true;
}
#endif

/** out (p.n rows of `cols`, row step `ostep`) = sum_t g_i(rows[t]) * b[rows[t]]. */
XCAM_WIDE_CLONES
void weightedRows(const float* b, size_t bstep, const PackedColumns& p, int cols, float* out,
                  size_t ostep, bool wide)
{
#if defined(__GNUC__)
    const bool done = p.n == 1   ? weightedRowsOf<1>(b, bstep, p, cols, out, ostep, wide)
                      : p.n == 2 ? weightedRowsOf<2>(b, bstep, p, cols, out, ostep, wide)
                      : p.n == 3 ? weightedRowsOf<3>(b, bstep, p, cols, out, ostep, wide)
                                 : weightedRowsOf<4>(b, bstep, p, cols, out, ostep, wide);
    if (done)
        return;
#endif
    for (int x0 = 0; x0 < cols; ++x0)
        for (int i = 0; i < p.n; ++i)
        {
            float acc = 0.f;
            for (int t = 0; t < p.count; ++t)
                acc += p.g[p.rows[t] * p.gstep + i] * b[p.rows[t] * bstep + x0];
            out[i * ostep + x0] = acc;
        }
}

/** The rows k of `a` (continuous, columns a multiple of 4) where a(k, i0 .. i0 + 3) is not all
    zero. */
void nonZeroRows(const Mat& a, int i0, std::vector<int>& rows)
{
    rows.resize(a.rows);
    int count = 0;
    for (int k = 0; k < a.rows; ++k)
    {
        uint32_t v[4];  // the bits of the four floats: a weight is zero when all but its sign are
        std::memcpy(v, a.ptr<float>(k) + i0, sizeof(v));
        rows[count] = k;
        count += ((v[0] | v[1] | v[2] | v[3]) & 0x7fffffffu) != 0;
    }
    rows.resize(count);
}

/** The K x m matrix a (or, `transposed`, the m x K matrix a^T) as whole blocks of four
    columns, the missing ones zero: a itself when it already is. */
Mat packedColumns(const Mat& a, bool transposed)
{
    CV_Assert(a.type() == CV_32F);
    const int k = transposed ? a.cols : a.rows, m = transposed ? a.rows : a.cols;
    if (!transposed && m % 4 == 0 && a.isContinuous())
        return a;
    Mat packed = Mat::zeros(k, (m + 3) / 4 * 4, CV_32F);
    float* dst = packed.ptr<float>();
    const size_t step = packed.step1();
    if (transposed)
        for (int i = 0; i < m; ++i)
        {
            const float* src = a.ptr<float>(i);
            for (int r = 0; r < k; ++r)
                dst[r * step + i] = src[r];
        }
    else
        for (int r = 0; r < k; ++r)
            std::memcpy(dst + r * step, a.ptr<float>(r), m * sizeof(float));
    return packed;
}

/** dst = a^T b for a packed a of m columns (packedColumns); with `upper` (b = a), only the
    blocks on and above the diagonal, mirrored. The blocks of four rows (and, for a wide b, of
    256 columns: the gradient of a few seeds through a large FC is one row block) run in
    parallel, as the net's forward does: one thread would make the method the serial part of a
    frame. */
void multiplyTransposedBlocks(const Mat& padded, int m, const Mat& b, Mat& dst, bool upper)
{
    CV_Assert(padded.type() == CV_32F && b.type() == CV_32F && padded.rows == b.rows &&
              b.isContinuous() && padded.isContinuous() && padded.cols % 4 == 0);
    const int blocks = padded.cols / 4, width = upper ? b.cols : 256;
    const int chunks = (b.cols + width - 1) / width;
    dst.create(m, b.cols, CV_32F);
    std::vector<std::vector<int> > shared(chunks > 1 ? blocks : 0);  // a block split into chunks
    for (int i = 0; i < (int)shared.size(); ++i)
        nonZeroRows(padded, 4 * i, shared[i]);
    const bool wide = wideBlocks();
    // Below a million multiply-adds, waking the other thread costs more than it saves (a VGG
    // head's FC backward, 600,000 with half the rows skipped, ran faster on one).
    double work = (double)b.rows * m * b.cols / (upper ? 2 : 1);
    if (!shared.empty())  // without the rows skipped (one-hot seeds: almost all)
    {
        work = 0;
        for (const std::vector<int>& rows : shared)
            work += 4.0 * rows.size() * b.cols;
    }
    parallel_for_(Range(0, blocks * chunks), [&](const Range& r) {
        std::vector<int> own;
        for (int t = r.start; t < r.end; ++t)
        {
            // Upper: from the diagonal block on, but at least 16 columns wide (a vector block;
            // what it computes below the diagonal is overwritten by the mirror).
            const int i = t / chunks;
            const int j0 = upper ? std::min(4 * i, std::max(0, b.cols - 16)) : (t % chunks) * width;
            const int j1 = std::min(b.cols, j0 + width);
            if (chunks == 1)
                nonZeroRows(padded, 4 * i, own);
            const std::vector<int>& rows = chunks == 1 ? own : shared[i];
            const PackedColumns p{padded.ptr<float>() + 4 * i, padded.step1(), rows.data(),
                                  (int)rows.size(), std::min(4, m - 4 * i)};
            weightedRows(b.ptr<float>() + j0, b.step1(), p, j1 - j0, dst.ptr<float>(4 * i) + j0,
                         dst.step1(), wide);
        }
    }, work < 1e6 ? 1.0 : -1.0);
    if (upper)  // the lower triangle from the upper (cv::completeSymm copies with memcpy)
        for (int i = 1; i < dst.rows; ++i)
            for (int j = 0; j < i; ++j)
                dst.at<float>(i, j) = dst.at<float>(j, i);
}

} // namespace

void multiplyTransposed(const Mat& a, const Mat& b, Mat& dst)
{
    multiplyTransposedBlocks(packedColumns(a, false), a.cols, b, dst, false);
}

void multiplyRows(const Mat& g, const Mat& b, Mat& dst)
{
    CV_Assert(g.type() == CV_32F && g.cols == b.rows);
    multiplyTransposedBlocks(packedColumns(g, true), g.rows, b, dst, false);
}

void gramMatrix(const Mat& a, Mat& dst)
{
    multiplyTransposedBlocks(packedColumns(a, false), a.cols, a, dst, true);
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
        maps[i] = rows.row(i).reshape(1, height);  // views: the callers copy to the user
}

}}} // namespace cv::xcam::detail
