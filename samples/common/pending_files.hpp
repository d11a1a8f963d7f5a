// Output files written under a temporary name in their own folder and renamed into place, so
// that no reader ever sees a half-written file and a failed run leaves nothing behind.
// Temporary names are ".xcam-tmp-<host>-<pid>-<name>" (<host>: 8 hex digits of the host name's
// hash): the first time a run writes into a folder it removes the temporary files that runs of
// this host left there when they were killed (their process is gone); files of live runs and of
// other hosts are left alone.
#ifndef XCAM_SAMPLES_PENDING_FILES_HPP
#define XCAM_SAMPLES_PENDING_FILES_HPP

#include <string>
#include <vector>

namespace xcam_samples {

/** The temporary name of `path`: same folder, same extension (so writers pick the format).
    Cleans the folder's stale temporary files the first time it is called for that folder. */
std::string temporaryName(const std::string& path);

/** Removes the temporary files of dead runs of this host from `folder`; returns how many. */
int removeStaleTemporaries(const std::string& folder);

/** Why `path` cannot be replaced or appended to ("" if it can): an existing file that is a
    directory, not writable by this user (access(2)), or read-only by its mode (0444: refused
    even for root, whom access() lets write anything). */
std::string unwritableReason(const std::string& path);

/** Renames `temporary` to `path` (atomic on one file system); throws cv::Exception, and removes
    `temporary`, when it is empty (a writer failed silently) or `path` may not be replaced
    (unwritableReason: rename would bypass the file's permissions). */
void moveIntoPlace(const std::string& temporary, const std::string& path);

/** Throws cv::Exception "cannot write '<path>'" unless a file can be created beside `path`
    (checked before any work, so that a run that cannot write its results does nothing). */
void requireWritable(const std::string& path);

/** Files to be renamed together at the end of a run; those not committed are removed when the
    object goes away (an error unwinding the run). */
class PendingFiles
{
public:
    PendingFiles() = default;
    PendingFiles(const PendingFiles&) = delete;
    PendingFiles& operator=(const PendingFiles&) = delete;
    ~PendingFiles();

    /** A temporary name for `path`, renamed by commit(). */
    std::string add(const std::string& path);
    /** Renames every file added so far into place. */
    void commit();

private:
    std::vector<std::pair<std::string, std::string>> files_;  // (temporary, final)
};

} // namespace xcam_samples

#endif
