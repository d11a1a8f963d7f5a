// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// What the metrics ask a CAMModel beyond its public API: whether its last forward pass was of
// this image, so that they take its clean scores instead of running it again.
#ifndef OPENCV_XCAM_MODEL_STATE_HPP
#define OPENCV_XCAM_MODEL_STATE_HPP

#include "precomp.hpp"

namespace cv {
namespace xcam {
namespace detail {

class LastForward
{
public:
    virtual ~LastForward() {}
    /** Whether the last forward() made the same input blob from `image`, value for value (and
        the layers have not changed since). */
    virtual bool isLastInput(InputArray image) const = 0;
};

}}} // namespace cv::xcam::detail

#endif
