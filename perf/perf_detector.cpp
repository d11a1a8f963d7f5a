// DetectorModel on BlazeFace (../shared): D-RISE against the same number of plain forwards,
// Eigen-CAM against one detect(), and (BM_Long_*) the seed-to-seed correlation of D-RISE maps per
// mask count, antithetic pairs (p = 0.5) vs independent masks (p = 0.5 - 1e-9, the same
// distribution without the pairing).
#include "perf_common.hpp"

#include "../samples/blazeface_decoder.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>

using namespace cv;
using namespace xcam_perf;

namespace {

const char* const kBlazeFace = "models/blazeface_front_128/blazeface_front_128.onnx";

bool haveBlazeFace(benchmark::State& state)
{
    if (std::ifstream(shared(kBlazeFace)).good())
        return true;
    state.SkipWithError(("real model not found: " + shared(kBlazeFace)).c_str());
    return false;
}

struct FaceScene
{
    Mat image;
    std::vector<xcam::Detection> faces;
    Ptr<xcam::DetectorModel> model;
};

FaceScene faceScene(const char* image)
{
    FaceScene s;
    s.image = imread(shared(std::string("images/") + image));
    CV_Assert(!s.image.empty());
    s.model = blazeface::create(shared(kBlazeFace));
    s.model->detect(s.image, s.faces);
    CV_Assert(s.faces.size() == 1);
    return s;
}

/** BlazeFace's NHWC blob of an image, as the model makes it. */
Mat nhwcBlob(const Mat& image)
{
    const Mat nchw = dnn::blobFromImage(image, 1 / 127.5, Size(128, 128), Scalar::all(127.5),
                                        true);
    Mat pixels;
    transpose(Mat(3, 128 * 128, CV_32F, (void*)nchw.ptr<float>()), pixels);
    const int shape[] = {1, 128, 128, 3};
    return Mat(4, shape, CV_32F, pixels.ptr<float>()).clone();
}

/** Pearson correlation of two maps of the same size (normalized cross-correlation of the
    mean-subtracted maps at the one offset). */
double correlation(const Mat& a, const Mat& b)
{
    Mat r;
    matchTemplate(a, b, r, TM_CCOEFF_NORMED);
    return r.at<float>(0);
}

/** D-RISE (N masks) vs N plain forward passes of the blob with every output read: masking,
    decoding and scoring on top of the forwards. BlazeFace refuses batches, so both run one
    input per pass. */
void BM_DRiseVsPlainForwards(benchmark::State& state)
{
    if (!haveBlazeFace(state))
        return;
    FaceScene s = faceScene("astronaut.png");
    xcam::CAMMethodParams p;
    p.numMasks = (int)state.range(0);
    dnn::Net net = s.model->getNet();
    const Mat blob = nhwcBlob(s.image);
    const std::vector<String> names = net.getUnconnectedOutLayersNames();
    std::vector<Mat> outs, maps;
    comparePaired(state,
                  [&] {
                      for (int i = 0; i < p.numMasks; ++i)
                      {
                          net.setInput(blob);
                          net.forward(outs, names);
                      }
                  },
                  [&] { s.model->explain(s.image, s.faces, xcam::CAM_METHOD_RISE, maps, p); });
    state.counters["forwards"] = p.numMasks;
}

/** Eigen-CAM of the image's face vs one detect() (preprocessing, forward, decoding, NMS). */
void BM_EigenCamVsDetect(benchmark::State& state)
{
    if (!haveBlazeFace(state))
        return;
    FaceScene s = faceScene("astronaut.png");
    std::vector<xcam::Detection> dets;
    std::vector<Mat> maps;
    comparePaired(state, [&] { s.model->detect(s.image, dets); },
                  [&] { s.model->explain(s.image, s.faces, xcam::CAM_METHOD_EIGENCAM, maps); });
}

/** Pearson correlation of the D-RISE maps of seeds 0 and 1 at N masks (grid 16) on a face
    photo; antithetic (range 1) or independent masks (range 0). s_per_map: wall time of one map.
    Hours in all under load: pick cases with --benchmark_filter. */
void BM_Long_DRiseSeedCorrelation(benchmark::State& state)
{
    if (!haveBlazeFace(state))
        return;
    const char* images[] = {"astronaut.png", "grace_hopper.bmp"};
    FaceScene s = faceScene(images[state.range(2)]);
    xcam::CAMMethodParams p;
    p.numMasks = (int)state.range(0);
    p.keepProbability = state.range(1) ? 0.5 : 0.5 - 1e-9;
    std::vector<Mat> a, b;
    double r = 0;
    for (auto _ : state)
    {
        p.seed = 0;
        s.model->explain(s.image, s.faces, xcam::CAM_METHOD_RISE, a, p);
        p.seed = 1;
        s.model->explain(s.image, s.faces, xcam::CAM_METHOD_RISE, b, p);
        r = correlation(a[0], b[0]);
    }
    state.SetLabel(images[state.range(2)]);
    state.counters["seed_correlation"] = r;
    state.counters["s_per_map"] = benchmark::Counter(
        2 * (double)state.iterations(), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

} // namespace

BENCHMARK(BM_DRiseVsPlainForwards)->Arg(256)->ArgName("masks")->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EigenCamVsDetect)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Long_DRiseSeedCorrelation)
    ->ArgsProduct({{1000, 2000, 3000, 4000, 8000}, {1, 0}, {0, 1}})
    ->ArgNames({"masks", "antithetic", "image"})->Iterations(1)->UseRealTime()
    ->Unit(benchmark::kSecond);
