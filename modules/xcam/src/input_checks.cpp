// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "input_checks.hpp"

#include <cmath>

namespace cv {
namespace xcam {
namespace detail {

void checkInputParams(double scale, const Size& size, const Scalar& mean)
{
    if (!std::isfinite(scale) || scale == 0)
        CV_Error_(Error::StsBadArg, ("scale must be finite and non-zero, got %g", scale));
    if (size.width < 0 || size.height < 0)
        CV_Error_(Error::StsBadArg, ("size must not be negative, got %dx%d", size.width,
                                     size.height));
    for (int i = 0; i < 4; ++i)
        if (!std::isfinite(mean[i]))
            CV_Error(Error::StsBadArg, "mean must be finite");
}

void checkImage(InputArray image, const char* alternative)
{
    if (image.empty())
        CV_Error(Error::StsBadArg, "image is empty");
    const int depth = image.depth(), cn = image.channels();
    if (image.dims() != 2 || (depth != CV_8U && depth != CV_32F) ||
        (cn != 1 && cn != 3 && cn != 4))
        CV_Error_(Error::StsBadArg,
                  ("image must be a CV_8U or CV_32F image with 1, 3 or 4 channels%s, got %s with "
                   "%d dimensions", alternative, typeToString(image.type()).c_str(),
                   image.dims()));
}

}}} // namespace cv::xcam::detail
