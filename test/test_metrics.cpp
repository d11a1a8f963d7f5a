// Metrics (metrics.cpp): deletion / insertion AUC, Average Drop / Increase in Confidence, pointing
// game, on the region-only net (test_region_net.hpp) where the answers are known,
// and on the Fashion-MNIST demo model with its own CAM.
#include "test_common.hpp"
#include "test_region_net.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <fstream>
#include <limits>

using namespace cv;
using namespace xcam_test;

namespace {

Mat regionMap()
{
    Mat m = Mat::zeros(kRegionSide, kRegionSide, CV_32F);
    m(kRegion).setTo(1);
    return m;
}

// The blob with every channel's pixels where `mask` is 0 set to 0.
Mat masked(const Mat& blob, const Mat& mask)
{
    Mat out = blob.clone();
    for (int c = 0; c < blob.size[1]; ++c)
        Mat(kRegionSide, kRegionSide, CV_32F, out.ptr<float>(0, c)).setTo(0, mask == 0);
    return out;
}

} // namespace

// After forward(image), the metrics of that image run their masked forwards only (deletion's
// step 0 is the clean input: its score is taken too), with the values of a fresh model; after a
// forward of another image they run the clean forward again.
TEST(Metrics, TakeTheCleanScoresOfTheLastForward)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(makeRegionNet(kRegion, true));
    Ptr<xcam::CAMModel> fresh = xcam::CAMModel::create(makeRegionNet());
    Mat image(kRegionSide, kRegionSide, CV_32FC3), other;
    RNG(3).fill(image, RNG::UNIFORM, 0.2, 1.0);
    other = image * 0.5;
    for (xcam::CAMModel* m : {model.get(), fresh.get()})
        m->setInputParams(1.0, Size(kRegionSide, kRegionSide));
    const Mat map = regionMap();
    int& calls = CountingLayer::calls();

    model->forward(image);
    calls = 0;
    const double del = xcam::deletionAUC(model, image, map, 0, 4);
    EXPECT_EQ(calls, 1);  // steps 1..4 in one batch
    calls = 0;
    const double ins = xcam::insertionAUC(model, image, map, 0, 4);
    EXPECT_EQ(calls, 1);  // steps 0..4 in one batch
    calls = 0;
    double drop = 0;
    bool increase = false;
    xcam::confidenceChange(model, image, map, 0, drop, increase);
    EXPECT_EQ(calls, 1);
    EXPECT_NEAR(del, xcam::deletionAUC(fresh, image, map, 0, 4), 1e-6);
    EXPECT_NEAR(ins, xcam::insertionAUC(fresh, image, map, 0, 4), 1e-6);
    double freshDrop = 0;
    xcam::confidenceChange(fresh, image, map, 0, freshDrop, increase);
    EXPECT_NEAR(drop, freshDrop, 1e-6);

    model->forward(other);
    calls = 0;
    EXPECT_NEAR(xcam::deletionAUC(model, image, map, 0, 4), del, 1e-6);
    EXPECT_EQ(calls, 2);  // the clean forward of `image`, then the batch
}

TEST(Metrics, TrueRegionBeatsRandomMaps)
{
    // A bright region on a dark background: blurring spreads it out, so insertion tells too.
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(makeRegionNet());
    const Mat input = masked(makeRegionInput(), regionMap());
    RNG rng(3);
    for (int trial = 0; trial < 3; ++trial)
    {
        Mat random(kRegionSide, kRegionSide, CV_32F);
        rng.fill(random, RNG::UNIFORM, 0, 1);
        const double delTrue = xcam::deletionAUC(model, input, regionMap(), 0);
        const double insTrue = xcam::insertionAUC(model, input, regionMap(), 0);
        const double delRandom = xcam::deletionAUC(model, input, random, 0);
        const double insRandom = xcam::insertionAUC(model, input, random, 0);
        EXPECT_LT(delTrue + 0.05, delRandom);
        EXPECT_GT(insTrue, insRandom + 0.05);
        for (double auc : {delTrue, insTrue, delRandom, insRandom})
        {
            EXPECT_GE(auc, 0);
            EXPECT_LE(auc, 1);
        }
    }
}

