#include "detection_record.hpp"

#include "json_text.hpp"

#include <opencv2/imgproc.hpp>

#include <cstdio>

namespace xcam_samples {

namespace {

std::string shortNumber(float v)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6g", v);
    return buf;
}

std::string detectionJson(const cv::xcam::Detection& d, const std::string& label)
{
    const cv::Rect2f& b = d.box;
    return JsonObject()
        .raw("box", "[" + shortNumber(b.x) + ", " + shortNumber(b.y) + ", " + shortNumber(b.width) + ", " +
                        shortNumber(b.height) + "]")
        .num("class_id", d.classId)
        .raw("label", label.empty() ? "null" : jsonString(label))
        .raw("score", shortNumber(d.score))
        .text();
}

} // namespace

std::string classLabel(const std::vector<std::string>& labels, int classId)
{
    return classId >= 0 && classId < (int)labels.size() ? labels[classId] : std::string();
}

std::string toJsonLine(const DetectionResult& r)
{
    std::string detections = "[";
    for (size_t i = 0; i < r.detections.size(); ++i)
        detections += (i ? ", " : "") + detectionJson(r.detections[i], r.labels[i]);
    JsonObject o;
    o.str("path", r.path);
    addRecordKeys(o, r);
    o.raw("selected", r.selected < 0 ? "null" : std::to_string(r.selected)).raw("detections", detections + "]");
    return closeRecord(o, r);
}

void drawDetections(cv::Mat& canvas, const DetectionResult& r)
{
    const int side = std::max(canvas.cols, canvas.rows);
    const double font = std::max(0.3, side / 900.0);
    const int thin = std::max(1, side / 400);
    for (int i = (int)r.detections.size() - 1; i >= 0; --i)  // the best on top
    {
        const cv::xcam::Detection& d = r.detections[i];
        const bool chosen = i == r.selected;
        const cv::Scalar colour = chosen ? cv::Scalar(0, 255, 255) : cv::Scalar(0, 200, 0);
        const cv::Rect box = cv::Rect(d.box) & cv::Rect(0, 0, canvas.cols, canvas.rows);
        cv::rectangle(canvas, box, colour, chosen ? 2 * thin : thin, cv::LINE_AA);
        const std::string text = (r.labels[i].empty() ? "#" + std::to_string(d.classId) : r.labels[i]) + " " +
                                 cv::format("%.2f", d.score);
        int base = 0;
        const cv::Size size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, font, 1, &base);
        const cv::Point at(box.x, std::max(size.height + base, box.y));
        cv::rectangle(canvas, cv::Rect(at.x, at.y - size.height - base, size.width, size.height + base), colour,
                      cv::FILLED);
        cv::putText(canvas, text, cv::Point(at.x, at.y - base), cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar::all(0),
                    1, cv::LINE_AA);
    }
}

} // namespace xcam_samples
