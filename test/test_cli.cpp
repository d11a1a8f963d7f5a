// xcam_cam end to end: its printed top-k and its --save file against CAMModel in process,
// on the small nets and on a real model; errors give one line and a non-zero exit.
#include "cli_runner.hpp"
#include "test_nets.hpp"

#include <opencv2/imgcodecs.hpp>

#include <cstdio>

using namespace cv;
using namespace xcam_test;

namespace {

const char* kSmallArgs = " --width=7 --height=5 --scale=0.015625 --mean=\"100 120 140\" --rgb";

Ptr<xcam::CAMModel> smallModel(const std::string& image, Mat& loaded)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    model->setInputParams(1.0 / 64, Size(7, 5), Scalar(100, 120, 140), true, false);
    loaded = imread(image);
    model->forward(loaded);
    return model;
}

} // namespace

TEST(XcamCamCli, PrintsTopKAndSavesWhatTheModelComputes)
{
    const std::string image = smallImage(), save = testdata("cli_out.yml");
    std::remove(save.c_str());
    const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + image +
                         kSmallArgs + " --topk=3 --save=" + save);
    ASSERT_EQ(r.status, 0) << r.err;

    Mat loaded;
    Ptr<xcam::CAMModel> model = smallModel(image, loaded);
    std::vector<int> ids;
    std::vector<float> probs;
    model->getTopK(3, ids, probs);

    const std::vector<std::string> printed = lines(r.out);
    ASSERT_EQ(printed.size(), 3u) << r.out;
    for (int i = 0; i < 3; ++i)
    {
        int rank = 0, id = -1;
        char label[64] = {0};
        float prob = -1;
        ASSERT_EQ(std::sscanf(printed[i].c_str(), "%d %d %63s %f", &rank, &id, label, &prob), 4)
            << printed[i];
        EXPECT_EQ(rank, i + 1);
        EXPECT_EQ(id, ids[i]);
        EXPECT_STREQ(label, "-");  // no --classes
        EXPECT_NEAR(prob, probs[i], 1e-4);
    }

    FileStorage fs(save, FileStorage::READ);
    ASSERT_TRUE(fs.isOpened());
    std::vector<int> savedIds;
    std::vector<float> savedProbs, savedLogits;
    fs["class_ids"] >> savedIds;
    fs["probabilities"] >> savedProbs;
    fs["logits"] >> savedLogits;
    EXPECT_EQ(savedIds, ids);
    EXPECT_TRUE(fs["scores"].empty());  // renamed to probabilities
    ASSERT_EQ(savedProbs.size(), 3u);
    ASSERT_EQ(savedLogits.size(), 3u);
    for (int i = 0; i < 3; ++i)
    {
        EXPECT_NEAR(savedProbs[i], probs[i], 1e-6);
        EXPECT_NEAR(savedLogits[i], model->getScores().at<float>(ids[i]), 1e-5);
    }
    EXPECT_EQ((std::string)fs["method"], "cam");
    EXPECT_EQ((std::string)fs["feature_layer"], "onnx_node!features/relu");
    EXPECT_EQ((std::string)fs["fc_layer"], "onnx_node!fc");
    EXPECT_TRUE(fs["labels"].empty());
    Mat cam, expected;
    fs["cam"] >> cam;
    model->getCAM(ids[0], expected);
    ASSERT_EQ(cam.type(), CV_32F);
    ASSERT_EQ(cam.size(), Size(7, 5));
    EXPECT_LT(maxRelativeError(cam, expected), 1e-6);
}

TEST(XcamCamCli, ClassOptionPicksTheMapAndJsonWorks)
{
    const std::string image = smallImage(), save = testdata("cli_out.json");
    const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + image +
                         kSmallArgs + " --class=4 --topk=1 --save=" + save);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lines(r.out).size(), 1u);
    Mat loaded;
    Ptr<xcam::CAMModel> model = smallModel(image, loaded);
    FileStorage fs(save, FileStorage::READ | FileStorage::FORMAT_JSON);
    ASSERT_TRUE(fs.isOpened());
    Mat cam, expected;
    fs["cam"] >> cam;
    model->getCAM(4, expected);
    EXPECT_LT(maxRelativeError(cam, expected), 1e-6);
    EXPECT_EQ((int)fs["cam_class"], 4);
}

