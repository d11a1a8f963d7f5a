// xcam_cam --method: the map saved is CAMModel::explain's for that method, the records name the
// method, auto picks the model's default, and the method parameters reach the model.
#include "cli_runner.hpp"
#include "test_nets.hpp"

#include "common/explainer.hpp"
#include "common/progress.hpp"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>

using namespace cv;
using namespace xcam_test;

namespace {

const char* kSmallArgs = " --width=7 --height=5 --scale=0.015625 --mean=\"100 120 140\" --rgb --headless";

Mat explained(const std::string& net, const std::string& image, int method, int classId)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata(net));
    model->setInputParams(1.0 / 64, Size(7, 5), Scalar(100, 120, 140), true, false);
    std::vector<Mat> maps;
    model->explain(imread(image), method, {classId}, maps);
    return maps[0];
}

} // namespace

TEST(XcamCamMethods, SavedMapIsExplainsMapForEveryHeadMethod)
{
    const std::string image = smallImage(12), save = scratch("_out.yml");
    for (int method : methodsOfForwards(false))
    {
        const std::string name = xcam::getCAMMethodName(method);
        const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + image +
                                kSmallArgs + " --class=2 --method=" + name + " --save=" + save);
        ASSERT_EQ(r.status, 0) << name << "\n" << r.err;
        FileStorage fs(save, FileStorage::READ);
        EXPECT_EQ((std::string)fs["method"], name);
        Mat cam;
        fs["cam"] >> cam;
        const Mat expected = explained("gap_fc_gemm.onnx", image, xcam::parseCAMMethod(name), 2);
        ASSERT_EQ(cam.size(), expected.size()) << name;
        EXPECT_LE(norm(cam, expected, NORM_INF), 1e-5 * (1 + norm(expected, NORM_INF))) << name;
    }
}

TEST(XcamCamMethods, AutoIsTheModelsDefaultAndJsonlNamesIt)
{
    const std::string image = smallImage(12), results = scratch("_r.jsonl");
    // GAP->FC head: CAM; no global pooling (VGG-like): CAM does not apply, Grad-CAM is the default.
    const std::pair<const char*, const char*> cases[] = {{"gap_fc_gemm.onnx", "\"method\": \"cam\""},
                                                         {"flat_fc.onnx", "\"method\": \"gradcam\""}};
    for (const auto& c : cases)
    {
        const CliRun r = runCam("--model=" + testdata(c.first) + " --input=" + image + kSmallArgs +
                                " --results=" + results);
        ASSERT_EQ(r.status, 0) << c.first << "\n" << r.err;
        EXPECT_NE(readFile(results).find(c.second), std::string::npos) << readFile(results);
    }
}

TEST(XcamCamMethods, UnsupportedMethodIsOneErrorLine)
{
    const std::string image = smallImage(12);
    const CliRun r = runCam("--model=" + testdata("flat_fc.onnx") + " --input=" + image + kSmallArgs +
                            " --method=cam");
    EXPECT_EQ(r.status, 1);
    const std::vector<std::string> err = ourLines(r.err);
    ASSERT_EQ(err.size(), 1u) << r.err;
    EXPECT_EQ(err[0].rfind("xcam_cam: error: ", 0), 0u) << err[0];
}

TEST(XcamCamMethods, WindowKeyMCyclesThroughTheFastMethodsTheModelSupports)
{
    // samples/common/explainer.hpp in process: key m's order, skipping what the head cannot do.
    for (const char* net : {"gap_fc_gemm.onnx", "flat_fc.onnx"})
    {
        Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata(net));
        model->setInputParams(1.0 / 64, Size(7, 5), Scalar(100, 120, 140), true, false);
        const Mat image = imread(smallImage(12));
        xcam_samples::Explainer explainer(*model, -1, xcam::CAMMethodParams(), 3, -1);
        xcam_samples::ImageResult result;
        Mat cam;
        int camClass = -1;
        explainer.run(image, 0, result, cam, camClass);
        const int first = explainer.method();
        EXPECT_EQ(first, model->getDefaultMethod()) << net;
        std::vector<int> seen{first};
        for (explainer.nextFastMethod(); explainer.method() != first; explainer.nextFastMethod())
        {
            seen.push_back(explainer.method());
            ASSERT_LT(seen.size(), 20u) << net;
        }
        for (int m : seen)
        {
            EXPECT_TRUE(model->supportsMethod(m)) << net << " " << m;
            EXPECT_FALSE(xcam_samples::isLongMethod(m));
        }
        EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end())) << net;  // cam, gradcam, ... in order
        // Every method of one forward pass; flat_fc's head has no CAM.
        const size_t fast = methodsOfForwards(false).size();
        EXPECT_EQ(seen.size(), std::string(net) == "flat_fc.onnx" ? fast - 1 : fast) << net;
    }
}

TEST(XcamCamMethods, LongMethodsDrawAProgressBarOnStderr)
{
    // The callback xcam_cam gives CAMModel::setProgressCallback for scorecam, occlusion and rise;
    // stderr is not a terminal here: one line per tenth, never cancelling.
    EXPECT_TRUE(xcam_samples::isLongMethod(xcam::CAM_METHOD_SCORECAM));
    EXPECT_TRUE(xcam_samples::isLongMethod(xcam::CAM_METHOD_RISE));
    ::testing::internal::CaptureStderr();  // before the bar looks whether stderr is a terminal
    const xcam::CAMProgressCallback bar = xcam_samples::progressBar("rise");
    for (int done = 0; done <= 200; done += 5)
        EXPECT_TRUE(bar(done, 200));
    const std::vector<std::string> printed = lines(::testing::internal::GetCapturedStderr());
    ASSERT_EQ(printed.size(), 11u);
    EXPECT_EQ(printed[0], "xcam_cam: rise [..............................] 0/200");
    EXPECT_EQ(printed[5], "xcam_cam: rise [###############...............] 100/200");
    EXPECT_EQ(printed[10], "xcam_cam: rise [##############################] 200/200");
}
