#include "explainer.hpp"

#include "labels.hpp"
#include "progress.hpp"

namespace xcam_samples {

using namespace cv::xcam;

bool isLongMethod(int method)
{
    return method == CAM_METHOD_SCORECAM || method == CAM_METHOD_OCCLUSION ||
           method == CAM_METHOD_RISE;
}

Explainer::Explainer(CAMModel& model, int method, const CAMMethodParams& params, int topK,
                     int classId)
    : model_(model), method_(method), params_(params), topK_(topK), classId_(classId)
{
    setProgress();
}

void Explainer::setProgress()
{
    bar_.reset();
    if (method_ >= 0 && isLongMethod(method_))
        bar_ = std::make_shared<ProgressBar>(getCAMMethodName(method_));
    model_.setProgressCallback(bar_ ? progressCallback(bar_) : CAMProgressCallback());
}

void Explainer::explain(const cv::Mat& image, const std::vector<int>& classes, std::vector<cv::Mat>& maps)
{
    std::unique_ptr<Ticker> ticker(bar_ ? new Ticker(*bar_) : nullptr);  // a line a second at least
    model_.explain(image, method_, classes, maps, params_);
}

void Explainer::resolveMethod(const cv::Mat& image)
{
    model_.forward(image);  // the default method depends on the head, known after a pass
    method_ = model_.getDefaultMethod();
    setProgress();
}

void Explainer::run(const cv::Mat& image, int rank, ImageResult& result, cv::Mat& cam, int& camClass)
{
    if (method_ < 0)
        resolveMethod(image);
    std::vector<cv::Mat> maps;
    std::vector<int> classes;
    if (classId_ >= 0)
        classes.push_back(classId_);
    explain(image, classes, maps);
    model_.getTopK(topK_, result.classIds, result.probabilities);
    camClass = classId_ >= 0 ? classId_ : result.classIds[0];
    if (classId_ < 0 && rank > 0 && rank < (int)result.classIds.size())
    {
        camClass = result.classIds[rank];
        explain(image, {camClass}, maps);
    }
    cam = maps[0];
    const cv::Mat logits = model_.getScores();
    result.logits.clear();
    result.labels.clear();
    for (int id : result.classIds)
    {
        result.logits.push_back(logits.at<float>(id));
        result.labels.push_back(model_.getLabel(id));
    }
    result.method = method_;
    result.featureLayer = model_.getFeatureLayer();
    result.mapSize = cam.size();
}

void Explainer::nextFastMethod()
{
    const int fast[] = {CAM_METHOD_CAM,      CAM_METHOD_GRADCAM,      CAM_METHOD_GRADCAM_PLUSPLUS,
                        CAM_METHOD_XGRADCAM, CAM_METHOD_HIRESCAM,     CAM_METHOD_LAYERCAM,
                        CAM_METHOD_EIGENCAM, CAM_METHOD_EIGENGRADCAM, CAM_METHOD_ABLATIONCAM,
                        CAM_METHOD_RECIPROCAM};
    const int n = (int)(sizeof(fast) / sizeof(fast[0]));
    int at = 0;
    while (at < n && fast[at] != method_)
        ++at;
    for (int step = 1; step <= n; ++step)
    {
        const int candidate = fast[(at + step) % n];
        if (model_.supportsMethod(candidate))
        {
            method_ = candidate;
            setProgress();
            return;
        }
    }
}

} // namespace xcam_samples