TEST(Metrics, CurvesKnownAnswers)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(makeRegionNet());
    dnn::Net net = makeRegionNet();
    const Mat blob = makeRegionInput(), zero = Mat::zeros(4, blob.size.p, CV_32F);
    const float p = plainProbability(net, blob, 0), pZero = plainProbability(net, zero, 0);
    Mat blurred = blob.clone();
    for (int c = 0; c < 3; ++c)
    {
        Mat plane(kRegionSide, kRegionSide, CV_32F, blurred.ptr<float>(0, c));
        GaussianBlur(plane, plane, Size(11, 11), 5);
    }
    const float pBlur = plainProbability(net, blurred, 0);
    EXPECT_NEAR(xcam::deletionAUC(model, blob, regionMap(), 0, 1), 0.5 * (p + pZero), 1e-6);
    EXPECT_NEAR(xcam::insertionAUC(model, blob, regionMap(), 0, 1), 0.5 * (pBlur + p), 1e-6);

    // Constant map, 2 steps: ties in pixel order, so step 1 removes rows 0..7.
    Mat top = Mat::ones(kRegionSide, kRegionSide, CV_8U);
    top.rowRange(0, 8).setTo(0);
    const float pHalf = plainProbability(net, masked(blob, top), 0);
    const Mat constant(5, 5, CV_32F, Scalar(2));
    EXPECT_NEAR(xcam::deletionAUC(model, blob, constant, 0, 2),
                0.25 * (p + pHalf) + 0.25 * (pHalf + pZero), 1e-6);
    EXPECT_GT(std::abs(pHalf - p), 1e-3);  // the half mattered: the region is in rows 3..6

    // A smaller map is resized bilinearly: the same as passing the resized map.
    Mat small(4, 4, CV_32F);
    RNG(5).fill(small, RNG::UNIFORM, 0, 1);
    Mat big;
    resize(small, big, Size(kRegionSide, kRegionSide), 0, 0, INTER_LINEAR);
    EXPECT_DOUBLE_EQ(xcam::deletionAUC(model, blob, small, 0, 7),
                     xcam::deletionAUC(model, blob, big, 0, 7));
    EXPECT_DOUBLE_EQ(xcam::insertionAUC(model, blob, small, 0, 7, 1),  // batch size: no effect
                     xcam::insertionAUC(model, blob, big, 0, 7, 32));
}

TEST(Metrics, ConfidenceChange)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(makeRegionNet());
    dnn::Net net = makeRegionNet();
    const Mat blob = makeRegionInput();
    double drop = -1;
    bool increase = true;
    // Keeping exactly the region keeps the score: no drop, no increase.
    xcam::confidenceChange(model, blob, regionMap(), 0, drop, increase);
    EXPECT_NEAR(drop, 0, 1e-6);
    EXPECT_FALSE(increase);
    // A map that is 0 on the region removes it.
    const Mat inverse = 1 - regionMap();
    const double y = plainProbability(net, blob, 0);
    const double y2 = plainProbability(net, masked(blob, inverse), 0);
    ASSERT_LT(y2, y);
    xcam::confidenceChange(model, blob, inverse, 0, drop, increase);
    EXPECT_NEAR(drop, (y - y2) / y, 1e-6);
    EXPECT_FALSE(increase);
    // Class 1 gains when the region is gone (its logit's weights are mostly smaller).
    const double z = plainProbability(net, blob, 1);
    const double z2 = plainProbability(net, masked(blob, inverse), 1);
    xcam::confidenceChange(model, blob, inverse, 1, drop, increase);
    EXPECT_EQ(increase, z2 > z);
    EXPECT_NEAR(drop, std::max(0.0, z - z2) / z, 1e-6);
    // A constant map zeroes the whole blob: defined.
    xcam::confidenceChange(model, blob, Mat(3, 3, CV_32F, Scalar(1)), 0, drop, increase);
    const double y0 = plainProbability(net, Mat::zeros(4, blob.size.p, CV_32F), 0);
    EXPECT_NEAR(drop, std::max(0.0, y - y0) / y, 1e-6);
}

TEST(Metrics, FashionCAMBeatsItsReverse)
{
    Ptr<xcam::CAMModel> model =
        xcam::CAMModel::create(std::string(XCAM_DATA_DIR) + "/fashion_gapfc.onnx");
    model->setInputParams(1.0 / 255.0, Size(28, 28));
    const Mat image = imread(std::string(XCAM_DATA_DIR) + "/images/0_ankle_boot.png",
                             IMREAD_GRAYSCALE);
    ASSERT_FALSE(image.empty());
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<Mat> maps;
    model->classify(image, 1, ids, probs, maps);
    const Mat reverse = -maps[0];
    EXPECT_LT(xcam::deletionAUC(model, image, maps[0], ids[0]),
              xcam::deletionAUC(model, image, reverse, ids[0]));
    EXPECT_GT(xcam::insertionAUC(model, image, maps[0], ids[0]),
              xcam::insertionAUC(model, image, reverse, ids[0]));
}

