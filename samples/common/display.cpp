#include "display.hpp"

#include "numbers.hpp"

#include <opencv2/core.hpp>

#include <cstdlib>
#include <dlfcn.h>

namespace xcam_samples {

namespace {

std::string env(const char* name)
{
    const char* v = std::getenv(name);
    return v ? v : "";
}

/** Whether the X server of DISPLAY accepts a connection (libxcb through dlopen). */
bool xAnswers(std::string& why)
{
    void* xcb = dlopen("libxcb.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!xcb)
    {
        why = "libxcb.so.1 is missing, so Qt cannot open a window";
        return false;
    }
    typedef void* (*Connect)(const char*, int*);
    typedef int (*HasError)(void*);
    typedef void (*Disconnect)(void*);
    const auto connect = (Connect)dlsym(xcb, "xcb_connect");
    const auto hasError = (HasError)dlsym(xcb, "xcb_connection_has_error");
    const auto disconnect = (Disconnect)dlsym(xcb, "xcb_disconnect");
    bool ok = false;
    if (connect && hasError && disconnect)
    {
        void* c = connect(nullptr, nullptr);
        ok = c && hasError(c) == 0;
        if (c)
            disconnect(c);
    }
    // (not dlclose'd: Qt loads it again, and leak checkers need it mapped to name its frames)
    if (!ok)
        why = "DISPLAY '" + printable(env("DISPLAY")) + "' does not answer";
    return ok;
}

} // namespace

bool displayRequested()
{
    return !env("DISPLAY").empty() ||
           (!env("WAYLAND_DISPLAY").empty() && env("QT_QPA_PLATFORM").rfind("wayland", 0) == 0);
}

std::string displayProblem()
{
    if (env("DISPLAY").empty())
        return displayRequested() ? "" : "DISPLAY is not set";
    std::string why;
    return xAnswers(why) ? "" : why;
}

void requireDisplay(const std::string& note)
{
    const std::string why = displayProblem();
    if (!why.empty())
        CV_Error(cv::Error::StsError, "no display: use --headless" + note + " (" + why + ")");
}

bool windowWanted(bool headless)
{
    const bool wanted = !headless && displayRequested();
    if (wanted)
        requireDisplay();
    return wanted;
}

} // namespace xcam_samples
