// The inputs every tool of samples/ adds to its OutputPlan: the model's files and what an
// InputSource reads (the input file or folder and every image of it).
#ifndef XCAM_SAMPLES_RUN_PLAN_HPP
#define XCAM_SAMPLES_RUN_PLAN_HPP

#include "input_source.hpp"
#include "options.hpp"
#include "output_plan.hpp"
#include "progress.hpp"
#include "results_log.hpp"

#include <memory>

namespace xcam_samples {

/** --model, --config and the labels file (named `labelsOption`) as inputs. */
void planModelInputs(OutputPlan& plan, const ModelOptions& model, const char* labelsOption = "--classes");

/** --input (the image, video or list file, or the folder) and every image this run reads. */
void planSourceInputs(OutputPlan& plan, const InputSource& source);

/** The overlays of a folder or list input under `folder` (`names`: outputNames() of every path
    of the input), for the files this run reads. */
void planOverlayFolder(OutputPlan& plan, const std::string& what, const std::string& folder,
                       const InputSource& source, const std::vector<std::string>& names);

/** The overlay names of a folder or list input (outputNames()), none for the others. */
std::vector<std::string> overlayNames(const InputSource& source);

/** Every file the run reads (the model's, the input's) and writes (--output: `names` for a folder
    or list, --save, --montage, --results), checked before anything is computed or written;
    throws cv::Exception with one line. Returns true. */
bool checkRunPlan(const ModelOptions& model, const RunOptions& run, const InputSource& source,
                  const std::vector<std::string>& names, const char* labelsOption = "--classes");

/** What the options ask of the input: --save a single image, --resume files; --save and
    --montage writable. Throws cv::Exception with one line. */
void checkRunOutputs(const RunOptions& run, const InputSource& source);

/** --results opened with `settings` (null when not asked), once everything else is checked:
    without --resume this run's images are redone; with it the files already recorded are
    skipped in `source` (their count in `skipped`). Warns of a dropped half-written line. */
std::unique_ptr<ResultsLog> openResults(const RunOptions& run, InputSource& source,
                                        const std::string& settings, int& skipped);

/** What a line on stdout about the image at `path` starts with: "" for a single image, its file
    name and a tab for a folder, the listed path and a tab for a list. */
std::string stdoutPrefix(const InputSource& source, const std::string& path);

/** The progress line of `source`: files or frames, off for a single image or frame. */
Progress progressFor(const InputSource& source);

/** Whether a video stopped before the frames its container declares (then a warning). */
bool truncatedVideo(const InputSource& source, bool stoppedEarly);

} // namespace xcam_samples

#endif
