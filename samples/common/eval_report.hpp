// xcam_eval's scores: per-image metric values summed per method, and the table they make
// (markdown for the terminal, JSON and CSV for other programs).
#ifndef XCAM_SAMPLES_EVAL_REPORT_HPP
#define XCAM_SAMPLES_EVAL_REPORT_HPP

#include <string>
#include <vector>

namespace xcam_samples {

/** The metrics of one method's map of one image (of one detection, on a detector). */
struct ImageScores
{
    double milliseconds = 0;  // explain() alone (its forward included, the metrics' not)
    double deletion = 0, insertion = 0, drop = 0;
    bool increase = false;
    bool boxed = false, hit = false;  // the image has a box; the map's maximum falls in one
};

/** One method's scores summed over the maps scored: one per image (a classifier's top-1 class)
    or one per detection (a detector: Average Drop and Increase in Confidence are not defined,
    "-" / null / empty in the tables). */
struct MethodScores
{
    int method = 0;  // a cv::xcam::CAMMethod
    bool detections = false;  // the maps explain detections
    int images = 0, maps = 0, increased = 0, boxed = 0, hits = 0;
    double milliseconds = 0, deletion = 0, insertion = 0, drop = 0;

    /** A map's scores; `newImage`: the first map of an image (its time is the image's). */
    void add(const ImageScores& s, bool newImage = true);
    double deletionAUC() const { return mean(deletion); }
    double insertionAUC() const { return mean(insertion); }
    /** Mean of max(0, y - y') / y, a fraction in [0, 1]. */
    double averageDrop() const { return mean(drop); }
    /** Fraction of the images whose probability increased, in [0, 1]. */
    double increaseInConfidence() const { return mean(increased); }
    /** Hits / maps with a box; negative when no map has a box (JSON null). */
    double pointingGame() const { return boxed > 0 ? (double)hits / boxed : -1; }
    double msPerImage() const { return images > 0 ? milliseconds / images : 0; }

private:
    double mean(double sum) const { return maps > 0 ? sum / maps : 0; }
};

/** The pinned keys of a method's row, in order: method, deletion_auc, insertion_auc,
    average_drop, increase_in_confidence, pointing_game, ms_per_image. */
extern const char* const kEvalColumns[7];

/** The markdown table: one row per method; drop and increase in percent, pointing game as a
    fraction with hits/images ("-" without boxes). Ends with a newline. */
std::string toMarkdown(const std::vector<MethodScores>& scores);

/** {"model": ..., "images": N, ("targets": M, the detections explained, on a detector,) "methods": [{"method": "gradcam", "deletion_auc": ..., ...}]}:
    fractions in [0, 1], pointing_game null without boxes. Other programs read it: the keys are
    pinned (kEvalColumns). */
std::string toJson(const std::string& model, int images, const std::vector<MethodScores>& scores);

/** A header row of kEvalColumns, then one row per method (pointing_game empty without boxes). */
std::string toCsv(const std::vector<MethodScores>& scores);

} // namespace xcam_samples

#endif
