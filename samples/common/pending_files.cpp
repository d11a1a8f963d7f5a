#include "pending_files.hpp"

#include <opencv2/core.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace xcam_samples {

namespace {

const std::string kPrefix = ".xcam-tmp-";

/** 8 hex digits of the FNV-1a hash of the host name. */
std::string hostId()
{
    char name[256] = {0};
    gethostname(name, sizeof(name) - 1);
    uint32_t h = 2166136261u;
    for (const char* c = name; *c; ++c)
        h = (h ^ (unsigned char)*c) * 16777619u;
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%08x", h);
    return buf;
}

/** The pid of a temporary file name of this host, -1 if it is not one. */
long ownHostPid(const std::string& name, const std::string& host)
{
    const std::string start = kPrefix + host + "-";
    if (name.compare(0, start.size(), start) != 0)
        return -1;
    size_t digits = start.size();
    while (digits < name.size() && std::isdigit((unsigned char)name[digits]))
        ++digits;
    if (digits == start.size() || digits >= name.size() || name[digits] != '-')
        return -1;
    return std::stol(name.substr(start.size(), digits - start.size()));
}

bool processGone(long pid)
{
    return pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

void cleanOnce(const fs::path& folder)
{
    static std::mutex mutex;
    static std::set<std::string> cleaned;
    std::lock_guard<std::mutex> lock(mutex);
    if (cleaned.insert(folder.string()).second)
        removeStaleTemporaries(folder.empty() ? "." : folder.string());
}

} // namespace

int removeStaleTemporaries(const std::string& folder)
{
    const std::string host = hostId();
    std::error_code ec;
    int removed = 0;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    {
        const std::string name = it->path().filename().string();
        if (processGone(ownHostPid(name, host)) && fs::remove(it->path(), ec))
            ++removed;
    }
    return removed;
}

std::string temporaryName(const std::string& path)
{
    const fs::path p(path);
    cleanOnce(p.parent_path());
    static const std::string host = hostId();
    const std::string name = kPrefix + host + "-" + std::to_string(getpid()) + "-" + p.filename().string();
    return (p.parent_path() / name).string();
}

std::string unwritableReason(const std::string& path)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0)
        return "";
    if (S_ISDIR(st.st_mode))
        return "is a directory";
    if (access(path.c_str(), W_OK) != 0)
        return "is not writable by this user";
    if ((st.st_mode & 0222) == 0)
        return "is read-only (mode " + cv::format("%04o", (unsigned)(st.st_mode & 07777)) + ")";
    return "";
}

void moveIntoPlace(const std::string& temporary, const std::string& path)
{
    std::error_code ec;
    const std::string reason = unwritableReason(path);
    const bool empty = fs::file_size(temporary, ec) == 0 || ec;
    if (!reason.empty() || empty || std::rename(temporary.c_str(), path.c_str()) != 0)
    {
        std::remove(temporary.c_str());
        CV_Error(cv::Error::StsError, "cannot write '" + path + "'" + (reason.empty() ? "" : ": it " + reason));
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
