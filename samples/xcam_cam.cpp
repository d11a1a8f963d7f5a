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

/** Everything a run holds, built in this order from the options. */
struct Run
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
        log = openResults(o.run, source, camSettings(o), skipped);
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
    int done = 0, failed = 0, skipped = 0, rank = 0;
    bool quit = false;
    double fps = 0;
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
                  cv::xcam::getCAMMethodName(r.explainer.method()).c_str(), r.fps);
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
            r.quit = true;
        else if (key == 's')
            r.window->snapshot();
        else if (key == 'm')
            r.explainer.nextFastMethod();
        else if (key >= '1' && key <= '3')
            r.rank = key - '1';
        if ((key == 'm' || (key >= '1' && key <= '3')) && still)
            explainFrame(r, frame, e);
        if (!still || r.quit)
            return;
    }
}

/** One frame: a file that could not be read is a warning (a single image: an error). */
void processFrame(Run& r, const Frame& frame)
{
    if (!frame.failure.empty())
    {
        if (r.source.kind() == InputKind::IMAGE)
            CV_Error(cv::Error::StsError, frame.failure);
        r.progress.clear();
        std::fprintf(stderr, "xcam_cam: warning: %s\n", frame.failure.c_str());
        ++r.failed;
        return;
    }
    cv::TickMeter tm;
    tm.start();
    Explained e;
    explainFrame(r, frame, e);
    tm.stop();
    r.fps = r.fps == 0 ? 1.0 / tm.getTimeSec() : 0.9 * r.fps + 0.1 / tm.getTimeSec();
    writeResults(r, frame, e);
    ++r.done;
    r.progress.update(r.done + r.failed, r.fps);
    if (r.window)
        interact(r, frame, e);
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

int finish(Run& r, bool stoppedEarly, double seconds)
{
    if (r.done + r.failed == 0 && !r.source.isFiles())
        CV_Error(cv::Error::StsError, "no frame could be read from '" +
                                          (r.o.run.input.empty() ? std::string("0") : r.o.run.input) + "'");
    r.overlay.finish();
    if (r.montage.size() > 0)
        r.montage.write(r.o.run.montage);
    r.pending.commit();
    r.progress.finish(r.done + r.failed, seconds);
    if (r.montage.size() > 0)
        std::fprintf(stderr, "xcam_cam: wrote montage %s (%d images%s)\n", r.o.run.montage.c_str(), r.montage.size(),
                     r.montage.offered() > r.montage.size()
                         ? cv::format(": the first of %d; --montage-max sets how many", r.montage.offered()).c_str()
                         : "");
    if (r.skipped > 0)
        std::fprintf(stderr, "xcam_cam: resumed: %d images already in %s\n", r.skipped, r.o.run.results.c_str());
    if (r.done > 0)
        std::fprintf(stderr, "xcam_cam: feature layer %s, %s\n", r.model->getFeatureLayer().c_str(),
                     headSummary(r).c_str());
    const bool truncated = truncatedVideo(r.source, stoppedEarly);
    if (r.failed > 0)
        std::fprintf(stderr, "xcam_cam: finished with failures: %d of %d images could not be read\n",
                     r.failed, r.done + r.failed);
    return r.failed > 0 || truncated ? 2 : 0;
}

int runCam(const Options& options)
{
    Run r(options);
    cv::TickMeter total;
    total.start();
    Frame frame;
    bool more = true;
    while (!r.quit && (options.run.frames == 0 || r.done < options.run.frames) &&
           (more = r.source.next(frame)))
        processFrame(r, frame);
    total.stop();
    if (r.window && !more && !r.quit && r.source.kind() == InputKind::VIDEO)
        r.window->hold();  // the last frame stays up until a key or the window is closed
    return finish(r, more, total.getTimeSec());
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