TEST(Metrics, PointingGame)
{
    Mat map = Mat::zeros(7, 7, CV_32F);
    map.at<float>(3, 5) = 1;  // centre of cell (3, 5) in a 224x224 image: (175.5, 111.5)
    const Size size(224, 224);
    EXPECT_TRUE(xcam::pointingGame(map, size, Rect(170, 100, 10, 20), 0));
    EXPECT_FALSE(xcam::pointingGame(map, size, Rect(176, 100, 10, 20), 0));
    EXPECT_TRUE(xcam::pointingGame(map, size, Rect(176, 100, 10, 20)));     // tolerance 15
    EXPECT_FALSE(xcam::pointingGame(map, size, Rect(191, 100, 10, 20)));    // 15.5 away
    EXPECT_TRUE(xcam::pointingGame(map, size, Rect(191, 100, 10, 20), 16));
    EXPECT_TRUE(xcam::pointingGame(map, size, Rect(170, 60, 10, 38)));      // y up to 97 + 15
    EXPECT_FALSE(xcam::pointingGame(map, size, Rect(170, 60, 10, 37)));     // up to 111 < 111.5
    // A constant map points at its first cell; a map of another size maps the same way.
    // (15.5, 15.5):
    EXPECT_TRUE(xcam::pointingGame(Mat::ones(7, 7, CV_32F), size, Rect(0, 0, 17, 17), 0));
    EXPECT_FALSE(xcam::pointingGame(Mat::ones(7, 7, CV_32F), size, Rect(17, 17, 16, 16), 0));
    Mat wide = Mat::zeros(2, 4, CV_8U);
    wide.at<uchar>(1, 3) = 9;  // centre (87, 74.5) in a 100x100 image
    EXPECT_TRUE(xcam::pointingGame(wide, Size(100, 100), Rect(80, 70, 10, 10), 0));
}

TEST(Metrics, BadInput)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(makeRegionNet());
    const Mat blob = makeRegionInput();
    Mat nan = regionMap();
    nan.at<float>(2, 2) = std::numeric_limits<float>::quiet_NaN();
    double drop = 0;
    bool increase = false;
    EXPECT_CV_ERROR(xcam::deletionAUC(model, blob, nan, 0), "map");
    EXPECT_CV_ERROR(xcam::insertionAUC(model, blob, regionMap(), kRegionClasses),
                    "classId 6 is out of range [0, 6)");
    EXPECT_CV_ERROR(xcam::deletionAUC(model, blob, regionMap(), -1), "classId -1");
    EXPECT_CV_ERROR(xcam::deletionAUC(model, blob, regionMap(), 0, 0), "steps must be at least 1");
    EXPECT_CV_ERROR(xcam::insertionAUC(model, blob, regionMap(), 0, 30, 0), "batchSize");
    EXPECT_CV_ERROR(xcam::confidenceChange(model, blob, nan, 0, drop, increase), "map");
    EXPECT_CV_ERROR(xcam::deletionAUC(model, blob, Mat(), 0), "map must be");
    EXPECT_CV_ERROR(xcam::deletionAUC(model, blob, Mat(4, 4, CV_32FC3), 0), "single-channel");
    EXPECT_CV_ERROR(xcam::deletionAUC(Ptr<xcam::CAMModel>(), blob, regionMap(), 0),
                    "model is empty");
    EXPECT_CV_ERROR(xcam::pointingGame(nan, Size(16, 16), Rect(0, 0, 4, 4)), "map");
    EXPECT_CV_ERROR(xcam::pointingGame(regionMap(), Size(0, 16), Rect(0, 0, 4, 4)), "imageSize");
    EXPECT_CV_ERROR(xcam::pointingGame(regionMap(), Size(16, 16), Rect(0, 0, 0, 4)), "box");
    EXPECT_CV_ERROR(xcam::pointingGame(regionMap(), Size(16, 16), Rect(0, 0, 4, 4), -1),
                    "tolerance");
}

