#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace xcam_samples {

namespace {
std::string programName = "xcam_cam";
}

void setProgramName(const std::string& name)
{
    programName = name;
}

Progress::Progress(const std::string& unit, int total, bool enabled)
    : unit_(unit), total_(total), enabled_(enabled), terminal_(isatty(fileno(stderr)) != 0)
{
}

std::string Progress::count(int done) const
{
    return std::to_string(done) + (total_ > 0 ? "/" + std::to_string(total_) : "") + " " + unit_;
}

void Progress::update(int done, double fps)
{
    const double interval = terminal_ ? 0.5 : 1.0;
    if (!enabled_ || (cv::getTickCount() - last_) < interval * cv::getTickFrequency())
        return;
    last_ = cv::getTickCount();
    std::fprintf(stderr, "%s%s: %s, %.1f fps%s", terminal_ ? "\r" : "", programName.c_str(),
                 count(done).c_str(), fps, terminal_ ? "\033[K" : "\n");
    std::fflush(stderr);
    shown_ = terminal_;
}

void Progress::clear()
{
    if (shown_)
        std::fputs("\r\033[K", stderr);
    shown_ = false;
}

void Progress::finish(int done, double seconds)
{
    if (!enabled_)
        return;
    clear();
    std::fprintf(stderr, "%s: %s in %.1f s, %.1f fps\n", programName.c_str(), count(done).c_str(),
                 seconds, seconds > 0 ? done / seconds : 0.0);
}

cv::xcam::CAMProgressCallback progressBar(const std::string& method)
{
    const bool terminal = isatty(fileno(stderr)) != 0;
    auto lastTenth = std::make_shared<int>(-1);
    return [=](int done, int total) {
        const int width = 30, filled = total > 0 ? width * done / total : 0;
        const int tenth = total > 0 ? 10 * done / total : 0;
        if (!terminal && tenth == *lastTenth)
            return true;
        *lastTenth = tenth;
        std::fprintf(stderr, "%s%s: %s [%s%s] %d/%d%s", terminal ? "\r" : "", programName.c_str(),
                     method.c_str(), std::string(filled, '#').c_str(),
                     std::string(width - filled, '.').c_str(), done, total,
                     terminal && done < total ? "" : "\n");
        std::fflush(stderr);
        return true;
    };
}

} // namespace xcam_samples
