// The progress line on stderr: "\r"-updated on a terminal, one line per second otherwise; and
// the progress bar of long explanation methods.
#ifndef XCAM_SAMPLES_PROGRESS_HPP
#define XCAM_SAMPLES_PROGRESS_HPP

#include <opencv2/core.hpp>
#include <opencv2/xcam.hpp>

#include <string>

namespace xcam_samples {

/** The program name the progress lines start with (default "xcam_cam"). */
void setProgramName(const std::string& name);

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

/** A progress callback for CAMModel::setProgressCallback drawing "[#####.....] done/total"
    for `method` on stderr (on a terminal updated in place, otherwise every 10 %). */
cv::xcam::CAMProgressCallback progressBar(const std::string& method);

} // namespace xcam_samples

#endif
