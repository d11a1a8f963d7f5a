// Metrics of detector explanations (detector_metrics.cpp): deletion / insertion AUC of a detection
// against a plain re-derivation on the known-output YOLOv5 net (tools/make_detector_test_nets.py:
// the similarity is a function of the mean of the masked region), bad input, the pointing game
// with a Detection's box; and, heavy, on the demo detector's held-out scenes and BlazeFace's two
// faces: D-RISE against random maps, the pointing game of D-RISE and occlusion.
#include "test_detector_nets.hpp"

#include "../samples/blazeface_decoder.hpp"
#include "../samples/common/boxes.hpp"

#include <opencv2/imgcodecs.hpp>

#include <iostream>
#include <limits>
#include <map>
#include <numeric>

using namespace cv;
using namespace xcam_test;

namespace {

const Size kNetSize(kDetW, kDetH);  // images at the input size: the blob is the image / 255

// A grey ramp with the region the objectness reads set to white: blurring darkens the region.
Mat spotImage()
{
    Mat image = rampImage(kNetSize);
    image(kDetRegion).setTo(Scalar::all(255));
    return image;
}

Mat regionMap()
{
    Mat m = Mat::zeros(kNetSize, CV_32F);
    m(kDetRegion).setTo(1);
    return m;
}

// Uniform values in [0, 1) at the input's size.
Mat randomMap(uint64 seed)
{
    Mat m(kNetSize, CV_32F);
    RNG(seed).fill(m, RNG::UNIFORM, 0, 1);
    return m;
}

// The target: near proposal 0 (whose objectness is the region's mean), one-hot class 1.
xcam::Detection nearTarget()
{
    xcam::Detection t;
    t.box = Rect2f(9, 5, 8, 6);  // proposal 0 is (8, 4, 8, 6)
    t.classId = 1;
    return t;
}

/** The deletion / insertion AUC by plain loops: rank the map's pixels (decreasing, ties in
    row-major order), build each step's blob, decode it by hand, best similarity, trapezoids. */
double plainCurve(const Mat& image, const Mat& map, const xcam::Detection& t, int steps,
                  bool insertion)
{
    const Mat blob = linearBlob(image);
    Mat base = Mat::zeros(4, blob.size.p, CV_32F);
    if (insertion)
        for (int c = 0; c < 3; ++c)
        {
            const Mat plane(kDetH, kDetW, CV_32F, (void*)blob.ptr<float>(0, c));
            GaussianBlur(plane, Mat(kDetH, kDetW, CV_32F, base.ptr<float>(0, c)), Size(11, 11), 5);
        }
    const int pixels = kDetH * kDetW;
    std::vector<int> order(pixels);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&map](int a, int b) {
        return map.at<float>(a / kDetW, a % kDetW) > map.at<float>(b / kDetW, b % kDetW);
    });
    std::vector<double> s;
    for (int i = 0; i <= steps; ++i)
    {
        const int reached = cvRound((double)i * pixels / steps);
        Mat step = insertion ? base.clone() : blob.clone();
        for (int k = 0; k < reached; ++k)
            for (int c = 0; c < 3; ++c)
                step.ptr<float>(0, c)[order[k]] = insertion ? blob.ptr<float>(0, c)[order[k]] : 0.f;
        s.push_back(plainBestSimilarity(t, expectedYolo5(step, kNetSize)));
    }
    double area = 0;
    for (int i = 0; i < steps; ++i)
        area += 0.5 * (s[i] + s[i + 1]);
    return area / steps;
}

} // namespace

