// parseOptions: the command line to an Options value, strictly (see options.hpp).
#include "numbers.hpp"
#include "options.hpp"

#include <opencv2/dnn.hpp>

#include <climits>

namespace xcam_samples {

// The model options and the method parameters, shared with xcam_eval (kModelKeys, kMethodParamKeys).
// The net's files, preprocessing and backend: every tool that runs a net (xcam_detect too).
#define XCAM_NET_KEYS \
    "{ model m    |        | Model weights (.onnx, .caffemodel, .pb, ...). }" \
    "{ config c   |        | Model description when the format needs one (.prototxt, ...). }" \
    "{ width      |        | Network input width (default: the image width). }" \
    "{ height     |        | Network input height (default: the image height). }" \
    "{ scale      |        | Multiply the pixels by this after subtracting the mean (default 1). }" \
    "{ mean       |        | Mean to subtract, space separated, one value per channel in the net's order (B G R; R G B with --rgb; one value for grey input, xcam_cam's --gray), e.g. \"104 117 123\". }" \
    "{ rgb        |        | Swap the R and B channels (the net was trained on RGB). }" \
    "{ backend    | 0      | cv::dnn backend id (0: automatic). }" \
    "{ target     | 0      | cv::dnn target id (0: CPU). }"

#define XCAM_MODEL_KEYS \
    "{ preset     |        | squeezenet, googlenet, resnet18 or mobilenetv2: preprocessing and layers " \
    "of their usual public releases (see samples/download_models.sh); options given override it. }" \
    XCAM_NET_KEYS \
    "{ classes    |        | Text file with class names, one per line, in output order. }" \
    "{ crop       |        | Resize keeping the aspect ratio and crop the centre. }" \
    "{ gray       | false  | Feed the net grey images (nets with one input channel, e.g. samples/data). }" \
    "{ feature    |        | Feature layer (default: the layer feeding the last global pooling). }" \
    "{ fc         |        | Fully-connected layer (default: the first one after that pooling). }"

// Where the frames come from and where the results go (xcam_detect too).
#define XCAM_RUN_KEYS \
    "{ input i    |        | Image, video file, folder of images, list file (.txt or .lst: image paths, one a line, relative to the list's folder; # starts a comment) or camera index (default: camera 0). }" \
    "{ output o   |        | Image: overlay PNG. Folder/list: output folder (a.jpg gives a.png; sources sharing a stem keep their extension, a.jpg.png; a list's sub-folders are kept, '..' written @up and a leading '@' doubled). Video/camera: MJPG .avi file. Never an input file. }" \
    "{ results    |        | JSON Lines file: a header line with the settings, then one object per image, appended and flushed per image (shards may share it). }" \
    "{ shard      |        | i/n: only every n-th image starting at the i-th (sorted paths). }" \
    "{ resume     | false  | Skip the images already in --results (a killed run continues); the settings must be the same. }" \
    "{ headless   | false  | No window (servers, CI); implied when there is no display. }" \
    "{ frames     | 0      | Stop after this many frames (0: all). }"

// How the map is drawn over the image (applyCAMOverlay).
#define XCAM_OVERLAY_KEYS \
    "{ style      | seed   | Overlay: seed (the blog's figure) or blend (alpha blend of a colormap). }" \
    "{ alpha      | 0.5    | Blend style: weight of the colour. }" \
    "{ threshold  | 0.2    | Normalized map values below it are not coloured. }" \
    "{ colormap   | jet    | Colormap name (jet, turbo, viridis, hot, ...) or cv::ColormapTypes number. }"

// The parameters of the perturbation methods (occlusion, RISE; also on detectors) and --max-memory.
#define XCAM_PERTURBATION_KEYS \
    "{ batch      |        | Methods: masked inputs or head re-evaluations per batch (default 32). }" \
    "{ patch      |        | Occlusion: patch side in input pixels (0: automatic). }" \
    "{ stride     |        | Occlusion: step between patches in input pixels (0: automatic). }" \
    "{ masks      |        | RISE: number of random masks (default 4000). }" \
    "{ grid       |        | RISE: cells per side of the random grid; 0 (default): 8, 16 for D-RISE. }" \
    "{ keep       |        | RISE: probability that a grid cell is kept, in [1e-6, 1] (default 0.5). }" \
    "{ seed       |        | RISE: random seed (default 0). }" \
    "{ max-memory |        | Refuse a run whose estimated memory exceeds this: MiB, or with K, M, G, T (default: half of the physical memory, or of the cgroup limit when lower). }"

#define XCAM_METHOD_PARAM_KEYS \
    XCAM_PERTURBATION_KEYS \
    "{ max-channels |      | Score-CAM: only the N channels of highest variance (0: all). }" \
    "{ channel-softmax |   | Score-CAM: pytorch-grad-cam's softmax over channels. }" \
    "{ finer-alpha |       | Finer-CAM: comparison strength (default 1). }" \
    "{ finer-classes |     | Finer-CAM: how many nearest classes are compared (default 3). }" \
    "{ kernel     |        | KPCA-CAM: sigmoid (default), linear, rbf, poly or cosine. }" \
    "{ kernel-gamma |      | KPCA-CAM: the kernel's gamma (0: 1/channels, the default). }"

const char* const kModelKeys = XCAM_MODEL_KEYS;
const char* const kNetKeys = XCAM_NET_KEYS;
const char* const kRunKeys = XCAM_RUN_KEYS;
const char* const kOverlayKeys = XCAM_OVERLAY_KEYS;
const char* const kMethodParamKeys = XCAM_METHOD_PARAM_KEYS;
const char* const kPerturbationKeys = XCAM_PERTURBATION_KEYS;

std::string kernelName(int kernel)
{
    const char* const names[] = {"sigmoid", "linear", "rbf", "poly", "cosine"};  // CAMKernel order
    return kernel >= 0 && kernel < 5 ? names[kernel] : std::to_string(kernel);
}

std::string camMethodNames()
{
    std::string names;
    for (const cv::xcam::CAMMethodInfo& m : cv::xcam::getCAMMethods())
        names += (names.empty() ? "" : ", ") + m.name;
    return names;
}

namespace {

/** --method's help: auto, then one line per method of the table. */
std::string methodKey()
{
    std::string help = "{ method     | auto   | Explanation method: auto (the model's default: CAM "
                       "where the head allows it, else Grad-CAM), or one of";
    for (const cv::xcam::CAMMethodInfo& m : cv::xcam::getCAMMethods())
        help += "\n\t\t  " + m.name + std::string(m.name.size() < 13 ? 13 - m.name.size() : 1, ' ') +
                m.description;
    return help + " }";
}

} // namespace

const std::string kCamKeys =
    "{ help h     |        | Print this help. }"
    XCAM_MODEL_KEYS
    XCAM_RUN_KEYS
    + methodKey() +
    XCAM_METHOD_PARAM_KEYS
    "{ topk       | 3      | How many classes to print. }"
    "{ class      |        | Map of this class id instead of the top-1's. }"
    "{ bias       | ignore | FC bias in the map: ignore, or spread (mean of the map = logit). }"
    "{ save       |        | Single image: write class_ids, probabilities, logits, labels, method, layers and the raw map (.yml/.yaml/.json/.xml, optionally .gz). }"
    XCAM_OVERLAY_KEYS
    "{ montage    |        | Also write one PNG with every image (upscaled), its overlay and its top-3 (the first --montage-max images). }"
    "{ montage-max | 100  | At most this many images in the montage. }";

const std::set<std::string> kCamFlags = {"help", "rgb", "crop", "gray", "channel-softmax", "resume",
                                         "headless"};

namespace {

/** Reads one option when it has a value (given, or a non-empty default); strict. */
struct Reader
{
    const cv::CommandLineParser& parser;
    std::string& error;

