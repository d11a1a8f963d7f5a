// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_HEAD_HPP
#define OPENCV_XCAM_HEAD_HPP

#include "layers.hpp"

namespace cv {
namespace xcam {
namespace detail {

/** One layer of the head, evaluated by xcam on batches of flattened blobs (one row per image). */
class HeadOp
{
public:
    virtual ~HeadOp() {}
    /** out (N x outSize) = the layer applied to each row of in (N x inSize). */
    virtual void forward(const Mat& in, Mat& out) const = 0;
    /** gx (k x inSize) = gy (k x outSize) through the layer's Jacobian at input x (1 x inSize),
        output y (1 x outSize). */
    virtual void backward(const Mat& x, const Mat& y, const Mat& gy, Mat& gx) const = 0;
};

/** The head (layers between the feature layer and the logits) as xcam evaluates and
    differentiates it: exact gradients and batched re-evaluation without autograd. */
class Head
{
public:
    /** Builds the ops of `layers` (read from `net` after its first forward). Throws
        StsNotImplemented naming the first layer whose type xcam cannot differentiate. */
    Head(const dnn::Net& net, const std::vector<HeadLayer>& layers);

    /** logits (N x K) of N feature blobs given as rows (N x C*H*W). */
    void forward(const Mat& features, Mat& logits) const;
    /** grads (k x C*H*W): row i is d logit[classes[i]] / d features at `features` (1 x C*H*W). */
    void gradients(const Mat& features, const std::vector<int>& classes, Mat& grads) const;

private:
    std::vector<Ptr<HeadOp> > ops;
};

/** The layer types Head supports, for error messages. */
const char* headLayerTypes();

}}} // namespace cv::xcam::detail

#endif
