// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_LAYERS_HPP
#define OPENCV_XCAM_LAYERS_HPP

#include "util.hpp"

namespace cv {
namespace xcam {
namespace detail {

/** One layer of the head, with its input and output shapes for one image. */
struct HeadLayer
{
    String name;
    dnn::MatShape in, out;
};

/** The layers the methods need, resolved to the names cv::dnn uses. */
struct CAMLayers
{
    String feature;        //!< the feature layer (maps A_k)
    String fc;             //!< the fully-connected layer of a GAP->FC head; else empty
    String scores;         //!< the layer whose output is the class scores (logits)
    bool camHead = false;  //!< GAP->FC or class-map head: CAM and its closed forms apply
    bool classMap = false; //!< class-map head: the map of class c is channel c of `feature`
    Mat weights;           //!< FC weights, K x C CV_32F (GAP->FC heads only)
    Mat bias;              //!< FC bias, 1 x K CV_32F (empty when the FC has none)
    std::vector<HeadLayer> head; //!< the layers after `feature` up to `scores`, in order
    String headError;      //!< why the head is not a chain of layers (then `head` is empty)
};

/** Finds the id of a layer written as users write it: the exact name, else OpenCV 4.6's ONNX
    spellings `onnx_node!<name>` and `onnx_node_output_0!<name>`. Throws StsObjectNotFound,
    naming `argName` and listing the nearest layer names, when nothing matches. */
int resolveLayer(const dnn::Net& net, const String& name, const char* argName);

/** Completes the user's choice (empty names: find them) into the layers of `net` for a blob of
    shape `inputShape`: a GAP->FC or class-map head when there is one, else the last 4-D layer
    with spatial size > 1 before the logits as the feature layer. Throws a cv::Exception that
    says what was looked for when no feature layer can be found, or when a named FC layer does
    not make a CAM head. */
CAMLayers findCAMLayers(const dnn::Net& net, const dnn::MatShape& inputShape,
                        const String& featureLayer, const String& fcLayer);

}}} // namespace cv::xcam::detail

#endif