    bool has(const char* key) const { return parser.has(key); }
    std::string text(const char* key) const { return parser.get<std::string>(key); }
    bool str(const char* key, std::string& v) const
    {
        if (has(key))
            v = text(key);
        return true;
    }
    bool integer(const char* key, int lo, int hi, int& v) const
    {
        return !has(key) || parseInt(key, text(key), lo, hi, v, error);
    }
    bool real(const char* key, double lo, double hi, double& v) const
    {
        return !has(key) || parseDouble(key, text(key), lo, hi, v, error);
    }
    bool real(const char* key, double lo, double hi, float& v) const
    {
        double d = v;
        return real(key, lo, hi, d) && ((v = (float)d), true);
    }
    bool flag(const char* key, bool& v) const { return !has(key) || parseBool(key, text(key), v, error); }
    bool scalar(const char* key, cv::Scalar& v, int& count) const
    {
        return !has(key) || parseScalar(key, text(key), v, error, &count);
    }
};

bool fail(std::string& error, const std::string& message)
{
    error = message;
    return false;
}

/** --mean needs one value per channel fed to the net: 3 for colour images, 1 with --gray
    (blobFromImage would take 0 for the missing ones). */
bool checkMeanCount(const Reader& r, const ModelOptions& m, int count)
{
    const int channels = m.gray ? 1 : 3;
    if (count == 0 || count == channels)
        return true;
    return fail(r.error, "--mean '" + printable(r.text("mean")) + "' has " + std::to_string(count) +
                             " value" + (count > 1 ? "s" : "") + " but the net is fed " +
                             (m.gray ? "1-channel (grey, --gray) images: give 1 value"
                                     : "3-channel (colour) images: give 3 values, e.g. \"127.5 127.5 127.5\""));
}

/** The kNetKeys options (over what `m` holds: a preset's values); checks --mean's count against
    m.gray, --model given, --width and --height together. */
bool parseNet(const Reader& r, ModelOptions& m)
{
    int meanCount = 0;
    if (!(r.str("model", m.model) && r.str("config", m.config) &&
          r.integer("width", 1, 1 << 16, m.width) && r.integer("height", 1, 1 << 16, m.height) &&
          r.real("scale", -1e30, 1e30, m.scale) && r.scalar("mean", m.mean, meanCount) &&
          r.flag("rgb", m.rgb) && r.integer("backend", 0, cv::dnn::DNN_BACKEND_TIMVX, m.backend) &&
          r.integer("target", 0, cv::dnn::DNN_TARGET_NPU, m.target) && checkMeanCount(r, m, meanCount)))
        return false;
    if (m.model.empty())
        return fail(r.error, "--model is required");
    if ((m.width == 0) != (m.height == 0))
        return fail(r.error, "--width and --height must be given together (or neither: the image size)");
    return true;
}

bool parseModel(const Reader& r, ModelOptions& m)
{
    if (r.has("preset") && !applyPreset(r.text("preset"), m, r.error))
        return false;
    return r.str("classes", m.classes) && r.str("feature", m.feature) && r.str("fc", m.fc) &&
           r.flag("crop", m.crop) && r.flag("gray", m.gray) && parseNet(r, m);
}

bool parseBias(const Reader& r, ModelOptions& m)
{
    const std::string bias = r.text("bias");
    if (bias != "ignore" && bias != "spread")
        return fail(r.error, "--bias must be 'ignore' or 'spread'");
    m.biasMode = bias == "spread" ? cv::xcam::CAM_BIAS_SPREAD : cv::xcam::CAM_BIAS_IGNORE;
    return true;
}

bool parseShard(const std::string& text, RunOptions& run, std::string& error)
{
    const size_t slash = text.find('/');
    std::string ignored;
    if (slash == std::string::npos ||
        !parseInt("shard", text.substr(slash + 1), 1, INT_MAX, run.shardCount, ignored) ||
        !parseInt("shard", text.substr(0, slash), 0, run.shardCount - 1, run.shardIndex, ignored))
        return fail(error, "--shard '" + printable(text) + "' must be i/n with 0 <= i < n (e.g. 0/4)");
    return true;
}

bool hasSaveExtension(const std::string& path)
{
    std::string p = toLower(path);
    if (p.size() > 3 && p.compare(p.size() - 3, 3, ".gz") == 0)
        p.resize(p.size() - 3);
    for (const char* ext : {".yml", ".yaml", ".json", ".xml"})
    {
        const std::string e = ext;
        if (p.size() > e.size() && p.compare(p.size() - e.size(), e.size(), e) == 0)
            return true;
    }
    return false;
}

bool parseRun(const Reader& r, RunOptions& run)
{
    if (!(r.str("input", run.input) && r.str("output", run.output) && r.str("results", run.results) &&
          r.flag("resume", run.resume) && r.flag("headless", run.headless) &&
          r.integer("frames", 0, INT_MAX, run.frames) && parseMaxMemory(r.parser, run.maxMemory, r.error)))
        return false;
    if (r.has("shard") && !parseShard(r.text("shard"), run, r.error))
        return false;
    if (run.resume && run.results.empty())
        return fail(r.error, "--resume needs --results=FILE.jsonl");
    return true;
}

/** xcam_cam's own outputs: --save (a record of one image) and --montage. */
bool parseCamOutputs(const Reader& r, RunOptions& run)
{
    if (!(r.str("save", run.save) && r.str("montage", run.montage) &&
          r.integer("montage-max", 1, 100000, run.montageMax)))
        return false;
    if (!run.save.empty() && !hasSaveExtension(run.save))
        return fail(r.error, "--save '" + printable(run.save) +
                                 "' must end in .yml, .yaml, .json or .xml (optionally .gz)");
    return true;
}

bool parseOverlay(const Reader& r, cv::xcam::CAMOverlayParams& p)
{
    const std::string style = r.text("style");
    if (style != "seed" && style != "blend")
        return fail(r.error, "--style must be 'seed' or 'blend'");
    p.style = style == "seed" ? cv::xcam::CAM_OVERLAY_SEED : cv::xcam::CAM_OVERLAY_BLEND;
    p.colormap = parseColormap(r.text("colormap"));
    if (p.colormap < 0)
        return fail(r.error, "--colormap '" + printable(r.text("colormap")) +
                                 "' is not a cv::ColormapTypes name or number");
    return r.real("alpha", 0, 1, p.alpha) && r.real("threshold", 0, 1, p.threshold);
}

bool parseKernel(const Reader& r, int& kernel)
{
    if (!r.has("kernel"))
        return true;
    for (int k = cv::xcam::CAM_KERNEL_SIGMOID; k <= cv::xcam::CAM_KERNEL_COSINE; ++k)
        if (toLower(r.text("kernel")) == kernelName(k))
        {
            kernel = k;
            return true;
        }
    return fail(r.error, "--kernel '" + printable(r.text("kernel")) +
                             "' must be sigmoid, linear, rbf, poly or cosine");
}

bool parsePerturbation(const Reader& r, cv::xcam::CAMMethodParams& p)
{
    return r.integer("batch", 1, 1 << 20, p.batchSize) && r.integer("patch", 0, 1 << 16, p.patchSize) &&
           r.integer("stride", 0, 1 << 16, p.stride) && r.integer("masks", 1, 1 << 24, p.numMasks) &&
           r.integer("grid", 0, 1 << 12, p.gridSize) && r.real("keep", 1e-6, 1, p.keepProbability) &&
           r.integer("seed", 0, INT_MAX, p.seed);
}

bool parseParams(const Reader& r, cv::xcam::CAMMethodParams& p)
{
    return parsePerturbation(r, p) && r.integer("max-channels", 0, INT_MAX, p.maxChannels) &&
           r.flag("channel-softmax", p.channelSoftmax) && r.real("finer-alpha", -1e6, 1e6, p.finerAlpha) &&
           r.integer("finer-classes", 1, 1 << 20, p.finerClasses) && parseKernel(r, p.kpcaKernel) &&
           r.real("kernel-gamma", 0, 1e6, p.kpcaGamma);
}

bool parseMethod(const Reader& r, int& method, cv::xcam::CAMMethodParams& p)
{
    const std::string name = r.text("method");
    method = -1;
    if (toLower(name) != "auto")
    {
        try
        {
            method = cv::xcam::parseCAMMethod(name);
        }
        catch (const cv::Exception&)
        {
            return fail(r.error, "--method '" + printable(name) + "' is unknown; methods: auto, " +
                                     camMethodNames());
        }
    }
    return parseParams(r, p);
}

} // namespace

int parseColormap(const std::string& text)
{
    static const char* names[] = {"autumn", "bone",    "jet",      "winter",  "rainbow", "ocean",
                                  "summer", "spring",  "cool",     "hsv",     "pink",    "hot",
                                  "parula", "magma",   "inferno",  "plasma",  "viridis", "cividis",
                                  "twilight", "twilight_shifted", "turbo", "deepgreen"};
    const std::string lower = toLower(text);
    for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); ++i)
        if (lower == names[i] || lower == std::to_string(i))
            return i;
    return -1;
}

