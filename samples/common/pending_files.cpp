#include "pending_files.hpp"

#include <opencv2/core.hpp>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace xcam_samples {

std::string temporaryName(const std::string& path)
{
    const fs::path p(path);
    const std::string name = ".xcam-tmp-" + std::to_string(getpid()) + "-" + p.filename().string();
    return (p.parent_path() / name).string();
}

void moveIntoPlace(const std::string& temporary, const std::string& path)
{
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
    {
        std::remove(temporary.c_str());
        CV_Error(cv::Error::StsError, "cannot write '" + path + "'");
    }
}

void requireWritable(const std::string& path)
{
    const std::string probe = temporaryName(path);
    FILE* f = std::fopen(probe.c_str(), "w");
    if (!f)
        CV_Error(cv::Error::StsError, "cannot write '" + path + "'");
    std::fclose(f);
    std::remove(probe.c_str());
}

PendingFiles::~PendingFiles()
{
    for (const auto& f : files_)
        std::remove(f.first.c_str());
}

std::string PendingFiles::add(const std::string& path)
{
    files_.push_back({temporaryName(path), path});
    return files_.back().first;
}

void PendingFiles::commit()
{
    for (const auto& f : files_)
        moveIntoPlace(f.first, f.second);
    files_.clear();
}

} // namespace xcam_samples
