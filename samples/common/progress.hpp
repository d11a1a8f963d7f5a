// The progress line on stderr: "\r"-updated on a terminal, one line per second otherwise; and
// the progress bar of long explanation methods.
#ifndef XCAM_SAMPLES_PROGRESS_HPP
#define XCAM_SAMPLES_PROGRESS_HPP

#include <opencv2/core.hpp>
#include <opencv2/xcam.hpp>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace xcam_samples {

/** The program name the progress lines start with (default "xcam_cam"). */
void setProgramName(const std::string& name);
/** The name set by setProgramName. */
const std::string& programName();

class Progress
{
public:
    /** `unit`: "files" or "frames"; `total` -1 when unknown; disabled: prints nothing. */
    Progress(const std::string& unit, int total, bool enabled);
    /** One frame more, processed at `fps`; prints when due. */
    void update(int done, double fps);
    /** Erases a "\r" line before something else is printed (terminal only). */
    void clear();
    /** The final line: done/total in seconds, mean fps. */
    void finish(int done, double seconds);

private:
    std::string count(int done) const;

    std::string unit_;
    int total_;
    bool enabled_, terminal_, shown_ = false;
    int64 last_ = 0;
};

/** A progress bar on stderr, "<program>: <label> [#####.....] done/total": on a terminal
    updated in place, otherwise a line per tenth. tick() adds the seconds since restart() and
    prints at least once a second (a Ticker calls it), so that a long step (one batch of
    forward passes can take a minute) still shows that the run is alive. Thread-safe. */
class ProgressBar
{
public:
    explicit ProgressBar(const std::string& label);
    /** `done` of `total`; prints when due. Returns true (never cancels). */
    bool update(int done, int total);
    /** Prints the current state with the elapsed time when a second passed without a line. */
    void tick();
    /** Starts the clock again (a new image); the counts are unknown until the next update(). */
    void restart();

private:
    void print(bool withTime);

    std::string label_;
    bool terminal_;
    std::mutex mutex_;
    int done_ = 0, total_ = 0, lastTenth_ = -1;
    int64 start_, lastLine_;
};

/** While it lives, a thread calls `bar.tick()` five times a second. */
class Ticker
{
public:
    explicit Ticker(ProgressBar& bar);
    ~Ticker();
    Ticker(const Ticker&) = delete;
    Ticker& operator=(const Ticker&) = delete;

private:
    ProgressBar& bar_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

/** A progress callback for CAMModel::setProgressCallback: update() of `bar`. */
cv::xcam::CAMProgressCallback progressCallback(const std::shared_ptr<ProgressBar>& bar);

/** progressCallback() of a new ProgressBar of `method`. */
cv::xcam::CAMProgressCallback progressBar(const std::string& method);

} // namespace xcam_samples

#endif
