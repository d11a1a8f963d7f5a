// Inputs found by the fuzzers (fuzz/), as plain tests.
#include "test_common.hpp"

using namespace cv;
using namespace xcam_test;

namespace {

// fuzz/crashes/explain/rise_denormal_keep_probability: RISE accepts any keepProbability in
// (0, 1], but scales the sum of masked scores by 1 / (numMasks * p) in float: for a tiny p that
// factor is +inf, and the all-zero sum (no cell is ever kept) becomes NaN everywhere. Rejecting
// such a p, or a finite map, are both fine; NaN is not.
TEST(FuzzRegressions, RiseWithATinyKeepProbabilityGivesAFiniteMapOrAnError)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    const int shape[] = {1, 3, 5, 7};
    const Mat blob(4, shape, CV_32F, Scalar(0.5));
    xcam::CAMMethodParams p;
    p.numMasks = 3;
    p.gridSize = 1;
    p.keepProbability = 1.4e-45;  // a denormal float, > 0
    std::vector<Mat> maps;
    try
    {
        model->explain(blob, xcam::CAM_METHOD_RISE, {0}, maps, p);
    }
    catch (const cv::Exception& e)
    {
        EXPECT_NE(e.err.find("keepProbability"), std::string::npos) << e.err;
        return;
    }
    ASSERT_EQ(maps.size(), 1u);
    EXPECT_TRUE(checkRange(maps[0])) << "the RISE map holds NaN or infinity";
}

} // namespace
