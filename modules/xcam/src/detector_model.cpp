// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// DetectorModel: preprocessing (NCHW or NHWC), one forward pass of every output, the decoder,
// class-wise NMS, and the routing of explain() to D-RISE, occlusion and Eigen-CAM.

#include "detector_internal.hpp"
#include "input_checks.hpp"
#include "layers.hpp"

#include <cmath>

namespace cv {
namespace xcam {

namespace {

// The methods of the table's `detectors` column; any other gets one error naming them.
void checkDetectorMethod(int method)
{
    String works, name = cv::format("%d", method);
    for (const CAMMethodInfo& info : getCAMMethods())
    {
        if (info.method == method && info.detectors)
            return;
        if (info.method == method)
            name = "'" + info.name + "'";
        if (info.detectors)
            works += (works.empty() ? "" : ", ") + info.name;
    }
    CV_Error_(Error::StsNotImplemented,
              ("method %s does not work on a detector; the methods for detectors are %s (rise is "
               "D-RISE there)", name.c_str(), works.c_str()));
}

// 1 x C x H x W -> 1 x H x W x C.
Mat toNHWC(const Mat& blob)
{
    const int c = blob.size[1], h = blob.size[2], w = blob.size[3];
    Mat planes(c, h * w, CV_32F, (void*)blob.ptr<float>()), pixels;
    transpose(planes, pixels);  // (H*W) x C
    const int shape[] = {1, h, w, c};
    return Mat(4, shape, CV_32F, pixels.ptr<float>()).clone();
}

// The maps resized (INTER_LINEAR) straight into the outputs, at the image's size.
void writeImageMaps(const std::vector<Mat>& small, Size imageSize, OutputArrayOfArrays maps)
{
    maps.create((int)small.size(), 1, CV_32F);
    for (size_t i = 0; i < small.size(); ++i)
    {
        maps.create(imageSize, CV_32F, (int)i);
        Mat& dst = maps.getMatRef((int)i);
        if (i > 0 && small[i].data == small[i - 1].data)  // a class-agnostic map: resized once
            maps.getMatRef((int)i - 1).copyTo(dst);
        else
            resize(small[i], dst, imageSize, 0, 0, INTER_LINEAR);
    }
}

class DetectorModelImpl CV_FINAL : public DetectorModel, public detail::DetectorEngineSource
{
public:
    explicit DetectorModelImpl(const dnn::Net& net_) : net(net_)
    {
        if (net.empty())
            CV_Error(Error::StsBadArg, "net is empty");
        outNames = net.getUnconnectedOutLayersNames();
    }

    void setInputParams(double scale_, const Size& size_, const Scalar& mean_,
                        bool swapRB_) CV_OVERRIDE
    {
        detail::checkInputParams(scale_, size_, mean_);
        scale = scale_;
        size = size_;
        mean = mean_;
        swapRB = swapRB_;
    }

    void setInputNHWC(bool nhwc_) CV_OVERRIDE { nhwc = nhwc_; }

    void setFormat(int format_) CV_OVERRIDE
    {
        getDetectionFormatName(format_);  // throws for an unknown format
        format = format_;
        decoder = DetectionDecoder();
    }

    void setDecoder(const DetectionDecoder& decoder_) CV_OVERRIDE
    {
        if (!decoder_)
            CV_Error(Error::StsBadArg, "decoder is empty");
        decoder = decoder_;
        format = -1;
    }

    void setThresholds(float scoreThreshold_, float nmsThreshold_) CV_OVERRIDE
    {
        if (!(scoreThreshold_ >= 0 && scoreThreshold_ <= 1) ||
            !(nmsThreshold_ >= 0 && nmsThreshold_ <= 1))
            CV_Error_(Error::StsOutOfRange, ("scoreThreshold and nmsThreshold must be in [0, 1], "
                                             "got %g and %g", scoreThreshold_, nmsThreshold_));
        scoreThreshold = scoreThreshold_;
        nmsThreshold = nmsThreshold_;
    }

    void setFeatureLayer(const String& name) CV_OVERRIDE
    {
        userFeature = name;
        featureLayer.clear();
    }

