// Output files written under a temporary name in their own folder and renamed into place, so
// that no reader ever sees a half-written file and a failed run leaves nothing behind.
#ifndef XCAM_SAMPLES_PENDING_FILES_HPP
#define XCAM_SAMPLES_PENDING_FILES_HPP

#include <string>
#include <vector>

namespace xcam_samples {

/** The temporary name of `path`: same folder, same extension (so writers pick the format). */
std::string temporaryName(const std::string& path);

/** Renames `temporary` to `path` (atomic on one file system); throws cv::Exception on failure. */
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
