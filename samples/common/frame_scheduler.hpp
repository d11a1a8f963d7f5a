// Pacing of a video shown in a window: frames at the file's frame rate, never faster. Pure
// arithmetic on a clock given by the caller, so it is testable without a display.
#ifndef XCAM_SAMPLES_FRAME_SCHEDULER_HPP
#define XCAM_SAMPLES_FRAME_SCHEDULER_HPP

#include <algorithm>
#include <cmath>

namespace xcam_samples {

class FrameScheduler
{
public:
    /** `fps` <= 0: no pacing (cameras deliver at their own rate). */
    explicit FrameScheduler(double fps) : period_(fps > 0 ? 1.0 / fps : 0.0) {}

    /** Call right after a frame was shown at time `now` (seconds, any monotonic clock): the
        milliseconds to wait (cv::waitKey) before the next one, at least 1. Frames are due at
        t0 + k / fps; when a frame is late by more than a period (slow model), the schedule
        restarts from it instead of rushing to catch up. */
    int shown(double now)
    {
        if (period_ <= 0)
            return 1;
        if (frames_ == 0 || now - due(frames_) > period_)
        {
            start_ = now;
            frames_ = 0;
        }
        ++frames_;
        const double wait = due(frames_) - now;
        return std::max(1, (int)std::lround(wait * 1000.0));
    }

    double period() const { return period_; }

private:
    double due(long frame) const { return start_ + frame * period_; }

    double period_;
    double start_ = 0;
    long frames_ = 0;
};

} // namespace xcam_samples

#endif
