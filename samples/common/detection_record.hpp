// What xcam_detect knows of one image once it is explained, its --results record, and how its
// detections are drawn.
#ifndef XCAM_SAMPLES_DETECTION_RECORD_HPP
#define XCAM_SAMPLES_DETECTION_RECORD_HPP

#include <opencv2/core.hpp>
#include <opencv2/xcam.hpp>

#include <string>
#include <vector>

namespace xcam_samples {

struct DetectionResult
{
    std::string path;           // as given or found
    std::string canonicalPath;  // the file (canonicalPath()); "" for video frames
    std::vector<cv::xcam::Detection> detections;  // DetectorModel::detect's, highest score first
    std::vector<std::string> labels;              // one per detection, "" when none
    int selected = -1;          // the detection whose map is drawn; -1: none (no detection)
    int method = 0;             // a cv::xcam::CAMMethod
    std::string featureLayer;   // Eigen-CAM's layer, "" for the other methods
    cv::Size mapSize;
    std::string output;         // the image written, "" when none
};

/** One JSON object, without the newline. Keys (read by other programs, do not rename): path,
    method, feature_layer (null unless Eigen-CAM), map_size ([w, h]; [0, 0] without a map),
    selected (index into detections, null when none), output (null when none), detections:
    [{"box": [x, y, w, h], "class_id": N, "label": "..." or null, "score": S}, ...] (boxes in
    image pixels); then canonical_path (absent for video frames). */
std::string toJsonLine(const DetectionResult& result);

/** The label of `classId` in `labels`, or "" when there is none. */
std::string classLabel(const std::vector<std::string>& labels, int classId);

/** Draws every detection's box with "label score" ("#id" without a label) on `canvas` (BGR);
    the `selected` one thicker, in another colour. */
void drawDetections(cv::Mat& canvas, const DetectionResult& result);

} // namespace xcam_samples

#endif
