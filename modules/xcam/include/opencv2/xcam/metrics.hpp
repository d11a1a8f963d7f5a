// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_METRICS_HPP
#define OPENCV_XCAM_METRICS_HPP

#include "opencv2/core.hpp"
#include "opencv2/xcam/detection.hpp"
#include "opencv2/xcam/model.hpp"

namespace cv {
namespace xcam {

//! @addtogroup xcam
//! @{

/** @brief Deletion AUC @cite petsiuk2018rise; the most salient pixels of the input blob are set to
the blob's zero (the mean colour) first, in `steps` equal steps, and the area under the class's
softmax probability (trapezoids, x in [0, 1]) is returned. Lower is better.

Runs `model->forward(image)` unless the model's last forward pass was of the same image (the
same input blob, value for value: then its scores are taken), so that the model's last forward is
this image's; then `steps` (deletion) or `steps + 1` (insertion) masked forwards through
CAMModel::forwardBatch (deletion's step 0 is the clean input). Step i has the first round(i·H·W/steps) pixels of
the ranking changed (all channels). The ranking sorts the map's values in decreasing order, ties in
row-major pixel order, so a constant map gives a defined (if uninformative) curve.
@param model a model; its preprocessing makes the blob from `image`;
@param image the image (as CAMModel::forward takes it);
@param map a raw map of any size covering the blob (e.g. from explain()); resized bilinearly
       (cv::resize INTER_LINEAR) to the blob's H×W. NaN or infinite values raise StsBadArg;
@param classId the class, in \f$[0, K)\f$ (else StsOutOfRange);
@param steps number of steps (≥ 1, else StsOutOfRange; default 30);
@param batchSize blobs per forward pass (≥ 1).
@return the area, in [0, 1].
*/
CV_EXPORTS_W double deletionAUC(const Ptr<CAMModel>& model, InputArray image, InputArray map,
                                int classId, int steps = 30, int batchSize = 32);

/** @brief Insertion AUC @cite petsiuk2018rise; the most salient pixels are inserted first into a
blurred copy of the blob (each channel blurred with cv::GaussianBlur, kernel 11×11, σ 5, default
border). Higher is better. Ranking and errors as deletionAUC.
@param model a model; its preprocessing makes the blob from `image`;
@param image the image (as CAMModel::forward takes it);
@param map a raw map of any size, resized bilinearly to the blob's size;
@param classId the class, in \f$[0, K)\f$;
@param steps number of steps (≥ 1);
@param batchSize blobs per forward pass (≥ 1).
@return the area, in [0, 1].
*/
CV_EXPORTS_W double insertionAUC(const Ptr<CAMModel>& model, InputArray image, InputArray map,
                                 int classId, int steps = 30, int batchSize = 32);

/** @brief Deletion AUC of a detection @cite petsiuk2021drise: the classifier deletionAUC's curve
(same pixel ranking, steps and baseline: the most salient pixels of the network input blob set to
the blob's zero first), each step scored as the D-RISE paper scores a perturbed image: the
maximum over ALL its proposals (no score threshold, no NMS) of detectionSimilarity(target,
proposal), 0 when it has none. Lower is better.

Runs one forward pass of `image` (step 0: its proposals, the clean score), then `steps` masked
forward passes `batchSize` at a time (as DetectorModel::explain: a net that refuses a batch runs
one blob at a time). The blob's layout (setInputNHWC) is the model's.
@param model a detector from DetectorModel::create, with a format or decoder set;
@param image the image (as DetectorModel::detect takes it);
@param map a raw map of any size covering the image (e.g. from DetectorModel::explain), resized
       bilinearly (cv::resize INTER_LINEAR) to the blob's H×W; empty, multi-channel, NaN or
       infinite: StsBadArg; a constant map ranks the pixels in row-major order;
@param target the detection, boxes in image pixels (e.g. from detect()); a non-finite value or
       an empty box raises StsBadArg, a class that cannot be compared with the detector's class
       vectors StsOutOfRange or StsBadSize (as in explain());
@param steps number of steps (≥ 1, else StsOutOfRange; default 30);
@param batchSize masked blobs per forward pass (≥ 1).
@return the area, in [0, 1] when the objectness is.
*/
CV_EXPORTS_W double deletionAUC(const Ptr<DetectorModel>& model, InputArray image, InputArray map,
                                const Detection& target, int steps = 30, int batchSize = 32);

/** @brief Insertion AUC of a detection @cite petsiuk2021drise: the most salient pixels are
inserted first into the blurred blob (as the classifier insertionAUC: each channel blurred with
cv::GaussianBlur, 11×11, σ 5); step i scored by the best D-RISE similarity of the target among
the perturbed image's proposals, as detector deletionAUC. Runs one clean forward pass (for the
checks), then `steps + 1` masked ones. Higher is better.
@param model, image, map, target, steps, batchSize as in the detector deletionAUC (same errors).
@return the area, in [0, 1] when the objectness is.
*/
CV_EXPORTS_W double insertionAUC(const Ptr<DetectorModel>& model, InputArray image, InputArray map,
                                 const Detection& target, int steps = 30, int batchSize = 32);

/** @brief Average Drop and Increase in Confidence @cite chattopadhay2018gradcampp for one image:
the blob is multiplied by the min-max normalized map (resized bilinearly to the blob; a constant
map gives zeros, i.e. an all-zero blob), and the class's softmax probability y' compared with the
original y. Runs `model->forward(image)` (unless the last one was of the same image, as in
deletionAUC) and one more forward.
@param model, image, map, classId as in deletionAUC (same errors);
@param drop \f$\max(0, y - y') / y\f$ (average it over images; lower is better);
@param increase whether \f$y' > y\f$ (its rate over images; higher is better).
*/
CV_EXPORTS_W void confidenceChange(const Ptr<CAMModel>& model, InputArray image, InputArray map,
                                   int classId, CV_OUT double& drop, CV_OUT bool& increase);

/** @brief Pointing game @cite zhang2018topdown; whether the map's maximum, mapped to image pixels,
falls inside the box grown by `tolerance` pixels on each side.

The maximum is the first one in row-major order (a constant map points at its first cell); cell
(i, j) of an h×w map is the image point ((j + 0.5)·W/w − 0.5, (i + 0.5)·H/h − 0.5), where
cv::resize puts the cell's centre. A hit: box.x − tolerance ≤ x ≤ box.x + box.width − 1 + tolerance,
and likewise in y.
@param map a raw map of any size, covering the whole image (NaN or infinity: StsBadArg);
@param imageSize the image's size;
@param box the object's box in image pixels; for a detection, `Rect(detection.box)` (rounded);
@param tolerance pixels added on each side of the box (≥ 0, default 15).
@return true for a hit.
*/
CV_EXPORTS_W bool pointingGame(InputArray map, const Size& imageSize, const Rect& box,
                               int tolerance = 15);

//! @}

}} // namespace cv::xcam

#endif // OPENCV_XCAM_METRICS_HPP
