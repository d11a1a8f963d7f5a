#include "frame_loop.hpp"

#include "run_plan.hpp"

#include <cstdio>

namespace xcam_samples {

namespace {

/** One frame: a file that could not be read is a warning (a single image: an error). */
void processFrame(const InputSource& source, Progress& progress, FrameHandler& handler, const Frame& frame,
                  FrameCounts& c)
{
    if (!frame.failure.empty())
    {
        if (source.kind() == InputKind::IMAGE)
            CV_Error(cv::Error::StsError, frame.failure);
        progress.clear();
        std::fprintf(stderr, "%s: warning: %s\n", programName().c_str(), frame.failure.c_str());
        ++c.failed;
        return;
    }
    cv::TickMeter tm;
    tm.start();
    handler.explain(frame);
    tm.stop();
    c.fps = c.fps == 0 ? 1.0 / tm.getTimeSec() : 0.9 * c.fps + 0.1 / tm.getTimeSec();
    handler.deliver(frame);  // the results are written before the progress counts the frame
    ++c.done;
    progress.update(c.done + c.failed, c.fps);
    handler.show(frame);
}

} // namespace

bool runFrames(InputSource& source, Progress& progress, int maxFrames, FrameHandler& handler,
               FrameCounts& counts, CamWindow* window, double& seconds)
{
    cv::TickMeter total;
    total.start();
    Frame frame;
    bool more = true;
    while (!counts.quit && (maxFrames == 0 || counts.done < maxFrames) && (more = source.next(frame)))
        processFrame(source, progress, handler, frame, counts);
    total.stop();
    seconds = total.getTimeSec();
    if (window && !more && !counts.quit && source.kind() == InputKind::VIDEO)
        window->hold();  // the last frame stays up until a key or the window is closed
    return more;
}

int finishRun(const InputSource& source, const FrameCounts& counts, OverlayWriter& overlay, PendingFiles& pending,
              Progress& progress, bool stoppedEarly, double seconds, const std::string& input,
              const std::string& results, const std::string& summary,
              const std::function<std::string()>& extra)
{
    requireFrames(source, counts, input);
    overlay.finish();
    const std::string note = extra ? extra() : std::string();
    pending.commit();
    progress.finish(counts.done + counts.failed, seconds);
    if (!note.empty())
        std::fprintf(stderr, "%s: %s\n", programName().c_str(), note.c_str());
    return endOfRun(source, counts, stoppedEarly, results, summary);
}

void requireFrames(const InputSource& source, const FrameCounts& c, const std::string& input)
{
    if (c.done + c.failed == 0 && !source.isFiles())
        CV_Error(cv::Error::StsError, "no frame could be read from '" + (input.empty() ? std::string("0") : input) +
                                          "'");
}

int endOfRun(const InputSource& source, const FrameCounts& c, bool stoppedEarly, const std::string& results,
             const std::string& summary)
{
    const char* program = programName().c_str();
    if (c.skipped > 0)
        std::fprintf(stderr, "%s: resumed: %d images already in %s\n", program, c.skipped, results.c_str());
    if (c.done > 0)
        std::fprintf(stderr, "%s: %s\n", program, summary.c_str());
    const bool truncated = truncatedVideo(source, stoppedEarly);
    if (c.failed > 0)
        std::fprintf(stderr, "%s: finished with failures: %d of %d images could not be read\n", program, c.failed,
                     c.done + c.failed);
    return c.failed > 0 || truncated ? 2 : 0;
}

} // namespace xcam_samples