TEST(DetectorMetrics, CurvesEqualThePlainDefinition)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = spotImage();
    const xcam::Detection t = nearTarget();
    const Mat random = randomMap(7);
    const Mat constant(kNetSize, CV_32F, Scalar(3));  // ties: row-major order
    for (const Mat& map : {regionMap(), random, constant})
        for (int steps : {1, 7, 24})
        {
            SCOPED_TRACE(steps);
            EXPECT_NEAR(xcam::deletionAUC(model, image, map, t, steps),
                        plainCurve(image, map, t, steps, false), 1e-5);
            EXPECT_NEAR(xcam::insertionAUC(model, image, map, t, steps),
                        plainCurve(image, map, t, steps, true), 1e-5);
        }
    // Closed form with 24 steps of 16 pixels: step 1 removes (inserts) exactly the region, which
    // is all the similarity reads.
    const Mat blob = linearBlob(image);
    Mat gone = blob.clone(), blurred = blob.clone();
    for (int c = 0; c < 3; ++c)
    {
        Mat plane(kDetH, kDetW, CV_32F, gone.ptr<float>(0, c));
        plane(kDetRegion).setTo(0);
        Mat b(kDetH, kDetW, CV_32F, blurred.ptr<float>(0, c));
        GaussianBlur(b, b, Size(11, 11), 5);
    }
    const double s0 = plainBestSimilarity(t, expectedYolo5(blob, kNetSize));
    const double sGone = plainBestSimilarity(t, expectedYolo5(gone, kNetSize));
    const double sBlur = plainBestSimilarity(t, expectedYolo5(blurred, kNetSize));
    ASSERT_GT(s0 - sGone, 0.1);  // the region carries the target
    ASSERT_GT(s0 - sBlur, 0.05);
    EXPECT_NEAR(xcam::deletionAUC(model, image, regionMap(), t, 24),
                (0.5 * (s0 + sGone) + 23 * sGone) / 24, 1e-5);
    EXPECT_NEAR(xcam::insertionAUC(model, image, regionMap(), t, 24),
                (0.5 * (sBlur + s0) + 23 * s0) / 24, 1e-5);
}

TEST(DetectorMetrics, TheTargetsRegionBeatsRandomAndInvertedMaps)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = spotImage();
    const xcam::Detection t = nearTarget();
    const Mat random = randomMap(11);
    const Mat inverted = 1 - regionMap();
    const double del[3] = {xcam::deletionAUC(model, image, regionMap(), t),
                           xcam::deletionAUC(model, image, random, t),
                           xcam::deletionAUC(model, image, inverted, t)};
    const double ins[3] = {xcam::insertionAUC(model, image, regionMap(), t),
                           xcam::insertionAUC(model, image, random, t),
                           xcam::insertionAUC(model, image, inverted, t)};
    EXPECT_LT(del[0] + 0.02, del[1]);
    EXPECT_LT(del[1] + 0.02, del[2]);
    EXPECT_GT(ins[0], ins[1] + 0.01);
    EXPECT_GT(ins[1], ins[2] + 0.01);
    // A bigger image and its map are resized to the blob: the region still wins.
    Mat image2, map2;
    resize(image, image2, Size(48, 40), 0, 0, INTER_NEAREST);
    resize(regionMap(), map2, Size(48, 40), 0, 0, INTER_NEAREST);
    xcam::Detection t2 = t;
    t2.box = Rect2f(t.box.x * 2, t.box.y * 2.5f, t.box.width * 2, t.box.height * 2.5f);
    EXPECT_LT(xcam::deletionAUC(model, image2, map2, t2),
              xcam::deletionAUC(model, image2, 1 - map2, t2));
}

TEST(DetectorMetrics, BatchingFixedBatchAndNHWCGiveTheSameCurves)
{
    const Mat image = spotImage();
    const xcam::Detection t = nearTarget();
    Mat map(5, 7, CV_32F);
    RNG(3).fill(map, RNG::UNIFORM, 0, 1);
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const double del = xcam::deletionAUC(model, image, map, t, 11, 32);
    const double ins = xcam::insertionAUC(model, image, map, t, 11, 32);
    EXPECT_NEAR(xcam::deletionAUC(model, image, map, t, 11, 1), del, 1e-6);
    EXPECT_NEAR(xcam::insertionAUC(model, image, map, t, 11, 5), ins, 1e-6);
    Ptr<xcam::DetectorModel> fixed = makeDetector("det_yolov5_fixed.onnx", xcam::DETECTION_YOLOV5);
    EXPECT_NEAR(xcam::deletionAUC(fixed, image, map, t, 11), del, 1e-6);
    Ptr<xcam::DetectorModel> nhwc = makeDetector("det_yolov5_nhwc.onnx", xcam::DETECTION_YOLOV5,
                                                 true);
    EXPECT_NEAR(xcam::deletionAUC(nhwc, image, map, t, 11), del, 1e-5);
    EXPECT_NEAR(xcam::insertionAUC(nhwc, image, map, t, 11), ins, 1e-5);  // the NHWC blur
    // explain()'s progress callback is not called by the metrics.
    int calls = 0;
    model->setProgressCallback([&](int, int) { ++calls; return false; });
    EXPECT_NEAR(xcam::deletionAUC(model, image, map, t, 11), del, 1e-6);
    EXPECT_EQ(calls, 0);
}

