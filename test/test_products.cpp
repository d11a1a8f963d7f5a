// The a^T b kernel behind every map and every FC backward (modules/xcam/src/util.hpp,
// multiplyTransposed, multiplyRows and gramMatrix): against a double-precision product over the shapes where
// its blocking changes (4-row blocks, 16/32-column vector blocks with an overlapping last one,
// 256-column chunks run in parallel, the all-zero rows it skips).
#include "test_common.hpp"

#include "util.hpp"

using namespace cv;

namespace {

/** K x m, about a third of the rows all zero (a ReLU-masked gradient). */
Mat sparseRows(int K, int m, uint64 seed)
{
    Mat a(K, m, CV_32F);
    RNG rng(seed);
    rng.fill(a, RNG::NORMAL, 0, 1);
    for (int k = 0; k < K; ++k)
        if (rng.uniform(0, 3) == 0)
            a.row(k).setTo(0);
    return a;
}

double relativeError(const Mat& got, const Mat& a, const Mat& b)
{
    Mat a64, b64, expected, got64;
    a.convertTo(a64, CV_64F);
    b.convertTo(b64, CV_64F);
    gemm(a64, b64, 1.0, noArray(), 0.0, expected, GEMM_1_T);
    got.convertTo(got64, CV_64F);
    return norm(got64, expected, NORM_INF) / std::max(1.0, norm(expected, NORM_INF));
}

} // namespace

TEST(Products, MultiplyTransposedMatchesDoubleGemmOnEveryBlocking)
{
    for (int K : {1, 7, 64})
        for (int m : {1, 3, 4, 5, 9})
            for (int c : {1, 5, 15, 16, 17, 31, 32, 33, 63, 255, 256, 257, 600})
            {
                const Mat a = sparseRows(K, m, 1000 * K + 10 * m + c);
                Mat b(K, c, CV_32F);
                RNG(c).fill(b, RNG::UNIFORM, -2, 2);
                Mat dst;
                cv::xcam::detail::multiplyTransposed(a, b, dst);
                ASSERT_EQ(dst.size(), Size(c, m));
                EXPECT_LT(relativeError(dst, a, b), 1e-5) << "K " << K << " m " << m << " c " << c;
            }
}

TEST(Products, MultiplyRowsMatchesDoubleGemmWithoutTransposing)
{
    for (int K : {1, 7, 64})
        for (int m : {1, 3, 4, 5, 9})
            for (int c : {1, 17, 256, 600})
            {
                const Mat a = sparseRows(K, m, 3000 * K + 10 * m + c);
                const Mat g = a.t();  // m x K: a seed per row, as a backward pass holds them
                Mat b(K, c, CV_32F);
                RNG(c + 1).fill(b, RNG::UNIFORM, -2, 2);
                Mat dst;
                cv::xcam::detail::multiplyRows(g, b, dst);
                ASSERT_EQ(dst.size(), Size(c, m));
                EXPECT_LT(relativeError(dst, a, b), 1e-5) << "K " << K << " m " << m << " c " << c;
            }
    const Mat wide = sparseRows(5, 12, 9);  // a non-continuous g: a column range
    Mat b(4, 33, CV_32F), dst;
    RNG(3).fill(b, RNG::UNIFORM, -1, 1);
    cv::xcam::detail::multiplyRows(wide.rowRange(1, 4).colRange(2, 6), b, dst);
    EXPECT_LT(relativeError(dst, wide.rowRange(1, 4).colRange(2, 6).t(), b), 1e-5);
}

TEST(Products, MultiplyTransposedOfAllZeroRowsIsZero)
{
    Mat a = Mat::zeros(10, 3, CV_32F), b(10, 40, CV_32F, Scalar(5)), dst(3, 40, CV_32F, Scalar(7));
    cv::xcam::detail::multiplyTransposed(a, b, dst);
    EXPECT_EQ(countNonZero(dst), 0);
}

TEST(Products, GramMatrixIsSymmetricAndMatchesDoubleGemm)
{
    for (int K : {1, 9, 49, 256})
        for (int m : {1, 3, 4, 15, 16, 17, 33, 64})
        {
            const Mat a = sparseRows(K, m, 7 * K + m);
            Mat dst;
            cv::xcam::detail::gramMatrix(a, dst);
            ASSERT_EQ(dst.size(), Size(m, m));
            EXPECT_LT(relativeError(dst, a, a), 1e-5) << "K " << K << " m " << m;
            EXPECT_EQ(norm(dst, dst.t(), NORM_INF), 0.0) << "K " << K << " m " << m;
        }
}