bool parseOptions(const cv::CommandLineParser& parser, Options& options, std::string& error)
{
    Options o;
    const Reader r{parser, error};
    if (!(parseModel(r, o.model) && parseBias(r, o.model) && parseRun(r, o.run) && parseCamOutputs(r, o.run) &&
          parseOverlay(r, o.overlay) &&
          parseMethod(r, o.method, o.methodParams) && r.integer("topk", 1, INT_MAX, o.topK) &&
          r.integer("class", 0, INT_MAX, o.classId)))
        return false;
    options = o;
    return true;
}

bool parseModelOptions(const cv::CommandLineParser& parser, ModelOptions& model, std::string& error)
{
    ModelOptions m;
    if (!parseModel(Reader{parser, error}, m))
        return false;
    model = m;
    return true;
}

bool parseNetOptions(const cv::CommandLineParser& parser, ModelOptions& model, std::string& error)
{
    ModelOptions m = model;
    if (!parseNet(Reader{parser, error}, m))
        return false;
    model = m;
    return true;
}

bool parseRunOptions(const cv::CommandLineParser& parser, RunOptions& run, std::string& error)
{
    RunOptions r;
    if (!parseRun(Reader{parser, error}, r))
        return false;
    run = r;
    return true;
}

bool parseOverlayOptions(const cv::CommandLineParser& parser, cv::xcam::CAMOverlayParams& params,
                         std::string& error)
{
    cv::xcam::CAMOverlayParams p;
    if (!parseOverlay(Reader{parser, error}, p))
        return false;
    params = p;
    return true;
}

bool parseMaxMemory(const cv::CommandLineParser& parser, double& bytes, std::string& error)
{
    return !parser.has("max-memory") ||
           parseByteSize("max-memory", parser.get<std::string>("max-memory"), bytes, error);
}

bool parseMethodParams(const cv::CommandLineParser& parser, cv::xcam::CAMMethodParams& params,
                       std::string& error, bool perturbationOnly)
{
    cv::xcam::CAMMethodParams p;
    const Reader r{parser, error};
    if (!(perturbationOnly ? parsePerturbation(r, p) : parseParams(r, p)))
        return false;
    params = p;
    return true;
}

} // namespace xcam_samples
