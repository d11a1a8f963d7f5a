// What xcam_detect knows of one image once it is explained, its --results record, and how its
// detections are drawn.
#ifndef XCAM_SAMPLES_DETECTION_RECORD_HPP
#define XCAM_SAMPLES_DETECTION_RECORD_HPP

#include "image_record.hpp"

#include <opencv2/xcam.hpp>

#include <string>
#include <vector>

namespace xcam_samples {

/** What is known of one image once its detections are found and one of them explained. */
struct DetectionResult : RecordBase
{
    std::vector<cv::xcam::Detection> detections;  // DetectorModel::detect's, highest score first
    std::vector<std::string> labels;              // one per detection, "" when none
    int selected = -1;  // the detection whose map is drawn; -1: none (no detection)
};

/** One JSON object, without the newline. Keys (read by other programs, do not rename): path,
    then the RecordBase keys (addRecordKeys: feature_layer "" unless Eigen-CAM, map_size [0, 0]
    without a map), selected (index into detections, null when none), detections: [{"box": [x,
    y, w, h], "class_id": N, "label": "..." or null, "score": S}, ...] (boxes in image pixels);
    then canonical_path (absent for video frames). */
std::string toJsonLine(const DetectionResult& result);

/** The label of `classId` in `labels`, or "" when there is none. */
std::string classLabel(const std::vector<std::string>& labels, int classId);

/** Draws every detection's box with "label score" ("#id" without a label) on `canvas` (BGR);
    the `selected` one thicker, in another colour. */
void drawDetections(cv::Mat& canvas, const DetectionResult& result);

} // namespace xcam_samples

#endif
