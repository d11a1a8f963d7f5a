// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_METRICS_HPP
#define OPENCV_XCAM_METRICS_HPP

#include "opencv2/core.hpp"
#include "opencv2/xcam/model.hpp"

namespace cv {
namespace xcam {

//! @addtogroup xcam
//! @{

/** @brief Deletion AUC @cite petsiuk2018rise: the most salient pixels of the input blob are set to
the blob's zero (the mean colour) first, `steps` equal steps, and the area under the class's
probability (trapezoids, x in [0, 1]) is returned. Lower is better.
@param model a model; its preprocessing makes the blob from `image`;
@param image the image (as CAMModel::forward takes it);
@param map a raw map of any size (resized bilinearly to the blob's size to rank the pixels);
@param classId the class, in \f$[0, K)\f$;
@param steps number of steps (≥ 1, default 30);
@param batchSize blobs per forward pass.
@return the area, in [0, 1].
*/
CV_EXPORTS_W double deletionAUC(const Ptr<CAMModel>& model, InputArray image, InputArray map,
                                int classId, int steps = 30, int batchSize = 32);

/** @brief Insertion AUC @cite petsiuk2018rise: the most salient pixels are inserted first into a
blurred copy of the blob (Gaussian, kernel 11, σ 5). Higher is better. Parameters as deletionAUC.
@return the area, in [0, 1].
*/
CV_EXPORTS_W double insertionAUC(const Ptr<CAMModel>& model, InputArray image, InputArray map,
                                 int classId, int steps = 30, int batchSize = 32);

/** @brief Average Drop and Increase in Confidence @cite chattopadhay2018gradcampp for one image:
the blob is multiplied by the min-max normalized map (resized to the blob), and the class's
probability y' compared with the original y.
@param model, image, map, classId as in deletionAUC;
@param drop \f$\max(0, y - y') / y\f$ (average it over images; lower is better);
@param increase whether \f$y' > y\f$ (its rate over images; higher is better).
*/
CV_EXPORTS_W void confidenceChange(const Ptr<CAMModel>& model, InputArray image, InputArray map,
                                   int classId, CV_OUT double& drop, CV_OUT bool& increase);

/** @brief Pointing game @cite zhang2018topdown: whether the map's maximum, mapped to image pixels,
falls inside the box grown by `tolerance` pixels on each side.
@param map a raw map of any size, covering the whole image;
@param imageSize the image's size;
@param box the object's box in image pixels;
@param tolerance pixels added on each side of the box (default 15).
@return true for a hit.
*/
CV_EXPORTS_W bool pointingGame(InputArray map, const Size& imageSize, const Rect& box,
                               int tolerance = 15);

//! @}

}} // namespace cv::xcam

#endif // OPENCV_XCAM_METRICS_HPP
