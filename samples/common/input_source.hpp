// Where the frames come from: an image, a folder of images, a list file of image paths, a video
// file or a camera, read as one sequence. Files are taken in sorted order, and --shard keeps
// every n-th one, so that independent runs split a dataset without overlap. List files: one
// path a line, relative to the list's folder; blanks around a path, a UTF-8 byte order mark and
// comments (from a '#' at the start of a line or after a blank) are ignored.
#ifndef XCAM_SAMPLES_INPUT_SOURCE_HPP
#define XCAM_SAMPLES_INPUT_SOURCE_HPP

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include <set>
#include <string>
#include <vector>

namespace xcam_samples {

enum class InputKind { IMAGE, FOLDER, LIST, VIDEO, CAMERA };

/** One frame. `failure` is non-empty (and `image` empty) when a file could not be read. */
struct Frame
{
    std::string path;  // as given (image, list line) or found (folder); "frame N" for videos
    std::string file;  // the file opened (list lines are relative to the list's folder)
    size_t index = 0;  // files: the position in allPaths() (before --shard and --resume)
    cv::Mat image;
    std::string failure;
};

/** The canonical absolute form of `path` (symbolic links, "." and ".." resolved as far as the
    file exists): how --resume and the output plan identify a file named in several ways. */
std::string canonicalPath(const std::string& path);

class InputSource
{
public:
    /** Opens `input` (empty: camera 0); throws cv::Exception with a one-line message. */
    InputSource(const std::string& input, bool gray, int shardIndex = 0, int shardCount = 1);

    /** The next frame; false at the end. A file that cannot be read gives a Frame with
        `failure` set, and the sequence goes on. */
    bool next(Frame& frame);

    /** Drops the files whose canonicalPath() is in `done` (--resume); returns how many. */
    int skip(const std::set<std::string>& done);

    /** Every file of the input as given (list lines) or found (folder), sorted, before
        --shard and --resume (Frame::index points into it); the files to be read next. */
    const std::vector<std::string>& allPaths() const { return allPaths_; }
    /** The files this run reads (after --shard and --resume): (index in allPaths(), file as
        opened). */
    std::vector<std::pair<size_t, std::string>> filesToRead() const;
    /** The input as given: an image, video, folder or list file name ("" for a camera). */
    const std::string& input() const { return input_; }

    InputKind kind() const { return kind_; }
    bool isFiles() const { return kind_ == InputKind::IMAGE || kind_ == InputKind::FOLDER || kind_ == InputKind::LIST; }
    /** Files in all, or frames the video declares; -1 when unknown. */
    int total() const;
    /** The video's frame rate, 0 when unknown (images, some cameras). */
    double fps() const;
    /** Frames read so far (videos and cameras). */
    int framesRead() const { return count_; }

private:
    void openFolder(const std::string& folder);
    void openList(const std::string& listFile);
    void openCapture(const std::string& input);
    bool nextFile(Frame& frame);

    struct Entry
    {
        std::string path, file;
        size_t index;
    };

    InputKind kind_ = InputKind::IMAGE;
    std::string input_;
    bool gray_;
    std::vector<std::string> allPaths_;
    std::vector<Entry> files_;
    size_t next_ = 0;
    int count_ = 0;
    cv::VideoCapture capture_;
};

/** Whether `path` has an image file extension (.png, .jpg, ...; case ignored). */
bool looksLikeImage(const std::string& path);

/** Whether `path` ends in one of `extensions` (".avi", ...; case ignored). */
bool hasExtension(const std::string& path, std::initializer_list<const char*> extensions);

} // namespace xcam_samples

#endif
