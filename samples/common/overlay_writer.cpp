#include "result_writers.hpp"

#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace xcam_samples {

namespace {

/** Throws unless files can be written in `folder`, or it can be created (its nearest existing
    folder is writable); creates nothing, so that a run failing later leaves no empty folder. */
void requireFolderWritable(const std::string& folder)
{
    fs::path existing = fs::absolute(folder).lexically_normal();
    while (!fs::exists(existing) && existing.has_relative_path())
        existing = existing.parent_path();
    if (!fs::is_directory(existing) || access(existing.c_str(), W_OK | X_OK) != 0)
        CV_Error(cv::Error::StsError, "cannot create the --output folder '" + folder + "'");
    std::error_code ec;
    if (fs::equivalent(existing, folder, ec))
        requireWritable((fs::path(folder) / "x.png").string());
}

} // namespace

OverlayWriter::OverlayWriter(const std::string& output, InputKind kind, double fps,
                             PendingFiles& pending, const std::vector<std::string>& names)
    : output_(output), kind_(kind), fps_(fps > 0 ? fps : 30.0), pending_(pending), names_(names)
{
    if (output_.empty())
        return;
    if (kind_ == InputKind::FOLDER || kind_ == InputKind::LIST)
        requireFolderWritable(output_);
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
    if (kind_ != InputKind::IMAGE)  // folder or list: its name by outputNames()
    {
        file = (fs::path(output_) / names_.at(frame.index)).string();
        std::error_code ec;
        fs::create_directories(fs::path(file).parent_path(), ec);  // the output folder too
        if (ec && !fs::is_directory(fs::path(file).parent_path()))
            CV_Error(cv::Error::StsError, "cannot create the folder of '" + file + "'");
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
