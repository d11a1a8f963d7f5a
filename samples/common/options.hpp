// xcam_cam's options: the cv::CommandLineParser keys, the presets of the seed's models, and
// parseOptions(), a pure function from the parsed command line to an Options value.
#ifndef XCAM_SAMPLES_OPTIONS_HPP
#define XCAM_SAMPLES_OPTIONS_HPP

#include <opencv2/core.hpp>
#include <opencv2/xcam.hpp>

#include <set>
#include <string>

namespace xcam_samples {

/** The model: file names, preprocessing, layers, backend (what --preset fills). */
struct ModelOptions
{
    std::string model, config, classes, feature, fc;
    int width = 0, height = 0;  // 0: the image's size
    double scale = 1.0;
    cv::Scalar mean;
    bool rgb = false, crop = false, gray = false;
    int biasMode = cv::xcam::CAM_BIAS_IGNORE;
    int backend = 0, target = 0;
};

/** Where the frames come from and where the results go. */
struct RunOptions
{
    std::string input, output, save, montage, results;
    int shardIndex = 0, shardCount = 1;  // --shard=i/n
    bool resume = false, headless = false;
    int frames = 0;        // 0: all
    int montageMax = 100;  // --montage: at most this many images
    double maxMemory = 0;  // bytes; 0: the default (memory_budget.hpp)
};

struct Options
{
    ModelOptions model;
    RunOptions run;
    int topK = 3;
    int classId = -1;   // -1: the top-1 (window keys 1/2/3: 2nd, 3rd)
    int method = -1;    // a cv::xcam::CAMMethod; -1: auto, the model's default
    cv::xcam::CAMMethodParams methodParams;
    cv::xcam::CAMOverlayParams overlay;
};

/** The keys of cv::CommandLineParser for xcam_cam (OpenCV's dnn samples' names); --method's help
    lists cv::xcam::getCAMMethods(). */
extern const std::string kCamKeys;
/** xcam_cam's keys that are flags (given bare: --rgb); the others take --name=value. */
extern const std::set<std::string> kCamFlags;
/** The keys of the model options alone (--preset --model --config --classes --width --height
    --scale --mean --rgb --crop --gray --feature --fc --backend --target), part of kCamKeys and of
    xcam_eval's keys. */
extern const char* const kModelKeys;
/** The keys of a net alone (--model --config --width --height --scale --mean --rgb --backend
    --target), part of kModelKeys; xcam_detect's. */
extern const char* const kNetKeys;
/** The keys of RunOptions shared by the tools that read images and write results (--input
    --output --results --shard --resume --headless --frames; --max-memory is in kMethodParamKeys). */
extern const char* const kRunKeys;
/** The overlay's keys (--style --alpha --threshold --colormap). */
extern const char* const kOverlayKeys;
/** The keys of occlusion's and RISE's parameters and --max-memory (--batch --patch --stride
    --masks --grid --keep --seed --max-memory), part of kMethodParamKeys; xcam_detect's. */
extern const char* const kPerturbationKeys;
/** The keys of the method parameters alone (--batch --max-channels --channel-softmax --patch
    --stride --masks --grid --keep --seed --finer-alpha --finer-classes --kernel --kernel-gamma)
    and --max-memory. */
extern const char* const kMethodParamKeys;

/** The names of cv::xcam::getCAMMethods(), comma-separated, in CAMMethod order. */
std::string camMethodNames();

/** The --kernel name of a cv::xcam::CAMKernel (sigmoid, linear, rbf, poly, cosine). */
std::string kernelName(int kernel);

/** Fills `options` from `parser` (a preset first, then the options given). Every value is
    checked strictly: a number must be a whole finite number in range. On failure returns false
    and sets `error` to one line naming the option. Reads no file and touches no model. */
bool parseOptions(const cv::CommandLineParser& parser, Options& options, std::string& error);

/** Fills `model` from the kModelKeys of `parser` (a preset first), as parseOptions does (the bias
    mode is left at its default); false with `error` on failure. */
bool parseModelOptions(const cv::CommandLineParser& parser, ModelOptions& model, std::string& error);

/** Fills the kNetKeys fields of `model` from `parser`, over what `model` holds (a tool's preset);
    the other fields are kept. False with `error` on failure. */
bool parseNetOptions(const cv::CommandLineParser& parser, ModelOptions& model, std::string& error);

/** Fills `run` from the kRunKeys of `parser` and --max-memory (not --save, --montage). */
bool parseRunOptions(const cv::CommandLineParser& parser, RunOptions& run, std::string& error);

/** Fills `params` from the kOverlayKeys of `parser`. */
bool parseOverlayOptions(const cv::CommandLineParser& parser, cv::xcam::CAMOverlayParams& params,
                         std::string& error);

/** Fills `params` from the kMethodParamKeys of `parser` (`perturbationOnly`: kPerturbationKeys'
    alone), as parseOptions does. */
bool parseMethodParams(const cv::CommandLineParser& parser, cv::xcam::CAMMethodParams& params,
                       std::string& error, bool perturbationOnly = false);

/** --max-memory of `parser` in bytes (left alone when not given); false with `error`. */
bool parseMaxMemory(const cv::CommandLineParser& parser, double& bytes, std::string& error);

/** Fills the model options of preset `name` (squeezenet, googlenet, resnet18, mobilenetv2);
    false with `error` listing the presets for an unknown one. */
bool applyPreset(const std::string& name, ModelOptions& model, std::string& error);

/** A cv::ColormapTypes value from its name (jet, turbo, ...) or number; -1 if unknown. */
int parseColormap(const std::string& text);

} // namespace xcam_samples

#endif
