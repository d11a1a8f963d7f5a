// What xcam_reference.cpp (classifiers) and detector_reference.cpp (detectors) share.
#ifndef XCAM_REFERENCE_HPP
#define XCAM_REFERENCE_HPP

#include <opencv2/xcam.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace reference {

/** A list of numbers that the Python tests wrote as a matrix (cv2.FileStorage writes arrays so). */
template <typename T>
std::vector<T> numbers(const cv::FileNode& node)
{
    cv::Mat m;
    node >> m;
    std::vector<T> values;
    if (!m.empty())
        m.reshape(1, 1).convertTo(values, cv::DataType<T>::depth);
    return values;
}

/** CAMMethodParams from a case's `params` map (every field). */
cv::xcam::CAMMethodParams methodParams(const cv::FileNode& p);

using ErrorCases = std::vector<std::pair<std::string, std::function<void()>>>;
/** Runs each bad call and writes its cv::Exception (code, err, func) under its name. */
void writeErrorCases(const ErrorCases& cases, cv::FileStorage& out);

/** xcam_reference --detector case.yml results.yml (detector_reference.cpp). */
void runDetectorCase(const std::string& casePath, const std::string& outPath);

} // namespace reference

#endif
