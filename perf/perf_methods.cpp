// The method family on top of the forward pass: every method, all top-3 classes, against a plain
// net.forward() of the same blob (MobileNetV2 of ../shared), and the head re-evaluations batched
// against one at a time.
#include "perf_mobilenet.hpp"

using namespace cv;
using namespace xcam_perf;

namespace {

/** explain() with the benchmark's method for the top-3 classes (forward included) vs a plain
    forward of the same blob. */
void methodVsForward(benchmark::State& state, const std::string& path, const Mat& blob)
{
    const int method = (int)state.range(0);
    state.SetLabel(xcam::getCAMMethodName(method));
    dnn::Net net = dnn::readNet(path);
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(path);
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<Mat> maps;
    model->forward(blob);
    model->getTopK(3, ids, probs);
    Mat scores;
    comparePaired(state, plainForward(net, blob, scores),
                  [&] { model->explain(blob, method, ids, maps); });
}

/** Ablation-CAM or Recipro-CAM with the head re-evaluated, batched (batchSize 32) vs one copy at
    a time (batchSize 1). */
void reevaluationBatchedVsOne(benchmark::State& state, const std::string& path, const Mat& blob)
{
    const int method = (int)state.range(0);
    state.SetLabel(xcam::getCAMMethodName(method));
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(path);
    xcam::CAMMethodParams one, batched;
    one.closedForm = batched.closedForm = false;  // GAP->FC heads: not the closed forms
    one.batchSize = 1;
    std::vector<Mat> maps;
    comparePaired(state, [&] { model->explain(blob, method, {}, maps, one); },
                  [&] { model->explain(blob, method, {}, maps, batched); });
}

Mat mobilenetBlob()
{
    return dnn::blobFromImage(frame640x480(), kScale, kSize, kMean, true, false);
}

void BM_MethodVsForward(benchmark::State& state)
{
    if (haveModel(state))
        methodVsForward(state, shared(kModel), mobilenetBlob());
}

void BM_HeadReevaluationBatchedVsOne(benchmark::State& state)
{
    if (haveModel(state))
        reevaluationBatchedVsOne(state, shared(kModel), mobilenetBlob());
}

/** The VGG-style demo model (flatten -> FC -> ReLU -> Dropout -> FC head, no global pooling). */
std::string vggModel()
{
    return std::string(XCAM_DATA_DIR) + "/fashion_vgg.onnx";
}

Mat vggBlob()
{
    Mat image(28, 28, CV_8UC1);
    RNG(5).fill(image, RNG::UNIFORM, 0, 256);
    return dnn::blobFromImage(image, 1.0 / 255);
}

bool haveVgg(benchmark::State& state)
{
    if (std::ifstream(vggModel()).good())
        return true;
    state.SkipWithError(("demo model not found: " + vggModel()).c_str());
    return false;
}

void BM_VggMethodVsForward(benchmark::State& state)
{
    if (haveVgg(state))
        methodVsForward(state, vggModel(), vggBlob());
}

void BM_VggReevaluationBatchedVsOne(benchmark::State& state)
{
    if (haveVgg(state))
        reevaluationBatchedVsOne(state, vggModel(), vggBlob());
}

/** Every method of one forward pass (getCAMMethods), CAM too when `withCAM`. */
void oneForwardMethods(benchmark::internal::Benchmark* b, bool withCAM)
{
    for (const xcam::CAMMethodInfo& m : xcam::getCAMMethods())
        if (!m.manyForwards && (withCAM || m.needs != xcam::CAM_NEEDS_CAM_HEAD))
            b->Arg(m.method);
}

/** The methods that re-evaluate the head (Ablation-CAM, Recipro-CAM). */
void reevaluationMethods(benchmark::internal::Benchmark* b)
{
    for (const xcam::CAMMethodInfo& m : xcam::getCAMMethods())
        if (m.family == "reevaluation")
            b->Arg(m.method);
}

} // namespace

BENCHMARK(BM_MethodVsForward)
    ->Apply([](benchmark::internal::Benchmark* b) { oneForwardMethods(b, true); })
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HeadReevaluationBatchedVsOne)
    ->Apply(reevaluationMethods)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

BENCHMARK(BM_VggMethodVsForward)  // no CAM: the VGG head has no GAP->FC
    ->Apply([](benchmark::internal::Benchmark* b) { oneForwardMethods(b, false); })
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_VggReevaluationBatchedVsOne)
    ->Apply(reevaluationMethods)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
