// The real MobileNetV2 of ../shared/models as the benchmarks use it.
#ifndef XCAM_PERF_MOBILENET_HPP
#define XCAM_PERF_MOBILENET_HPP

#include "perf_common.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/xcam.hpp>

#include <fstream>

namespace xcam_perf {

using namespace cv;

const char* const kModel = "models/mobilenet_v2_1.0_224_imagenet/mobilenet_v2_1.0_224.onnx";
const double kScale = 1.0 / 127.5;
const Size kSize(224, 224);
const Scalar kMean = Scalar::all(127.5);

inline bool haveModel(benchmark::State& state)
{
    if (std::ifstream(xcam_perf::shared(kModel)).good())
        return true;
    state.SkipWithError(("real model not found: " + xcam_perf::shared(kModel) +
                         " (set XCAM_SHARED to the folder holding models/)").c_str());
    return false;
}

inline Mat frame640x480()
{
    Mat frame(480, 640, CV_8UC3);
    RNG(3).fill(frame, RNG::UNIFORM, 0, 256);
    GaussianBlur(frame, frame, Size(9, 9), 0);
    return frame;
}

/** The baseline of every measure here: plain classification, net.forward() of the scores. */
inline auto plainForward(dnn::Net& net, const Mat& blob, Mat& scores)
{
    return [&net, &blob, &scores] {
        net.setInput(blob);
        scores = net.forward();
    };
}

} // namespace xcam_perf

#endif
