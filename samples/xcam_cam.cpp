// xcam_cam: the top classes of an image, a video, a folder or list of images or the webcam, and
// the Class Activation Map (or another explanation method's map) of one of them over the picture.
//
//   xcam_cam --preset=mobilenetv2 --model=mobilenetv2-7.onnx --classes=imagenet.txt   (webcam)
//   xcam_cam --model=m.onnx --width=224 --height=224 --scale=0.0078431 --mean="127.5 127.5 127.5"
//            --rgb --input=cat.png --output=cat_cam.png --save=cat.yml --headless
//   xcam_cam ... --input=list.txt --shard=3/8 --results=part3.jsonl --resume --headless
//
// The pieces live in samples/common: argv_check.cpp and options.cpp (parsing), model_setup.cpp
// (the model), input_source.cpp (where the input is read), output_names.cpp and output_plan.cpp
// (what is written where, checked first), memory_budget.cpp, explainer.cpp (the maps),
// result_writers.hpp (where the results are written), results_log.cpp and run_settings.cpp
// (--results), progress.cpp, display.cpp, window.cpp.
// Exit status: 0 done, 1 error (one "xcam_cam: error: ..." line), 2 finished with failures.
#include "common/cli_main.hpp"
#include "common/display.hpp"
#include "common/explainer.hpp"
#include "common/frame_loop.hpp"
#include "common/input_source.hpp"
#include "common/labels.hpp"
#include "common/memory_budget.hpp"
#include "common/model_setup.hpp"
#include "common/options.hpp"
#include "common/progress.hpp"
#include "common/result_writers.hpp"
#include "common/results_log.hpp"
#include "common/run_plan.hpp"
#include "common/run_settings.hpp"
#include "common/window.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <memory>

namespace {

using namespace xcam_samples;

/** What one frame gave: its record, the map shown and its overlay. */
struct Explained
{
    ImageResult result;
    cv::Mat cam, overlay;
    int camClass = -1;
};

struct Run;
void explainFrame(Run& r, const Frame& frame, Explained& e);
void writeResults(Run& r, const Frame& frame, Explained& e);
void interact(Run& r, const Frame& frame, Explained& e);

/** Everything a run holds, built in this order from the options; what it does with a frame. */
struct Run : FrameHandler
{
    explicit Run(const Options& options)
        : o(options), showWindow(windowWanted(o.run.headless)),
          source(o.run.input, o.model.gray, o.run.shardIndex, o.run.shardCount),
          names(overlayNames(source)), planned(checkRunPlan(o.model, o.run, source, names)), model(createModel(o.model)),
          budgeted(o.model.width == 0 || checkRunMemory(cv::Size(o.model.width, o.model.height))),
          overlay(o.run.output, source.kind(), source.fps(), pending, names),
          montage(o.run.montageMax),
          progress(progressFor(source)),
          explainer(*model, o.method, o.methodParams, o.topK, o.classId)
    {
        checkRunOutputs(o.run, source);
        log = openResults(o.run, source, camSettings(o), counts.skipped);
        if (showWindow)
            window.reset(new CamWindow("xcam: class activation map",  // a camera paces itself
                                       source.kind() == InputKind::VIDEO ? source.fps() : 0));
    }

    /** The memory estimate for inputs of `size` against --max-memory (once per size). */
    bool checkRunMemory(cv::Size size)
    {
        if (size == checkedSize)
            return true;
        MemoryEstimate e = explainMemory(model->getNet(), o.method, o.methodParams, o.model.gray ? 1 : 3,
                                         size, 1);
        if (!o.run.montage.empty())
            e.add("montage", Montage::memoryFor(std::min(o.run.montageMax, std::max(1, source.total()))));
        checkMemory(e, o.run.maxMemory, o.methodParams.batchSize);
        checkedSize = size;
        return true;
    }

    const Options& o;
    bool showWindow;
    InputSource source;
    std::vector<std::string> names;
    bool planned;
    cv::Ptr<cv::xcam::CAMModel> model;
    cv::Size checkedSize;  // the input size the memory was checked for
    bool budgeted;
    PendingFiles pending;
    OverlayWriter overlay;
    std::unique_ptr<ResultsLog> log;
    Montage montage;
    Progress progress;
    Explainer explainer;
    std::unique_ptr<CamWindow> window;
    FrameCounts counts;
    int rank = 0;
    Explained current;  // the frame being processed

