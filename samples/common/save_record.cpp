#include "result_writers.hpp"

namespace xcam_samples {

void writeSaveRecord(const std::string& file, const ImageResult& result, const std::string& fcLayer,
                     int camClass, const cv::Mat& cam)
{
    cv::FileStorage out;
    try
    {
        out.open(file, cv::FileStorage::WRITE);
    }
    catch (const cv::Exception&)
    {
    }
    if (!out.isOpened())
        CV_Error(cv::Error::StsError, "cannot write --save file");
    out << "class_ids" << result.classIds << "probabilities" << result.probabilities << "logits"
        << result.logits;
    bool labelled = false;
    for (const std::string& label : result.labels)
        labelled = labelled || !label.empty();
    if (labelled)
        out << "labels" << result.labels;
    out << "method" << cv::xcam::getCAMMethodName(result.method) << "feature_layer"
        << result.featureLayer << "fc_layer" << fcLayer << "cam_class" << camClass << "cam" << cam;
    out.release();
}

} // namespace xcam_samples
