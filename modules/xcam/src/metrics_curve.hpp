// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// What the classifier metrics (metrics.cpp) and the detector metrics (detector_metrics.cpp)
// share: the map checks and the deletion / insertion curve on the engine, for any scorer.
#ifndef OPENCV_XCAM_METRICS_CURVE_HPP
#define OPENCV_XCAM_METRICS_CURVE_HPP

#include "engine.hpp"

namespace cv {
namespace xcam {
namespace detail {

/** The map as one CV_32F channel, checked (non-empty, one channel, 2-D, finite). */
Mat checkedMap(InputArray map);

/** Throws StsOutOfRange unless steps >= 1. */
void checkSteps(int steps);

/** Deletion (insertion = false) or insertion AUC of the engine's scorer column 0: the map
    (checkedMap) resized bilinearly to the engine's size ranks the pixels (decreasing, ties in
    row-major order); step i of `steps` has the first round(i * HW / steps) of them removed (set
    to the blob's zero) or inserted (into the blob blurred per channel, GaussianBlur 11x11,
    sigma 5); trapezoids over x in [0, 1]. `clean` is the clean input's score: deletion's step 0
    (not forwarded again). */
double curveAUC(const Engine& engine, const Mat& map, int steps, bool insertion, double clean);

}}} // namespace cv::xcam::detail

#endif
