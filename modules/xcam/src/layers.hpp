// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_LAYERS_HPP
#define OPENCV_XCAM_LAYERS_HPP

#include "precomp.hpp"

namespace cv {
namespace xcam {
namespace detail {

/** The layers CAM needs, resolved to the names cv::dnn uses. */
struct CAMLayers
{
    String feature;        //!< the feature layer (maps A_k)
    String fc;             //!< the fully-connected layer; empty in class-map mode
    String scores;         //!< the layer whose output is the class scores (logits)
    bool classMap = false; //!< class-map head: the map of class c is channel c of `feature`
    Mat weights;           //!< FC weights, K x C CV_32F (empty in class-map mode)
    Mat bias;              //!< FC bias, 1 x K CV_32F (empty when the FC has none)
};

/** Finds the id of a layer written as users write it: the exact name, else OpenCV 4.6's ONNX
    spellings `onnx_node!<name>` and `onnx_node_output_0!<name>`. Throws StsObjectNotFound,
    naming `argName` and listing the nearest layer names, when nothing matches. */
int resolveLayer(const dnn::Net& net, const String& name, const char* argName);

/** Completes the user's choice (empty names: find them) into the CAM layers of `net` for a
    blob of shape `inputShape` (used to tell an average pooling that covers its whole input).
    Throws a cv::Exception that says what was looked for when the head is not a CAM head. */
CAMLayers findCAMLayers(const dnn::Net& net, const dnn::MatShape& inputShape,
                        const String& featureLayer, const String& fcLayer);

}}} // namespace cv::xcam::detail

#endif
