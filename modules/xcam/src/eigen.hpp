// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The class-agnostic projections of a feature blob (Eigen-CAM, KPCA-CAM), for any net that has
// a feature layer: classifiers, and detectors too.
#ifndef OPENCV_XCAM_EIGEN_HPP
#define OPENCV_XCAM_EIGEN_HPP

#include "util.hpp"

namespace cv {
namespace xcam {
namespace detail {

/** Eigen-CAM of m (C x N CV_32F, one channel a row): the centred N x C matrix projected on its
    first right singular vector, signed so that the map correlates positively with the channel
    sum. map: 1 x N CV_32F. */
void eigenProjection(const Mat& m, Mat& map);

/** KPCA-CAM of m (C x N CV_32F): scikit-learn's KernelPCA(n_components=1, kernel, gamma,
    coef0=1) of the N x C matrix with centred columns (a CAMKernel; gamma 0: 1/C), the first
    component signed so that its first entry of largest |value| is positive. map: 1 x N
    CV_32F. */
void kernelPCAProjection(const Mat& m, int kernel, double gamma, Mat& map);

}}} // namespace cv::xcam::detail

#endif
