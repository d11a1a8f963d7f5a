// DetectorModel on BlazeFace (../shared) and on the demo detector (samples/data/detector): D-RISE
// against the same number of plain forwards, Eigen-CAM against one detect(), and (BM_Long_*) the
// seed-to-seed correlation of D-RISE maps per mask count on BlazeFace, antithetic pairs (p = 0.5)
// vs independent masks (p = 0.5 - 1e-9, the same distribution without the pairing).
#include "detector_cases.hpp"

#include <opencv2/imgproc.hpp>

#include <fstream>

using namespace cv;
using namespace xcam_perf;

namespace {

bool haveBlazeFace(benchmark::State& state)
{
    if (std::ifstream(shared(kBlazeFace)).good())
        return true;
    state.SkipWithError(("real model not found: " + shared(kBlazeFace)).c_str());
    return false;
}

/** BlazeFace on astronaut.png (range 0 = 0) or the demo detector on scene_000.png (1). */
bool detectorCase(benchmark::State& state, DetectorCase& c)
{
    if (state.range(0) == 1)
    {
        c = demoCase();
        state.SetLabel("demo detector");
        return true;
    }
    if (!haveBlazeFace(state))
        return false;
    c = faceCase("astronaut.png");
    state.SetLabel("blazeface");
    return true;
}

/** Pearson correlation of two maps of the same size (normalized cross-correlation of the
    mean-subtracted maps at the one offset). */
double correlation(const Mat& a, const Mat& b)
{
    Mat r;
    matchTemplate(a, b, r, TM_CCOEFF_NORMED);
    return r.at<float>(0);
}

/** D-RISE (N masks) vs N plain forward passes of the blob with every output read, in batches
as explain() runs them (BlazeFace refuses batches: one input per pass): masking, decoding and
    scoring on top of the forwards. */
void BM_DRiseVsPlainForwards(benchmark::State& state)
{
    DetectorCase c;
    if (!detectorCase(state, c))
        return;
    xcam::CAMMethodParams p;
    p.numMasks = (int)state.range(1);
    std::vector<Mat> maps;
    comparePaired(state, [&] { plainForwards(c, p.numMasks); },
                  [&] { c.model->explain(c.image, c.targets, xcam::CAM_METHOD_RISE, maps, p); });
    state.counters["forwards"] = p.numMasks;
}

/** Eigen-CAM of the image's detections vs one detect() (preprocessing, forward, decoding, NMS).
    Each side has a model of its own, as a live loop does: one model alternating both would make
    OpenCV re-plan its net at every call (the requested outputs change). */
void BM_EigenCamVsDetect(benchmark::State& state)
{
    DetectorCase c, e;
    if (!detectorCase(state, c) || !detectorCase(state, e))
        return;
    std::vector<xcam::Detection> dets;
    std::vector<Mat> maps;
    comparePaired(state, [&] { c.model->detect(c.image, dets); },
                  [&] { e.model->explain(e.image, e.targets, xcam::CAM_METHOD_EIGENCAM, maps); });
}

/** Pearson correlation of the D-RISE maps of seeds 0 and 1 at N masks (grid 16) on a face
    photo; antithetic (range 1) or independent masks (range 0). s_per_map: wall time of one map.
    Hours in all under load: pick cases with --benchmark_filter. */
void BM_Long_DRiseSeedCorrelation(benchmark::State& state)
{
    if (!haveBlazeFace(state))
        return;
    const char* images[] = {"astronaut.png", "grace_hopper.bmp"};
    DetectorCase s = faceCase(images[state.range(2)]);
    xcam::CAMMethodParams p;
    p.numMasks = (int)state.range(0);
    p.keepProbability = state.range(1) ? 0.5 : 0.5 - 1e-9;
    std::vector<Mat> a, b;
    double r = 0;
    for (auto _ : state)
    {
        p.seed = 0;
        s.model->explain(s.image, s.targets, xcam::CAM_METHOD_RISE, a, p);
        p.seed = 1;
        s.model->explain(s.image, s.targets, xcam::CAM_METHOD_RISE, b, p);
        r = correlation(a[0], b[0]);
    }
    state.SetLabel(images[state.range(2)]);
    state.counters["seed_correlation"] = r;
    state.counters["s_per_map"] = benchmark::Counter(
        2 * (double)state.iterations(), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

} // namespace

BENCHMARK(BM_DRiseVsPlainForwards)->Args({0, 256})->Args({1, 256})->ArgNames({"demo", "masks"})
    ->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EigenCamVsDetect)->Arg(0)->Arg(1)->ArgName("demo")->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Long_DRiseSeedCorrelation)
    ->ArgsProduct({{1000, 2000, 3000, 4000, 8000}, {1, 0}, {0, 1}})
    ->ArgNames({"masks", "antithetic", "image"})->Iterations(1)->UseRealTime()
    ->Unit(benchmark::kSecond);
