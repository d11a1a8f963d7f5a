// --results: one JSON object per image (JSON Lines), appended and flushed per image, and read
// back by --resume to skip what a killed run already did.
#ifndef XCAM_SAMPLES_RESULTS_LOG_HPP
#define XCAM_SAMPLES_RESULTS_LOG_HPP

#include <opencv2/core.hpp>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

namespace xcam_samples {

/** What is known of one image once it is explained. */
struct ImageResult
{
    std::string path;                 // as given or found
    std::vector<int> classIds;        // the top-k, most likely first
    std::vector<float> probabilities;
    std::vector<float> logits;
    std::vector<std::string> labels;  // "" when the model has none
    int method = 0;                   // a cv::xcam::CAMMethod
    std::string featureLayer;
    cv::Size mapSize;
    std::string output;               // the overlay file written, "" when none
};

/** `text` as a JSON string literal, quotes included (", \\ and control characters escaped). */
std::string jsonString(const std::string& text);

/** One line of JSON, without the newline. Keys (read by other programs, do not rename):
    path, class_ids, labels, probabilities, method, feature_layer, map_size ([w, h]), output. */
std::string toJsonLine(const ImageResult& result);

/** The `path` of a complete JSON line written by toJsonLine; false if it is not one. */
bool pathOfJsonLine(const std::string& line, std::string& path);

class ResultsLog
{
public:
    /** Opens `file`. Without `resume` it starts empty; with it, the complete records are kept
        (their paths are done()) and a half-written last line is dropped, the file rewritten under
        a temporary name and renamed. Throws cv::Exception if the file cannot be written. */
    ResultsLog(const std::string& file, bool resume);
    ~ResultsLog();
    ResultsLog(const ResultsLog&) = delete;
    ResultsLog& operator=(const ResultsLog&) = delete;

    const std::set<std::string>& done() const { return done_; }
    /** How many lines were dropped as half-written. */
    int dropped() const { return dropped_; }
    /** Appends one line and flushes it. */
    void append(const ImageResult& result);

private:
    std::string path_;
    FILE* file_ = nullptr;
    std::set<std::string> done_;
    int dropped_ = 0;
};

} // namespace xcam_samples

#endif
