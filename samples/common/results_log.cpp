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

/** "method: \"cam\" there, \"gradcam\" now", "model.name: ...": the first setting that
    differs, inside nested objects. */
std::string firstDifference(const std::string& there, const std::string& now, const std::string& prefix = "")
{
    JsonMembers a, b;
    if (!parseJsonObject(there, a) || !parseJsonObject(now, b))
        return prefix.substr(0, prefix.size() - 1) + ": " + shortened(there) + " there, " + shortened(now) + " now";
    for (const auto& m : b)
    {
        const std::string* old = findMember(a, m.first);
        if (!old)
            return prefix + m.first + ": missing there, " + shortened(m.second) + " now";
        if (*old != m.second)
            return firstDifference(*old, m.second, prefix + m.first + ".");
    }
    for (const auto& m : a)
        if (!findMember(b, m.first))
            return prefix + m.first + ": " + shortened(m.second) + " there, missing now";
    return prefix + "(the order of the settings)";
}

} // namespace

std::string ResultsLog::header(const std::string& settings)
{
    return "{\"xcam_results\": 1, \"settings\": " + settings + "}";
}

ResultsLog::ResultsLog(const std::string& file, const std::string& settings, bool resume,
                       const std::set<std::string>& mine)
    : path_(file), settings_(settings)
{
    fd_ = openLocked();
    try
    {
        inspect(resume, mine);
    }
    catch (...)
    {
        ::close(fd_);
        throw;
    }
    lockByte(fd_, F_RDLCK, kLiveByte, true);  // live: runs starting now will not start it over
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

/** The file opened (created with its header when missing) with the write lock taken. */
int ResultsLog::openLocked()
{
    for (;;)
    {
        const int fd = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
        {
            createWithHeader();
            continue;
        }
        if (fd < 0)
            fail("cannot be written");
        if (!lockByte(fd, F_WRLCK, kWriteByte, true))
            fail("cannot be locked (fcntl)");
        if (stillThere(fd, path_))
            return fd;
        ::close(fd);  // replaced while we waited for the lock: open the new one
    }
}

/** Replaces the file by `text` (temporary name, renamed) and follows it, write lock held. Runs
    appending to the old file follow it at their next append (followReplacement). */
void ResultsLog::replaceWith(const std::string& text)
{
    const std::string temporary = temporaryName(path_);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    const bool written = fd >= 0 && writeAll(fd, text) && fsync(fd) == 0;
    if (fd >= 0)
        ::close(fd);
    if (!written || std::rename(temporary.c_str(), path_.c_str()) != 0)
    {
        std::remove(temporary.c_str());
        fail("cannot be written");
    }
    const int old = fd_;
    fd_ = openLocked();
    ::close(old);
}

/** Under the write lock: is the file ours, with our settings; what is done, dropped, redone. */
void ResultsLog::inspect(bool resume, const std::set<std::string>& mine)
{
    const std::string text = readAll(fd_);
    if (text.empty())
        return replaceWith(header(settings_) + "\n");
    const size_t firstEnd = text.find('\n');
    std::string fileSettings;
    JsonMembers members;
    if (!parseJsonObject(text.substr(0, firstEnd), members) || !headerSettings(members, fileSettings))
        fail("is not an xcam results file (its first line is not {\"xcam_results\": 1, ...}): "
             "refusing to change it; give another file");
    joined_ = othersWriting(fd_);
    if (fileSettings != settings_ && (resume || joined_))
        fail(std::string(joined_ ? "is being written by another run with other settings"
                                 : "holds results of other settings") +
             " (" + firstDifference(fileSettings, settings_) + "): give this run another --results file" +
             (joined_ ? "" : ", or drop --resume to start it over"));
    if (fileSettings != settings_)
        return replaceWith(header(settings_) + "\n");  // another experiment: start over
    const size_t complete = text.rfind('\n') + 1;
    dropped_ = complete < text.size() ? 1 : 0;
    std::string kept = text.substr(0, firstEnd + 1);
    const int redone = readRecords(text.substr(firstEnd + 1, complete - firstEnd - 1), resume, mine, kept);
    if (!resume && redone > 0)
        return replaceWith(kept);
    if (dropped_ && ftruncate(fd_, (off_t)complete) != 0)
        fail("cannot be written");
}

/** Checks every record line; with `resume` collects done(), else appends to `kept` the lines
    whose image is not in `mine`. Returns how many records of `mine` were left out. */
int ResultsLog::readRecords(const std::string& records, bool resume, const std::set<std::string>& mine,
                            std::string& kept)
{
    int redone = 0;
    size_t line = 2;
    JsonMembers members;
    for (size_t at = 0; at < records.size(); ++line)
    {
        const size_t end = records.find('\n', at);
        const std::string record = records.substr(at, end - at);
        at = end + 1;
        if (!parseJsonObject(record, members))
            fail("line " + std::to_string(line) + " is not a JSON record: not an xcam results file, "
                 "refusing to change it");
        std::string path;
        const bool known = stringMember(members, "canonical_path", path);
        if (resume && known)
            done_.insert(path);
        else if (!resume && (!known || mine.count(path)))  // no path: a video's frames
            ++redone;
        else if (!resume)
            kept += record + "\n";
    }
    return redone;
}

/** Under the write lock: when another run replaced the file (it dropped the records it redoes),
    appends go to the new file, after checking that its settings are still ours. */
void ResultsLog::followReplacement()
{
    while (!stillThere(fd_, path_))
    {
        const int fd = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
        if (fd < 0)
            fail("was removed while this run wrote it");
        lockByte(fd, F_WRLCK, kWriteByte, true);
        const std::string text = readAll(fd);
        JsonMembers members;
        std::string fileSettings;
        if (!parseJsonObject(text.substr(0, text.find('\n')), members) ||
            !headerSettings(members, fileSettings) || fileSettings != settings_)
        {
            ::close(fd);
            fail("was started over by another run with other settings");
        }
        lockByte(fd, F_RDLCK, kLiveByte, true);
        ::close(fd_);
        fd_ = fd;
    }
}

void ResultsLog::append(const std::string& record)
{
    if (!lockByte(fd_, F_WRLCK, kWriteByte, true))
        fail("cannot be locked (fcntl)");
    followReplacement();
    struct stat st;
    bool ok = fstat(fd_, &st) == 0;
    if (ok && !writeAll(fd_, record + "\n"))
        ok = ftruncate(fd_, st.st_size) != 0 && false;  // no half line left behind (disk full)
    lockByte(fd_, F_UNLCK, kWriteByte, false);
    if (!ok)
        fail("cannot be written (disk full?)");
}

} // namespace xcam_samples
