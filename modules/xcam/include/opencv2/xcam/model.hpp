// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_MODEL_HPP
#define OPENCV_XCAM_MODEL_HPP

#include "opencv2/core.hpp"
#include "opencv2/dnn.hpp"
#include "opencv2/xcam/methods.hpp"

namespace cv {
namespace xcam {

//! @addtogroup xcam
//! @{

/** @brief How CAMModel treats the bias of the final fully-connected layer. */
enum CAMBiasMode
{
    /** @brief The bias is left out, as in Zhou et al. @cite zhou2016cam, so that
        \f$CAM_c = \sum_k w_{c,k} A_k\f$. Normalized maps do not depend on it. */
    CAM_BIAS_IGNORE = 0,
    /** @brief The bias is spread over the cells: each cell's share of the logit,
        \f$CAM_c(y,x)/(H \cdot W)\f$, gets \f$b_c/(H \cdot W)\f$, so the map (in its own scale)
        is \f$\sum_k w_{c,k} A_k + b_c\f$ and its mean equals the class's logit. */
    CAM_BIAS_SPREAD = 1
};

/** @brief A classifier wrapped for Class Activation Maps: preprocessing, the feature and
fully-connected layers, one forward pass, top-k classes and their maps.

Two heads are handled:
- GAP→FC (MobileNet, ResNet, GoogLeNet): the feature layer (the ReLU after the last convolution)
  feeds a global average pooling whose output feeds a fully-connected layer (Caffe `InnerProduct`,
  ONNX `Gemm` or `MatMul`, or a 1×1 convolution). The map of class c is
  \f$\sum_k w_{c,k} A_k\f$ with the FC weights \f$w\f$ (see cv::xcam::computeCAM and CAMBiasMode).
- class-map (SqueezeNet, mini-Xception): the feature layer has one channel per class and is pooled
  straight into the class scores; the map of class c is channel c.

Layers are given by name (setLayers) or found automatically at the first forward(): the global
average pooling nearest the output (a `Pooling` layer with global pooling, or an average pooling
whose kernel covers its whole input, like bvlc GoogLeNet's `pool5/7x7_s1`), the layer feeding it as
the feature layer (pass-through layers such as Dropout, Identity, Flatten or Reshape skipped) and
the first fully-connected layer after it; with none, class-map mode when the pooled channel count
equals the number of outputs. Names are resolved as users write them: the exact layer name, else
the `onnx_node!<name>` and `onnx_node_output_0!<name>` spellings of OpenCV 4.6's ONNX importer; a
name that matches nothing raises an error listing the nearest layer names.

Any other head (VGG/AlexNet-style flatten → FC → ReLU → FC, global MAX pooling, …) works with the
other methods of explain(): the feature layer is then the last 4-D output with spatial size > 1
before the logits, and classify() and getCAM(s) give the maps of getDefaultMethod() (Grad-CAM, or
Eigen-CAM on a head xcam cannot differentiate).

Threads: a CAMModel keeps the state of its last forward pass (and the cv::dnn::Net it wraps is not
reentrant), so use one CAMModel per thread, or serialize calls to a shared one. The free functions
(computeCAM, applyCAMOverlay, the metrics on separate models) are reentrant.

Probabilities are the softmax of the class scores (the input of the net's own Softmax, or the FC
output when there is none), so they equal the net's Softmax output and are never a softmax of
probabilities.

@code
Ptr<xcam::CAMModel> model = xcam::CAMModel::create("mobilenet_v2.onnx");
model->setInputParams(1.0 / 127.5, Size(224, 224), Scalar::all(127.5), true, false);
std::vector<int> ids; std::vector<float> probs; std::vector<Mat> maps;
model->classify(image, 3, ids, probs, maps);   // one forward pass, three 7x7 CV_32F maps
@endcode
*/
class CV_EXPORTS_W CAMModel
{
public:
    /** @brief Destroys the wrapper (the network handle it holds is released). */
    virtual ~CAMModel();

    /** @brief Reads a network with cv::dnn::readNet.
    @param model binary weights (`*.onnx`, `*.caffemodel`, `*.pb`, …);
    @param config text description (`*.prototxt`, …) when the format needs one.
    @return the new model, with default preprocessing and auto-detected layers.
    */
    CV_WRAP static Ptr<CAMModel> create(const String& model, const String& config = String());
    /** @brief Wraps an already loaded network (shared, not copied).
    @param net the network; cv::dnn::Net is a shared handle, so backend and target settings made on
           it later apply to the model too.
    @return the new model, with default preprocessing and auto-detected layers.
    */
    CV_WRAP static Ptr<CAMModel> create(const dnn::Net& net);

