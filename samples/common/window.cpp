#include "window.hpp"

#include "labels.hpp"
#include "pending_files.hpp"
#include "progress.hpp"

#include <opencv2/highgui.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace xcam_samples {

cv::Mat figure(const cv::Mat& frame, const cv::Mat& overlay, const std::string& title,
               const std::string& status)
{
    cv::Mat pair;
    cv::hconcat(toBGR(frame), overlay, pair);
    const double shrink = std::min(1.0, 1600.0 / pair.cols);
    if (shrink < 1.0)
        cv::resize(pair, pair, cv::Size(), shrink, shrink, cv::INTER_AREA);
    const int bar = 56;
    cv::Mat canvas(pair.rows + bar, std::max(pair.cols, 480), CV_8UC3, cv::Scalar::all(255));
    pair.copyTo(canvas(cv::Rect(0, bar, pair.cols, pair.rows)));
    cv::putText(canvas, title, cv::Point(8, 22), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar::all(0), 1,
                cv::LINE_AA);
    cv::putText(canvas, status, cv::Point(8, 46), cv::FONT_HERSHEY_SIMPLEX, 0.45,
                cv::Scalar(90, 90, 90), 1, cv::LINE_AA);
    return canvas;
}

CamWindow::CamWindow(const std::string& name, double fps) : name_(name), scheduler_(fps)
{
    cv::namedWindow(name_, cv::WINDOW_AUTOSIZE);
}

int CamWindow::key(int delayMs)
{
    const int k = cv::waitKey(delayMs);
    if (cv::getWindowProperty(name_, cv::WND_PROP_VISIBLE) < 1)
        return 'q';
    return k < 0 ? -1 : (k & 0xFF) == 27 ? 'q' : k & 0xFF;
}

int CamWindow::show(const cv::Mat& image, bool still)
{
    shown_ = image;
    cv::imshow(name_, image);
    if (still)
        return hold();
    return key(scheduler_.shown((double)cv::getTickCount() / cv::getTickFrequency()));
}

int CamWindow::hold()
{
    for (;;)
    {
        const int k = key(50);
        if (k >= 0)
            return k;
    }
}

void CamWindow::snapshot()
{
    std::string file;
    do  // never over a file that is there already
        file = "xcam_snapshot_" + std::to_string(++snapshots_) + ".png";
    while (std::filesystem::exists(file));
    const std::string temporary = temporaryName(file);
    if (!cv::imwrite(temporary, shown_))
    {
        std::remove(temporary.c_str());
        std::fprintf(stderr, "%s: warning: cannot write %s\n", programName().c_str(), file.c_str());
        return;
    }
    moveIntoPlace(temporary, file);
    std::fprintf(stderr, "%s: saved %s\n", programName().c_str(), file.c_str());
}

} // namespace xcam_samples