TEST(DetectorMetrics, PointingGameTakesADetectionsBox)
{
    // A map at the image's size: its maximum is the image pixel itself.
    Mat map = Mat::zeros(40, 48, CV_32F);
    map.at<float>(20, 30) = 1;
    xcam::Detection d;
    d.box = Rect2f(25.2f, 14.6f, 5.1f, 6.0f);  // Rect(d.box) = (25, 15, 5, 6): x 25..29
    EXPECT_FALSE(xcam::pointingGame(map, Size(48, 40), Rect(d.box), 0));
    EXPECT_TRUE(xcam::pointingGame(map, Size(48, 40), Rect(d.box), 1));
    d.box.width = 5.6f;  // rounds to 6: x 25..30
    EXPECT_TRUE(xcam::pointingGame(map, Size(48, 40), Rect(d.box), 0));
}

TEST(DetectorMetrics, BadInput)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = spotImage(), map = regionMap();
    const xcam::Detection t = nearTarget();
    Mat nan = map.clone();
    nan.at<float>(3, 3) = std::numeric_limits<float>::quiet_NaN();
    EXPECT_CV_ERROR(xcam::deletionAUC(model, Mat(), map, t), "image is empty");
    EXPECT_CV_ERROR(xcam::insertionAUC(model, Mat(4, 4, CV_16S), map, t), "image must be");
    EXPECT_CV_ERROR(xcam::deletionAUC(model, image, Mat(), t), "map must be");
    EXPECT_CV_ERROR(xcam::deletionAUC(model, image, Mat(kNetSize, CV_32FC3), t), "single-channel");
    EXPECT_CV_ERROR(xcam::insertionAUC(model, image, nan, t), "map");
    Mat inf = map.clone();
    inf.at<float>(0, 0) = std::numeric_limits<float>::infinity();
    EXPECT_CV_ERROR(xcam::deletionAUC(model, image, inf, t), "map");
    EXPECT_CV_ERROR(xcam::deletionAUC(model, image, map, t, 0), "steps must be at least 1");
    EXPECT_CV_ERROR(xcam::insertionAUC(model, image, map, t, 30, 0), "batchSize");
    EXPECT_CV_ERROR(xcam::deletionAUC(Ptr<xcam::DetectorModel>(), image, map, t),
                    "model is empty");
    Ptr<xcam::DetectorModel> bare = xcam::DetectorModel::create(testdata("det_yolov5.onnx"));
    EXPECT_CV_ERROR(xcam::deletionAUC(bare, image, map, t), "no decoder");
    xcam::Detection bad = t;
    bad.box.width = 0;
    EXPECT_CV_ERROR(xcam::deletionAUC(model, image, map, bad), "target[0].box must have a positive");
    bad = t;
    bad.box.x = std::numeric_limits<float>::quiet_NaN();
    EXPECT_CV_ERROR(xcam::insertionAUC(model, image, map, bad), "target[0] has a non-finite box");
    bad = t;
    bad.classId = kDetClasses;
    EXPECT_CV_ERROR(xcam::deletionAUC(model, image, map, bad), "target[0].classId 3 is out of range");
    bad.classId = -2;
    EXPECT_CV_ERROR(xcam::deletionAUC(model, image, map, bad), "target[0].classId must be");
    bad = t;
    bad.classProbs = {.5f, .5f};
    EXPECT_CV_ERROR(xcam::insertionAUC(model, image, map, bad), "target[0].classProbs has 2 values");
    // A constant map is defined (row-major ranking) and finite.
    const double c = xcam::deletionAUC(model, image, Mat(3, 3, CV_32F, Scalar(1)), t);
    EXPECT_TRUE(c >= 0 && c <= 1) << c;
}

