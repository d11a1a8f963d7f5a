// The CAM on top of the forward pass, with the real MobileNetV2 of ../shared/models.
#include "perf_mobilenet.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/xcam.hpp>

#include <fstream>

using namespace cv;
using namespace xcam_perf;

namespace {

/** Plain classification: net.forward() of the scores alone, vs one xcam forward that returns the
    scores and the feature blob together, then the top-1 and its map. */
void BM_CamOnTopOfForward(benchmark::State& state)
{
    if (!haveModel(state))
        return;
    const Mat blob = dnn::blobFromImage(frame640x480(), kScale, kSize, kMean, true, false);
    dnn::Net net = dnn::readNet(xcam_perf::shared(kModel));
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(xcam_perf::shared(kModel));
    std::vector<int> ids;
    std::vector<float> probs;
    Mat cam, scores;
    xcam_perf::comparePaired(
        state,
        plainForward(net, blob, scores),
        [&] {
            model->forward(blob);
            model->getTopK(1, ids, probs);
            model->getCAM(ids[0], cam);
        });
}

/** Calibration: two identical plain nets against each other. Its ratio shows how far from 1.0 the
    pairing itself lands on this machine (noise, cache effects of alternating two nets). */
void BM_ForwardVsForwardCalibration(benchmark::State& state)
{
    if (!haveModel(state))
        return;
    const Mat blob = dnn::blobFromImage(frame640x480(), kScale, kSize, kMean, true, false);
    dnn::Net a = dnn::readNet(xcam_perf::shared(kModel)), b = dnn::readNet(xcam_perf::shared(kModel));
    Mat sa, sb;
    xcam_perf::comparePaired(state, plainForward(a, blob, sa), plainForward(b, blob, sb));
}

/** The top-5 maps from the one pass vs the top-1 map, forward included. */
void BM_TopFiveMapsVsOne(benchmark::State& state)
{
    if (!haveModel(state))
        return;
    const Mat blob = dnn::blobFromImage(frame640x480(), kScale, kSize, kMean, true, false);
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(xcam_perf::shared(kModel));
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<Mat> maps;
    xcam_perf::comparePaired(
        state, [&] { model->classify(blob, 1, ids, probs, maps); },
        [&] { model->classify(blob, 5, ids, probs, maps); });
}

/** The map step alone: five maps (one GEMM) vs one map, from a kept forward. */
void BM_TopFiveMapsVsOneMapStepOnly(benchmark::State& state)
{
    if (!haveModel(state))
        return;
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(xcam_perf::shared(kModel));
    model->forward(dnn::blobFromImage(frame640x480(), kScale, kSize, kMean, true, false));
    std::vector<int> top5, top1;
    std::vector<float> probs;
    model->getTopK(5, top5, probs);
    top1.assign(1, top5[0]);
    std::vector<Mat> maps;
    xcam_perf::comparePaired(state, [&] { model->getCAMs(top1, maps); },
                             [&] { model->getCAMs(top5, maps); });
}

/** A whole frame, 640x480 to picture: blob, forward, CAM, seed overlay; vs the forward alone. */
void BM_FrameEndToEndVsForward(benchmark::State& state)
{
    if (!haveModel(state))
        return;
    const Mat frame = frame640x480();
    const Mat blob = dnn::blobFromImage(frame, kScale, kSize, kMean, true, false);
    dnn::Net net = dnn::readNet(xcam_perf::shared(kModel));
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(xcam_perf::shared(kModel));
    model->setInputParams(kScale, kSize, kMean, true, false);
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<Mat> maps;
    Mat overlay, scores;
    xcam_perf::comparePaired(
        state,
        plainForward(net, blob, scores),
        [&] {
            model->classify(frame, 3, ids, probs, maps);
            xcam::applyCAMOverlay(frame, maps[0], overlay);
        });
}

} // namespace

BENCHMARK(BM_ForwardVsForwardCalibration)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CamOnTopOfForward)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TopFiveMapsVsOne)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TopFiveMapsVsOneMapStepOnly)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FrameEndToEndVsForward)->UseManualTime()->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
