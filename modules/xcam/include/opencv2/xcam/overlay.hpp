// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_OVERLAY_HPP
#define OPENCV_XCAM_OVERLAY_HPP

#include "opencv2/core.hpp"

namespace cv {
namespace xcam {

//! @addtogroup xcam
//! @{

/** @brief How applyCAMOverlay draws the map over the image. */
enum CAMOverlayStyle
{
    /** @brief The seed's figure (the blog's `CAMshow`): a colour ramp whose brightness rises
        with the activation, added to the image's grey level halved, then stretched to [0, 255]. */
    CAM_OVERLAY_SEED = 0,
    /** @brief `(1 - alpha) * image + alpha * colormap(map)`, as pytorch-grad-cam's
        `show_cam_on_image`. */
    CAM_OVERLAY_BLEND = 1
};

/** @brief Parameters of applyCAMOverlay. */
struct CV_EXPORTS_W_SIMPLE CAMOverlayParams
{
    /** @brief The defaults: seed style, bicubic, threshold 0.2, alpha 0.5, COLORMAP_JET. */
    CV_WRAP CAMOverlayParams();

    /** @brief A CAMOverlayStyle (default CAM_OVERLAY_SEED). */
    CV_PROP_RW int style;
    /** @brief How the map is resized to the image: INTER_NEAREST, INTER_LINEAR, INTER_CUBIC or
        INTER_LANCZOS4, with cv::resize's sampling and replicated borders. */
    CV_PROP_RW int interpolation;
    /** @brief Normalized map values below it are set to 0 (in [0, 1]). */
    CV_PROP_RW float threshold;
    /** @brief Weight of the colour in the blend style (in [0, 1]). */
    CV_PROP_RW float alpha;
    /** @brief A cv::ColormapTypes for the colour ramp (both styles). */
    CV_PROP_RW int colormap;
};

/** @brief Draws a raw Class Activation Map over an image, in one fused parallel pass.

The map is resized to the image (`params.interpolation`), min-max normalized over the whole map (a
constant map becomes all zeros, never NaN), and values below `params.threshold` set to 0; let `m`
be the result and \f$idx = \mathrm{round}(255 m)\f$. Then, with `LUT` the colormap
`params.colormap` (BGR, as cv::applyColorMap):
- CAM_OVERLAY_SEED (default): \f$s = gray(image)/2 + LUT(idx) \cdot idx/255\f$ per channel (gray by
  COLOR_BGR2GRAY; a grey image is used as is), and
  \f$dst = \mathrm{round}(255 (s - \min s) / (\max s - \min s))\f$ with the minimum and maximum taken
  over all pixels and channels;
- CAM_OVERLAY_BLEND: \f$dst = (1 - \alpha)\, image + \alpha\, LUT(idx)\f$.

Interpolation weights are computed once per output row and column, colours come from a 256-entry
table, and once `dst` has the right size no image-sized buffer is allocated.

@param image CV_8UC3 (BGR), CV_8UC1 (grey) or CV_8UC4 (BGRA, alpha ignored).
@param cam raw map, CV_32FC1 of any size (typically the feature resolution, e.g. 7x7), finite.
@param dst CV_8UC3 picture of the image's size; may be `image` itself.
@param params style and its parameters.
*/
CV_EXPORTS_W void applyCAMOverlay(InputArray image, InputArray cam, OutputArray dst,
                                  const CAMOverlayParams& params = CAMOverlayParams());

//! @}

}} // namespace cv::xcam

#endif // OPENCV_XCAM_OVERLAY_HPP