namespace {

struct Scene
{
    std::string image;
    std::vector<Rect> items;                 // the items' boxes (boxes.csv) that have a target
    std::vector<xcam::Detection> targets;    // the best detection on each
};

/** The scenes of samples/data/detector/boxes.csv, each item with its target: the
    highest-scoring detection (score >= 0.25, class-wise NMS 0.5) overlapping its box by
    IoU >= 0.5, whatever its class (tools/drise_reference.py pointing). Items with none are left
    out; `items` counts them all. */
std::vector<Scene> scenes(xcam::DetectorModel& model, int& items)
{
    const std::string dir = std::string(XCAM_DATA_DIR) + "/detector/";
    std::vector<std::string> images;
    std::vector<Rect> boxes;
    std::vector<int> classes;
    xcam_samples::readBoxes(dir + "boxes.csv", images, boxes, classes);
    items = (int)boxes.size();
    model.setThresholds(0.25f, 0.5f);
    std::vector<Scene> out;
    std::vector<xcam::Detection> found;
    for (size_t i = 0; i < boxes.size(); ++i)
    {
        if (out.empty() || out.back().image != images[i])
        {
            out.push_back(Scene{images[i], {}, {}});
            model.detect(imread(dir + images[i]), found);
        }
        for (const xcam::Detection& d : found)  // highest score first
            if (plainIoU(Rect2f(boxes[i]), d.box) >= 0.5)
            {
                out.back().items.push_back(boxes[i]);
                out.back().targets.push_back(d);
                break;
            }
    }
    return out;
}

struct MethodTally
{
    const char* name;
    double deletion = 0, insertion = 0;
    int hits = 0, betterDeletion = 0, betterInsertion = 0;  // than the random map
};

/** Each map's deletion / insertion AUC (10 steps) and pointing game (tolerance 0) added to the
    tallies; the last map is the random one the others are compared with. */
void tallyMaps(const Ptr<xcam::DetectorModel>& model, const Mat& image,
               const xcam::Detection& target, const Rect& item, const std::vector<Mat>& maps,
               std::vector<MethodTally>& tally)
{
    std::vector<double> del, ins;
    for (const Mat& map : maps)
    {
        del.push_back(xcam::deletionAUC(model, image, map, target, 10));
        ins.push_back(xcam::insertionAUC(model, image, map, target, 10));
    }
    for (size_t m = 0; m < maps.size(); ++m)
    {
        tally[m].deletion += del[m];
        tally[m].insertion += ins[m];
        tally[m].hits += xcam::pointingGame(maps[m], image.size(), item, 0);
        tally[m].betterDeletion += del[m] < del.back();
        tally[m].betterInsertion += ins[m] > ins.back();
    }
}

} // namespace