    String getFeatureLayer() const CV_OVERRIDE
    {
        if (featureLayer.empty() && !inputShape.empty())
        {
            try { resolveFeatureLayer(); }
            catch (const cv::Exception&) { return String(); }
        }
        return featureLayer.empty() ? userFeature : featureLayer;
    }

    void detect(InputArray image, std::vector<Detection>& detections) CV_OVERRIDE
    {
        Mat blob;
        std::vector<Mat> outs;
        std::vector<Detection> proposals;
        cleanProposals(image, blob, outs, proposals);
        detail::classwiseNMS(proposals, scoreThreshold, nmsThreshold, lastDetections);
        detections = lastDetections;
    }

    void explain(InputArray image, const std::vector<Detection>& targets, int method,
                 OutputArrayOfArrays maps, const CAMMethodParams& params) CV_OVERRIDE
    {
        checkDetectorMethod(method);
        detail::checkBatchSize(params.batchSize, "params.batchSize");
        requireDecoder();
        detail::checkDetections(targets, "targets", true);
        Mat blob;
        const Size imageSize = makeBlob(image, blob);
        const bool eigen = method == CAM_METHOD_EIGENCAM;
        std::vector<Mat> outs;
        forward(blob, eigen ? resolveFeatureLayer() : String(), outs);
        std::vector<Detection> proposals, chosen = targets;
        if (!eigen || targets.empty())  // Eigen-CAM needs the proposals only to find targets
            decode(outs, imageSize, proposals);
        if (targets.empty())
        {
            detail::classwiseNMS(proposals, scoreThreshold, nmsThreshold, lastDetections);
            chosen = lastDetections;
        }
        detail::checkTargetClasses(chosen, proposals);
        std::vector<Mat> out;
        if (eigen)
        {
            Mat map;
            detail::detectorEigenMap(outs.back(), map);
            out.assign(chosen.size(), map);  // class-agnostic: one map for every target
        }
        else
            perturbationMaps(blob, outs, imageSize, proposals, chosen, method, params, out);
        writeImageMaps(out, imageSize, maps);
    }

    // The metrics' masked forward passes (detail::DetectorEngineSource).
    void explainContext(InputArray image, int batchSize,
                        detail::DetectorExplainContext& ctx) CV_OVERRIDE
    {
        detail::checkBatchSize(batchSize, "batchSize");
        Mat blob;
        std::vector<Mat> outs;
        std::vector<Detection> proposals;
        const Size imageSize = cleanProposals(image, blob, outs, proposals);
        makeContext(blob, outs, imageSize, proposals, batchSize, ctx);
    }

    void getLastDetections(std::vector<Detection>& detections) const CV_OVERRIDE
    {
        detections = lastDetections;
    }

    void setProgressCallback(const CAMProgressCallback& cb) CV_OVERRIDE { progress = cb; }
    dnn::Net getNet() const CV_OVERRIDE { return net; }

private:
    void requireDecoder() const
    {
        if (format < 0 && !decoder)
            CV_Error(Error::StsError, "no decoder: call setFormat (yolov5, yolov8, ssd) or "
                                      "setDecoder first");
    }

    // The image's blob, one forward pass of the outputs and every proposal; returns its size.
    Size cleanProposals(InputArray image, Mat& blob, std::vector<Mat>& outs,
                        std::vector<Detection>& proposals)
    {
        requireDecoder();
        const Size imageSize = makeBlob(image, blob);
        forward(blob, String(), outs);
        decode(outs, imageSize, proposals);
        return imageSize;
    }

    // The blob of an image (NCHW, or NHWC with setInputNHWC); returns the image's size.
    Size makeBlob(InputArray image, Mat& blob)
    {
        detail::checkImage(image, "");
        dnn::blobFromImage(image, blob, scale, size, mean, swapRB, false, CV_32F);
        if (nhwc)
            blob = toNHWC(blob);
        if (dnn::shape(blob) != inputShape)
        {
            inputShape = dnn::shape(blob);
            inputSize = nhwc ? Size(blob.size[2], blob.size[1]) : Size(blob.size[3], blob.size[2]);
            featureLayer.clear();  // the auto-detected layer may depend on the input size
        }
        return image.size();
    }

    String resolveFeatureLayer() const
    {
        if (featureLayer.empty())
        {
            featureLayer = userFeature.empty()
                ? detail::findDetectorFeatureLayer(net, inputShape, inputSize)
                : net.getLayer(detail::resolveLayer(net, userFeature, "featureLayer"))->name;
        }
        return featureLayer;
    }

