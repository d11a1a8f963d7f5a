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

#endif
