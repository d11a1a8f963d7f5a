// The frame loop of the samples' CLIs: every frame of an InputSource read, explained (timed for
// the fps), delivered (written, shown), the progress line updated; files that cannot be read
// counted as failures; and the last lines of a run with its exit status.
#ifndef XCAM_SAMPLES_FRAME_LOOP_HPP
#define XCAM_SAMPLES_FRAME_LOOP_HPP

#include "input_source.hpp"
#include "progress.hpp"
#include "result_writers.hpp"
#include "window.hpp"

#include <functional>
#include <string>

namespace xcam_samples {

/** How a run goes, frame by frame. */
struct FrameCounts
{
    int done = 0, failed = 0, skipped = 0;  // skipped: already in --results (--resume)
    bool quit = false;                      // the window asked to stop
    double fps = 0;                         // smoothed over the frames explained
};

/** What a tool does with a frame that was read. */
class FrameHandler
{
public:
    virtual ~FrameHandler() = default;
    /** Explains the frame (the time the fps counts). */
    virtual void explain(const Frame& frame) = 0;
    /** Writes its results. */
    virtual void deliver(const Frame& frame) = 0;
    /** Shows it, once the progress counts it (may set FrameCounts::quit). */
    virtual void show(const Frame& frame) = 0;
};

/** Reads the frames of `source`, at most `maxFrames` (0: all), until `counts.quit`: a file that
    cannot be read is a "<program>: warning: ..." line and a failure (a single image: an error),
    any other frame is explained, delivered and shown. With a `window` the last frame of a video
    stays up until a key or the window is closed. `seconds`: the loop's time. Returns whether it
    stopped before the end of the source. */
bool runFrames(InputSource& source, Progress& progress, int maxFrames, FrameHandler& handler,
               FrameCounts& counts, CamWindow* window, double& seconds);

/** The end of a run: requireFrames(), the overlay video closed, `extra()` (a tool's own outputs:
    it returns a line to print, or ""), the pending files renamed into place, the progress's last
    line, the extra line, then endOfRun()'s lines; returns endOfRun()'s status. */
int finishRun(const InputSource& source, const FrameCounts& counts, OverlayWriter& overlay, PendingFiles& pending,
              Progress& progress, bool stoppedEarly, double seconds, const std::string& input,
              const std::string& results, const std::string& summary,
              const std::function<std::string()>& extra = std::function<std::string()>());

/** Throws "no frame could be read from '<input>'" when a video or camera gave none (`input`: the
    --input given, "" for camera 0). */
void requireFrames(const InputSource& source, const FrameCounts& counts, const std::string& input);

/** The last lines on stderr, "<program>: ...": "resumed: N images already in <results>",
    `summary` (when a frame was done), a truncated video's warning, the failures. Returns the exit
    status: 2 with failures or a truncated video, else 0. */
int endOfRun(const InputSource& source, const FrameCounts& counts, bool stoppedEarly,
             const std::string& results, const std::string& summary);

} // namespace xcam_samples

#endif
