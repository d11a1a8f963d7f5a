// Whether a window can be shown, found out before Qt is touched: OpenCV's Qt highgui aborts the
// process (exit 134, no message) when DISPLAY names an X server that does not answer.
#ifndef XCAM_SAMPLES_DISPLAY_HPP
#define XCAM_SAMPLES_DISPLAY_HPP

#include <string>

namespace xcam_samples {

/** Whether the environment asks for a window: DISPLAY is set, or WAYLAND_DISPLAY with
    QT_QPA_PLATFORM=wayland (Qt draws through X11 otherwise). */
bool displayRequested();

/** "" when a window can be opened; else why not, e.g. "DISPLAY ':87' does not answer". X11 is
    tried with libxcb (loaded with dlopen, the library Qt's X11 platform uses). */
std::string displayProblem();

/** Throws cv::Exception "no display: use --headless<note> (<why>)" unless a window can be
    opened. */
void requireDisplay(const std::string& note = "");

/** Whether a run shows a window: not `headless` and a display asked for (then it must answer:
    requireDisplay(), one error before Qt starts). */
bool windowWanted(bool headless);

} // namespace xcam_samples

#endif
