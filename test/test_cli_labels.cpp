// The samples' class names (samples/common/labels.hpp) on a net with fewer classes than the
// top-3 and no labels, and cam_webcam on such a net under a virtual display.
#include "cli_runner.hpp"
#include "test_nets.hpp"

#include "common/labels.hpp"

#include <opencv2/videoio.hpp>

using namespace cv;
using namespace xcam_test;

TEST(XcamSamplesLabels, CaptionOfATwoClassNetWithoutLabelsUsesIds)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("two_class.onnx"));
    model->setInputParams(1.0 / 64, Size(7, 5), Scalar(100, 120, 140), true, false);
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<Mat> maps;
    model->classify(imread(smallImage()), 3, ids, probs, maps);
    ASSERT_EQ(ids.size(), 2u);  // clipped to the class count
    char expected[64];
    std::snprintf(expected, sizeof(expected), "#%d, #%d / %.3f, %.3f", ids[0], ids[1], probs[0], probs[1]);
    EXPECT_EQ(xcam_samples::caption(*model, ids, probs), expected);

    model->setLabels({"cat, tabby", "dog"});
    EXPECT_EQ(xcam_samples::labelOrId(*model, 0), "cat, tabby");
    EXPECT_EQ(xcam_samples::shortLabel(*model, 0), "cat");
    EXPECT_EQ(xcam_samples::toBGR(Mat(2, 2, CV_8UC1)).type(), CV_8UC3);
}

TEST(XcamSamplesLabels, CamWebcamRunsOnATwoClassNetUnderAVirtualDisplay)
{
    ASSERT_EQ(std::system("command -v xvfb-run >/dev/null"), 0) << "xvfb-run missing (apt-get install xvfb)";
    const std::string dir = freshDir("_dir"), video = dir + "/in.avi", err = dir + "/err.txt";
    writeRandomVideo(video, 4, 60);
    const int status = runUnderXvfb(XCAM_WEBCAM_EXE, "--model=" + testdata("two_class.onnx") +
                                    " --width=7 --height=5 --camera=" + video, err);
    EXPECT_EQ(status, 0) << readFile(err);
}
