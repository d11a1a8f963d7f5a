// The real pretrained models of ../shared/models (XCAM_SHARED): the layers auto-detection must
// find (from each model's README), the predictions those READMEs list for ../shared/images, and
// the CAM identity against a plain cv::dnn forward of the same image.
#include "test_common.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>

using namespace cv;
using namespace xcam_test;

namespace {

struct Prediction
{
    const char* image;
    Rect crop;              // face box for the emotion model; empty: the whole image
    int ids[3];
    float probs[3];
};

struct RealModel
{
    const char* name;
    const char* file;       // under models/
    const char* labels;
    double scale;
    Size size;
    bool swapRB;
    bool gray;
    const char* feature;    // from the model's README
    const char* fc;
    const char* reference;  // the layer whose output the identity is checked against
    std::vector<Prediction> predictions;
};

std::ostream& operator<<(std::ostream& os, const RealModel& m) { return os << m.name; }

const RealModel kModels[] = {
    {"mobilenet_v2", "mobilenet_v2_1.0_224_imagenet/mobilenet_v2_1.0_224.onnx",
     "mobilenet_v2_1.0_224_imagenet/labels.txt", 1.0 / 127.5, Size(224, 224), true, false,
     "onnx_node!Conv_1/Relu6", "onnx_node!logits", "onnx_node!logits",
     {{"chelsea.png", Rect(), {286, 283, 282}, {.774f, .138f, .082f}},
      {"coffee.png", Rect(), {968, 969, 961}, {.994f, .003f, .001f}},
      {"bird.bmp", Rect(), {20, 14, 18}, {.995f, .002f, .001f}},
      {"dog.jpg", Rect(), {250, 236, 249}, {.394f, .133f, .128f}},
      {"grace_hopper.bmp", Rect(), {653, 835, 753}, {.908f, .017f, .009f}}}},
    {"mobilenet_v1", "mobilenet_v1_0.5_160_imagenet/mobilenet_v1_0.5_160.onnx",
     "mobilenet_v1_0.5_160_imagenet/labels.txt", 1.0 / 127.5, Size(160, 160), true, false,
     "onnx_node!Conv2d_13_pointwise/Relu6", "onnx_node!logits", "onnx_node!logits",
     {{"chelsea.png", Rect(), {286, 283, 282}, {.714f, .167f, .079f}},
      {"coffee.png", Rect(), {968, 969, 961}, {.961f, .017f, .007f}},
      {"bird.bmp", Rect(), {20, 18, 17}, {.994f, .003f, .003f}},
      {"dog.jpg", Rect(), {230, 240, 239}, {.100f, .092f, .083f}},
      {"grace_hopper.bmp", Rect(), {401, 668, 458}, {.240f, .226f, .176f}}}},
    {"mini_xception_emotion", "mini_xception_fer2013_emotion/fer2013_mini_XCEPTION.onnx",
     "mini_xception_fer2013_emotion/labels.txt", 1.0 / 127.5, Size(64, 64), false, true,
     "onnx_node!conv2d_7", "", "onnx_node!global_average_pooling2d_1/pool",
     {{"astronaut.png", Rect(176, 66, 95, 95), {3, 5, 6}, {.988f, .010f, .001f}},
      {"grace_hopper.bmp", Rect(147, 102, 239, 239), {6, 0, 4}, {.952f, .031f, .012f}}}},
};

Mat loadInput(const RealModel& m, const Prediction& p)
{
    Mat image = imread(shared("images/" + std::string(p.image)), IMREAD_COLOR);
    CV_Assert(!image.empty());
    if (m.gray)
        cvtColor(image, image, COLOR_BGR2GRAY);
    return p.crop.empty() ? image : image(p.crop).clone();
}

Ptr<xcam::CAMModel> makeModel(const RealModel& m)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(shared("models/" + std::string(m.file)));
    model->setInputParams(m.scale, m.size, Scalar::all(127.5), m.swapRB, false);
    model->setLabels(xcam::readClassLabels(shared("models/" + std::string(m.labels))));
    return model;
}

