// How classes are named on screen and in records: the label, or "#id" when there is none.
#ifndef XCAM_SAMPLES_LABELS_HPP
#define XCAM_SAMPLES_LABELS_HPP

#include <opencv2/core.hpp>
#include <opencv2/xcam.hpp>

#include <string>
#include <vector>

namespace xcam_samples {

/** The label of `classId`, or "#<id>" when the model has no labels. */
std::string labelOrId(const cv::xcam::CAMModel& model, int classId);

/** The label up to its first comma ("tabby, tabby cat" -> "tabby"), or "#<id>". */
std::string shortLabel(const cv::xcam::CAMModel& model, int classId);

/** "label1, label2, label3 / p1, p2, p3": the seed's figure title (at most 3 classes). */
std::string caption(const cv::xcam::CAMModel& model, const std::vector<int>& ids,
                    const std::vector<float>& probs);

/** `image` as 3-channel BGR (grey is converted; BGR is shared, not copied). */
cv::Mat toBGR(const cv::Mat& image);

} // namespace xcam_samples

#endif
