// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_CAM_HPP
#define OPENCV_XCAM_CAM_HPP

#include "opencv2/core.hpp"

namespace cv {
namespace xcam {

//! @addtogroup xcam
//! @{

/** @brief Computes the raw Class Activation Map of one class @cite zhou2016cam.

The map is the feature maps weighted by the class's row of the final fully-connected layer:
\f[CAM_c(y,x) = \sum_{k=0}^{C-1} W(c,k)\,A_k(y,x)\f]
computed as one matrix-vector product over the \f$C \times (H \cdot W)\f$ view of the activations.
Nothing else is applied: no bias, no ReLU, no normalization. For a net whose head is global average
pooling followed by the fully-connected layer, \f$\mathrm{mean}(CAM_c) + b_c\f$ is the class's logit.

@param activations the feature layer's blob as cv::dnn::Net::forward returns it: a 4-D
       \f$1 \times C \times H \times W\f$ or 3-D \f$C \times H \times W\f$ CV_32F array of finite values.
@param weights \f$K \times C\f$ CV_32F matrix, the fully-connected layer's weights as
       `net.getParam(fcLayer, 0)` returns them (row c belongs to class c). Leave it empty for
       class-map heads (SqueezeNet-like nets whose last convolution has one channel per class):
       the map is then channel `classId` of the activations itself.
@param classId the class, in \f$[0, K)\f$ (or \f$[0, C)\f$ when `weights` is empty).
@param cam output \f$H \times W\f$ CV_32F map.

Throws cv::Exception (StsBadArg / StsBadSize / StsOutOfRange) naming the argument for an empty or
non-CV_32F input, wrong dimensions, `weights.cols != C`, an out-of-range `classId`, and for NaN or
infinite values in the activations or in the class's weights.
*/
CV_EXPORTS_W void computeCAM(InputArray activations, InputArray weights, int classId,
                             OutputArray cam);

//! @}

}} // namespace cv::xcam

#endif // OPENCV_XCAM_CAM_HPP
