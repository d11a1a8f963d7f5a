#include "labels.hpp"

#include <opencv2/imgproc.hpp>

#include <cstdio>

namespace xcam_samples {

std::string labelOrId(const cv::xcam::CAMModel& model, int classId)
{
    const std::string label = model.getLabel(classId);
    return label.empty() ? "#" + std::to_string(classId) : label;
}

std::string shortLabel(const cv::xcam::CAMModel& model, int classId)
{
    const std::string label = labelOrId(model, classId);
    return label.substr(0, label.find(','));
}

std::string caption(const cv::xcam::CAMModel& model, const std::vector<int>& ids,
                    const std::vector<float>& probs)
{
    std::string names, values;
    char buf[32];
    for (size_t i = 0; i < ids.size() && i < probs.size() && i < 3; ++i)
    {
        names += (i ? ", " : "") + shortLabel(model, ids[i]);
        std::snprintf(buf, sizeof(buf), "%s%.3f", i ? ", " : "", probs[i]);
        values += buf;
    }
    return names + " / " + values;
}

cv::Mat toBGR(const cv::Mat& image)
{
    if (image.channels() == 3)
        return image;
    cv::Mat bgr;
    cv::cvtColor(image, bgr, image.channels() == 1 ? cv::COLOR_GRAY2BGR : cv::COLOR_BGRA2BGR);
    return bgr;
}

} // namespace xcam_samples
