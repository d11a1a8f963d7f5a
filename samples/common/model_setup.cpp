#include "model_setup.hpp"

#include "../blazeface_decoder.hpp"

#include <filesystem>

namespace fs = std::filesystem;

namespace xcam_samples {

namespace {

void requireFile(const std::string& path, const char* what)
{
    if (path.empty())
        return;
    std::error_code ec;
    if (!fs::is_regular_file(path))
        CV_Error(cv::Error::StsObjectNotFound, std::string("cannot read ") + what + " '" + path + "'");
    if (fs::file_size(path, ec) == 0)
        CV_Error(cv::Error::StsBadArg, std::string("cannot read ") + what + " '" + path +
                                           "': the file is empty");
}

cv::dnn::Net loadNet(const ModelOptions& o)
{
    try
    {
        return cv::dnn::readNet(o.model, o.config);
    }
    catch (const cv::Exception& e)
    {
        CV_Error(cv::Error::StsBadArg, "cannot read model '" + o.model +
                                           "': not a model cv::dnn reads (" + e.err + ")");
    }
}

} // namespace

cv::Ptr<cv::xcam::CAMModel> createModel(const ModelOptions& o)
{
    requireFile(o.model, "model");
    requireFile(o.config, "config");
    requireFile(o.classes, "classes");
    cv::Ptr<cv::xcam::CAMModel> model = cv::xcam::CAMModel::create(loadNet(o));
    model->getNet().setPreferableBackend(o.backend);
    model->getNet().setPreferableTarget(o.target);
    model->setInputParams(o.scale, cv::Size(o.width, o.height), o.mean, o.rgb, o.crop);
    model->setLayers(o.feature, o.fc);
    model->setBiasMode(o.biasMode);
    if (!o.classes.empty())
        model->setLabels(cv::xcam::readClassLabels(o.classes));
    checkInputChannels(model->getNet(), o.gray);
    return model;
}

cv::Ptr<cv::xcam::DetectorModel> createDetector(const ModelOptions& o, const std::string& format,
                                                bool nhwc, float scoreThreshold,
                                                float nmsThreshold)
{
    requireFile(o.model, "model");
    requireFile(o.config, "config");
    cv::Ptr<cv::xcam::DetectorModel> model = cv::xcam::DetectorModel::create(loadNet(o));
    model->getNet().setPreferableBackend(o.backend);
    model->getNet().setPreferableTarget(o.target);
    model->setInputParams(o.scale, cv::Size(o.width, o.height), o.mean, o.rgb);
    if (format == "blazeface")
        model->setDecoder(blazeface::decode);
    else
        model->setFormat(cv::xcam::parseDetectionFormat(format));
    model->setInputNHWC(nhwc || format == "blazeface");
    model->setThresholds(scoreThreshold, nmsThreshold);
    if (!o.feature.empty())
        model->setFeatureLayer(o.feature);  // Eigen-CAM's layer
    checkInputChannels(model->getNet(), o.gray);
    return model;
}

int declaredInputChannels(const cv::dnn::Net& net)
{
    const std::vector<std::string> names = net.getLayerNames();
    for (const std::string& name : names)
    {
        const cv::Ptr<cv::dnn::Layer> layer = net.getLayer(name);
        if (layer->type != "Convolution")
            continue;
        if (layer->blobs.empty() || layer->blobs[0].dims != 4)
            return 0;
        const int in = layer->blobs[0].size[1], out = layer->blobs[0].size[0];
        // A depthwise first convolution on 3 channels has 1 input per group: undecidable.
        return in == 3 || (in == 1 && out != 3) ? in : 0;
    }
    return 0;
}

void checkInputChannels(const cv::dnn::Net& net, bool gray)
{
    const int channels = declaredInputChannels(net);
    if (channels == 1 && !gray)
        CV_Error(cv::Error::StsBadArg, "the model takes 1-channel (grey) images: add --gray");
    if (channels == 3 && gray)
        CV_Error(cv::Error::StsBadArg, "the model takes 3-channel (colour) images: drop --gray");
}

} // namespace xcam_samples
