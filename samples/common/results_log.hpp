// --results: a JSON Lines file shared safely by the runs (shards) that write it. Its first line
// is a header, {"xcam_results": 1, "settings": {...}}, with the settings that define a result
// (supplied by the tool); then one JSON object per record, appended whole. Generic: the records'
// content is the tool's; only their "canonical_path" key is read back, by --resume.
//
// Rules, all checked before anything is written:
//   - a file that is not xcam's (its first line is not such a header, or another line is not a
//     JSON object) is never modified; only a half-written last line (no newline: a run killed
//     while writing) of an xcam file may be dropped;
//   - --resume continues a file only when its settings are the tool's, else one error naming
//     the first setting that differs; the records' canonical paths are done();
//   - without --resume the run's own images are redone: their earlier records are dropped (and
//     those without a canonical path: frames of a video or camera) and the others kept (those of
//     the other shards, running or finished); a file of other settings
//     starts over (header only), unless another live run is writing it: then the run is refused;
//   - every record is one write(2) of a whole line to a file opened with O_APPEND, under an
//     advisory write lock (fcntl open-file-description locks: flock(2) is emulated with
//     whole-file fcntl locks on NFS, where it would deadlock with the lifetime lock); a run holds
//     a shared lock on another byte for its lifetime, which is how a starting run knows that
//     others are writing;
//   - a file is created, or rewritten, under a temporary name with its header already in it and
//     then linked or renamed into place, so no empty, headerless or half-rewritten file is ever
//     seen; runs appending to a file that another run rewrote follow it to the new file.
#ifndef XCAM_SAMPLES_RESULTS_LOG_HPP
#define XCAM_SAMPLES_RESULTS_LOG_HPP

#include <set>
#include <string>

namespace xcam_samples {

class ResultsLog
{
public:
    /** Opens `file` (see above) with `settings`, a JSON object's text; `mine`: the canonical
        paths of the images this run may write records for (without --resume their old records
        are dropped). Throws cv::Exception with one line, naming --results, when the file may not
        be used. */
    ResultsLog(const std::string& file, const std::string& settings, bool resume,
               const std::set<std::string>& mine);
    ~ResultsLog();
    ResultsLog(const ResultsLog&) = delete;
    ResultsLog& operator=(const ResultsLog&) = delete;

    /** With --resume: the canonical paths of the records already in the file. */
    const std::set<std::string>& done() const { return done_; }
    /** How many lines were dropped as half-written (0 or 1). */
    int dropped() const { return dropped_; }
    /** Whether another live run was writing the file when this one opened it. */
    bool joined() const { return joined_; }
    /** Appends `record` (one JSON object, no newline) as one line. */
    void append(const std::string& record);

    /** The header line of `settings` (without the newline). */
    static std::string header(const std::string& settings);

private:
    int openLocked();
    void createWithHeader();
    void replaceWith(const std::string& text);
    void inspect(bool resume, const std::set<std::string>& mine);
    int readRecords(const std::string& records, bool resume, const std::set<std::string>& mine,
                    std::string& kept);
    void followReplacement();
    [[noreturn]] void fail(const std::string& why) const;

    std::string path_, settings_;
    int fd_ = -1;
    std::set<std::string> done_;
    int dropped_ = 0;
    bool joined_ = false;
};

} // namespace xcam_samples

#endif
