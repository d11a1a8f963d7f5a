// xcam_detect: the detections of an object detector on an image, a video, a folder or list of
// images or the webcam, each box with its label and score, and the map of one detection over the
// picture: D-RISE on images, Eigen-CAM on video and camera (live), or occlusion.
//
//   xcam_detect --model=samples/data/detector/detector_yolov5.onnx --width=128 --height=128
//               --scale=0.00392156862745098 --labels=samples/data/fashion_labels.txt
//               --input=samples/data/detector/scene_000.png --output=scene_000_drise.png --headless
//   xcam_detect --format=blazeface --model=blazeface_front_128.onnx --input=astronaut.png
//   xcam_detect ... --input=list.txt --shard=3/8 --results=part3.jsonl --resume --headless
//
// Built on samples/common, as xcam_cam: detect_options.cpp (parsing, labels), model_setup.cpp
// (the model; --format=blazeface plugs in samples/blazeface_decoder.hpp, a user's own decoder),
// detector_explainer.cpp (detections and maps), detection_record.cpp (records, drawing), and the
// shared input, output plan, results file, progress and window pieces.
// Exit status: 0 done, 1 error (one "xcam_detect: error: ..." line), 2 finished with failures.
#include "common/cli_main.hpp"
#include "common/detect_options.hpp"
#include "common/detector_explainer.hpp"
#include "common/display.hpp"
#include "common/frame_loop.hpp"
#include "common/input_source.hpp"
#include "common/labels.hpp"
#include "common/memory_budget.hpp"
#include "common/model_setup.hpp"
#include "common/progress.hpp"
#include "common/result_writers.hpp"
#include "common/results_log.hpp"
#include "common/run_plan.hpp"
#include "common/run_settings.hpp"
#include "common/window.hpp"

#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <memory>

namespace {

using namespace xcam_samples;

/** What one frame gave: its record, the map of the selected detection, the drawn picture. */
struct Explained
{
    DetectionResult result;
    cv::Mat map, drawn;
};

/** The method run: --method, else Eigen-CAM on a video or camera (live), D-RISE on files. */
int runMethod(const DetectOptions& o, const InputSource& source)
{
    if (o.method >= 0)
        return o.method;
    return source.isFiles() ? cv::xcam::CAM_METHOD_RISE : cv::xcam::CAM_METHOD_EIGENCAM;
}

struct Run;
void explainFrame(Run& r, const Frame& frame, Explained& e);
void writeResults(Run& r, const Frame& frame, Explained& e);
void interact(Run& r, const Frame& frame, Explained& e);

/** Everything a run holds, built in this order from the options; what it does with a frame. */
struct Run : FrameHandler
{
    explicit Run(const DetectOptions& options)
        : o(options), showWindow(windowWanted(o.run.headless)),
          source(o.run.input, false, o.run.shardIndex, o.run.shardCount), names(overlayNames(source)),
          planned(checkRunPlan(o.model, o.run, source, names, "--labels")), model(createDetector(o.model, formatName(o.format), o.nhwc, o.scoreThreshold, o.nmsThreshold)),
          labels(detectorLabels(o)), method(runMethod(o, source)),
          budgeted(o.model.width == 0 || checkRunMemory(cv::Size(o.model.width, o.model.height))),
          overlay(o.run.output, source.kind(), source.fps(), pending, names), progress(progressFor(source)),
          explainer(*model, method, o.methodParams)
    {
        checkRunOutputs(o.run, source);
        log = openResults(o.run, source, detectSettings(o, method), counts.skipped);
        if (showWindow)
            window.reset(new CamWindow("xcam: detections", source.kind() == InputKind::VIDEO ? source.fps() : 0));
    }

    /** The memory estimate for inputs of `size` against --max-memory (once per size). */
    bool checkRunMemory(cv::Size size)
    {
        if (size == checkedSize)
            return true;
        checkMemory(explainMemory(model->getNet(), method, o.methodParams, 3, size, 1), o.run.maxMemory,
                    o.methodParams.batchSize);
        checkedSize = size;
        return true;
    }

    const DetectOptions& o;
    bool showWindow;
    InputSource source;
    std::vector<std::string> names;
    bool planned;
    cv::Ptr<cv::xcam::DetectorModel> model;
    std::vector<std::string> labels;
    int method;
    cv::Size checkedSize;
    bool budgeted;
    PendingFiles pending;
    OverlayWriter overlay;
    std::unique_ptr<ResultsLog> log;
    Progress progress;
    DetectorExplainer explainer;
    std::unique_ptr<CamWindow> window;
    FrameCounts counts;
    int selected = 0;   // the detection whose map is drawn (keys n, p)
    Explained current;  // the frame being processed

