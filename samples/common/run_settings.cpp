#include "run_settings.hpp"

#include "json_text.hpp"

#include <filesystem>
#include <fstream>
#include <vector>

namespace fs = std::filesystem;

namespace xcam_samples {

namespace {

void fnv1a(uint64_t& h, const char* data, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        h = (h ^ (unsigned char)data[i]) * 1099511628211ull;
}

} // namespace

std::string fileFingerprint(const std::string& path)
{
    if (path.empty())
        return "null";
    std::error_code ec;
    const uint64_t size = fs::file_size(path, ec);
    const uint64_t mib = 1 << 20, head = ec ? 0 : std::min(size, mib);
    const uint64_t tail = ec ? 0 : std::min(size - head, mib);
    std::ifstream in(path, std::ios::binary);
    std::vector<char> buf(head);
    uint64_t h = 14695981039346656037ull;
    in.read(buf.data(), (std::streamsize)head);
    fnv1a(h, buf.data(), (size_t)in.gcount());
    buf.resize(tail);
    in.seekg((std::streamoff)(size - tail));
    in.read(buf.data(), (std::streamsize)tail);
    fnv1a(h, buf.data(), (size_t)in.gcount());
    char hex[20];
    std::snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
    return JsonObject()
        .str("name", fs::path(path).filename().string())
        .num("bytes", ec ? -1.0 : (double)size)
        .str("fnv1a64", hex)
        .text();
}

void addModelSettings(JsonObject& o, const ModelOptions& m)
{
    std::string mean = "[";
    for (int c = 0; c < (m.gray ? 1 : 3); ++c)
        mean += (c ? ", " : "") + jsonNumber(m.mean[c]);
    o.raw("model", fileFingerprint(m.model))
        .raw("config", fileFingerprint(m.config))
        .raw("classes", fileFingerprint(m.classes))
        .num("width", m.width)
        .num("height", m.height)
        .num("scale", m.scale)
        .raw("mean", mean + "]")
        .flag("rgb", m.rgb)
        .flag("crop", m.crop)
        .flag("gray", m.gray)
        .str("feature", m.feature)
        .str("fc", m.fc)
        .str("bias", m.biasMode == cv::xcam::CAM_BIAS_SPREAD ? "spread" : "ignore")
        .num("backend", m.backend)
        .num("target", m.target);
}

std::string methodSettings(int method, const cv::xcam::CAMMethodParams& p)
{
    JsonObject o;
    if (method == cv::xcam::CAM_METHOD_SCORECAM)
        o.num("max_channels", p.maxChannels).flag("channel_softmax", p.channelSoftmax);
    else if (method == cv::xcam::CAM_METHOD_OCCLUSION)
        o.num("patch", p.patchSize).num("stride", p.stride);
    else if (method == cv::xcam::CAM_METHOD_RISE)
        o.num("masks", p.numMasks).num("grid", p.gridSize).num("keep", p.keepProbability).num("seed", p.seed);
    else if (method == cv::xcam::CAM_METHOD_FINERCAM)
        o.num("finer_alpha", p.finerAlpha).num("finer_classes", p.finerClasses);
    else if (method == cv::xcam::CAM_METHOD_KPCACAM)
        o.str("kernel", kernelName(p.kpcaKernel)).num("kernel_gamma", p.kpcaGamma);
    return o.text();
}

std::string camSettings(const Options& o)
{
    JsonObject settings;
    settings.str("program", "xcam_cam");
    addModelSettings(settings, o.model);
    return settings.str("method", o.method < 0 ? "auto" : cv::xcam::getCAMMethodName(o.method))
        .raw("method_params", methodSettings(o.method, o.methodParams))
        .num("topk", o.topK)
        .raw("class", o.classId < 0 ? "null" : std::to_string(o.classId))
        .text();
}

std::string detectSettings(const DetectOptions& o, int method)
{
    JsonObject settings;
    settings.str("program", "xcam_detect");
    addModelSettings(settings, o.model);
    return settings.str("format", formatName(o.format))
        .flag("nhwc", o.nhwc)
        .raw("score_threshold", cv::format("%g", o.scoreThreshold))
        .raw("nms_threshold", cv::format("%g", o.nmsThreshold))
        .str("method", cv::xcam::getCAMMethodName(method))
        .raw("method_params", methodSettings(method, o.methodParams))
        .text();
}

} // namespace xcam_samples
