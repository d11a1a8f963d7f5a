// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_PRECOMP_HPP
#define OPENCV_XCAM_PRECOMP_HPP

#include "opencv2/xcam.hpp"
#include "opencv2/core.hpp"
#include "opencv2/core/utility.hpp"
#include "opencv2/imgproc.hpp"
#include "opencv2/dnn.hpp"
#include "opencv2/dnn/all_layers.hpp"
#include "opencv2/dnn/shape_utils.hpp"

#include <string>
#include <vector>

namespace cv {
namespace xcam {
namespace detail {

/** The C x (H*W) view of a 1xCxHxW or CxHxW CV_32F blob (a header, no copy, when the blob is
    continuous); throws naming `argName` for anything else. */
Mat featureRows(const Mat& activations, int& height, int& width, const char* argName);

/** maps (k x H*W) = weightRows (k x C) * features (C x H*W): the one GEMM behind every map. */
void weightedSum(const Mat& weightRows, const Mat& features, Mat& maps);

/** Throws StsBadArg naming `argName` when `m` holds NaN or an infinity. */
void checkFinite(const Mat& m, const char* argName);

}}} // namespace cv::xcam::detail

#endif
