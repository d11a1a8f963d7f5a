// The forward-only methods (Score-CAM, occlusion, RISE) on MobileNetV2: their cost against the same
// number of plain batched forwards, full Score-CAM, and batched vs one input at a time. Long:
// named BM_Long_* so that a smoke run can leave them out (--benchmark_filter=-BM_Long).
#include "perf_mobilenet.hpp"

using namespace cv;
using namespace xcam_perf;

namespace {

Mat chelseaBlob()
{
    const Mat image = imread(shared("images/chelsea.png"));
    CV_Assert(!image.empty());
    return dnn::blobFromImage(image, kScale, kSize, kMean, true, false);
}

xcam::CAMMethodParams perturbationParams(int method)
{
    xcam::CAMMethodParams p;
    if (method == xcam::CAM_METHOD_SCORECAM)
        p.maxChannels = 64;
    else if (method == xcam::CAM_METHOD_RISE)
        p.numMasks = 256;
    return p;
}

/** explain() vs forwardBatch() of as many copies of the blob as the method runs (counted through
    the progress callback): the masking and accumulation cost on top of the forwards. */
void BM_Long_PerturbationVsPlainBatches(benchmark::State& state)
{
    if (!haveModel(state))
        return;
    const int method = (int)state.range(0);
    state.SetLabel(xcam::getCAMMethodName(method));
    const Mat blob = chelseaBlob();
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(shared(kModel));
    const xcam::CAMMethodParams params = perturbationParams(method);
    int forwards = 0;
    model->setProgressCallback([&forwards](int, int total) { forwards = total; return true; });
    std::vector<Mat> maps;
    model->explain(blob, method, {}, maps, params);
    model->setProgressCallback(xcam::CAMProgressCallback());
    const int shape[] = {forwards, 3, kSize.height, kSize.width};
    Mat copies(4, shape, CV_32F), logits;
    for (int i = 0; i < forwards; ++i)
        std::copy(blob.ptr<float>(), blob.ptr<float>() + blob.total(),
                  copies.ptr<float>() + i * blob.total());
    state.counters["forwards"] = forwards;
    comparePaired(state, [&] { model->forwardBatch(copies, logits, params.batchSize); },
                  [&] { model->explain(blob, method, {}, maps, params); });
}

/** Full Score-CAM (every channel of the 1280) for the top-1 class. */
void BM_Long_ScoreCamFull(benchmark::State& state)
{
    if (!haveModel(state))
        return;
    const Mat blob = chelseaBlob();
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(shared(kModel));
    std::vector<Mat> maps;
    for (auto _ : state)
        model->explain(blob, xcam::CAM_METHOD_SCORECAM, {}, maps);
}

/** Score-CAM (64 channels) batched (32) vs one masked input per forward. */
void BM_Long_ScoreCamBatchedVsOne(benchmark::State& state)
{
    if (!haveModel(state))
        return;
    const Mat blob = chelseaBlob();
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(shared(kModel));
    xcam::CAMMethodParams one = perturbationParams(xcam::CAM_METHOD_SCORECAM), batched = one;
    one.batchSize = 1;
    std::vector<Mat> maps;
    comparePaired(state, [&] { model->explain(blob, xcam::CAM_METHOD_SCORECAM, {}, maps, one); },
                  [&] { model->explain(blob, xcam::CAM_METHOD_SCORECAM, {}, maps, batched); });
}

} // namespace

BENCHMARK(BM_Long_PerturbationVsPlainBatches)
    ->Apply([](benchmark::internal::Benchmark* b) {
        for (const xcam::CAMMethodInfo& m : xcam::getCAMMethods())  // the many-forward methods
            if (m.manyForwards)
                b->Arg(m.method);
    })
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(BM_Long_ScoreCamFull)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(BM_Long_ScoreCamBatchedVsOne)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);
