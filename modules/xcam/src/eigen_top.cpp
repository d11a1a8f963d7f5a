// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The first eigenpair of a Gram matrix by power iteration (Eigen-CAM's projection).

#include "eigen_top.hpp"

#include <algorithm>
#include <cmath>

namespace cv {
namespace xcam {
namespace detail {

namespace {

// w = G v = sum_j v_j G_j (G symmetric: rows are columns), |w| returned; row updates four at a
// time, which the compiler vectorizes: this runs a few hundred times per map.
double multiply(const Mat& g, const std::vector<double>& v, std::vector<double>& w)
{
    const int n = g.cols;
    std::fill(w.begin(), w.end(), 0.0);
    double* out = w.data();
    int j = 0;
    for (; j + 4 <= g.rows; j += 4)
    {
        const double *r0 = g.ptr<double>(j), *r1 = g.ptr<double>(j + 1),
                     *r2 = g.ptr<double>(j + 2), *r3 = g.ptr<double>(j + 3);
        const double v0 = v[j], v1 = v[j + 1], v2 = v[j + 2], v3 = v[j + 3];
        for (int i = 0; i < n; ++i)
            out[i] += v0 * r0[i] + v1 * r1[i] + v2 * r2[i] + v3 * r3[i];
    }
    for (; j < g.rows; ++j)
    {
        const double* row = g.ptr<double>(j);
        for (int i = 0; i < n; ++i)
            out[i] += v[j] * row[i];
    }
    double len = 0;
    for (double x : w)
        len += x * x;
    return std::sqrt(len);
}

} // namespace

void topEigen(const Mat& symmetric, Mat& values, Mat& vectors)
{
    CV_Assert(symmetric.type() == CV_64F && symmetric.rows == symmetric.cols);
    const int n = symmetric.rows;
    // Start from e_j of the largest diagonal entry: G e_j leans towards the first eigenvector.
    int start = 0;
    for (int j = 1; j < n; ++j)
        if (symmetric.at<double>(j, j) > symmetric.at<double>(start, start))
            start = j;
    std::vector<double> v(n, 0.0), w(n);
    v[start] = 1;
    for (int step = 0; step < 1000; ++step)
    {
        const double len = multiply(symmetric, v, w);
        if (!(len > 0))
            break;  // the zero matrix (or a start orthogonal to everything): cv::eigen decides
        double lambda = 0, change = 0;
        for (int i = 0; i < n; ++i)
        {
            lambda += w[i] * v[i];
            w[i] /= len;
            change += (w[i] - v[i]) * (w[i] - v[i]);
        }
        if (step > 0 && change < 1e-18)  // |w - v| < 1e-9: the map to ~1e-9 of its norm
        {
            values = (Mat_<double>(1, 1) << lambda);
            Mat(1, n, CV_64F, w.data()).copyTo(vectors);
            return;
        }
        v.swap(w);
    }
    Mat all, allVectors;
    eigen(symmetric, all, allVectors);
    values = all.rowRange(0, 1).clone();
    vectors = allVectors.rowRange(0, 1).clone();
}

}}} // namespace cv::xcam::detail
