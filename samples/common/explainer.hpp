// One image through the model: the map of a class by the chosen method (CAMModel::explain),
// then the top-k; packed as an ImageResult for the writers.
#ifndef XCAM_SAMPLES_EXPLAINER_HPP
#define XCAM_SAMPLES_EXPLAINER_HPP

#include "options.hpp"
#include "image_record.hpp"
#include "progress.hpp"

#include <memory>

namespace xcam_samples {

class Explainer
{
public:
    /** `method` -1: the model's default (known after the first image). */
    Explainer(cv::xcam::CAMModel& model, int method, const cv::xcam::CAMMethodParams& params,
              int topK, int classId);

    /** Explains `image`: the map of --class, else of the rank-th most likely class (0: top-1). */
    void run(const cv::Mat& image, int rank, ImageResult& result, cv::Mat& cam, int& camClass);

    int method() const { return method_; }
    /** The next method that runs at frame rate on this model (window key `m`). */
    void nextFastMethod();

private:
    void resolveMethod(const cv::Mat& image);
    void setProgress();
    void explain(const cv::Mat& image, const std::vector<int>& classes, std::vector<cv::Mat>& maps);

    cv::xcam::CAMModel& model_;
    int method_;
    cv::xcam::CAMMethodParams params_;
    int topK_, classId_;
    std::shared_ptr<ProgressBar> bar_;  // long methods only
};

/** Whether `method` takes many forward passes (scorecam, occlusion, rise). */
bool isLongMethod(int method);

} // namespace xcam_samples

#endif