class RealModels : public ::testing::TestWithParam<RealModel>
{
};

} // namespace

TEST_P(RealModels, AutoDetectsTheLayersOfTheReadme)
{
    XCAM_REQUIRE_SHARED();
    const RealModel& m = GetParam();
    Ptr<xcam::CAMModel> model = makeModel(m);
    model->forward(loadInput(m, m.predictions[0]));
    EXPECT_EQ(model->getFeatureLayer(), m.feature);
    EXPECT_EQ(model->getFCLayer(), m.fc);
    EXPECT_EQ(model->isClassMapMode(), *m.fc == 0);
}

TEST_P(RealModels, TopThreeMatchTheReadme)
{
    XCAM_REQUIRE_SHARED();
    const RealModel& m = GetParam();
    Ptr<xcam::CAMModel> model = makeModel(m);
    for (const Prediction& p : m.predictions)
    {
        std::vector<int> ids;
        std::vector<float> probs;
        std::vector<Mat> maps;
        model->classify(loadInput(m, p), 3, ids, probs, maps);
        ASSERT_EQ(ids.size(), 3u);
        for (int i = 0; i < 3; ++i)
        {
            EXPECT_EQ(ids[i], p.ids[i]) << p.image << " rank " << i + 1;
            EXPECT_NEAR(probs[i], p.probs[i], 2e-3) << p.image << " rank " << i + 1;
        }
        std::printf("[ %s ] %s: %d %s (%.3f), %d %s (%.3f), %d %s (%.3f)\n", m.name, p.image,
                    ids[0], model->getLabel(ids[0]).c_str(), probs[0], ids[1],
                    model->getLabel(ids[1]).c_str(), probs[1], ids[2],
                    model->getLabel(ids[2]).c_str(), probs[2]);
    }
}

TEST_P(RealModels, MeanOfEveryMapPlusBiasIsTheNetsOwnScore)
{
    XCAM_REQUIRE_SHARED();
    const RealModel& m = GetParam();
    Ptr<xcam::CAMModel> model = makeModel(m);
    dnn::Net plain = dnn::readNet(shared("models/" + std::string(m.file)));
    double worst = 0, worstProb = 0;
    for (const Prediction& p : m.predictions)
    {
        const Mat input = loadInput(m, p);
        plain.setInput(dnn::blobFromImage(input, m.scale, m.size, Scalar::all(127.5), m.swapRB,
                                          false));
        std::vector<Mat> outs;
        plain.forward(outs, std::vector<String>{m.reference, plain.getUnconnectedOutLayersNames()[0]});
        const Mat reference = outs[0].reshape(1, 1), netProbs = outs[1].reshape(1, 1);

        model->forward(input);
        const int classes = model->getNumClasses();
        ASSERT_EQ(classes, reference.cols);
        std::vector<int> all(classes);
        for (int c = 0; c < classes; ++c)
            all[c] = c;
        std::vector<Mat> maps;
        model->getCAMs(all, maps);
        const Mat bias = model->getFCBias();
        Mat recovered(1, classes, CV_32F);
        for (int c = 0; c < classes; ++c)
            recovered.at<float>(c) = (float)mean(maps[c])[0] + (bias.empty() ? 0.f : bias.at<float>(c));
        worst = std::max(worst, maxRelativeError(recovered, reference));
        worstProb = std::max(worstProb, norm(model->getProbabilities(), netProbs, NORM_INF));
    }
    EXPECT_LT(worst, 1e-4);
    EXPECT_LT(worstProb, 1e-5);
    std::printf("[ %s ] identity mean(CAM_c)+b_c vs net score, all classes, %d images: max "
                "relative error %.3g; probabilities vs the net's Softmax: max abs diff %.3g\n",
                m.name, (int)m.predictions.size(), worst, worstProb);
}

INSTANTIATE_TEST_CASE_P(Shared, RealModels, ::testing::ValuesIn(kModels),
                        [](const ::testing::TestParamInfo<RealModel>& info)
                        { return std::string(info.param.name); });