    void explain(const Frame& frame) override { explainFrame(*this, frame, current = Explained()); }
    void deliver(const Frame& frame) override { writeResults(*this, frame, current); }
    void show(const Frame& frame) override { window ? interact(*this, frame, current) : void(); }
};

void explainFrame(Run& r, const Frame& frame, Explained& e)
{
    if (r.o.model.width == 0)  // the net takes the image's size
        r.checkRunMemory(frame.image.size());
    r.explainer.run(frame.image, r.rank, e.result, e.cam, e.camClass);
    e.result.path = frame.path;
    e.result.canonicalPath = r.source.isFiles() ? canonicalPath(frame.file) : std::string();
    cv::xcam::applyCAMOverlay(frame.image, e.cam, e.overlay, r.o.overlay);
}

/** stdout: "rank id label probability" per class (folder: after the file name and a tab). */
void printTopK(Run& r, const ImageResult& result)
{
    const InputKind kind = r.source.kind();
    if (kind == InputKind::VIDEO || kind == InputKind::CAMERA)
        return;
    const std::string prefix = stdoutPrefix(r.source, result.path);
    r.progress.clear();
    for (size_t i = 0; i < result.classIds.size(); ++i)
        std::printf("%s%d %d %s %.4f\n", prefix.c_str(), (int)i + 1, result.classIds[i],
                    result.labels[i].empty() ? "-" : result.labels[i].c_str(), result.probabilities[i]);
    std::fflush(stdout);
}

void writeResults(Run& r, const Frame& frame, Explained& e)
{
    printTopK(r, e.result);
    e.result.output = r.overlay.write(e.overlay, frame);
    if (!r.o.run.save.empty())
        writeSaveRecord(r.pending.add(r.o.run.save), e.result, r.model->getFCLayer(), e.camClass, e.cam);
    if (r.log)
        r.log->append(toJsonLine(e.result));
    if (!r.o.run.montage.empty())
        r.montage.add(frame.image, e.cam, r.o.overlay, *r.model, e.result);
}

std::string status(const Run& r, const Explained& e)
{
    static const char* ranks[] = {"1st", "2nd", "3rd"};
    char text[200];
    std::snprintf(text, sizeof(text), "map: %s (class %d), %s  %.1f fps   keys: 1/2/3 map, m method, "
                  "s snapshot, q quit", r.o.classId >= 0 ? "--class" : ranks[r.rank], e.camClass,
                  cv::xcam::getCAMMethodName(r.explainer.method()).c_str(), r.counts.fps);
    return text;
}

/** Shows the frame; keys 1/2/3 and m explain it again, s saves, q/Esc/closing quits. */
void interact(Run& r, const Frame& frame, Explained& e)
{
    const bool still = r.source.kind() == InputKind::IMAGE;
    for (;;)
    {
        const std::string title = caption(*r.model, e.result.classIds, e.result.probabilities) +
                                  "  [" + cv::xcam::getCAMMethodName(r.explainer.method()) + "]";
        const int key = r.window->show(figure(frame.image, e.overlay, title, status(r, e)), still);
        if (key == 'q')
            r.counts.quit = true;
        else if (key == 's')
            r.window->snapshot();
        else if (key == 'm')
            r.explainer.nextFastMethod();
        else if (key >= '1' && key <= '3')
            r.rank = key - '1';
        if ((key == 'm' || (key >= '1' && key <= '3')) && still)
            explainFrame(r, frame, e);
        if (!still || r.counts.quit)
            return;
    }
}

/** "fc layer X", "class-map head", or the score layer of any other head; then the method used
    ("method gradcam++", "method gradcam (the default)"). */
std::string headSummary(const Run& r)
{
    const cv::xcam::CAMModel& model = *r.model;
    const std::string method = "method " + cv::xcam::getCAMMethodName(r.explainer.method()) +
                               (r.o.method < 0 ? " (the default)" : "");
    if (model.isClassMapMode())
        return "class-map head, " + method;
    if (!model.getFCLayer().empty())
        return "fc layer " + model.getFCLayer() + ", " + method;
    return "head up to " + model.getScoreLayer() + " (no CAM head), " + method;
}

/** --montage, written at the end; its line. */
std::string writeMontage(Run& r)
{
    if (r.montage.size() == 0)
        return "";
    r.montage.write(r.o.run.montage);
    return cv::format("wrote montage %s (%d images%s)", r.o.run.montage.c_str(), r.montage.size(),
                      r.montage.offered() > r.montage.size()
                          ? cv::format(": the first of %d; --montage-max sets how many", r.montage.offered()).c_str()
                          : "");
}

int runCam(const Options& options)
{
    Run r(options);
    double seconds = 0;
    const bool more = runFrames(r.source, r.progress, options.run.frames, r, r.counts, r.window.get(), seconds);
    return finishRun(r.source, r.counts, r.overlay, r.pending, r.progress, more, seconds, options.run.input,
                     options.run.results,
                     r.counts.done > 0 ? "feature layer " + r.model->getFeatureLayer() + ", " + headSummary(r) : "",
                     [&]() { return writeMontage(r); });
}

} // namespace

int main(int argc, char** argv)
{
    cv::CommandLineParser parser(argc, argv, kCamKeys);
    parser.about("Top classes and their Class Activation Map (cv::xcam) for an image, a video, a "
                 "folder or list of images or the webcam.");
    Options options;
    return cliMain(
        "xcam_cam", argc, argv, parser, ArgumentRules{kCamKeys, kCamFlags, "input"},
        [&](std::string& error) { return parseOptions(parser, options, error); },
        [&]() { return runCam(options); });
}
