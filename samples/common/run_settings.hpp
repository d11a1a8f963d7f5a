// The settings that define a result, as the JSON object of a --results header: the files of
// the model (name, size, hash), the preprocessing, the layers asked for, the method and its
// parameters, the classes kept. What does not change a record (batch size, threads, overlay
// style, shard, output names) is left out, so that shards and resumed runs agree.
#ifndef XCAM_SAMPLES_RUN_SETTINGS_HPP
#define XCAM_SAMPLES_RUN_SETTINGS_HPP

#include "json_text.hpp"
#include "detect_options.hpp"
#include "options.hpp"

#include <string>

namespace xcam_samples {

/** {"name": "m.onnx", "bytes": 13982854, "fnv1a64": "..."}: the file's name (not its folder, so
    that a moved model still matches), size, and the 64-bit FNV-1a hash of its first and last MiB
    (of the whole file when it is at most 2 MiB); "null" when `path` is empty. */
std::string fileFingerprint(const std::string& path);

/** Adds the model options to `o`: model, config and classes fingerprints, width, height,
    scale, mean, rgb, crop, gray, feature and fc layers asked for ("" = auto), bias, backend,
    target. */
void addModelSettings(JsonObject& o, const ModelOptions& m);

/** The parameters of `method` that change its maps (Score-CAM: max_channels, channel_softmax;
    occlusion: patch, stride; RISE: masks, grid, keep, seed; others: none), as a JSON object. */
std::string methodSettings(int method, const cv::xcam::CAMMethodParams& p);

/** xcam_cam's settings: {"program": "xcam_cam", the model's (addModelSettings), "method":
    "auto"|name, "method_params": {...}, "topk": k, "class": id|null}. */
std::string camSettings(const Options& o);

/** xcam_detect's settings: {"program": "xcam_detect", the model's (addModelSettings: "classes" is
    --labels, "feature" --feature-layer), "format", "nhwc", "score_threshold", "nms_threshold",
    "method": the method run (auto resolved), "method_params": {...}}. */
std::string detectSettings(const DetectOptions& o, int method);

} // namespace xcam_samples

#endif
