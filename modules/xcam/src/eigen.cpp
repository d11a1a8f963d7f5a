// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Eigen-CAM and KPCA-CAM: class-agnostic projections of the feature blob.

#include "eigen.hpp"
#include "method_table.hpp"

#include <cmath>
#include <numeric>

namespace cv {
namespace xcam {
namespace detail {

namespace {

/** m (C x N) with each channel (row) centred. */
Mat centredRows(const Mat& m)
{
    Mat x(m.size(), CV_32F);
    for (int k = 0; k < m.rows; ++k)
    {
        const float* s = m.ptr<float>(k);
        float* d = x.ptr<float>(k);
        const float mean = std::accumulate(s, s + m.cols, 0.f) / m.cols;
        for (int p = 0; p < m.cols; ++p)
            d[p] = s[p] - mean;
    }
    return x;
}

/** a^T a (CV_64F) of a (K x n CV_32F). */
Mat gram(const Mat& a)
{
    Mat g, g64;
    multiplyTransposed(a, a, g);
    g.convertTo(g64, CV_64F);
    return g64;
}

/** The largest eigenvalue of a symmetric matrix and its eigenvector (a row). */
double topEigen(const Mat& symmetric, Mat& vector)
{
    Mat values, vectors;
    eigen(symmetric, values, vectors);
    vector = vectors.row(0).clone();
    return values.at<double>(0);
}

/** topEigen of a positive semi-definite matrix: power iteration from its row of largest norm
    until |S v - lambda v| <= 1e-10 lambda (a few dozen products of a 49 x 49 matrix where
    cv::eigen's Jacobi sweeps cost a full method), else (a close second eigenvalue, a zero
    matrix) cv::eigen. */
double topEigenSemidefinite(const Mat& s, Mat& vector)
{
    const int n = s.rows;
    int start = 0;
    for (int i = 1; i < n; ++i)
        if (norm(s.row(i)) > norm(s.row(start)))
            start = i;
    Mat v = s.row(start) / std::max(norm(s.row(start)), 1e-300), w(1, n, CV_64F);
    for (int step = 0; step < 300; ++step)
    {
        const double* x = v.ptr<double>();
        for (int i = 0; i < n; ++i)  // w = S v
        {
            const double* row = s.ptr<double>(i);
            double sum = 0;
            for (int j = 0; j < n; ++j)
                sum += row[j] * x[j];
            w.at<double>(i) = sum;
        }
        const double lambda = w.dot(v);
        if (!(lambda > 0))
            break;
        if (norm(w - lambda * v) <= 1e-10 * lambda)
        {
            vector = v;
            return lambda;
        }
        v = w / norm(w);
    }
    return topEigen(s, vector);
}

/** Kernel matrix (N x N) of the N cells from their Gram matrix (sklearn's pairwise kernels). */
Mat kernelMatrix(const Mat& dots, int kernel, double gamma)
{
    const int n = dots.rows;
    Mat k(n, n, CV_64F);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
        {
            const double g = dots.at<double>(i, j), gi = dots.at<double>(i, i),
                         gj = dots.at<double>(j, j);
            double v = g;
            if (kernel == CAM_KERNEL_SIGMOID)
                v = std::tanh(gamma * g + 1);
            else if (kernel == CAM_KERNEL_POLY)
                v = std::pow(gamma * g + 1, 3);
            else if (kernel == CAM_KERNEL_RBF)
                v = std::exp(-gamma * std::max(gi + gj - 2 * g, 0.0));
            else if (kernel == CAM_KERNEL_COSINE)
                v = gi > 0 && gj > 0 ? g / std::sqrt(gi * gj) : 0.0;
            k.at<double>(i, j) = v;
        }
    return k;
}

} // namespace

void eigenProjection(const Mat& m, Mat& map)
{
    const Mat x = centredRows(m);  // C x N: X = x^T
    Mat vector, projection;
    if (m.cols <= m.rows)  // X v1 = sigma u1, u1 from the N x N Gram matrix (eigenvalue sigma^2)
    {
        const double lambda = topEigenSemidefinite(gram(x), vector);
        projection = vector * std::sqrt(std::max(lambda, 0.0));
    }
    else  // v1 from the C x C matrix x x^T, then X v1
    {
        const Mat xt = x.t();
        topEigenSemidefinite(gram(xt), vector);
        Mat x64;
        x.convertTo(x64, CV_64F);
        projection = vector * x64;
    }
    Mat sum;
    reduce(m, sum, 0, REDUCE_SUM, CV_64F);
    const double corr = (projection - mean(projection)[0]).dot(sum - mean(sum)[0]);
    if (corr < 0)
        projection = -projection;
    projection.convertTo(map, CV_32F);
}

void kernelPCAProjection(const Mat& m, int kernel, double gamma, Mat& map)
{
    if (kernel < CAM_KERNEL_SIGMOID || kernel > CAM_KERNEL_COSINE)
        CV_Error_(Error::StsOutOfRange, ("kpcaKernel must be a CAMKernel (0..4), got %d", kernel));
    if (!(gamma >= 0 && std::isfinite(gamma)))
        CV_Error_(Error::StsOutOfRange, ("kpcaGamma must be finite and >= 0, got %g", gamma));
    Mat k = kernelMatrix(gram(centredRows(m)), kernel, gamma > 0 ? gamma : 1.0 / m.rows);
    // Centred in feature space (sklearn's KernelCenterer): K - row means - column means + mean.
    Mat colMeans, rowMeans;
    reduce(k, colMeans, 0, REDUCE_AVG);
    reduce(k, rowMeans, 1, REDUCE_AVG);
    const double all = mean(k)[0];
    k = k - repeat(colMeans, k.rows, 1) - repeat(rowMeans, 1, k.cols) + all;
    Mat vector;
    const double lambda = topEigen(k, vector);
    Mat projection = vector * std::sqrt(std::max(lambda, 0.0));
    Point at;
    minMaxLoc(abs(projection), nullptr, nullptr, nullptr, &at);  // the first largest |value|
    if (projection.at<double>(at) < 0)
        projection = -projection;
    projection.convertTo(map, CV_32F);
}

namespace {

/** A class-agnostic map (1 x H*W), checked, once per class. */
void forEveryClass(const MethodContext& ctx, const Mat& map, size_t classes,
                   std::vector<Mat>& maps)
{
    checkFinite(map, "map (feature blob)");
    maps.resize(classes);
    for (Mat& m : maps)
        m = map.reshape(1, ctx.height).clone();
}

} // namespace

void eigenCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    Mat map;
    eigenProjection(ctx.features, map);
    forEveryClass(ctx, map, classes.size(), maps);
}

void kpcaCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    Mat map;
    kernelPCAProjection(ctx.features, ctx.params.kpcaKernel, ctx.params.kpcaGamma, map);
    forEveryClass(ctx, map, classes.size(), maps);
}

}}} // namespace cv::xcam::detail