    // One forward pass of every output (plus `feature`, last, when not empty).
    void forward(const Mat& blob, const String& feature, std::vector<Mat>& outs)
    {
        std::vector<String> names = outNames;
        if (!feature.empty())
            names.push_back(feature);
        net.setInput(blob);
        net.forward(outs, names);
    }

    void decode(const std::vector<Mat>& outs, Size imageSize,
                std::vector<Detection>& proposals) const
    {
        const std::vector<Mat> outputs(outs.begin(), outs.begin() + outNames.size());
        if (format >= 0)
            decodeDetections(outputs, format, inputSize, imageSize, proposals);
        else
            runDecoder(outputs, imageSize, proposals);
        detail::checkDetections(proposals, "proposals (the decoder's output)", false);
    }

    void runDecoder(const std::vector<Mat>& outputs, Size imageSize,
                    std::vector<Detection>& proposals) const
    {
        try
        {
            decoder(outputs, imageSize, proposals);
        }
        catch (const cv::Exception& e)
        {
            CV_Error_(e.code, ("the detection decoder failed: %s", e.err.c_str()));
        }
        catch (const std::exception& e)
        {
            CV_Error_(Error::StsError, ("the detection decoder threw: %s", e.what()));
        }
        catch (...)
        {
            CV_Error(Error::StsError, "the detection decoder threw an unknown exception");
        }
    }

    // The context of D-RISE, occlusion and the metrics: the clean blob, its outputs and proposals.
    void makeContext(const Mat& blob, const std::vector<Mat>& outs, Size imageSize,
                     const std::vector<Detection>& clean, int batchSize,
                     detail::DetectorExplainContext& ctx)
    {
        if (batched.empty())
            batched = makePtr<detail::BatchedNet>(net, outNames);
        std::vector<dnn::MatShape> shapes;  // of one input's outputs
        for (size_t i = 0; i < outNames.size(); ++i)
            shapes.push_back(dnn::shape(outs[i]));
        batched->setItemShapes(shapes);
        ctx.engine.blob = blob;
        ctx.engine.channelsLast = nhwc;
        ctx.engine.batchSize = batchSize;
        ctx.net = batched.get();
        ctx.decode = [this, imageSize](const std::vector<Mat>& masked,
                                       std::vector<Detection>& proposals) {
            decode(masked, imageSize, proposals);
        };
        ctx.clean = clean;
    }

    void perturbationMaps(const Mat& blob, const std::vector<Mat>& outs, Size imageSize,
                          const std::vector<Detection>& clean,
                          const std::vector<Detection>& targets, int method,
                          const CAMMethodParams& params, std::vector<Mat>& out)
    {
        detail::DetectorExplainContext ctx;
        makeContext(blob, outs, imageSize, clean, params.batchSize, ctx);
        ctx.engine.progress = progress;
        if (method == CAM_METHOD_RISE)
            detail::dRiseMaps(ctx, targets, params, out);
        else
            detail::detectorOcclusionMaps(ctx, targets, params, out);
    }

    dnn::Net net;
    std::vector<String> outNames;
    double scale = 1.0;
    Size size;
    Scalar mean;
    bool swapRB = false, nhwc = false;
    int format = -1;
    DetectionDecoder decoder;
    float scoreThreshold = 0.25f, nmsThreshold = 0.45f;
    String userFeature;
    mutable String featureLayer;    // resolved for inputShape
    dnn::MatShape inputShape;       // of the last blob
    Size inputSize;                 // its width and height
    Ptr<detail::BatchedNet> batched;  // remembers a net that takes one input at a time
    CAMProgressCallback progress;
    std::vector<Detection> lastDetections;
};

} // namespace

DetectorModel::~DetectorModel() {}

Ptr<DetectorModel> DetectorModel::create(const String& model, const String& config)
{
    if (model.empty())
        CV_Error(Error::StsBadArg, "model path is empty");
    return makePtr<DetectorModelImpl>(dnn::readNet(model, config));
}

Ptr<DetectorModel> DetectorModel::create(const dnn::Net& net)
{
    return makePtr<DetectorModelImpl>(net);
}

}} // namespace cv::xcam
