// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The checks of preprocessing parameters and images that CAMModel and DetectorModel share.
#ifndef OPENCV_XCAM_INPUT_CHECKS_HPP
#define OPENCV_XCAM_INPUT_CHECKS_HPP

#include "precomp.hpp"

namespace cv {
namespace xcam {
namespace detail {

/** Throws StsBadArg unless scale is finite and non-zero, size not negative, mean finite. */
void checkInputParams(double scale, const Size& size, const Scalar& mean);

/** Throws StsBadArg unless `image` is a non-empty 2-D CV_8U or CV_32F image with 1, 3 or 4
    channels; `alternative` ("" or e.g. " (or a 4-D blob)") is named in the message. */
void checkImage(InputArray image, const char* alternative);

}}} // namespace cv::xcam::detail

#endif
