// Fuzz target: the CLI's option parsing (samples/common/options.hpp). The input is split on NUL
// into up to 16 argv entries; an entry starting with byte 1-4 is built from a key name (xcam_cam's
// and xcam_eval's, also the short aliases and an unknown one) and a fuzzed or awkward value (NaN,
// infinities, huge, denormal, out-of-int-range, blanks around, '=' inside, non-ASCII, empty),
// any other entry is used verbatim. cv::CommandLineParser gets xcam_cam's keys (parseOptions) and
// xcam_eval's shared ones (parseModelOptions, parseMethodParams). Each parse must return true with
// values in the ranges the parser and the library document, or false with a one-line error and
// the output untouched; nothing may throw (the parsers report every failure as false + error).
#include "fuzz_common.hpp"

#include "common/argv_check.hpp"
#include "common/numbers.hpp"
#include "common/options.hpp"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

using namespace xcam_samples;
namespace xcam = cv::xcam;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    xcam_fuzz::quietOpenCV();
    return 0;
}

namespace {

const char* const kNames[] = {
    "preset", "model", "m", "config", "c", "classes", "width", "height", "scale", "mean", "rgb",
    "crop", "gray", "feature", "fc", "backend", "target", "batch", "max-channels",
    "channel-softmax", "patch", "stride", "masks", "grid", "keep", "seed", "help", "h", "input",
    "i", "output", "o", "method", "topk", "class", "bias", "save", "results", "shard", "resume",
    "style", "alpha", "threshold", "colormap", "montage", "headless", "frames", "max-memory",
    "montage-max", "unknown", "ouput", "methods", ""};

const char* const kValues[] = {
    "", "0", "1", "-1", "0.5", "1e-6", "1e-7", "1e-300", "nan", "NaN", "-nan", "inf", "-inf",
    "1e308", "1e309", "-1e309", "1e-320", "4.9e-324", "-0", "+3", "0x1p-1", "0x10", "2147483647",
    "2147483648", "-2147483648", "-2147483649", "9223372036854775808", "65536", "65537", "4096",
    "4097", "16777216", "16777217", "1048576", "1048577", "1e30", "1e31", "1 2 3", "1 2 3 4",
    "1 2 3 4 5", "  1 2  ", " 1", "1 ", "\t1", "1\t", "1\n", "a\nb", "a\rb", "=", "a=b", "==",
    "<none>", "true", "false", "YES", "off", "0/1", "1/1", "3/4", "-1/2", "1/0", "0/-1", "/",
    "0/2147483647", "2147483646/2147483647", "1/2/3", "x.yml", "x.json.gz", ".gz", "r.YAML.GZ",
    "x.xml", ".yml", "r.jsonl", "squeezenet", "googlenet", "resnet18", "mobilenetv2", "auto",
    "AUTO", "gradcam++", "Grad-CAM", "rise", "occlusion", "jet", "Turbo", "21", "22", "0021",
    "ignore", "spread", "seed", "blend", "\xff\xfe\x80", "\xc3\xa9", "m.onnx", "%s%n", "-", "--",
    "1.5G", "4096", "1M", "1023K", "2T", "1025T", "0.5", "1e3M", "G", "100000", "100001"};

template <size_t N>
const char* pick(const char* const (&list)[N], unsigned char byte)
{
    return list[byte % N];
}

/** The fuzzed bytes as argv (argv[0] is the program). */
std::vector<std::string> makeArgs(const uint8_t* data, size_t size)
{
    std::vector<std::string> args{"xcam_cam"};
    size_t start = 0;
    while (start <= size && args.size() < 17)
    {
        size_t end = start;
        while (end < size && data[end] != 0)
            ++end;
        const std::string piece((const char*)data + start, end - start);
        start = end + 1;
        const unsigned char op = piece.empty() ? 0 : (unsigned char)piece[0];
        const unsigned char k = piece.size() > 1 ? (unsigned char)piece[1] : 0;
        const std::string rest = piece.size() > 2 ? piece.substr(2) : std::string();
        switch (op)
        {
        case 1: args.push_back(std::string("--") + pick(kNames, k) + "=" + rest); break;
        case 2: args.push_back(std::string("--") + pick(kNames, k)); break;
        case 3:
            args.push_back(std::string("--") + pick(kNames, k) + "=" +
                           pick(kValues, rest.empty() ? 0 : (unsigned char)rest[0]));
            break;
        case 4: args.push_back(std::string("-") + pick(kNames, k) + "=" + rest); break;
        default: args.push_back(piece);
        }
    }
    return args;
}

bool finiteIn(double v, double lo, double hi)
{
    return std::isfinite(v) && v >= lo && v <= hi;
}

bool oneLine(const std::string& error)
{
    return !error.empty() && error.find('\n') == std::string::npos &&
           error.find('\r') == std::string::npos;
}

bool hasSaveExtension(std::string p)
{
    p = toLower(p);
    auto endsWith = [&](const std::string& e) {
        return p.size() > e.size() && p.compare(p.size() - e.size(), e.size(), e) == 0;
    };
    if (p.size() > 3 && p.compare(p.size() - 3, 3, ".gz") == 0)
        p.resize(p.size() - 3);
    return endsWith(".yml") || endsWith(".yaml") || endsWith(".json") || endsWith(".xml");
}

void checkModel(const ModelOptions& m)
{
    XCAM_FUZZ_CHECK(!m.model.empty());
    XCAM_FUZZ_CHECK((m.width == 0 && m.height == 0) ||
                    (m.width >= 1 && m.width <= 1 << 16 && m.height >= 1 && m.height <= 1 << 16));
    XCAM_FUZZ_CHECK(finiteIn(m.scale, -1e30, 1e30));
    for (int i = 0; i < 4; ++i)
        XCAM_FUZZ_CHECK(finiteIn(m.mean[i], -1e30, 1e30));
    XCAM_FUZZ_CHECK(m.backend >= 0 && m.target >= 0);
}

void checkParams(const xcam::CAMMethodParams& p)
{
    XCAM_FUZZ_CHECK(p.batchSize >= 1 && p.batchSize <= 1 << 20);
    XCAM_FUZZ_CHECK(p.maxChannels >= 0);
    XCAM_FUZZ_CHECK(p.patchSize >= 0 && p.patchSize <= 1 << 16);
    XCAM_FUZZ_CHECK(p.stride >= 0 && p.stride <= 1 << 16);
    XCAM_FUZZ_CHECK(p.numMasks >= 1 && p.numMasks <= 1 << 24);
    XCAM_FUZZ_CHECK(p.gridSize >= 0 && p.gridSize <= 1 << 12);
    // The library's range (methods.hpp): RISE rejects a smaller one when it runs.
    XCAM_FUZZ_CHECK(finiteIn(p.keepProbability, 1e-6, 1));
    XCAM_FUZZ_CHECK(p.seed >= 0);
    XCAM_FUZZ_CHECK(finiteIn(p.finerAlpha, -1e6, 1e6) && p.finerClasses >= 1);
    XCAM_FUZZ_CHECK(p.kpcaKernel >= xcam::CAM_KERNEL_SIGMOID && p.kpcaKernel <= xcam::CAM_KERNEL_COSINE);
    XCAM_FUZZ_CHECK(finiteIn(p.kpcaGamma, 0, 1e6));
}

bool sameModel(const ModelOptions& a, const ModelOptions& b)
{
    return a.model == b.model && a.config == b.config && a.classes == b.classes &&
           a.feature == b.feature && a.fc == b.fc && a.width == b.width && a.height == b.height &&
           a.scale == b.scale && a.mean == b.mean && a.rgb == b.rgb && a.crop == b.crop &&
           a.gray == b.gray && a.backend == b.backend && a.target == b.target;
}

std::string trim(const std::string& text)
{
    const size_t a = text.find_first_not_of(' '), b = text.find_last_not_of(' ');
    return a == std::string::npos ? std::string() : text.substr(a, b - a + 1);
}

/** `keys` without the help texts ("{ names | default | help }" to "{names|default|}").
    cv::CommandLineParser's constructor copies the rest of its key string once per character
    (quadratic: about 10 ms per xcam_cam parser under ASan, over 90 % of a run), the help texts
    are most of it, and parsing argv never reads them; one input in 64 (byte sum) also runs with
    the full keys and must give the same result. (For the same reason xcam_eval's keys are
    checked on one input in 4.) */
std::string withoutHelp(const std::string& keys)
{
    std::string out;
    for (size_t open = keys.find('{'); open != std::string::npos; open = keys.find('{', open + 1))
    {
        const size_t close = keys.find('}', open);
        const std::string entry = keys.substr(open + 1, close - open - 1);
        const size_t bar = entry.find('|'), bar2 = entry.find('|', bar + 1);
        out += "{" + trim(entry.substr(0, bar)) + "|" +
               trim(entry.substr(bar + 1, bar2 - bar - 1)) + "|}";
    }
    return out;
}

bool sameParams(const xcam::CAMMethodParams& a, const xcam::CAMMethodParams& b)
{
    return a.batchSize == b.batchSize && a.maxChannels == b.maxChannels &&
           a.channelSoftmax == b.channelSoftmax && a.patchSize == b.patchSize &&
           a.stride == b.stride && a.numMasks == b.numMasks && a.gridSize == b.gridSize &&
           a.keepProbability == b.keepProbability && a.seed == b.seed &&
           a.finerAlpha == b.finerAlpha && a.finerClasses == b.finerClasses &&
           a.kpcaKernel == b.kpcaKernel && a.kpcaGamma == b.kpcaGamma;
}

/** Parses argv with xcam_cam's keys and xcam_eval's shared ones, checks every result, and
    returns them as text (to compare the runs with and without the help texts). */
std::string parseAll(const std::vector<const char*>& argv, const std::string& camKeys,
                     const std::string& evalKeys, bool withEval)
{
    const int argc = (int)argv.size() - 1;
    std::ostringstream summary;
    summary.precision(17);

    // The argv check (before parseOptions in cliMain): one-line errors; what it accepts is only
    // --name[=value] words of known keys.
    std::string argvError;
    const bool argvOk = checkArguments(argc, argv.data(), ArgumentRules{camKeys, kCamFlags, "input"}, argvError);
    XCAM_FUZZ_CHECK(argvOk || oneLine(argvError));
    for (int i = 1; argvOk && i < argc; ++i)
        XCAM_FUZZ_CHECK(argv[i][0] == '-' && argv[i][1] != 0);
    summary << "|argv " << argvOk << " " << argvError;

    // xcam_cam: main() builds the parser outside any try and asks for --help first.
    cv::CommandLineParser cam(argc, argv.data(), camKeys);
    summary << cam.has("help");
    Options o;
    o.topK = -12345;  // a failed parse must leave the output alone
    std::string error;
    const bool ok = parseOptions(cam, o, error);
    if (!ok)
    {
        XCAM_FUZZ_CHECK(oneLine(error));
        XCAM_FUZZ_CHECK(o.topK == -12345);
        summary << "|error " << error;
    }
    else
    {
        checkModel(o.model);
        XCAM_FUZZ_CHECK(o.model.biasMode == xcam::CAM_BIAS_IGNORE ||
                        o.model.biasMode == xcam::CAM_BIAS_SPREAD);
        const RunOptions& r = o.run;
        XCAM_FUZZ_CHECK(r.shardCount >= 1 && r.shardIndex >= 0 && r.shardIndex < r.shardCount);
        XCAM_FUZZ_CHECK(r.frames >= 0);
        XCAM_FUZZ_CHECK(r.montageMax >= 1 && r.montageMax <= 100000);
        XCAM_FUZZ_CHECK(r.maxMemory == 0 || finiteIn(r.maxMemory, 1048576.0, std::pow(1024.0, 5)));
        XCAM_FUZZ_CHECK(!r.resume || !r.results.empty());
        XCAM_FUZZ_CHECK(r.save.empty() || hasSaveExtension(r.save));
        XCAM_FUZZ_CHECK(o.topK >= 1 && o.classId >= -1);
        XCAM_FUZZ_CHECK(o.method == -1 ||
                        (o.method >= 0 && o.method < (int)xcam::getCAMMethods().size()));
        checkParams(o.methodParams);
        const xcam::CAMOverlayParams& v = o.overlay;
        XCAM_FUZZ_CHECK(v.style == xcam::CAM_OVERLAY_SEED || v.style == xcam::CAM_OVERLAY_BLEND);
        XCAM_FUZZ_CHECK(v.colormap >= cv::COLORMAP_AUTUMN && v.colormap <= cv::COLORMAP_DEEPGREEN);
        XCAM_FUZZ_CHECK(finiteIn(v.alpha, 0, 1) && finiteIn(v.threshold, 0, 1));
        XCAM_FUZZ_CHECK(v.interpolation == xcam::CAMOverlayParams().interpolation);
        summary << "|ok " << o.model.biasMode << " " << r.input << "|" << r.output << "|" << r.save
                << "|" << r.montage << "|" << r.results << "|" << r.shardIndex << "/"
                << r.shardCount << " " << r.resume << r.headless << " " << r.frames << " "
                << r.montageMax << " " << r.maxMemory << " "
                << o.topK << " " << o.classId << " " << o.method << " " << v.style << " "
                << v.colormap << " " << v.alpha << " " << v.threshold;
    }

    // The pieces alone on the same parser agree with parseOptions.
    ModelOptions camModel;
    std::string camModelError;
    const bool camModelOk = parseModelOptions(cam, camModel, camModelError);
    xcam::CAMMethodParams camParams;
    camParams.seed = -12345;
    std::string paramsError;
    const bool paramsOk = parseMethodParams(cam, camParams, paramsError);
    XCAM_FUZZ_CHECK(camModelOk || oneLine(camModelError));
    XCAM_FUZZ_CHECK(paramsOk || (oneLine(paramsError) && camParams.seed == -12345));
    if (paramsOk)
        checkParams(camParams);
    if (ok)
    {
        XCAM_FUZZ_CHECK(camModelOk && paramsOk);
        o.model.biasMode = camModel.biasMode;
        XCAM_FUZZ_CHECK(sameModel(o.model, camModel) && sameParams(o.methodParams, camParams));
    }
    const ModelOptions& m = camModel;
    summary << "|model " << camModelOk << " " << camModelError << "|" << m.model << "|" << m.config
            << "|" << m.classes << "|" << m.feature << "|" << m.fc << "|" << m.width << "x"
            << m.height << " " << m.scale << " " << m.mean << " " << m.rgb << m.crop << m.gray
            << " " << m.backend << " " << m.target;
    const xcam::CAMMethodParams& p = camParams;
    summary << "|params " << paramsOk << " " << paramsError << "|" << p.batchSize << " "
            << p.maxChannels << " " << p.channelSoftmax << " " << p.patchSize << " " << p.stride
            << " " << p.numMasks << " " << p.gridSize << " " << p.keepProbability << " " << p.seed;

    if (!withEval)
        return summary.str();
    // xcam_eval's shared keys (its own --methods/--steps/... are private to xcam_eval.cpp): the
    // same results as with xcam_cam's keys.
    cv::CommandLineParser eval(argc, argv.data(), evalKeys);
    summary << eval.has("help");
    ModelOptions evalModel;
    evalModel.width = -12345;
    std::string evalError;
    const bool evalOk = parseModelOptions(eval, evalModel, evalError);
    XCAM_FUZZ_CHECK(evalOk == camModelOk);
    if (evalOk)
    {
        checkModel(evalModel);
        XCAM_FUZZ_CHECK(sameModel(evalModel, camModel));
    }
    else
    {
        XCAM_FUZZ_CHECK(evalError == camModelError && evalModel.width == -12345);
    }
    xcam::CAMMethodParams evalParams;
    std::string evalParamsError;
    XCAM_FUZZ_CHECK(parseMethodParams(eval, evalParams, evalParamsError) == paramsOk);
    XCAM_FUZZ_CHECK(!paramsOk || sameParams(evalParams, camParams));
    return summary.str();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::string camKeys = kCamKeys,
                             evalKeys = std::string("{ help h | | Print this help. }") +
                                        kModelKeys + kMethodParamKeys;
    static const std::string camFast = withoutHelp(camKeys), evalFast = withoutHelp(evalKeys);

    const std::vector<std::string> args = makeArgs(data, size);
    std::vector<const char*> argv;
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    argv.push_back(nullptr);

    unsigned sum = 0;
    for (size_t i = 0; i < size; ++i)
        sum += data[i];
    const std::string summary = parseAll(argv, camFast, evalFast, sum % 4 == 0);
    if (sum % 64 == 0)
        XCAM_FUZZ_CHECK(parseAll(argv, camKeys, evalKeys, true) == summary);
    return 0;
}
