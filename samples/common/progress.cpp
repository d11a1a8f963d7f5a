#include "progress.hpp"

#include <chrono>
#include <cstdio>
#include <unistd.h>

namespace xcam_samples {

namespace {
std::string programName_ = "xcam_cam";
}

void setProgramName(const std::string& name)
{
    programName_ = name;
}

const std::string& programName()
{
    return programName_;
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
    std::fprintf(stderr, "%s%s: %s, %.1f fps%s", terminal_ ? "\r" : "", programName_.c_str(),
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
    std::fprintf(stderr, "%s: %s in %.1f s, %.1f fps\n", programName_.c_str(), count(done).c_str(),
                 seconds, seconds > 0 ? done / seconds : 0.0);
}

ProgressBar::ProgressBar(const std::string& label)
    : label_(label), terminal_(isatty(fileno(stderr)) != 0), start_(cv::getTickCount()),
      lastLine_(start_)
{
}

void ProgressBar::print(bool withTime)
{
    const int width = 30, filled = total_ > 0 ? width * std::min(done_, total_) / total_ : 0;
    const std::string count = std::to_string(done_) + "/" + (total_ > 0 ? std::to_string(total_) : "?");
    const double seconds = (double)(cv::getTickCount() - start_) / cv::getTickFrequency();
    const std::string time = withTime ? cv::format(" (%d s)", (int)seconds) : "";
    std::fprintf(stderr, "%s%s: %s [%s%s] %s%s%s", terminal_ ? "\r" : "", programName_.c_str(),
                 label_.c_str(), std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                 count.c_str(), time.c_str(), terminal_ && (done_ < total_ || total_ == 0) ? "\033[K" : "\n");
    std::fflush(stderr);
    lastLine_ = cv::getTickCount();
}

bool ProgressBar::update(int done, int total)
{
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = done;
    total_ = total;
    const int tenth = total > 0 ? 10 * done / total : 0;
    if (terminal_ || tenth != lastTenth_)
        print(false);
    lastTenth_ = tenth;
    return true;
}

void ProgressBar::tick()
{
    std::lock_guard<std::mutex> lock(mutex_);
    const double since = (double)(cv::getTickCount() - lastLine_) / cv::getTickFrequency();
    if (since >= (terminal_ ? 0.5 : 1.0) && !(total_ > 0 && done_ >= total_))
        print(true);
}

void ProgressBar::restart()
{
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = total_ = 0;
    lastTenth_ = -1;
    start_ = lastLine_ = cv::getTickCount();
}

Ticker::Ticker(ProgressBar& bar) : bar_(bar)
{
    bar_.restart();
    thread_ = std::thread([this] {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; }))
            bar_.tick();
    });
}

Ticker::~Ticker()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

cv::xcam::CAMProgressCallback progressCallback(const std::shared_ptr<ProgressBar>& bar)
{
    return [bar](int done, int total) { return bar->update(done, total); };
}

cv::xcam::CAMProgressCallback progressBar(const std::string& method)
{
    return progressCallback(std::make_shared<ProgressBar>(method));
}

} // namespace xcam_samples
