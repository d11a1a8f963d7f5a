// The memory a run needs, estimated before it starts, and the limit it must stay under
// (--max-memory, by default half of the physical memory or of the cgroup's limit when lower),
// so that a batch too large for the machine is one clear error naming --batch instead of an
// allocation failure (or the kernel's OOM killer) minutes later.
//
// Parts: the net's weights and activations for one batch (cv::dnn::Net::getMemoryConsumption per
// layer, every output of a layer not computed in place held at once: an upper bound, OpenCV
// reuses blobs), the masked input blobs of Score-CAM, occlusion and RISE (batch x C x H x W x 4
// bytes) and their masks, RISE's random grids and upsampling buffers, the methods' accumulators,
// and what the tool adds (the montage). Not counted: the images themselves and their overlays.
#ifndef XCAM_SAMPLES_MEMORY_BUDGET_HPP
#define XCAM_SAMPLES_MEMORY_BUDGET_HPP

#include <opencv2/dnn.hpp>
#include <opencv2/xcam.hpp>

#include <string>
#include <utility>
#include <vector>

namespace xcam_samples {

/** What the estimate adds up, part by part (bytes). */
struct MemoryEstimate
{
    std::vector<std::pair<std::string, double>> parts;
    int batch = 1;  // the batch of forward passes the estimate is for

    void add(const std::string& what, double bytes) { parts.push_back({what, bytes}); }
    double total() const;
    /** "net activations (batch 32): 1.2 GiB, masked inputs: 18 MiB, ..." (largest first). */
    std::string describe() const;
};

/** The net's weights and the activations of a batch of `batch` inputs of C x H x W; false when
    OpenCV cannot infer the shapes (then both are 0). */
bool netMemory(const cv::dnn::Net& net, int channels, cv::Size size, int batch, double& weights,
               double& activations);

/** How many forward passes `method` makes on an input of `size` (Score-CAM: at most the batch,
    its channel count is unknown before the first pass; non-perturbation methods: 1). */
int forwardsOf(int method, const cv::xcam::CAMMethodParams& p, cv::Size size);

/** The estimate of `forwards` forward passes of masked copies of one C x H x W input, run
    `batchSize` at a time (the methods' and the metrics' engine, runMasked). */
MemoryEstimate maskedMemory(const cv::dnn::Net& net, int channels, cv::Size size, int forwards,
                            int batchSize);

/** The estimate of explaining one image of C x H x W (the net's input) with `method`, `classes`
    maps at a time. */
MemoryEstimate explainMemory(const cv::dnn::Net& net, int method, const cv::xcam::CAMMethodParams& p,
                             int channels, cv::Size size, int classes);

/** Half of the physical memory, or of the cgroup's memory limit (v2 memory.max, v1
    memory.limit_in_bytes) when lower. */
double defaultMemoryLimit();

/** Throws cv::Exception when `e` exceeds `limit` (0: defaultMemoryLimit()): "this run needs
    about 30 GiB (...), more than --max-memory (12 GiB, half of the memory): lower --batch (now
    2000) or raise --max-memory". */
void checkMemory(const MemoryEstimate& e, double limit, int batchOption);

} // namespace xcam_samples

#endif