// D-RISE (500 masks, grid 16), occlusion and Eigen-CAM on the 16 committed held-out scenes: the
// pointing game (tolerance 0), and deletion / insertion AUC against a random map per target (16 x 16
// uniform values, resized bilinearly by the metrics: as smooth as the explanations; a random map
// per pixel is reported too: removing pixels at random destroys an image quickly).
TEST(DetectorMetricsHeavy, DemoScenesDRiseBeatsRandomMapsAndPointsIntoTheItems)
{
    const std::string dir = std::string(XCAM_DATA_DIR) + "/detector/";
    Ptr<xcam::DetectorModel> model = xcam::DetectorModel::create(dir + "detector_yolov5.onnx");
    model->setInputParams(1 / 255.0, Size(128, 128));
    model->setFormat(xcam::DETECTION_YOLOV5);
    int items = 0, n = 0;
    const std::vector<Scene> all = scenes(*model, items);
    const int methods[3] = {xcam::CAM_METHOD_RISE, xcam::CAM_METHOD_OCCLUSION,
                            xcam::CAM_METHOD_EIGENCAM};
    std::vector<MethodTally> tally = {{"D-RISE"}, {"occlusion"}, {"Eigen-CAM"},
                                      {"random per pixel"}, {"random 16x16"}};
    xcam::CAMMethodParams p;
    p.numMasks = 500;
    RNG rng(5);
    for (const Scene& s : all)
    {
        const Mat image = imread(dir + s.image);
        std::vector<std::vector<Mat>> maps(3);  // [method][target]
        for (int m = 0; m < 3; ++m)
            model->explain(image, s.targets, methods[m], maps[m], p);
        for (size_t t = 0; t < s.targets.size(); ++t, ++n)
        {
            Mat pixels(image.size(), CV_32F), cells(16, 16, CV_32F);
            rng.fill(pixels, RNG::UNIFORM, 0, 1);
            rng.fill(cells, RNG::UNIFORM, 0, 1);
            tallyMaps(model, image, s.targets[t], s.items[t],
                      {maps[0][t], maps[1][t], maps[2][t], pixels, cells}, tally);
        }
    }
    ASSERT_GE(n, items - 2);  // the README: 52 of 53 items detected
    std::cout << n << " targets of " << items << " items; 10 steps; tolerance 0\n";
    for (const MethodTally& t : tally)
        std::cout << t.name << ": deletion " << t.deletion / n << ", insertion "
                  << t.insertion / n << ", pointing " << t.hits << "/" << n
                  << ", beats random 16x16 on deletion " << t.betterDeletion << ", on insertion "
                  << t.betterInsertion << std::endl;
    EXPECT_GE(tally[0].betterDeletion, 0.8 * n);
    EXPECT_GE(tally[0].betterInsertion, 0.8 * n);
    EXPECT_LT(tally[0].deletion, tally[4].deletion - 0.05 * n);
    EXPECT_GT(tally[0].insertion, tally[4].insertion + 0.05 * n);
    EXPECT_GE(tally[0].hits, n - 2);
    EXPECT_GE(tally[1].hits, 0.7 * n);
}

// BlazeFace on the two face photos: D-RISE (2000 masks) and occlusion peak inside the face's box
// and D-RISE beats a random map on deletion and insertion.
TEST(DetectorMetricsHeavy, BlazeFaceMapsPointIntoTheFaces)
{
    XCAM_REQUIRE_SHARED();
    Ptr<xcam::DetectorModel> model =
        blazeface::create(shared("models/blazeface_front_128/blazeface_front_128.onnx"));
    for (const char* name : {"astronaut.png", "grace_hopper.bmp"})
    {
        SCOPED_TRACE(name);
        const Mat image = imread(shared(std::string("images/") + name));
        ASSERT_FALSE(image.empty());
        std::vector<xcam::Detection> faces;
        model->detect(image, faces);
        ASSERT_EQ(faces.size(), 1u);
        xcam::CAMMethodParams p;
        p.numMasks = 2000;
        std::vector<Mat> rise, occlusion;
        model->explain(image, faces, xcam::CAM_METHOD_RISE, rise, p);
        model->explain(image, faces, xcam::CAM_METHOD_OCCLUSION, occlusion);
        const Rect box(faces[0].box);
        EXPECT_TRUE(xcam::pointingGame(rise[0], image.size(), box, 0));
        EXPECT_TRUE(xcam::pointingGame(occlusion[0], image.size(), box, 0));
        Mat random(image.size(), CV_32F);
        RNG(9).fill(random, RNG::UNIFORM, 0, 1);
        const double del = xcam::deletionAUC(model, image, rise[0], faces[0], 20);
        const double ins = xcam::insertionAUC(model, image, rise[0], faces[0], 20);
        const double delRandom = xcam::deletionAUC(model, image, random, faces[0], 20);
        const double insRandom = xcam::insertionAUC(model, image, random, faces[0], 20);
        std::cout << name << ": D-RISE deletion " << del << " insertion " << ins
                  << "; random deletion " << delRandom << " insertion " << insRandom << std::endl;
        EXPECT_LT(del, delRandom);
        EXPECT_GT(ins, insRandom);
    }
}
