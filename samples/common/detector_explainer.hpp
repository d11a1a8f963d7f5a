// One image through a DetectorModel: its detections and the map of one of them by the chosen
// method (Eigen-CAM from the same forward pass; D-RISE and occlusion with a progress bar).
#ifndef XCAM_SAMPLES_DETECTOR_EXPLAINER_HPP
#define XCAM_SAMPLES_DETECTOR_EXPLAINER_HPP

#include "detection_record.hpp"
#include "progress.hpp"

#include <memory>

namespace xcam_samples {

class DetectorExplainer
{
public:
    /** `method`: a method of detectors (detectorMethods()). */
    DetectorExplainer(cv::xcam::DetectorModel& model, int method, const cv::xcam::CAMMethodParams& params);

    /** The detections of `image` in `result` (with their labels from `labels`) and the map of
        the `wanted`-th (the last when there are fewer; empty when there is none); Eigen-CAM
        takes one forward pass for both. */
    void run(const cv::Mat& image, const std::vector<std::string>& labels, int wanted, DetectionResult& result,
             cv::Mat& map);
    /** The map of result.detections[result.selected] on `image`. */
    void explainSelected(const cv::Mat& image, DetectionResult& result, cv::Mat& map);

    int method() const { return method_; }
    /** The next method of detectors (window key `m`). */
    void nextMethod();

private:
    void setProgress();
    void describe(DetectionResult& result, const cv::Mat& map) const;

    cv::xcam::DetectorModel& model_;
    int method_;
    cv::xcam::CAMMethodParams params_;
    std::shared_ptr<ProgressBar> bar_;  // long methods only
};

} // namespace xcam_samples

#endif
