// What xcam_cam knows of one image once it is explained, and its --results record.
#ifndef XCAM_SAMPLES_IMAGE_RECORD_HPP
#define XCAM_SAMPLES_IMAGE_RECORD_HPP

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace xcam_samples {

/** What every tool's record of one image holds. */
struct RecordBase
{
    std::string path;                 // as given or found
    std::string canonicalPath;        // the file (canonicalPath()); "" for video frames
    int method = 0;                   // a cv::xcam::CAMMethod
    std::string featureLayer;
    cv::Size mapSize;
    std::string output;               // the overlay file written, "" when none
};

/** What is known of one image once it is explained. */
struct ImageResult : RecordBase
{
    std::vector<int> classIds;        // the top-k, most likely first
    std::vector<float> probabilities;
    std::vector<float> logits;
    std::vector<std::string> labels;  // "" when the model has none
};

class JsonObject;

/** Adds the keys of `record` that come after a tool's own: method, feature_layer, map_size ([w,
    h]), output (null when none). */
void addRecordKeys(JsonObject& o, const RecordBase& record);

/** Adds canonical_path, the last key (absent for video frames), and returns the object's text. */
std::string closeRecord(JsonObject& o, const RecordBase& record);

/** One JSON object, without the newline. Keys (read by other programs, do not rename): path,
    class_ids, labels (null for a class without a label), probabilities, method, feature_layer,
    map_size ([w, h]), output (null when none); then canonical_path (the file, which --resume
    reads; absent for video frames). A string that is not valid UTF-8 (a file name) is written
    with \\u00XX escapes of its raw bytes, and `<key>_bytes_hex` holds those bytes. */
std::string toJsonLine(const ImageResult& result);

} // namespace xcam_samples

#endif
