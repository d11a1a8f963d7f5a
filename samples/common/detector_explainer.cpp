#include "detector_explainer.hpp"

#include "detect_options.hpp"
#include "explainer.hpp"

namespace xcam_samples {

using namespace cv::xcam;

DetectorExplainer::DetectorExplainer(DetectorModel& model, int method, const CAMMethodParams& params)
    : model_(model), method_(method), params_(params)
{
    setProgress();
}

void DetectorExplainer::setProgress()
{
    bar_ = isLongMethod(method_) ? std::make_shared<ProgressBar>(getCAMMethodName(method_)) : nullptr;
    model_.setProgressCallback(bar_ ? progressCallback(bar_) : CAMProgressCallback());
}

void DetectorExplainer::run(const cv::Mat& image, const std::vector<std::string>& labels, int wanted,
                            DetectionResult& result, cv::Mat& map)
{
    std::vector<cv::Mat> maps;
    map.release();
    if (method_ == CAM_METHOD_EIGENCAM)  // the detections and the map of one forward pass
    {
        model_.explain(image, std::vector<Detection>(), method_, maps, params_);
        model_.getLastDetections(result.detections);
    }
    else
        model_.detect(image, result.detections);
    result.labels.clear();
    for (const Detection& d : result.detections)
        result.labels.push_back(classLabel(labels, d.classId));
    result.selected = result.detections.empty() ? -1 : std::min(wanted, (int)result.detections.size() - 1);
    if (!maps.empty() && result.selected >= 0)
        map = maps[result.selected];
    else if (result.selected >= 0)
        explainSelected(image, result, map);
    describe(result, map);
}

void DetectorExplainer::explainSelected(const cv::Mat& image, DetectionResult& result, cv::Mat& map)
{
    std::vector<cv::Mat> maps;
    std::unique_ptr<Ticker> ticker(bar_ ? new Ticker(*bar_) : nullptr);  // a line a second at least
    model_.explain(image, {result.detections.at(result.selected)}, method_, maps, params_);
    map = maps.at(0);
    describe(result, map);
}

void DetectorExplainer::describe(DetectionResult& result, const cv::Mat& map) const
{
    result.method = method_;
    result.featureLayer = method_ == CAM_METHOD_EIGENCAM ? std::string(model_.getFeatureLayer()) : std::string();
    result.mapSize = map.size();
}

void DetectorExplainer::nextMethod()
{
    const std::vector<int> methods = detectorMethods();
    size_t at = 0;
    while (at < methods.size() && methods[at] != method_)
        ++at;
    method_ = methods[(at + 1) % methods.size()];
    setProgress();
}

} // namespace xcam_samples
