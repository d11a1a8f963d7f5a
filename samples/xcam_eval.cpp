// xcam_eval: compares explanation methods on a set of images. For each image its top-1 class is
// explained by every method, and each map is scored by the metrics of opencv2/xcam/metrics.hpp:
// deletion and insertion AUC, Average Drop, Increase in Confidence and, with --boxes, the
// pointing game. Prints one markdown table row per method; --output also writes it as JSON/CSV.
// With --format the model is a detector (cv::xcam::DetectorModel): each image's detections (or,
// with --boxes, the best detection on each box) are explained by the detector methods and scored
// by the detector deletion / insertion AUC (D-RISE similarity) and the pointing game.
//
//   xcam_eval --model=m.onnx --width=224 --height=224 --scale=0.0078431 --mean="127.5 127.5 127.5"
//             --rgb --input=images/ --methods=gradcam,eigencam,scorecam --output=table.json
//   xcam_eval --model=detector_yolov5.onnx --format=yolov5 --width=128 --height=128
//             --scale=0.00392157 --input=scenes/ --boxes=boxes.csv --masks=1000
//
// The model options, the input and the output files come from samples/common (as in xcam_cam).
// Exit status: 0 done, 1 error (one "xcam_eval: error: ..." line), 2 images that could not be read.
#include "common/boxes.hpp"
#include "common/cli_main.hpp"
#include "common/eval_report.hpp"
#include "common/input_source.hpp"
#include "common/memory_budget.hpp"
#include "common/model_setup.hpp"
#include "common/numbers.hpp"
#include "common/options.hpp"
#include "common/output_plan.hpp"
#include "common/pending_files.hpp"
#include "common/progress.hpp"
#include "common/run_plan.hpp"

#include <opencv2/xcam.hpp>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