TEST(XcamCamCli, ClassMapNetSavesAnEmptyFcLayerAndLabels)
{
    const std::string image = smallImage(), save = testdata("cli_classmap.yml");
    const std::string labels = testdata("cli_labels.txt");
    {
        FILE* f = fopen(labels.c_str(), "w");
        ASSERT_TRUE(f);
        fputs("cat\ndog\nbird\nfish\n", f);
        fclose(f);
    }
    const CliRun r = runCam("--model=" + testdata("squeezenet_like.caffemodel") + " --config=" +
                         testdata("squeezenet_like.prototxt") + " --classes=" + labels +
                         " --input=" + image + " --width=7 --height=5 --save=" + save);
    ASSERT_EQ(r.status, 0) << r.err;
    FileStorage fs(save, FileStorage::READ);
    ASSERT_TRUE(fs.isOpened());
    EXPECT_EQ((std::string)fs["feature_layer"], "relu_conv10");
    EXPECT_EQ((std::string)fs["fc_layer"], "");
    std::vector<std::string> savedLabels;
    std::vector<int> ids;
    fs["labels"] >> savedLabels;
    fs["class_ids"] >> ids;
    ASSERT_EQ(savedLabels.size(), 3u);
    const char* names[] = {"cat", "dog", "bird", "fish"};
    EXPECT_EQ(savedLabels[0], names[ids[0]]);
    EXPECT_NE(r.out.find(std::string(" ") + names[ids[0]] + " "), std::string::npos) << r.out;
}

TEST(XcamCamCli, RealModelPrintsTheReadmesTopClass)
{
    XCAM_REQUIRE_SHARED();
    const std::string dir = shared("models/mobilenet_v2_1.0_224_imagenet/");
    const std::string save = testdata("cli_chelsea.yml");
    const CliRun r = runCam("--model=" + dir + "mobilenet_v2_1.0_224.onnx --classes=" + dir +
                         "labels.txt --width=224 --height=224 --scale=0.00784313725490196 "
                         "--mean=\"127.5 127.5 127.5\" --rgb --input=" +
                         shared("images/chelsea.png") + " --save=" + save);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::vector<std::string> printed = lines(r.out);
    ASSERT_EQ(printed.size(), 3u);
    EXPECT_EQ(printed[0].rfind("1 286 Egyptian cat 0.77", 0), 0u) << printed[0];
    FileStorage fs(save, FileStorage::READ);
    std::vector<std::string> labels;
    fs["labels"] >> labels;
    ASSERT_EQ(labels.size(), 3u);
    EXPECT_EQ(labels[1], "tiger cat");
    EXPECT_EQ((std::string)fs["feature_layer"], "onnx_node!Conv_1/Relu6");
    Mat cam;
    fs["cam"] >> cam;
    EXPECT_EQ(cam.size(), Size(7, 7));
}

TEST(XcamCamCli, ErrorsGiveOneClearLineAndNonZeroExit)
{
    const std::string image = smallImage(), model = testdata("gap_fc_gemm.onnx");
    const ErrorCase cases[] = {
        {"--model=" + testdata("missing.onnx") + " --input=" + image, "cannot read model"},
        {"--model=" + model + " --input=" + testdata("missing.png"), "cannot read input"},
        {"--model=" + model, "cannot open camera 0"},  // no --input: the webcam, as OpenCV's samples
        {"--input=" + image, "--model is required"},
        {"--model=" + model + " --input=" + image + kSmallArgs + " --feature=features/rel",
         "nearest names: 'onnx_node!features/relu'"},
        {"--model=" + model + " --input=" + image + kSmallArgs + " --class=5",
         "classId 5 is out of range [0, 5)"},
        {"--model=" + model + " --input=" + image + kSmallArgs + " --topk=0",
         "--topk '0' must be in [1, 2147483647]"},
        {"--model=" + model + " --input=" + image + " --bias=half", "--bias must be"},
    };
    for (const ErrorCase& c : cases)
        expectOneErrorLine(c.args, c.message);
}
