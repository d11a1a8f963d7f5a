#include "input_source.hpp"

#include "numbers.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace xcam_samples {

bool hasExtension(const std::string& path, std::initializer_list<const char*> extensions)
{
    const std::string ext = toLower(fs::path(path).extension().string());
    for (const char* e : extensions)
        if (ext == e)
            return true;
    return false;
}

bool looksLikeImage(const std::string& path)
{
    return hasExtension(path, {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm",
                               ".pgm", ".pbm", ".pnm", ".jp2", ".exr", ".hdr", ".sr", ".ras"});
}

std::string canonicalPath(const std::string& path)
{
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? fs::absolute(path, ec).lexically_normal().string() : p.string();
}

InputSource::InputSource(const std::string& input, bool gray, int shardIndex, int shardCount)
    : input_(input), gray_(gray)
{
    if (input.empty() || isDigits(input))
        openCapture(input);
    else if (fs::is_directory(input))
        openFolder(input);
    else if (!fs::is_regular_file(input))
        CV_Error(cv::Error::StsObjectNotFound, "cannot read input '" + input + "': no such file");
    else if (hasExtension(input, {".txt", ".lst"}))
        openList(input);
    else if (looksLikeImage(input) || cv::haveImageReader(input))
        files_.push_back({input, input, 0});
    else
        openCapture(input);
    if (shardCount > 1 && !isFiles())
        CV_Error(cv::Error::StsBadArg, "--shard needs a folder or a list file as --input");
    std::sort(files_.begin(), files_.end(),
              [](const Entry& a, const Entry& b) { return a.path < b.path || (a.path == b.path && a.file < b.file); });
    std::vector<Entry> shard;
    for (size_t i = 0; i < files_.size(); ++i)
    {
        files_[i].index = i;
        allPaths_.push_back(files_[i].path);
        if ((int)(i % shardCount) == shardIndex)
            shard.push_back(files_[i]);
    }
    files_.swap(shard);
}

void InputSource::openFolder(const std::string& folder)
{
    kind_ = InputKind::FOLDER;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.is_regular_file() && looksLikeImage(entry.path().string()))
            files_.push_back({entry.path().string(), entry.path().string(), 0});
    if (files_.empty())
        CV_Error(cv::Error::StsError, "folder '" + folder + "' holds no images");
}

namespace {

/** A list file's line without its comment (from a '#' at the start or after a blank) and the
    blanks around it ("\r" of Windows files too). */
std::string listedPath(std::string line)
{
    for (size_t i = 0; i < line.size(); ++i)
        if (line[i] == '#' && (i == 0 || std::isspace((unsigned char)line[i - 1])))
        {
            line.resize(i);
            break;
        }
    const size_t a = line.find_first_not_of(" \t\r\n\v\f"), b = line.find_last_not_of(" \t\r\n\v\f");
    return a == std::string::npos ? std::string() : line.substr(a, b - a + 1);
}

} // namespace

void InputSource::openList(const std::string& listFile)
{
    kind_ = InputKind::LIST;
    std::ifstream in(listFile, std::ios::binary);
    const fs::path base = fs::path(listFile).parent_path();
    bool first = true;
    for (std::string line; std::getline(in, line); first = false)
    {
        if (first && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
            line.erase(0, 3);  // the UTF-8 byte order mark some editors write
        const std::string path = listedPath(line);
        if (path.empty())
            continue;
        const fs::path p(path);
        files_.push_back({path, p.is_absolute() ? path : (base / p).string(), 0});
    }
    if (files_.empty())
        CV_Error(cv::Error::StsError, "list '" + listFile + "' holds no image paths");
}

void InputSource::openCapture(const std::string& input)
{
    kind_ = input.empty() || isDigits(input) ? InputKind::CAMERA : InputKind::VIDEO;
    if (kind_ == InputKind::CAMERA)
    {
        const std::string index = input.empty() ? "0" : input;
        if (!capture_.open(std::stoi(index)))
            CV_Error(cv::Error::StsError, "cannot open camera " + index);
    }
    else if (!capture_.open(input))
        CV_Error(cv::Error::StsError, "cannot read input '" + input +
                                          "': not an image, a video, a folder or a camera index");
}

bool InputSource::nextFile(Frame& frame)
{
    if (next_ >= files_.size())
        return false;
    frame.path = files_[next_].path;
    frame.file = files_[next_].file;
    frame.index = files_[next_++].index;
    frame.failure.clear();
    frame.image.release();
    std::error_code ec;
    const fs::file_status status = fs::status(frame.file, ec);
    if (fs::is_directory(status))
        frame.failure = "cannot read image '" + frame.path + "': is a directory";
    else if (fs::exists(status) && !fs::is_regular_file(status))
        frame.failure = "cannot read image '" + frame.path + "': not a regular file";
    else if (!fs::exists(status))
        frame.failure = "cannot read image '" + frame.path + "': no such file";
    else
    {
        frame.image = cv::imread(frame.file, gray_ ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
        if (frame.image.empty())
            frame.failure = "cannot read image '" + frame.path + "': not a decodable image";
    }
    return true;
}

bool InputSource::next(Frame& frame)
{
    if (isFiles())
        return nextFile(frame);
    frame.path = frame.file = "frame " + std::to_string(count_);
    frame.failure.clear();
    if (!capture_.read(frame.image) || frame.image.empty())
        return false;
    ++count_;
    if (gray_ && frame.image.channels() == 3)
        cv::cvtColor(frame.image, frame.image, cv::COLOR_BGR2GRAY);
    return true;
}

int InputSource::skip(const std::set<std::string>& done)
{
    const size_t before = files_.size();
    files_.erase(std::remove_if(files_.begin() + next_, files_.end(),
                                [&](const Entry& f) { return done.count(canonicalPath(f.file)) > 0; }),
                 files_.end());
    return (int)(before - files_.size());
}

std::vector<std::pair<size_t, std::string>> InputSource::filesToRead() const
{
    std::vector<std::pair<size_t, std::string>> files;
    for (size_t i = next_; i < files_.size(); ++i)
        files.push_back({files_[i].index, files_[i].file});
    return files;
}

int InputSource::total() const
{
    if (isFiles())
        return (int)files_.size();
    const double n = kind_ == InputKind::VIDEO ? capture_.get(cv::CAP_PROP_FRAME_COUNT) : 0;
    return n > 0 ? (int)n : -1;
}

double InputSource::fps() const
{
    const double f = capture_.isOpened() ? capture_.get(cv::CAP_PROP_FPS) : 0;
    return f > 0 && f < 1000 ? f : 0.0;
}

} // namespace xcam_samples
