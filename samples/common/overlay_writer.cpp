#include "result_writers.hpp"

#include <opencv2/imgcodecs.hpp>

#include <filesystem>

namespace fs = std::filesystem;

namespace xcam_samples {

namespace {

/** Where the overlay of `frame` goes below the --output folder: a folder's file by its name, a
    list's line by its path with the root, "." and ".." dropped (it never leaves the folder). */
fs::path overlayName(const std::string& path, InputKind kind)
{
    if (kind == InputKind::FOLDER)
        return fs::path(path).filename();
    fs::path inside;
    for (const fs::path& part : fs::path(path).relative_path())
        if (part != "." && part != "..")
            inside /= part;
    return inside;
}

} // namespace

OverlayWriter::OverlayWriter(const std::string& output, InputKind kind, double fps,
                             PendingFiles& pending)
    : output_(output), kind_(kind), fps_(fps > 0 ? fps : 30.0), pending_(pending)
{
    if (output_.empty())
        return;
    if (kind_ == InputKind::FOLDER || kind_ == InputKind::LIST)
    {
        std::error_code ec;
        fs::create_directories(output_, ec);
        if (!fs::is_directory(output_))
            CV_Error(cv::Error::StsError, "cannot create the --output folder '" + output_ + "'");
    }
    else if (kind_ == InputKind::IMAGE)
    {
        if (!cv::haveImageWriter(output_))
            CV_Error(cv::Error::StsBadArg, "--output '" + output_ + "' is not an image file name");
        requireWritable(output_);
    }
    else if (!hasExtension(output_, {".avi"}))
        CV_Error(cv::Error::StsBadArg, "--output '" + output_ + "' must be an .avi file (MJPG) for "
                                       "a video or camera input");
    else
        requireWritable(output_);
}

std::string OverlayWriter::write(const cv::Mat& overlay, const Frame& frame)
{
    if (output_.empty())
        return "";
    if (kind_ == InputKind::VIDEO || kind_ == InputKind::CAMERA)
    {
        if (!video_.isOpened())
        {
            videoTemp_ = pending_.add(output_);
            if (!video_.open(videoTemp_, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps_,
                             overlay.size()))
                CV_Error(cv::Error::StsError, "cannot write video '" + output_ + "'");
        }
        video_.write(overlay);
        return output_;
    }
    std::string file = output_;
    if (kind_ != InputKind::IMAGE)  // folder: <output>/<stem>.png; list: the listed sub-folders too
    {
        const fs::path given = overlayName(frame.path, kind_);
        const fs::path target = fs::path(output_) / given.parent_path() / given.stem();
        fs::create_directories(target.parent_path());
        file = target.string() + ".png";
    }
    const std::string temporary = kind_ == InputKind::IMAGE ? pending_.add(file) : temporaryName(file);
    bool written = false;
    try
    {
        written = cv::imwrite(temporary, overlay);
    }
    catch (const cv::Exception&)
    {
    }
    if (!written)
    {
        std::remove(temporary.c_str());
        CV_Error(cv::Error::StsError, "cannot write '" + file + "'");
    }
    if (kind_ != InputKind::IMAGE)
        moveIntoPlace(temporary, file);
    return file;
}

} // namespace xcam_samples