    /** @brief Preprocessing, as cv::dnn::blobFromImage takes it.
    @param scale multiplier applied after the mean is subtracted;
    @param size network input size; an empty size keeps the image size;
    @param mean subtracted from each channel, in the network's channel order (R, G, B for a BGR
           image with swapRB), as cv::dnn::blobFromImage takes it;
    @param swapRB swap the first and last channels (BGR image, RGB-trained net);
    @param crop resize keeping the aspect ratio and crop the centre, instead of stretching.
    */
    CV_WRAP virtual void setInputParams(double scale = 1.0, const Size& size = Size(),
                                        const Scalar& mean = Scalar(), bool swapRB = false,
                                        bool crop = false) = 0;

    /** @brief Sets the feature layer and the fully-connected layer by name.

    An empty name means "find it": give the feature layer alone for a class-map head or to pick
    the map, the FC layer alone to let its pooling tell the feature layer, or neither.
    Unknown names and layers of the wrong kind raise cv::Exception at the next forward().
    @param featureLayer the layer whose output is the feature blob \f$A\f$ (e.g. the ReLU after the
           last convolution), or empty;
    @param fcLayer the final fully-connected layer, or empty.
    */
    CV_WRAP virtual void setLayers(const String& featureLayer = String(),
                                   const String& fcLayer = String()) = 0;

    /** @brief Sets how the FC bias enters the maps.
    @param mode a CAMBiasMode (default CAM_BIAS_IGNORE).
    */
    CV_WRAP virtual void setBiasMode(int mode) = 0;
    /** @brief How the FC bias enters the maps.
    @return the CAMBiasMode set by setBiasMode().
    */
    CV_WRAP virtual int getBiasMode() const = 0;

    /** @brief Sets the class names.
    @param labels one name per class, in output order (see readClassLabels); their number must
           match the class count.
    */
    CV_WRAP virtual void setLabels(const std::vector<String>& labels) = 0;

    /** @brief Runs one forward pass that keeps both the feature blob and the class scores.
    @param image CV_8U or CV_32F image with 1, 3 or 4 channels, preprocessed as setInputParams
           says; or an already made 4-D \f$1 \times C \times H \times W\f$ CV_32F blob, used as is.
    */
    CV_WRAP virtual void forward(InputArray image) = 0;

    /** @brief forward(), then the top-k classes and all their maps from that one pass.
    @param image as in forward();
    @param topK how many classes (clipped to the class count);
    @param classIds the most likely classes, most likely first;
    @param probs their probabilities;
    @param cams their raw maps, \f$H \times W\f$ CV_32F at feature resolution.
    */
    CV_WRAP virtual void classify(InputArray image, int topK, CV_OUT std::vector<int>& classIds,
                                  CV_OUT std::vector<float>& probs,
                                  OutputArrayOfArrays cams) = 0;

    /** @brief The k most likely classes of the last forward(), most likely first (ties: lower id).
    @param k how many classes (clipped to the class count);
    @param classIds the class ids;
    @param probs their probabilities.
    */
    CV_WRAP virtual void getTopK(int k, CV_OUT std::vector<int>& classIds,
                                 CV_OUT std::vector<float>& probs) const = 0;

    /** @brief Raw map of one class from the last forward().

    cv::xcam::computeCAM of the kept feature blob, plus the bias when CAM_BIAS_SPREAD.
    @param classId the class, in \f$[0, K)\f$;
    @param cam output \f$H \times W\f$ CV_32F map.
    */
    CV_WRAP virtual void getCAM(int classId, OutputArray cam) const = 0;

    /** @brief Raw maps of several classes from the last forward(), with one matrix product.
    @param classIds the classes, each in \f$[0, K)\f$;
    @param cams one \f$H \times W\f$ CV_32F map per class, in the order of `classIds`.
    */
    CV_WRAP virtual void getCAMs(const std::vector<int>& classIds,
                                 OutputArrayOfArrays cams) const = 0;

    /** @brief Class scores (logits) of the last forward().
    @return a 1×K CV_32F row.
    */
    CV_WRAP virtual Mat getScores() const = 0;
    /** @brief Class probabilities of the last forward(): the softmax of getScores().
    @return a 1×K CV_32F row.
    */
    CV_WRAP virtual Mat getProbabilities() const = 0;
    /** @brief The feature blob of the last forward().
    @return a 1×C×H×W CV_32F blob.
    */
    CV_WRAP virtual Mat getFeatures() const = 0;
    /** @brief Weights of the fully-connected layer; known after forward().
    @return a K×C CV_32F matrix (row c belongs to class c), empty in class-map mode.
    */
    CV_WRAP virtual Mat getFCWeights() const = 0;
    /** @brief Bias of the fully-connected layer; known after forward().
    @return a 1×K CV_32F row, empty in class-map mode.
    */
    CV_WRAP virtual Mat getFCBias() const = 0;

    /** @brief Number of classes; known after forward().
    @return K, the number of class scores.
    */
    CV_WRAP virtual int getNumClasses() const = 0;
    /** @brief Label of a class.
    @param classId the class, in \f$[0, K)\f$.
    @return its label, or an empty string when no labels were set.
    */
    CV_WRAP virtual String getLabel(int classId) const = 0;

