// Where the results are written: the overlay (a PNG, a folder of PNGs or an MJPG video), the
// --save record of one image, and the --montage of every image. All go through temporary names.
#ifndef XCAM_SAMPLES_RESULT_WRITERS_HPP
#define XCAM_SAMPLES_RESULT_WRITERS_HPP

#include "input_source.hpp"
#include "pending_files.hpp"
#include "image_record.hpp"

#include <opencv2/videoio.hpp>
#include <opencv2/xcam.hpp>

namespace xcam_samples {

/** --output: for an image a PNG (renamed at the end of the run with the other files), for a
    folder or list a folder of PNGs named by outputNames() (each renamed as soon as written), for
    a video or camera an MJPG .avi (renamed at the end). */
class OverlayWriter
{
public:
    /** Checks the name; throws cv::Exception naming --output. `fps` 0: 30. `names`: for a folder
        or list, outputNames() of InputSource::allPaths(). */
    OverlayWriter(const std::string& output, InputKind kind, double fps, PendingFiles& pending,
                  const std::vector<std::string>& names);
    /** Writes the overlay of `frame`; returns the file name written ("" when no --output). */
    std::string write(const cv::Mat& overlay, const Frame& frame);
    /** Closes the video (before PendingFiles::commit renames it). */
    void finish() { video_.release(); }

private:
    std::string output_, videoTemp_;
    InputKind kind_;
    double fps_;
    PendingFiles& pending_;
    const std::vector<std::string>& names_;
    cv::VideoWriter video_;
};

/** --save: class_ids, probabilities, logits, labels, method, layers and the raw map of one
    image, in any format cv::FileStorage writes (to `file`, a temporary name). */
void writeSaveRecord(const std::string& file, const ImageResult& result, const std::string& fcLayer,
                     int camClass, const cv::Mat& cam);

/** --montage: one tile per image (the image and its overlay upscaled, its name and top-3), for
    the first `capacity` images; the others are only counted. */
class Montage
{
public:
    explicit Montage(int capacity) : capacity_(capacity) {}
    void add(const cv::Mat& image, const cv::Mat& cam, const cv::xcam::CAMOverlayParams& params,
             const cv::xcam::CAMModel& model, const ImageResult& result);
    /** Writes the tiles in a grid, 4 wide, to `path` (temporary name, renamed). */
    void write(const std::string& path) const;
    /** Images shown. */
    int size() const { return (int)tiles_.size(); }
    /** Images offered (shown or not). */
    int offered() const { return offered_; }
    /** The bytes `images` tiles and their canvas take (for the memory estimate). */
    static double memoryFor(int images);

private:
    std::vector<cv::Mat> tiles_;
    int capacity_, offered_ = 0;
};

} // namespace xcam_samples

#endif
