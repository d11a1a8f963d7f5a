#include "run_plan.hpp"

#include "output_names.hpp"
#include "pending_files.hpp"
#include "progress.hpp"

#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <filesystem>

namespace xcam_samples {

void planModelInputs(OutputPlan& plan, const ModelOptions& model, const char* labelsOption)
{
    plan.addInput("--model", model.model);
    plan.addInput("--config", model.config);
    plan.addInput(labelsOption, model.classes);
}

void planSourceInputs(OutputPlan& plan, const InputSource& source)
{
    if (source.kind() == InputKind::FOLDER)
        plan.addInputFolder("--input", source.input());
    else if (source.kind() != InputKind::CAMERA)
        plan.addInput("--input", source.input());
    if (source.kind() != InputKind::FOLDER && source.kind() != InputKind::LIST)
        return;
    for (const auto& file : source.filesToRead())
        plan.addInput(source.kind() == InputKind::LIST ? "the listed image" : "the input image", file.second);
}

void planOverlayFolder(OutputPlan& plan, const std::string& what, const std::string& folder,
                       const InputSource& source, const std::vector<std::string>& names)
{
    std::vector<std::string> mine, sources;
    for (const auto& file : source.filesToRead())
    {
        mine.push_back(names[file.first]);
        sources.push_back(source.allPaths()[file.first]);
    }
    plan.addOutputFolder(what, folder, mine, sources);
}

std::vector<std::string> overlayNames(const InputSource& source)
{
    const InputKind kind = source.kind();
    return kind == InputKind::FOLDER || kind == InputKind::LIST
               ? outputNames(source.allPaths(), kind == InputKind::LIST)
               : std::vector<std::string>();
}

bool checkRunPlan(const ModelOptions& model, const RunOptions& run, const InputSource& source,
                  const std::vector<std::string>& names, const char* labelsOption)
{
    OutputPlan plan;
    planModelInputs(plan, model, labelsOption);
    planSourceInputs(plan, source);
    if (!names.empty() && !run.output.empty())
        planOverlayFolder(plan, "--output", run.output, source, names);
    else if (!run.output.empty())
        plan.addOutput("--output", run.output);
    for (const auto& out : {std::make_pair("--save", run.save), std::make_pair("--montage", run.montage),
                            std::make_pair("--results", run.results)})
        if (!out.second.empty())
            plan.addOutput(out.first, out.second);
    plan.check();
    return true;
}

void checkRunOutputs(const RunOptions& run, const InputSource& source)
{
    if (!run.save.empty() && source.kind() != InputKind::IMAGE)
        CV_Error(cv::Error::StsBadArg, "--save needs a single image as --input");
    if (run.resume && !source.isFiles())
        CV_Error(cv::Error::StsBadArg, "--resume needs an image, a folder or a list file as --input "
                                       "(the frames of a video or camera are not resumed)");
    if (!run.save.empty())
        requireWritable(run.save);
    if (!run.montage.empty() && !cv::haveImageWriter(run.montage))
        CV_Error(cv::Error::StsBadArg, "--montage '" + run.montage + "' is not an image file name");
    if (!run.montage.empty())
        requireWritable(run.montage);
}

std::unique_ptr<ResultsLog> openResults(const RunOptions& run, InputSource& source,
                                        const std::string& settings, int& skipped)
{
    skipped = 0;
    if (run.results.empty())
        return nullptr;
    std::set<std::string> mine;  // without --resume this run's images are redone
    for (const auto& file : source.filesToRead())
        if (!run.resume)
            mine.insert(canonicalPath(file.second));
    std::unique_ptr<ResultsLog> log(new ResultsLog(run.results, settings, run.resume, mine));
    if (log->dropped() > 0)
        std::fprintf(stderr, "%s: warning: %s: dropped %d half-written line(s); their images are redone\n",
                     programName().c_str(), run.results.c_str(), log->dropped());
    skipped = source.skip(log->done());
    return log;
}

std::string stdoutPrefix(const InputSource& source, const std::string& path)
{
    const InputKind kind = source.kind();
    return kind == InputKind::FOLDER ? std::filesystem::path(path).filename().string() + "\t"
           : kind == InputKind::LIST ? path + "\t" : "";
}

Progress progressFor(const InputSource& source)
{
    const InputKind kind = source.kind();
    return Progress(kind == InputKind::FOLDER || kind == InputKind::LIST ? "files" : "frames", source.total(),
                    kind != InputKind::IMAGE && source.total() != 1);
}

bool truncatedVideo(const InputSource& source, bool stoppedEarly)
{
    const int declared = source.total();
    if (source.kind() != InputKind::VIDEO || stoppedEarly || declared <= 0 ||
        source.framesRead() >= declared)
        return false;
    std::fprintf(stderr, "%s: warning: read %d of the %d frames '%s' declares (truncated?)\n",
                 programName().c_str(), source.framesRead(), declared, source.input().c_str());
    return true;
}

} // namespace xcam_samples
