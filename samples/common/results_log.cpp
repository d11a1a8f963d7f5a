#include "results_log.hpp"

#include "json_text.hpp"
#include "numbers.hpp"
#include "pending_files.hpp"

#include <opencv2/core.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace xcam_samples {

namespace {

// Byte 0: the write lock around a change of the file; byte 1: read-locked by every live run.
const off_t kWriteByte = 0, kLiveByte = 1;

bool lockByte(int fd, short type, off_t byte, bool wait)
{
    struct flock l = {};
    l.l_type = type;
    l.l_whence = SEEK_SET;
    l.l_start = byte;
    l.l_len = 1;
    int r;
    while ((r = fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &l)) != 0 && errno == EINTR)
    {
    }
    return r == 0;
}

/** Whether another open file (a live run) holds a read lock on the live byte. */
bool othersWriting(int fd)
{
    struct flock l = {};
    l.l_type = F_WRLCK;
    l.l_whence = SEEK_SET;
    l.l_start = kLiveByte;
    l.l_len = 1;
    return fcntl(fd, F_OFD_GETLK, &l) == 0 && l.l_type != F_UNLCK;
}

bool writeAll(int fd, const std::string& text)
{
    for (size_t done = 0; done < text.size();)
    {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

std::string readAll(int fd)
{
    std::string text;
    char buf[65536];
    for (off_t at = 0;;)
    {
        const ssize_t n = pread(fd, buf, sizeof(buf), at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return text;
        text.append(buf, (size_t)n);
        at += n;
    }
}

/** Whether `fd` is still the file at `path` (not replaced or removed since it was opened). */
bool stillThere(int fd, const std::string& path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/** `settings` of the header `members`, false when it is not an xcam header. */
bool headerSettings(const JsonMembers& members, std::string& settings)
{
    const std::string* version = findMember(members, "xcam_results");
    const std::string* s = findMember(members, "settings");
    JsonMembers inner;
    if (!version || *version != "1" || !s || !parseJsonObject(*s, inner))
        return false;
    settings = *s;
    return true;
}

std::string shortened(const std::string& text)
{
    return text.size() <= 60 ? text : text.substr(0, 57) + "...";
}

/** "method: \"cam\" there, \"gradcam\" now": the first setting that differs. */
std::string firstDifference(const std::string& there, const std::string& now)
{
    JsonMembers a, b;
    parseJsonObject(there, a);
    parseJsonObject(now, b);
    for (const auto& m : b)
    {
        const std::string* old = findMember(a, m.first);
        if (!old || *old != m.second)
            return m.first + ": " + (old ? shortened(*old) : "missing") + " there, " + shortened(m.second) + " now";
    }
    for (const auto& m : a)
        if (!findMember(b, m.first))
            return m.first + ": " + shortened(m.second) + " there, missing now";
    return "the order of the settings";
}

} // namespace

std::string ResultsLog::header(const std::string& settings)
{
    return "{\"xcam_results\": 1, \"settings\": " + settings + "}";
}

ResultsLog::ResultsLog(const std::string& file, const std::string& settings, bool resume)
    : path_(file), settings_(settings)
{
    open();
    try
    {
        inspect(resume);
    }
    catch (...)
    {
        ::close(fd_);
        throw;
    }
    lockByte(fd_, F_RDLCK, kLiveByte, true);  // live: others starting will not empty the file
    lockByte(fd_, F_UNLCK, kWriteByte, false);
}

ResultsLog::~ResultsLog()
{
    if (fd_ >= 0)
        ::close(fd_);  // releases the locks
}

void ResultsLog::fail(const std::string& why) const
{
    CV_Error(cv::Error::StsError, "--results '" + printable(path_) + "' " + why);
}

void ResultsLog::createWithHeader()
{
    const std::string temporary = temporaryName(path_);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    const bool written = fd >= 0 && writeAll(fd, header(settings_) + "\n") && fsync(fd) == 0;
    if (fd >= 0)
        ::close(fd);
    const bool linked = written && (link(temporary.c_str(), path_.c_str()) == 0 || errno == EEXIST);
    std::remove(temporary.c_str());
    if (!linked)
        fail("cannot be written");
}

/** Opens the file (creating it with its header) and takes the write lock. */
void ResultsLog::open()
{
    for (;;)
    {
        fd_ = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
        if (fd_ < 0 && errno == ENOENT)
        {
            createWithHeader();
            continue;
        }
        if (fd_ < 0)
            fail("cannot be written");
        if (!lockByte(fd_, F_WRLCK, kWriteByte, true))
            fail("cannot be locked (fcntl)");
        if (stillThere(fd_, path_))
            return;
        ::close(fd_);  // replaced while we waited for the lock: open the new one
    }
}

void ResultsLog::startOver()
{
    if (ftruncate(fd_, 0) != 0 || !writeAll(fd_, header(settings_) + "\n"))
        fail("cannot be written");
}

/** Under the write lock: is the file ours, with our settings; what is done; what is dropped. */
void ResultsLog::inspect(bool resume)
{
    const std::string text = readAll(fd_);
    if (text.empty())
        return startOver();
    const size_t complete = text.rfind('\n') + 1;  // 0 when no line is complete
    std::string fileSettings;
    JsonMembers members;
    const size_t firstEnd = text.find('\n');
    const std::string first = text.substr(0, firstEnd);
    if (!parseJsonObject(first, members) || !headerSettings(members, fileSettings))
        fail("is not an xcam results file (its first line is not {\"xcam_results\": 1, ...}): "
             "refusing to change it; give another file");
    joined_ = othersWriting(fd_);
    if (fileSettings != settings_ && (resume || joined_))
        fail(std::string(joined_ ? "is being written by another run with other settings"
                                 : "holds results of other settings") +
             " (" + firstDifference(fileSettings, settings_) + "): give this run another --results file" +
             (joined_ ? "" : ", or drop --resume to start it over"));
    size_t line = 2;
    for (size_t at = firstEnd + 1; at < complete; ++line)
    {
        const size_t end = text.find('\n', at);
        if (!parseJsonObject(text.substr(at, end - at), members))
            fail("line " + std::to_string(line) + " is not a JSON record: not an xcam results file, "
                 "refusing to change it");
        std::string path;
        if (resume && stringMember(members, "canonical_path", path))
            done_.insert(path);
        at = end + 1;
    }
    if (!resume && !joined_)
        return startOver();
    dropped_ = complete < text.size() ? 1 : 0;
    if (dropped_ && ftruncate(fd_, (off_t)complete) != 0)
        fail("cannot be written");
}

void ResultsLog::append(const std::string& record)
{
    struct stat st;
    bool ok = lockByte(fd_, F_WRLCK, kWriteByte, true) && fstat(fd_, &st) == 0;
    if (ok && !writeAll(fd_, record + "\n"))
        ok = ftruncate(fd_, st.st_size) != 0 && false;  // no half line left behind (disk full)
    lockByte(fd_, F_UNLCK, kWriteByte, false);
    if (!ok)
        fail("cannot be written (disk full?)");
}

} // namespace xcam_samples
