// The live window: the seed's figure (frame | overlay under a caption), paced at the video's
// frame rate, the last frame kept up until a key or the window is closed.
#ifndef XCAM_SAMPLES_WINDOW_HPP
#define XCAM_SAMPLES_WINDOW_HPP

#include "frame_scheduler.hpp"

#include <opencv2/core.hpp>

#include <string>

namespace xcam_samples {

/** The seed's figure: the frame and its overlay side by side under a title and a status line. */
cv::Mat figure(const cv::Mat& frame, const cv::Mat& overlay, const std::string& title,
               const std::string& status);

class CamWindow
{
public:
    /** Opens the window; `fps` paces videos (0: no pacing). */
    CamWindow(const std::string& name, double fps);
    /** Shows `image` and waits for the next frame's time; returns the key (-1: none, 'q' also
        when the window was closed). `still`: wait until a key instead. */
    int show(const cv::Mat& image, bool still);
    /** Waits, showing what is up, until a key is pressed or the window is closed. */
    int hold();
    /** Writes what is shown to xcam_snapshot_<n>.png, the first n whose file does not exist. */
    void snapshot();

private:
    int key(int delayMs);

    std::string name_;
    FrameScheduler scheduler_;
    cv::Mat shown_;
    int snapshots_ = 0;
};

} // namespace xcam_samples

#endif