    void explain(const Frame& frame) override { explainFrame(*this, frame, current = Explained()); }
    void deliver(const Frame& frame) override { writeResults(*this, frame, current); }
    void show(const Frame& frame) override { window ? interact(*this, frame, current) : void(); }
};

/** The map over the frame (the frame alone without a map), then every box on it. */
void draw(const Run& r, const cv::Mat& image, Explained& e)
{
    if (e.map.empty())
        e.drawn = toBGR(image).clone();
    else
        cv::xcam::applyCAMOverlay(image, e.map, e.drawn, r.o.overlay);
    drawDetections(e.drawn, e.result);
}

void explainFrame(Run& r, const Frame& frame, Explained& e)
{
    if (r.o.model.width == 0)  // the net takes the image's size
        r.checkRunMemory(frame.image.size());
    r.explainer.run(frame.image, r.labels, r.selected, e.result, e.map);
    draw(r, frame.image, e);
}

/** stdout: "rank class_id label score x y w h" per detection (folder, list: after the name). */
void printDetections(Run& r, const DetectionResult& result)
{
    if (!r.source.isFiles())
        return;
    const std::string prefix = stdoutPrefix(r.source, result.path);
    r.progress.clear();
    for (size_t i = 0; i < result.detections.size(); ++i)
    {
        const cv::xcam::Detection& d = result.detections[i];
        std::printf("%s%d %d %s %.4f %.1f %.1f %.1f %.1f\n", prefix.c_str(), (int)i + 1, d.classId,
                    result.labels[i].empty() ? "-" : result.labels[i].c_str(), d.score, d.box.x, d.box.y,
                    d.box.width, d.box.height);
    }
    std::fflush(stdout);
}

/** stdout, --output, --results. */
void writeResults(Run& r, const Frame& frame, Explained& e)
{
    e.result.path = frame.path;
    e.result.canonicalPath = r.source.isFiles() ? canonicalPath(frame.file) : std::string();
    printDetections(r, e.result);
    e.result.output = r.overlay.write(e.drawn, frame);
    if (r.log)
        r.log->append(toJsonLine(e.result));
}

std::string title(const Run& r, const Explained& e)
{
    const DetectionResult& d = e.result;
    std::string text = std::to_string(d.detections.size()) + " detection" + (d.detections.size() == 1 ? "" : "s");
    if (d.selected >= 0)
        text += cv::format(", map of #%d: %s %.2f", d.selected + 1,
                           (d.labels[d.selected].empty() ? "#" + std::to_string(d.detections[d.selected].classId)
                                                         : d.labels[d.selected]).c_str(),
                           d.detections[d.selected].score);
    return text + "  [" + cv::xcam::getCAMMethodName(r.explainer.method()) + "]";
}

std::string status(const Run& r)
{
    return cv::format("%.1f fps   keys: n/Tab next box, p previous, m method, s snapshot, q quit", r.counts.fps);
}

/** Keys n/Tab and p step through the boxes, m the methods; on a still the map is made again. */
void onKey(Run& r, int key, const Frame& frame, Explained& e)
{
    const int n = (int)e.result.detections.size();
    if (key == 'm')
        r.explainer.nextMethod();
    else if ((key == 'n' || key == '\t' || key == 'p') && n > 0)
        r.selected = (e.result.selected + (key == 'p' ? n - 1 : 1)) % n;
    else
        return;
    if (r.source.kind() != InputKind::IMAGE || n == 0)
        return;
    e.result.selected = r.selected;
    r.explainer.explainSelected(frame.image, e.result, e.map);
    draw(r, frame.image, e);
}

/** Shows the frame (boxes | map and boxes); keys as onKey, s saves, q/Esc/closing quits. */
void interact(Run& r, const Frame& frame, Explained& e)
{
    const bool still = r.source.kind() == InputKind::IMAGE;
    for (;;)
    {
        DetectionResult boxesOnly = e.result;
        cv::Mat plain = toBGR(frame.image).clone();
        drawDetections(plain, boxesOnly);
        const int key = r.window->show(figure(plain, e.drawn, title(r, e), status(r)), still);
        if (key == 'q')
            r.counts.quit = true;
        else if (key == 's')
            r.window->snapshot();
        else
            onKey(r, key, frame, e);
        if (!still || r.counts.quit)
            return;
    }
}

int runDetect(const DetectOptions& options)
{
    Run r(options);
    double seconds = 0;
    const bool more = runFrames(r.source, r.progress, options.run.frames, r, r.counts, r.window.get(), seconds);
    return finishRun(r.source, r.counts, r.overlay, r.pending, r.progress, more, seconds, options.run.input,
                     options.run.results,
                     "format " + formatName(options.format) + ", method " +
                         cv::xcam::getCAMMethodName(r.explainer.method()) + (options.method < 0 ? " (the default)" : ""));
}

} // namespace

int main(int argc, char** argv)
{
    cv::CommandLineParser parser(argc, argv, kDetectKeys);
    parser.about("Detections of an object detector (cv::xcam::DetectorModel) and the D-RISE, occlusion or "
                 "Eigen-CAM map of one of them, for an image, a video, a folder or list of images or the webcam.");
    DetectOptions options;
    return cliMain(
        "xcam_detect", argc, argv, parser, ArgumentRules{kDetectKeys, kDetectFlags, "input"},
        [&](std::string& error) { return parseDetectOptions(parser, options, error); },
        [&]() { return runDetect(options); });
}