    /** @brief The resolved feature layer.
    @return its name as the net lists it (e.g. `onnx_node!Conv_1/Relu6`); empty before the first
            forward() when auto-detecting.
    */
    CV_WRAP virtual String getFeatureLayer() const = 0;
    /** @brief The resolved fully-connected layer.
    @return its name as the net lists it, or an empty string in class-map mode (and before the
            first forward() when auto-detecting).
    */
    CV_WRAP virtual String getFCLayer() const = 0;
    /** @brief The layer whose output is taken as the class scores.
    @return its name: the input of the net's own Softmax, or, when there is none, the FC layer (the
            global pooling in class-map mode).
    */
    CV_WRAP virtual String getScoreLayer() const = 0;
    /** @brief Whether the head is a class-map head.
    @return true when there is no FC layer: the map of a class is its channel of the feature
            blob.
    */
    CV_WRAP virtual bool isClassMapMode() const = 0;

    /** @brief Explains the classes of one image with a method: one forward pass (more only
    where the method needs them, batched), then one raw CV_32F map per class, in order.

    What a method needs is its CAMMethodInfo::needs (getCAMMethods). Gradient methods (Grad-CAM
    family, Eigen-Grad-CAM, Finer-CAM), Ablation-CAM and Recipro-CAM run on any head xcam can
    differentiate and re-evaluate: the layers between the feature layer and the logits made of
    pooling (AVE, MAX), Flatten/Reshape/Identity/Dropout, InnerProduct (Caffe `InnerProduct`, ONNX
    `Gemm`/`MatMul`, 1×1 convolution), ReLU/ReLU6/LeakyReLU/Sigmoid/TanH and BatchNorm/Scale. A
    head with any other layer raises cv::Exception naming the layer and the methods that run on the
    net (Eigen-CAM, KPCA-CAM, Score-CAM, occlusion, RISE). CAM needs a GAP→FC or class-map head.
    Maps are at feature resolution, except occlusion and RISE (input resolution).
    @param image as in forward();
    @param method a CAMMethod;
    @param classIds the classes, each in \f$[0, K)\f$; empty: the top-1 class;
    @param maps one raw map per class;
    @param params the methods' parameters.
    */
    CV_WRAP virtual void explain(InputArray image, int method, const std::vector<int>& classIds,
                                 OutputArrayOfArrays maps,
                                 const CAMMethodParams& params = CAMMethodParams()) = 0;

    /** @brief Whether explain() can run a method on this net's head (known after forward()).
    @param method a CAMMethod.
    @return whether the head gives what the method's CAMMethodInfo::needs: false for CAM on a
            head that is not GAP→FC or class-map, and for the head-based methods on a head with a
            layer xcam cannot differentiate.
    */
    CV_WRAP virtual bool supportsMethod(int method) const = 0;
    /** @brief The method of classify() and getCAM(s): the first method of getCAMMethods() that
    the head allows, i.e. CAM, else Grad-CAM, else Eigen-CAM (known after forward()).
    @return a CAMMethod.
    */
    CV_WRAP virtual int getDefaultMethod() const = 0;
    /** @brief The head's layers, from the one after the feature layer to the score layer.
    @return their names; empty before the first forward().
    */
    CV_WRAP virtual std::vector<String> getHeadLayers() const = 0;

    /** @brief Sets a progress callback for long explain() runs and forwardBatch() (C++ only).
    @param callback called with (done, total); returning false cancels. Empty: none.
    */
    virtual void setProgressCallback(const CAMProgressCallback& callback) = 0;

    /** @brief The preprocessed input blob of the last forward().
    @return a 1×C×H×W CV_32F blob.
    */
    CV_WRAP virtual Mat getInputBlob() const = 0;
    /** @brief Class scores (logits) of many input blobs, `batchSize` per forward pass.

    A net that cannot take a batch larger than 1 (a fixed batch in a Reshape, …) is detected on
    the first batch: it then runs one blob at a time, said once in the log.
    @param blobs an N×C×H×W CV_32F blob, each image preprocessed as getInputBlob();
    @param logits output N×K CV_32F scores;
    @param batchSize blobs per forward pass (≥ 1).
    */
    CV_WRAP virtual void forwardBatch(InputArray blobs, OutputArray logits, int batchSize = 32) = 0;

    /** @brief The wrapped network.
    @return a shared handle to it: set backends and targets on it.
    */
    CV_WRAP virtual dnn::Net getNet() const = 0;
};

/** @brief Reads class labels, one per line, in output order (as OpenCV's dnn samples' `--classes`).

Trailing carriage returns are dropped; throws when the file cannot be read or is empty.
@param path the text file.
@return one label per line.
*/
CV_EXPORTS_W std::vector<String> readClassLabels(const String& path);

//! @}

}} // namespace cv::xcam

#endif // OPENCV_XCAM_MODEL_HPP
