// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The "batched net" engine: whole forward passes of many masked copies of the input blob, used by
// Score-CAM, occlusion, RISE (perturb.cpp) and the faithfulness metrics (metrics.cpp). It uses only
// the public CAMModel API.
#ifndef OPENCV_XCAM_PERTURB_HPP
#define OPENCV_XCAM_PERTURB_HPP

#include "precomp.hpp"

#include <functional>

namespace cv {
namespace xcam {
namespace detail {

/** Maps of `classIds` for CAM_METHOD_SCORECAM / OCCLUSION / RISE, from the model's last forward()
    (its input blob, features, scores), with model.forwardBatch for every perturbed input. All
    classes come from the same forwards. `progress` (may be empty) is called after every batch with
    (inputs done, inputs in all); returning false cancels (StsError). */
void perturbationMaps(CAMModel& model, int method, const std::vector<int>& classIds,
                      const CAMMethodParams& params, std::vector<Mat>& maps,
                      const CAMProgressCallback& progress = CAMProgressCallback());

/** Writes the masks of inputs [start, start + masks.rows) into the rows of `masks` (H*W CV_32F). */
typedef std::function<void(int start, Mat& masks)> MaskWriter;
/** Receives the masks of inputs [start, start + logits.rows) and their logits (one row each). */
typedef std::function<void(int start, const Mat& masks, const Mat& logits)> LogitsReader;

/** Runs `count` inputs base + mask_i ⊙ (blob - base) (base empty: zeros, i.e. blob ⊙ mask_i), each
    mask applied to every channel, `batchSize` per forward: each batch is written into one
    preallocated batchSize x C x H x W blob. `blob` is 1 x C x H x W CV_32F. */
void runMasked(CAMModel& model, const Mat& blob, const Mat& base, int count, int batchSize,
               const MaskWriter& writeMasks, const LogitsReader& readLogits,
               const CAMProgressCallback& progress = CAMProgressCallback());

/** Occlusion's window starts along one axis: every `stride` from 0, plus the last one touching
    the border (size - patch). */
std::vector<int> windowStarts(int size, int patch, int stride);

/** Row-wise softmax of N x K logits (in double, shifted by each row's maximum), CV_32F. */
void softmaxRows(const Mat& logits, Mat& probs);

/** Throws StsOutOfRange unless every id is in [0, numClasses). */
void checkClassIds(const std::vector<int>& classIds, int numClasses);

/** Bilinear resize with align_corners=True sampling (PyTorch's UpsamplingBilinear2d): the corner
    samples of `src` and `dst` coincide. CV_32F single channel. */
void resizeAlignCorners(const Mat& src, Size dsize, Mat& dst);

}}} // namespace cv::xcam::detail

#endif
