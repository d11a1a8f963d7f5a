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
    /** What backward() reads besides the gradient. */
    enum Needs { NEEDS_NOTHING = 0, NEEDS_INPUT = 1, NEEDS_OUTPUT = 2 };

    virtual ~HeadOp() {}
    /** out (N x outSize) = the layer applied to each row of in (N x inSize). */
    virtual void forward(const Mat& in, Mat& out) const = 0;
    /** gx (k x inSize) = gy (k x outSize) through the layer's Jacobian at input x (1 x inSize),
        output y (1 x outSize); only what needs() says is given (the others may be empty). */
    virtual void backward(const Mat& x, const Mat& y, const Mat& gy, Mat& gx) const = 0;
    /** NEEDS_INPUT, NEEDS_OUTPUT or NEEDS_NOTHING. */
    virtual int needs() const { return NEEDS_NOTHING; }
};

/** The head (layers between the feature layer and the logits) as xcam evaluates and
    differentiates it: exact gradients and batched re-evaluation without autograd.

    Its values are numbered as the chain: value 0 is the feature blob, value i + 1 the output of
    head layer i (the last one: the logits). The gradient needs only some of them (a MAX
    pooling's input, an activation's output), which CAMModel takes from the same Net::forward. */
class Head
{
public:
    /** Builds the ops of `layers` (read from `net` after its first forward). Throws
        StsNotImplemented naming the first layer whose type xcam cannot differentiate. */
    Head(const dnn::Net& net, const std::vector<HeadLayer>& layers);

    /** logits (N x K) of N feature blobs given as rows (N x C*H*W). */
    void forward(const Mat& features, Mat& logits) const;
    /** Every value (1 x size each) for one feature blob given as a row (1 x C*H*W). */
    void values(const Mat& features, std::vector<Mat>& values) const;
    /** The indices of the values backward() reads, increasing. */
    std::vector<int> neededValues() const;
    /** grads (k x C*H*W) = seeds (k x K, row i: d target_i / d logits) back through the head, at
        `values` (1 x size each; only neededValues() must be filled). */
    void backward(const std::vector<Mat>& values, const Mat& seeds, Mat& grads) const;

private:
    std::vector<Ptr<HeadOp> > ops;
};

/** The layer types Head supports, for error messages. */
const char* headLayerTypes();

}}} // namespace cv::xcam::detail

#endif
