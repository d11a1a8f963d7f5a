// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_EIGEN_TOP_HPP
#define OPENCV_XCAM_EIGEN_TOP_HPP

#include "precomp.hpp"

namespace cv {
namespace xcam {
namespace detail {

/** The largest eigenvalue (values: 1x1) and its unit eigenvector (vectors: 1 x n) of a symmetric
    positive semi-definite n x n CV_64F matrix, as row 0 of cv::eigen's outputs: power iteration
    (Eigen-CAM needs only the first component; a full Jacobi sweep costs about as much as a small
    detector's forward pass), cv::eigen when it has not converged in 1000 steps. */
void topEigen(const Mat& symmetric, Mat& values, Mat& vectors);

}}} // namespace cv::xcam::detail

#endif
