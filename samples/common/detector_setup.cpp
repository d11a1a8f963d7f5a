#include "detector_setup.hpp"

#include "blazeface_decoder.hpp"
#include "model_setup.hpp"

namespace xcam_samples {

cv::Ptr<cv::xcam::DetectorModel> createDetector(const DetectOptions& o)
{
    const ModelOptions& m = o.model;
    cv::Ptr<cv::xcam::DetectorModel> model = openModel<cv::xcam::DetectorModel>(m, "labels");
    model->setInputParams(m.scale, cv::Size(m.width, m.height), m.mean, m.rgb);
    model->setInputNHWC(o.nhwc);
    if (o.format == kFormatBlazeFace)
        model->setDecoder(blazeface::decode);
    else
        model->setFormat(o.format);
    model->setThresholds(o.scoreThreshold, o.nmsThreshold);
    model->setFeatureLayer(m.feature);
    return model;
}

std::vector<std::string> detectorLabels(const DetectOptions& o)
{
    if (!o.model.classes.empty())
        return cv::xcam::readClassLabels(o.model.classes);
    return o.format == kFormatBlazeFace ? std::vector<std::string>{"face"} : std::vector<std::string>();
}

} // namespace xcam_samples
