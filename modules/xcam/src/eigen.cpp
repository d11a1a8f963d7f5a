// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Eigen-CAM and KPCA-CAM: class-agnostic projections of the feature blob.

#include "eigen.hpp"
#include "method_table.hpp"

#include <algorithm>
#include <cmath>

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
        const float mean = sumOf(s, m.cols) / m.cols;
        for (int p = 0; p < m.cols; ++p)
            d[p] = s[p] - mean;
    }
    return x;
}

/** a^T a (CV_64F) of a (K x n CV_32F). */
Mat gram(const Mat& a)
{
    Mat g, g64;
    gramMatrix(a, g);
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

/** a . b over n values; four partial sums, so that the compiler vectorizes it. */
XCAM_VECTOR_CLONES
double dot(const double* a, const double* b, int n)
{
    double s[4] = {0, 0, 0, 0};
    int j = 0;
    for (; j + 4 <= n; j += 4)
        for (int k = 0; k < 4; ++k)
            s[k] += a[j + k] * b[j + k];
    for (; j < n; ++j)
        s[0] += a[j] * b[j];
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/** y -= c x over n values. */
void subtractScaled(double c, const double* x, double* y, int n)
{
    for (int j = 0; j < n; ++j)
        y[j] -= c * x[j];
}

/** y = S x for the n x n CV_64F S. */
void multiplyRows(const Mat& s, const double* x, double* y)
{
    for (int i = 0; i < s.rows; ++i)
        y[i] = dot(s.ptr<double>(i), x, s.cols);
}

/** S's row of largest norm as a unit row (a start in S's range), empty when S is zero. */
Mat largestRowDirection(const Mat& s)
{
    int start = 0;
    double largest = 0;
    for (int i = 0; i < s.rows; ++i)
    {
        const double length = dot(s.ptr<double>(i), s.ptr<double>(i), s.cols);
        if (length > largest)
        {
            largest = length;
            start = i;
        }
    }
    return largest > 0 ? Mat(s.row(start) / std::sqrt(largest)) : Mat();
}

/** Power iteration of the n x n PSD operator y = multiply(x) from the unit row v until
    |S v - lambda v| <= 1e-10 lambda: returns lambda (the eigenvector in `vector`), or -1 when
    it does not converge in `steps` products, when S v = 0, or when lambda < `floor` (another
    eigenvalue than the largest: S's largest diagonal entry is a lower bound of that one). */
template <typename Multiply>
double powerIteration(Multiply multiply, Mat v, int steps, double floor, Mat& vector)
{
    const int n = v.cols;
    Mat w(1, n, CV_64F);
    double* x = v.ptr<double>();
    double* y = w.ptr<double>();
    for (int step = 0; step < steps; ++step)
    {
        multiply(x, y);
        const double lambda = dot(y, x, n);
        if (!(lambda > 0))
            return -1;
        double residual = 0, length = 0;
        for (int i = 0; i < n; ++i)
        {
            residual += (y[i] - lambda * x[i]) * (y[i] - lambda * x[i]);
            length += y[i] * y[i];
        }
        if (std::sqrt(residual) <= 1e-10 * lambda)
        {
            vector = v;
            return lambda >= floor * (1 - 1e-9) ? lambda : -1;
        }
        for (int i = 0; i < n; ++i)
            x[i] = y[i] / std::sqrt(length);
    }
    return -1;
}

/** The top eigenvector (unit row) of the symmetric tridiagonal matrix T with diagonal a and
    off-diagonal b (one shorter): its largest eigenvalue by bisection on Sturm counts, then
    inverse iteration with (sigma I - T), sigma just above it (positive definite, so the
    elimination needs no pivoting). O(k) per step where power iteration stalls on close
    eigenvalues. */
Mat tridiagonalTop(const std::vector<double>& a, const std::vector<double>& b)
{
    const int k = (int)a.size();
    auto off = [&](int i) { return i >= 0 && i < k - 1 ? b[i] : 0.0; };
    double lo = a[0], hi = a[0];  // Gershgorin interval of the spectrum
    for (int i = 0; i < k; ++i)
    {
        const double r = std::abs(off(i - 1)) + std::abs(off(i));
        lo = std::min(lo, a[i] - r);
        hi = std::max(hi, a[i] + r);
    }
    const double scale = std::max(std::abs(lo), std::abs(hi)), tiny = 1e-300;
    Mat y = Mat::zeros(1, k, CV_64F);
    y.at<double>(0) = 1;
    if (!(scale > 0))  // T = 0: every vector is an eigenvector
        return y;
    auto above = [&](double x) {  // is x above every eigenvalue (T - x I negative definite)?
        double d = 1;
        for (int i = 0; i < k; ++i)
        {
            d = a[i] - x - (i > 0 ? off(i - 1) * off(i - 1) / d : 0.0);
            if (d == 0)
                d = -tiny;
            if (d > 0)
                return false;
        }
        return true;
    };
    for (int step = 0; step < 200 && hi - lo > 1e-15 * scale; ++step)
    {
        const double mid = 0.5 * (lo + hi);
        (above(mid) ? hi : lo) = mid;
    }
    const double sigma = hi + 1e-13 * scale;
    y = Mat::ones(1, k, CV_64F) / std::sqrt((double)k);
    std::vector<double> d(k), x(k);
    for (int iteration = 0; iteration < 3; ++iteration)  // solve (sigma I - T) x = y, y = x / |x|
    {
        double* v = y.ptr<double>();
        for (int i = 0; i < k; ++i)  // forward elimination
        {
            const double l = i > 0 ? -off(i - 1) / d[i - 1] : 0.0;
            d[i] = sigma - a[i] + (i > 0 ? l * off(i - 1) : 0.0);
            d[i] = std::max(d[i], tiny);
            x[i] = v[i] - (i > 0 ? l * x[i - 1] : 0.0);
        }
        for (int i = k - 1; i >= 0; --i)  // back substitution
            x[i] = (x[i] + (i + 1 < k ? off(i) * x[i + 1] : 0.0)) / d[i];
        const double length = std::sqrt(dot(x.data(), x.data(), k));
        if (!(length > 0 && length < HUGE_VAL))
            break;
        for (int i = 0; i < k; ++i)
            v[i] = x[i] / length;
    }
    return y;
}

/** Lanczos with full reorthogonalization from the unit row v on the n x n symmetric S: the Ritz
    vector of the largest eigenvalue of the k x k tridiagonal matrix (checked every 4 steps) once
    its residual beta_k |y_k| is below 1e-11 of `scale` (a bound of S's spectrum), or when k = n
    or the Krylov space is invariant. */
Mat lanczosTop(const Mat& s, const Mat& v, double scale)
{
    const int n = s.rows;
    Mat q(n, n, CV_64F), w(1, n, CV_64F), y;  // q: the Lanczos vectors, one a row
    v.copyTo(q.row(0));
    std::vector<double> a, b;
    for (int k = 0; k < n; ++k)
    {
        double* x = w.ptr<double>();
        multiplyRows(s, q.ptr<double>(k), x);  // w = S q_k
        a.push_back(dot(x, q.ptr<double>(k), n));
        for (int j = 0; j <= k; ++j)  // w orthogonal to every q_j, j <= k
            subtractScaled(dot(x, q.ptr<double>(j), n), q.ptr<double>(j), x, n);
        const double beta = std::sqrt(dot(x, x, n));
        const bool last = k + 1 == n || !(beta > 1e-13 * scale);
        if (last || k % 4 == 3)
        {
            y = tridiagonalTop(a, b);
            if (last || std::abs(beta * y.at<double>(k)) <= 1e-11 * scale)
                return y * q.rowRange(0, k + 1);
        }
        b.push_back(beta);
        double* next = q.ptr<double>(k + 1);
        for (int i = 0; i < n; ++i)
            next[i] = x[i] / beta;
    }
    return v;
}

/** topEigen of a positive semi-definite matrix: Lanczos from its row of largest norm (a few
    dozen products of an n x n matrix where cv::eigen's Jacobi sweeps cost a full method), then
    checked (and refined) by power iteration until |S v - lambda v| <= 1e-10 lambda, else (a
    close second eigenvalue, a zero matrix) cv::eigen. */
double topEigenSemidefinite(const Mat& s, Mat& vector)
{
    double diagonal = 0;
    for (int i = 0; i < s.rows; ++i)
        diagonal = std::max(diagonal, s.at<double>(i, i));
    if (!(diagonal > 0))
        return topEigen(s, vector);
    Mat v = lanczosTop(s, largestRowDirection(s), diagonal);
    v /= norm(v);
    auto multiply = [&s](const double* x, double* y) { multiplyRows(s, x, y); };
    const double lambda = powerIteration(multiply, v, 300, diagonal, vector);
    return lambda >= 0 ? lambda : topEigen(s, vector);
}

/** The largest eigenvalue of a symmetric (maybe indefinite) matrix and its eigenvector: Lanczos
    from its row of largest norm (in S's range: a centred kernel matrix has the all-ones vector
    in its null space; Lanczos finds both ends of the spectrum), kept when |S v - lambda v| <=
    1e-10 of a bound of the spectrum and lambda is at least S's largest diagonal entry, else
    cv::eigen of S. */
double topEigenSymmetric(const Mat& s, Mat& vector)
{
    double bound = 0;  // Gershgorin: every |eigenvalue| <= the largest row L1 norm
    for (int i = 0; i < s.rows; ++i)
        bound = std::max(bound, norm(s.row(i), NORM_L1));
    if (!(bound > 0))
        return topEigen(s, vector);
    Mat v = lanczosTop(s, largestRowDirection(s), bound);
    v /= norm(v);
    const int n = s.cols;
    Mat sv(1, n, CV_64F);
    multiplyRows(s, v.ptr<double>(), sv.ptr<double>());
    const double lambda = dot(sv.ptr<double>(), v.ptr<double>(), n);
    double diagonal = -bound;  // a lower bound of the largest eigenvalue
    for (int i = 0; i < n; ++i)
        diagonal = std::max(diagonal, s.at<double>(i, i));
    if (norm(sv - lambda * v) > 1e-10 * bound || lambda < diagonal - 1e-10 * bound)
        return topEigen(s, vector);
    vector = v;
    return lambda;
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
        Mat v32, p32;
        vector.convertTo(v32, CV_32F);
        weightedSum(v32, x, p32);
        p32.convertTo(projection, CV_64F);
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
    const double lambda = topEigenSymmetric(k, vector);
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
