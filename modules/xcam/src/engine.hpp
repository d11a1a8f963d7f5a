// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The "batched net" engine: forward passes of many masked copies of one input blob, each copy's
// scores read by a callback. Score-CAM, occlusion, RISE (a classifier's logits or probabilities)
// and the metrics run on it; a detector can too (its own scorer, e.g. D-RISE similarities, and
// NHWC blobs). It knows nothing of CAMModel.
#ifndef OPENCV_XCAM_ENGINE_HPP
#define OPENCV_XCAM_ENGINE_HPP

#include "util.hpp"

#include <functional>

namespace cv {
namespace xcam {
namespace detail {

/** A net run on batches of input blobs. A net that cannot take a batch larger than 1 (it throws,
    or an output's first dimension is not the batch) is found on the first batch of more than one
    blob; from then on it runs one blob at a time (said once in the log). */
class BatchedNet
{
public:
    BatchedNet() {}
    /** `outputs`: the layers whose outputs forward() returns. */
    BatchedNet(const dnn::Net& net, const std::vector<String>& outputs);
    /** outs[j] = output j for the N blobs of `blobs` (N x ...), first dimension N. The Mats may
        share memory with the net: read them before its next forward pass. */
    void forward(const Mat& blobs, std::vector<Mat>& outs);
    /** The outputs' shapes for one blob (first dimension 1), when known: a batch whose outputs
        are not these shapes with the batch first (e.g. a Reshape to a fixed batch of 1, which
        OpenCV may run as N x 1 x ...) counts as refused. */
    void setItemShapes(const std::vector<dnn::MatShape>& shapes) { itemShapes = shapes; }

private:
    bool isBatchOf(const std::vector<Mat>& outs, int n) const;

    void forwardOneAtATime(const Mat& blobs, std::vector<Mat>& outs);

    dnn::Net net;
    std::vector<String> names;
    std::vector<dnn::MatShape> itemShapes;
    bool oneAtATime = false;
};

/** Scores of a batch of input blobs (N x ...): one CV_32F row per blob, N x S, S fixed. */
typedef std::function<void(const Mat& blobs, Mat& scores)> BatchScorer;

/** What a perturbation method runs on: the clean input blob, the scorer, the batch size and the
    progress callback. */
struct Engine
{
    Mat blob;                      //!< 1 x C x H x W CV_32F, or 1 x H x W x C with channelsLast
    bool channelsLast = false;     //!< NHWC blob (nets converted from TF/TFLite)
    int batchSize = 32;            //!< blobs per scorer call (>= 1)
    BatchScorer scorer;
    CAMProgressCallback progress;  //!< (inputs done, inputs in all) after each batch; may be empty

    /** The masks' size: the blob's W x H. */
    Size size() const;
    int channels() const;
};

/** Writes the masks of inputs [start, start + masks.rows) into the rows of `masks` (H*W CV_32F). */
typedef std::function<void(int start, Mat& masks)> MaskWriter;
/** Receives the masks of inputs [start, start + scores.rows) and their scores (one row each). */
typedef std::function<void(int start, const Mat& masks, const Mat& scores)> ScoresReader;

/** Scores `count` inputs base + mask_i ⊙ (blob − base) (base empty: blob ⊙ mask_i), each H x W
    mask applied to every channel in the blob's layout, engine.batchSize per scorer call: each
    batch is written into one preallocated blob. `base` is empty or shaped as engine.blob.
    Progress is reported after each batch (a cancel throws StsError). */
CV_EXPORTS void runMasked(const Engine& engine, const Mat& base, int count,
                          const MaskWriter& writeMasks, const ScoresReader& readScores);

/** A scorer whose row i holds columns `ids` of row i of `logits`' scores: the logits themselves,
    or (softmax) the softmax probabilities over all columns. */
BatchScorer classColumns(const BatchScorer& logits, const std::vector<int>& ids, bool softmax);

}}} // namespace cv::xcam::detail

#endif
