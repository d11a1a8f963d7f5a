#include "memory_budget.hpp"

#include "numbers.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <unistd.h>

namespace xcam_samples {

double MemoryEstimate::total() const
{
    double sum = 0;
    for (const auto& p : parts)
        sum += p.second;
    return sum;
}

std::string MemoryEstimate::describe() const
{
    std::vector<std::pair<std::string, double>> sorted = parts;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string text;
    for (const auto& p : sorted)
        if (p.second >= 1024.0 * 1024.0)
            text += (text.empty() ? "" : ", ") + p.first + " " + formatBytes(p.second);
    return text;
}

bool netMemory(const cv::dnn::Net& net, int channels, cv::Size size, int batch, double& weights,
               double& activations)
{
    // Layers OpenCV computes in place or fuses into the layer before: no blob of their own.
    static const std::set<std::string> inPlace = {
        "ReLU", "ReLU6", "Clip", "Sigmoid", "TanH", "Swish", "Mish", "ELU", "AbsVal", "BNLL",
        "Power", "BatchNorm", "Scale", "Shift", "Dropout", "Identity", "Flatten", "Reshape"};
    weights = activations = 0;
    try
    {
        std::vector<int> ids;
        std::vector<size_t> layerWeights, layerBlobs;
        net.getMemoryConsumption(cv::dnn::MatShape{batch, channels, size.height, size.width}, ids,
                                 layerWeights, layerBlobs);
        for (size_t i = 0; i < ids.size(); ++i)
        {
            weights += (double)layerWeights[i];
            if (!inPlace.count(net.getLayer(ids[i])->type))
                activations += (double)layerBlobs[i];
        }
        return true;
    }
    catch (const cv::Exception&)
    {
        weights = activations = 0;
        return false;
    }
}

namespace {

/** Occlusion's windows along an axis (perturb.cpp: every stride from 0, the last touching the end). */
int windows(int size, int patch, int stride)
{
    return size <= patch ? 1 : (size - patch + stride - 1) / stride + 1;
}

} // namespace

int forwardsOf(int method, const cv::xcam::CAMMethodParams& p, cv::Size size)
{
    using namespace cv::xcam;
    if (method == CAM_METHOD_RISE)
        return p.numMasks;
    if (method == CAM_METHOD_SCORECAM)
        return p.maxChannels > 0 ? std::min(p.maxChannels, p.batchSize) : p.batchSize;
    if (method != CAM_METHOD_OCCLUSION)
        return 1;
    const int patch = p.patchSize > 0 ? p.patchSize : (std::min(size.width, size.height) + 6) / 7;
    const int stride = p.stride > 0 ? p.stride : (patch + 1) / 2;
    return windows(size.width, patch, stride) * windows(size.height, patch, stride);
}

MemoryEstimate maskedMemory(const cv::dnn::Net& net, int channels, cv::Size size, int forwards,
                            int batchSize)
{
    MemoryEstimate e;
    e.batch = std::max(1, std::min(batchSize, forwards));
    double weights = 0, activations = 0;
    netMemory(net, channels, size, e.batch, weights, activations);
    const double plane = 4.0 * size.area();
    e.add("program and libraries", 64.0 * 1024 * 1024);
    e.add("net weights", weights);
    e.add("net activations (batch " + std::to_string(e.batch) + ")", activations);
    if (forwards <= 1)
        return e;
    e.add("masked inputs (" + std::to_string(e.batch) + " x " + std::to_string(channels) + "x" +
              std::to_string(size.height) + "x" + std::to_string(size.width) + ")",
          e.batch * channels * plane);
    e.add("masks", e.batch * plane);
    return e;
}

MemoryEstimate explainMemory(const cv::dnn::Net& net, int method, const cv::xcam::CAMMethodParams& p,
                             int channels, cv::Size size, int classes)
{
    using namespace cv::xcam;
    const bool perturbs = method >= 0 && getCAMMethodInfo(method).manyForwards;  // -1: auto
    MemoryEstimate e = maskedMemory(net, channels, size, perturbs ? forwardsOf(method, p, size) : 1,
                                    p.batchSize);
    const double plane = 4.0 * size.area(), s = p.gridSize > 0 ? p.gridSize : 16;  // 0: automatic
    if (!perturbs)
        return e;
    e.add("accumulated maps", (classes + 1) * plane);
    if (method == CAM_METHOD_RISE)
    {
        const double cellH = std::ceil(size.height / s), cellW = std::ceil(size.width / s);
        e.add("RISE grids (" + std::to_string(e.batch) + " of " + std::to_string(p.gridSize) + "x" +
                  std::to_string(p.gridSize) + ")", 4.0 * e.batch * s * s);
        e.add("RISE upsampled grids", 4.0 * cv::getNumThreads() * (s + 1) * cellH * (s + 1) * cellW);
    }
    return e;
}

namespace {

double cgroupLimit()
{
    std::ifstream self("/proc/self/cgroup");
    std::string line, path;
    while (std::getline(self, line))
        if (line.rfind("0::", 0) == 0)
            path = line.substr(3);
    double limit = 0;
    for (const std::string& file : {"/sys/fs/cgroup" + path + "/memory.max",
                                    std::string("/sys/fs/cgroup/memory/memory.limit_in_bytes")})
    {
        std::ifstream in(file);
        double v = 0;
        if (in >> v && v > 0 && (limit == 0 || v < limit))
            limit = v;
    }
    return limit;
}

} // namespace

double defaultMemoryLimit()
{
    const double physical = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGE_SIZE);
    const double cgroup = cgroupLimit();
    return 0.5 * (cgroup > 0 && cgroup < physical ? cgroup : physical);
}

void checkMemory(const MemoryEstimate& e, double limit, int batchOption)
{
    const bool given = limit > 0;
    const double max = given ? limit : defaultMemoryLimit();
    if (e.total() <= max)
        return;
    CV_Error(cv::Error::StsNoMem,
             "this run needs about " + formatBytes(e.total()) + " (" + e.describe() +
                 "), more than --max-memory (" + formatBytes(max) +
                 (given ? "" : ", half of the memory") + "): lower --batch (now " +
                 std::to_string(batchOption) + ") or raise --max-memory");
}

} // namespace xcam_samples