namespace {

using namespace xcam_samples;
namespace fs = std::filesystem;

const std::string kEvalKeys =
    "{ input i    |        | Image, folder of images, or list file (.txt or .lst: image paths, one a line, relative to the list's folder; # starts a comment). }"
    "{ methods    | all    | Comma-separated methods (" + camMethodNames() + "), or all: "
    "every method the net's head allows. }"
    "{ boxes      |        | CSV of object boxes, lines image,x,y,w,h,class (image: the file name; "
    "class is read but ignored: the top-1 class is explained): adds the pointing game. }"
    "{ tolerance  | 15     | Pointing game: pixels added on each side of a box, in [0, 65536]. }"
    "{ steps      | 30     | Deletion and insertion: number of steps. }"
    "{ format     |        | The model is a detector with this output layout: yolov5, yolov8, "
    "ssd or blazeface. Its detections are explained (with --boxes: the highest-scoring detection "
    "overlapping each box by IoU >= 0.5) by the detector methods (eigencam, occlusion, rise = "
    "D-RISE), scored by the D-RISE similarity of each deletion / insertion step. }"
    "{ nhwc       |        | Detector: feed the net NHWC blobs (nets converted from TF/TFLite; "
    "implied by blazeface). }"
    "{ thr        | 0.25   | Detector: score threshold of the detections, in [0, 1]. }"
    "{ nms        | 0.45   | Detector: IoU threshold of the class-wise non-maximum suppression, "
    "in [0, 1]. }"
    "{ output o   |        | Also write the table to this .json or .csv file (never an input). }";

const std::set<std::string> kEvalFlags = {"help", "rgb", "crop", "gray", "channel-softmax", "nhwc"};

struct EvalOptions
{
    ModelOptions model;
    cv::xcam::CAMMethodParams params;
    std::string input, boxes, output;
    std::vector<int> methods;  // empty: all the head allows
    int steps = 30, tolerance = 15;
    double maxMemory = 0;  // bytes; 0: the default
    std::string format;    // a detector's output layout; empty: a classifier
    bool nhwc = false;
    double thr = 0.25, nms = 0.45;
};

std::string trim(const std::string& text)
{
    const size_t a = text.find_first_not_of(" \t"), b = text.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : text.substr(a, b - a + 1);
}

/** "all" (empty list) or comma-separated method names, each known and named once. */
bool parseMethods(const std::string& text, std::vector<int>& methods, std::string& error)
{
    methods.clear();
    if (toLower(trim(text)) == "all")
        return true;
    for (size_t start = 0, end = 0; end != std::string::npos; start = end + 1)
    {
        end = text.find(',', start);
        const std::string name = trim(text.substr(start, end - start));
        if (name.empty())
        {
            error = "--methods has an empty name: give names separated by commas, or all";
            return false;
        }
        int m = -1;
        try
        {
            m = cv::xcam::parseCAMMethod(name);
        }
        catch (const cv::Exception& e)
        {
            error = "--methods: " + e.err;
            return false;
        }
        if (std::find(methods.begin(), methods.end(), m) != methods.end())
        {
            error = "--methods names " + cv::xcam::getCAMMethodName(m) + " twice";
            return false;
        }
        methods.push_back(m);
    }
    return true;
}

/** --format, --nhwc, --thr, --nms. */
bool parseDetectorOptions(const cv::CommandLineParser& parser, EvalOptions& o, std::string& error)
{
    o.format = toLower(trim(parser.get<std::string>("format")));
    const std::string nhwc = parser.has("nhwc") ? parser.get<std::string>("nhwc") : "false";
    if (!parseBool("nhwc", nhwc, o.nhwc, error) ||
        !parseDouble("thr", parser.get<std::string>("thr"), 0, 1, o.thr, error) ||
        !parseDouble("nms", parser.get<std::string>("nms"), 0, 1, o.nms, error))
        return false;
    if (!o.format.empty() && o.format != "blazeface")
    {
        try
        {
            cv::xcam::parseDetectionFormat(o.format);
        }
        catch (const cv::Exception&)
        {
            error = "--format '" + o.format + "' must be yolov5, yolov8, ssd or blazeface";
        }
    }
    if (o.format.empty() && o.nhwc)
        error = "--nhwc needs --format (it applies to detectors)";
    else if (!o.format.empty() && o.model.crop)
        error = "--crop cannot be used with --format (a detector stretches the image)";
    return error.empty();
}

bool parseEvalOptions(const cv::CommandLineParser& parser, EvalOptions& o, std::string& error)
{
    if (!parseModelOptions(parser, o.model, error) || !parseMethodParams(parser, o.params, error) ||
        !parseMethods(parser.get<std::string>("methods"), o.methods, error) ||
        !parseInt("steps", parser.get<std::string>("steps"), 1, 1 << 16, o.steps, error) ||
        !parseInt("tolerance", parser.get<std::string>("tolerance"), 0, 1 << 16, o.tolerance, error) ||
        !parseMaxMemory(parser, o.maxMemory, error) || !parseDetectorOptions(parser, o, error))
        return false;
    o.input = parser.get<std::string>("input");
    o.boxes = parser.get<std::string>("boxes");
    o.output = parser.get<std::string>("output");
    if (o.input.empty())
        error = "--input is required (an image, a folder of images or a list file)";
    else if (!o.output.empty() && !hasExtension(o.output, {".json", ".csv"}))
        error = "--output '" + o.output + "' must end in .json or .csv";
    else if (!o.boxes.empty() && o.model.crop)
        error = "--boxes cannot be used with --crop (the maps then cover the centre crop only)";
    return error.empty();
}

/** --boxes: its entries, and which of them belong to each image file name. */
struct BoxFile
{
    std::vector<std::string> images;
    std::vector<cv::Rect> boxes;
    std::map<std::string, std::vector<size_t>> byImage;
    int unmatched = 0, outside = 0;  // entries naming no input image; boxes outside their image
};

BoxFile readBoxFile(const std::string& path)
{
    BoxFile f;
    if (path.empty())
        return f;
    if (!fs::is_regular_file(path))
        CV_Error(cv::Error::StsObjectNotFound, "cannot read --boxes '" + path + "'");
    std::vector<int> classIds;  // ignored: every metric explains the top-1 class
    readBoxes(path, f.images, f.boxes, classIds);
    for (size_t i = 0; i < f.images.size(); ++i)
        f.byImage[fs::path(f.images[i]).filename().string()].push_back(i);
    return f;
}

/** One warning per box entry that names no image of the input. */
void warnUnmatchedBoxes(BoxFile& f, const std::string& path, const InputSource& source)
{
    std::set<std::string> names;
    for (const std::string& p : source.allPaths())
        names.insert(fs::path(p).filename().string());
    for (size_t i = 0; i < f.images.size(); ++i)
        if (!names.count(fs::path(f.images[i]).filename().string()))
        {
            std::fprintf(stderr, "xcam_eval: warning: --boxes '%s': box %d names '%s', no image of --input\n",
                         printable(path).c_str(), (int)i + 1, printable(f.images[i]).c_str());
            ++f.unmatched;
        }
}

/** Every file the run reads and writes, checked before anything is computed or written. */
bool checkPlan(const EvalOptions& o, const InputSource& source)
{
    OutputPlan plan;
    planModelInputs(plan, o.model);
    planSourceInputs(plan, source);
    plan.addInput("--boxes", o.boxes);
    if (!o.output.empty())
        plan.addOutput("--output", o.output);
    plan.check();
    return true;
}

/** Everything a run holds, built in this order from the options. */
struct Evaluation
{
    explicit Evaluation(const EvalOptions& options)
        : o(options), source(o.input, o.model.gray), planned(checkPlan(o, source)),
          boxes(readBoxFile(o.boxes)),
          model(o.format.empty() ? createModel(o.model) : cv::Ptr<cv::xcam::CAMModel>()),
          detector(o.format.empty() ? cv::Ptr<cv::xcam::DetectorModel>()
                                    : createDetector(o.model, o.format, o.nhwc, (float)o.thr,
                                                     (float)o.nms)),
          bar(std::make_shared<ProgressBar>("image x method")), progress(progressCallback(bar))
    {
        if (!source.isFiles())
            CV_Error(cv::Error::StsBadArg, "--input '" + o.input +
                                               "' must be an image, a folder of images or a list file");
        if (!o.output.empty())
            requireWritable(o.output);
        if (o.model.width > 0)
            checkEvalMemory(cv::Size(o.model.width, o.model.height));
        warnUnmatchedBoxes(boxes, o.boxes, source);
    }

