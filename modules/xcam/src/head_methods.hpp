// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_HEAD_METHODS_HPP
#define OPENCV_XCAM_HEAD_METHODS_HPP

#include "head.hpp"

namespace cv {
namespace xcam {
namespace detail {

/** What the methods that work on the feature blob get from one forward pass. */
struct HeadContext
{
    Mat features;                    //!< A as C x (H*W) CV_32F
    int height = 0, width = 0;
    const CAMLayers* layers = nullptr; //!< camHead, FC weights and bias
    const Head* head = nullptr;      //!< null when the head cannot be differentiated
    String headError;                //!< why `head` is null
    CAMMethodParams params;
    CAMProgressCallback progress;
};

/** Maps (k x H*W, one row per class) of the Grad-CAM family, Eigen-CAM, Eigen-Grad-CAM,
    Ablation-CAM and Recipro-CAM. */
void headMethodMaps(const HeadContext& ctx, int method, const std::vector<int>& classes,
                    Mat& maps);

/** Eigen-CAM of m (C x H*W): the centred (H*W) x C matrix projected on its first right singular
    vector, signed to correlate positively with the channel sum; `map` is 1 x H*W CV_32F. */
void eigenProjection(const Mat& m, Mat& map);

/** Whether `method` can run on this head (CAM and perturbation methods are not asked here). */
bool headSupports(const HeadContext& ctx, int method);

}}} // namespace cv::xcam::detail

#endif