    cv::dnn::Net net() const { return detector ? detector->getNet() : model->getNet(); }

    /** The largest estimate of the methods and of the metrics for inputs of `size` (not for
        NHWC detectors: the estimate shapes NCHW blobs). */
    void checkEvalMemory(cv::Size size)
    {
        if (size == checkedSize || (detector && (o.nhwc || o.format == "blazeface")))
            return;
        const int channels = o.model.gray ? 1 : 3;
        MemoryEstimate worst = maskedMemory(net(), channels, size, o.steps + 1, o.params.batchSize);
        for (const cv::xcam::CAMMethodInfo& info : cv::xcam::getCAMMethods())
        {
            const int m = info.method;
            if (detector && !info.detectors)
                continue;
            const MemoryEstimate e = explainMemory(net(), m, o.params, channels, size, 1);
            const bool asked = o.methods.empty() || std::count(o.methods.begin(), o.methods.end(), m);
            if (asked && e.total() > worst.total())
                worst = e;
        }
        checkMemory(worst, o.maxMemory, o.params.batchSize);
        checkedSize = size;
    }

    const EvalOptions& o;
    InputSource source;
    bool planned;
    BoxFile boxes;
    cv::Ptr<cv::xcam::CAMModel> model;        // a classifier, or
    cv::Ptr<cv::xcam::DetectorModel> detector;  // a detector (--format)
    std::vector<MethodScores> scores;  // one per method, once the first image is read
    std::shared_ptr<ProgressBar> bar;
    cv::xcam::CAMProgressCallback progress;
    std::unique_ptr<Ticker> ticker;    // once the methods are known: a line a second at least
    cv::Size checkedSize;
    int images = 0, failed = 0, pairs = 0, boxedImages = 0;
    int unexplainedBoxes = 0;  // detector: boxes no detection overlaps by IoU >= 0.5
};

/** Whether `m` runs on the model: the classifier's head allows it, or it works on detectors. */
bool runsOn(const Evaluation& e, const cv::xcam::CAMMethodInfo& m)
{
    return e.detector ? m.detectors : e.model->supportsMethod(m.method);
}

/** The methods to run, known once the model has seen an image (supportsMethod). */
void resolveMethods(Evaluation& e)
{
    std::vector<int> methods = e.o.methods, supported;
    std::string allowed;
    for (const cv::xcam::CAMMethodInfo& m : cv::xcam::getCAMMethods())
        if (runsOn(e, m))
        {
            supported.push_back(m.method);
            allowed += (allowed.empty() ? "" : ", ") + m.name;
        }
    if (methods.empty())
        methods = supported;
    for (int m : methods)
        if (!runsOn(e, cv::xcam::getCAMMethodInfo(m)))
            CV_Error(cv::Error::StsNotImplemented,
                     "--methods: " + cv::xcam::getCAMMethodName(m) +
                         (e.detector ? " does not run on a detector; methods for detectors: "
                                     : " does not run on this net's head; methods it allows: ") +
                         allowed);
    for (int m : methods)
        e.scores.push_back(MethodScores{m, (bool)e.detector});
    e.ticker.reset(new Ticker(*e.bar));
}

/** `b` clipped to `area`, in 64-bit arithmetic (a box file may hold any int); empty if apart. */
cv::Rect clipped(const cv::Rect& b, const cv::Rect& area)
{
    const int64_t x0 = std::max<int64_t>(b.x, area.x), y0 = std::max<int64_t>(b.y, area.y);
    const int64_t x1 = std::min<int64_t>((int64_t)b.x + b.width, (int64_t)area.x + area.width);
    const int64_t y1 = std::min<int64_t>((int64_t)b.y + b.height, (int64_t)area.y + area.height);
    return x1 > x0 && y1 > y0 ? cv::Rect((int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0)) : cv::Rect();
}

/** The boxes of the image at `path`, clipped to the image widened by the tolerance (what
    pointingGame can hit); a box outside the image is warned about and counted. */
std::vector<cv::Rect> boxesOf(Evaluation& e, const std::string& path, cv::Size size)
{
    std::vector<cv::Rect> kept;
    const auto found = e.boxes.byImage.find(fs::path(path).filename().string());
    if (found == e.boxes.byImage.end())
        return kept;
    const int t = e.o.tolerance;
    for (size_t i : found->second)
    {
        const cv::Rect& b = e.boxes.boxes[i];
        if (clipped(b, cv::Rect(cv::Point(), size)).empty())
        {
            ++e.boxes.outside;
            std::fprintf(stderr, "xcam_eval: warning: --boxes '%s': box %d (%d,%d %dx%d) lies outside "
                         "the %dx%d image '%s'\n", printable(e.o.boxes).c_str(), (int)i + 1, b.x, b.y,
                         b.width, b.height, size.width, size.height, printable(path).c_str());
        }
        const cv::Rect reach = clipped(b, cv::Rect(-t, -t, size.width + 2 * t, size.height + 2 * t));
        if (!reach.empty())
            kept.push_back(reach);
    }
    return kept;
}

/** One method on one image: the timed explain() of class `classId`, then its metrics. */
void scoreMethod(Evaluation& e, MethodScores& s, const cv::Mat& image, int classId,
                 const std::vector<cv::Rect>* boxes)
{
    cv::xcam::CAMModel& model = *e.model;
    std::vector<cv::Mat> maps;
    model.forward(image);  // untimed: the net back at batch 1 after the metrics' batches
    cv::TickMeter timer;
    timer.start();
    model.explain(image, s.method, std::vector<int>(1, classId), maps, e.o.params);
    timer.stop();
    const cv::Mat& map = maps[0];  // the metrics take explain's clean scores: no forward again
    ImageScores one;
    one.milliseconds = timer.getTimeMilli();
    const int batch = e.o.params.batchSize;
    one.deletion = cv::xcam::deletionAUC(e.model, image, map, classId, e.o.steps, batch);
    one.insertion = cv::xcam::insertionAUC(e.model, image, map, classId, e.o.steps, batch);
    cv::xcam::confidenceChange(e.model, image, map, classId, one.drop, one.increase);
    one.boxed = boxes != nullptr;
    for (size_t i = 0; boxes && i < boxes->size() && !one.hit; ++i)
        one.hit = cv::xcam::pointingGame(map, image.size(), (*boxes)[i], e.o.tolerance);
    s.add(one);
}

/** A detection to explain and, with --boxes, the box it was matched to. */
struct DetectionTarget
{
    cv::xcam::Detection detection;
    const cv::Rect* box = nullptr;
};

/** IoU of an item's box and a detection's box. */
double iou(const cv::Rect& item, const cv::Rect2f& box)
{
    const cv::Rect2f a(item);
    const double inter = (a & box).area(), all = a.area() + box.area() - inter;
    return all > 0 ? inter / all : 0.0;
}

/** The image's detections; with boxes, the highest-scoring detection overlapping each box by
    IoU >= 0.5 (a box with none is counted in unexplainedBoxes). */
std::vector<DetectionTarget> detectionTargets(Evaluation& e, const cv::Mat& image,
                                              const std::vector<cv::Rect>* boxes)
{
    std::vector<cv::xcam::Detection> found;  // highest score first
    e.detector->detect(image, found);
    std::vector<DetectionTarget> targets;
    for (size_t i = 0; !boxes && i < found.size(); ++i)
        targets.push_back(DetectionTarget{found[i], nullptr});
    for (size_t b = 0; boxes && b < boxes->size(); ++b)
    {
        const auto match = std::find_if(found.begin(), found.end(),
                                        [&](const cv::xcam::Detection& d) {
                                            return iou((*boxes)[b], d.box) >= 0.5;
                                        });
        if (match == found.end())
            ++e.unexplainedBoxes;
        else
            targets.push_back(DetectionTarget{*match, &(*boxes)[b]});
    }
    return targets;
}

/** One method on one image's detections: the timed explain() of all of them at once, then each
    map's detector metrics. */
void scoreDetections(Evaluation& e, MethodScores& s, const cv::Mat& image,
                     const std::vector<DetectionTarget>& targets)
{
    std::vector<cv::xcam::Detection> detections;
    for (const DetectionTarget& t : targets)
        detections.push_back(t.detection);
    std::vector<cv::Mat> maps;
    cv::TickMeter timer;
    timer.start();
    e.detector->explain(image, detections, s.method, maps, e.o.params);
    timer.stop();
    const int steps = e.o.steps, batch = e.o.params.batchSize;
    for (size_t i = 0; i < targets.size(); ++i)
    {
        ImageScores one;
        one.milliseconds = i == 0 ? timer.getTimeMilli() : 0;
        one.deletion = cv::xcam::deletionAUC(e.detector, image, maps[i], detections[i], steps, batch);
        one.insertion = cv::xcam::insertionAUC(e.detector, image, maps[i], detections[i], steps, batch);
        one.boxed = targets[i].box != nullptr;
        one.hit = one.boxed &&
                  cv::xcam::pointingGame(maps[i], image.size(), *targets[i].box, e.o.tolerance);
        s.add(one, i == 0);
    }
}

/** The progress bar over (image, method) pairs, `n` pairs more. */
void advance(Evaluation& e, int n)
{
    e.pairs += n;
    e.progress(e.pairs, e.source.total() * (int)e.scores.size());
}

void evaluateImage(Evaluation& e, const cv::Mat& image, const std::string& path)
{
    if (e.o.model.width == 0)  // the net takes the image's size
        e.checkEvalMemory(image.size());
    std::vector<int> ids;
    std::vector<float> probs;
    if (e.model)
    {
        e.model->forward(image);
        e.model->getTopK(1, ids, probs);
    }
    if (e.scores.empty())
        resolveMethods(e);
    const bool boxed = e.boxes.byImage.count(fs::path(path).filename().string()) > 0;
    const std::vector<cv::Rect> kept = boxesOf(e, path, image.size());
    const std::vector<cv::Rect>* boxes = boxed ? &kept : nullptr;  // none within reach: a miss
    e.boxedImages += boxed;
    const std::vector<DetectionTarget> targets =
        e.detector ? detectionTargets(e, image, boxes) : std::vector<DetectionTarget>();
    for (MethodScores& s : e.scores)
    {
        if (e.model)
            scoreMethod(e, s, image, ids[0], boxes);
        else if (!targets.empty())
            scoreDetections(e, s, image, targets);
        advance(e, 1);
    }
    ++e.images;
}

/** Writes the table to --output through a temporary name. */
void writeOutput(const Evaluation& e)
{
    if (e.o.output.empty())
        return;
    PendingFiles pending;
    const std::string temporary = pending.add(e.o.output);
    FILE* f = std::fopen(temporary.c_str(), "w");
    if (!f)
        CV_Error(cv::Error::StsError, "cannot write '" + e.o.output + "'");
    const std::string text = hasExtension(e.o.output, {".json"})
                                 ? toJson(e.o.model.model, e.images, e.scores)
                                 : toCsv(e.scores);
    const bool written = std::fputs(text.c_str(), f) >= 0;
    if (std::fclose(f) != 0 || !written)
        CV_Error(cv::Error::StsError, "cannot write '" + e.o.output + "'");
    pending.commit();
}

int finish(const Evaluation& e, double seconds)
{
    if (e.images == 0)
        CV_Error(cv::Error::StsError, "no image of '" + e.o.input + "' could be read");
    std::fputs(toMarkdown(e.scores).c_str(), stdout);
    std::fflush(stdout);
    writeOutput(e);
    if (e.detector)
        std::fprintf(stderr, "xcam_eval: %d images x %d methods in %.1f s (%d detections explained)\n",
                     e.images, (int)e.scores.size(), seconds, e.scores.empty() ? 0 : e.scores[0].maps);
    else
        std::fprintf(stderr, "xcam_eval: %d images x %d methods in %.1f s (top-1 class of each image)\n",
                     e.images, (int)e.scores.size(), seconds);
    if (e.unexplainedBoxes > 0)
        std::fprintf(stderr, "xcam_eval: warning: %d box(es) of '%s' overlap no detection by IoU >= 0.5: "
                     "not scored\n", e.unexplainedBoxes, printable(e.o.boxes).c_str());
    if (!e.o.boxes.empty() && e.boxedImages == 0)
        std::fprintf(stderr, "xcam_eval: warning: no image has a box in '%s': no pointing game\n",
                     e.o.boxes.c_str());
    if (e.boxes.unmatched + e.boxes.outside > 0)
        std::fprintf(stderr, "xcam_eval: warning: --boxes '%s': %d box(es) name no image of --input, "
                     "%d lie outside their image (misses)\n", printable(e.o.boxes).c_str(),
                     e.boxes.unmatched, e.boxes.outside);
    if (e.failed > 0)
        std::fprintf(stderr, "xcam_eval: finished with failures: %d of %d images could not be read\n",
                     e.failed, e.images + e.failed);
    return e.failed > 0 ? 2 : 0;
}

int runEval(const EvalOptions& options)
{
    Evaluation e(options);
    cv::TickMeter total;
    total.start();
    Frame frame;
    while (e.source.next(frame))
    {
        if (frame.failure.empty())
        {
            evaluateImage(e, frame.image, frame.path);
            continue;
        }
        if (e.source.kind() == InputKind::IMAGE)
            CV_Error(cv::Error::StsError, frame.failure);
        std::fprintf(stderr, "xcam_eval: warning: %s\n", frame.failure.c_str());
        ++e.failed;
        if (!e.scores.empty())
            advance(e, (int)e.scores.size());
    }
    total.stop();
    return finish(e, total.getTimeSec());
}

} // namespace

int main(int argc, char** argv)
{
    const std::string keys = std::string("{ help h | | Print this help. }") + kModelKeys + kEvalKeys +
                             kMethodParamKeys;
    cv::CommandLineParser parser(argc, argv, keys);
    parser.about("Compares explanation methods (cv::xcam) on a set of images: deletion / insertion "
                 "AUC, Average Drop, Increase in Confidence, pointing game, time per image.");
    EvalOptions options;
    return cliMain(
        "xcam_eval", argc, argv, parser, ArgumentRules{keys, kEvalFlags, "input"},
        [&](std::string& error) { return parseEvalOptions(parser, options, error); },
        [&]() { return runEval(options); });
}
