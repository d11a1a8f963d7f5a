// DetectorModel::explain on the known-output nets: D-RISE and occlusion against maps derived by
// hand from the nets' values (tools/make_detector_test_nets.py), batching, NHWC, the batch-1
// fallback, progress and cancel; Eigen-CAM against cv::SVD; routing and bad input.
#include "test_detector_nets.hpp"

using namespace cv;
using namespace xcam_test;

namespace {

const Size kImage(48, 40);  // input 24x16: x scales by 2, y by 2.5

std::vector<Mat> explain(xcam::DetectorModel& model, const Mat& image,
                         const std::vector<xcam::Detection>& targets, int method,
                         const xcam::CAMMethodParams& p = xcam::CAMMethodParams())
{
    std::vector<Mat> maps;
    model.explain(image, targets, method, maps, p);
    return maps;
}

// A target near proposal 0 that is not one of the proposals: shifted box, one-hot class 1.
xcam::Detection shiftedTarget()
{
    xcam::Detection t;
    t.box = Rect2f(18, 12, 16, 15);  // proposal 0 is (16, 10, 16, 15) in the 48x40 image
    t.classId = 1;
    return t;
}


/** Occlusion on the linear YOLOv5 net derived by plain loops: each window's masked blob, the
    proposals decoded by hand, s0 - max_d s, averaged over the windows covering each pixel. */
Mat expectedOcclusion(const Mat& image, const xcam::Detection& t, int patch, int stride)
{
    const Mat blob = linearBlob(image);
    const double s0 = plainBestSimilarity(t, expectedYolo5(blob, kImage));
    Mat sum = Mat::zeros(kDetH, kDetW, CV_64F), count = Mat::zeros(kDetH, kDetW, CV_64F);
    std::vector<int> ys, xs;
    for (int y = 0; y < kDetH - patch; y += stride)
        ys.push_back(y);
    ys.push_back(kDetH - patch);
    for (int x = 0; x < kDetW - patch; x += stride)
        xs.push_back(x);
    xs.push_back(kDetW - patch);
    for (int y : ys)
        for (int x : xs)
        {
            Mat masked = blob.clone();
            for (int c = 0; c < 3; ++c)
                Mat(kDetH, kDetW, CV_32F, masked.ptr<float>(0, c))(Rect(x, y, patch, patch)) = 0;
            const double s = plainBestSimilarity(t, expectedYolo5(masked, kImage));
            sum(Rect(x, y, patch, patch)) += s0 - s;
            count(Rect(x, y, patch, patch)) += 1;
        }
    Mat avg, out;
    divide(sum, max(count, 1), avg);
    avg.convertTo(avg, CV_32F);
    resize(avg, out, kImage, 0, 0, INTER_LINEAR);
    return out;
}

} // namespace

TEST(DetectorExplain, OnlyRiseOcclusionAndEigenCAM)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = greyImage(kImage, 255);
    std::vector<Mat> maps;
    for (int m = 0; m <= xcam::CAM_METHOD_RISE; ++m)
    {
        if (m == xcam::CAM_METHOD_RISE || m == xcam::CAM_METHOD_OCCLUSION ||
            m == xcam::CAM_METHOD_EIGENCAM)
            continue;
        SCOPED_TRACE(xcam::getCAMMethodName(m));
        EXPECT_CV_ERROR(model->explain(image, {shiftedTarget()}, m, maps),
                        "the methods for detectors are eigencam, occlusion, rise (rise is D-RISE there)");
    }
    EXPECT_CV_ERROR(model->explain(image, {shiftedTarget()}, 99, maps), "method 99");
    EXPECT_CV_ERROR(model->explain(image, {shiftedTarget()}, xcam::CAM_METHOD_GRADCAM, maps),
                    "'gradcam'");
}

TEST(DetectorExplain, RiseKeepingEverythingIsTheTargetsSimilarity)
{
    // keepProbability 1: every mask is all ones, so the map is s(t) = max_d IoU*cos*O everywhere.
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = rampImage(kImage);
    const xcam::Detection t = shiftedTarget();
    xcam::CAMMethodParams p;
    p.keepProbability = 1;
    p.numMasks = 10;
    const std::vector<Mat> maps = explain(*model, image, {t}, xcam::CAM_METHOD_RISE, p);
    ASSERT_EQ(maps.size(), 1u);
    ASSERT_EQ(maps[0].size(), kImage);
    ASSERT_EQ(maps[0].type(), CV_32F);
    const double s = plainBestSimilarity(t, expectedYolo5(linearBlob(image), kImage));
    ASSERT_GT(s, 0.1);
    double lo = 0, hi = 0;
    minMaxLoc(maps[0], &lo, &hi);
    EXPECT_NEAR(lo, s, 1e-5);
    EXPECT_NEAR(hi, s, 1e-5);
}

TEST(DetectorExplain, OcclusionEqualsThePlainDefinition)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = rampImage(kImage);
    std::vector<xcam::Detection> targets = {shiftedTarget()};
    model->detect(image, targets);  // plus the detector's own detections (class vectors)
    targets.insert(targets.begin(), shiftedTarget());
    for (int patch : {3, 5})
    {
        SCOPED_TRACE(patch);
        xcam::CAMMethodParams p;
        p.patchSize = patch;
        p.stride = 2;
        p.batchSize = 7;
        const std::vector<Mat> maps = explain(*model, image, targets, xcam::CAM_METHOD_OCCLUSION, p);
        ASSERT_EQ(maps.size(), targets.size());
        for (size_t i = 0; i < targets.size(); ++i)
        {
            const Mat want = expectedOcclusion(image, targets[i], patch, 2);
            ASSERT_EQ(maps[i].size(), kImage);
            EXPECT_LT(maxRelativeError(maps[i], want, 1e-3), 1e-4) << "target " << i;
        }
        double hi = 0;
        minMaxLoc(maps[0], nullptr, &hi);
        EXPECT_GT(hi, 0.05);  // occluding the region lowers the target's similarity
    }
}

TEST(DetectorExplain, RisePointsIntoTheRegionTheScoreReads)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = greyImage(kImage, 255);
    std::vector<xcam::Detection> dets;
    model->detect(image, dets);
    ASSERT_FALSE(dets.empty());
    const std::vector<Mat> maps = explain(*model, image, {dets[0]}, xcam::CAM_METHOD_RISE);
    Point peak;
    minMaxLoc(maps[0], nullptr, nullptr, nullptr, &peak);
    const Rect2f region(kDetRegion.x * 2.f, kDetRegion.y * 2.5f, kDetRegion.width * 2.f,
                        kDetRegion.height * 2.5f);  // in the image
    EXPECT_TRUE(region.contains(Point2f((float)peak.x, (float)peak.y))) << peak;
    // far from the region the map is the similarity floor (other proposals): lower
    EXPECT_LT(maps[0].at<float>(2, 2), maps[0].at<float>(peak));
}

TEST(DetectorExplain, RiseDoesNotDependOnBatchingOrLayout)
{
    const Mat image = rampImage(kImage);
    const xcam::Detection t = shiftedTarget();
    xcam::CAMMethodParams p;
    p.numMasks = 64;
    p.gridSize = 4;
    p.batchSize = 64;
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat batched = explain(*model, image, {t}, xcam::CAM_METHOD_RISE, p)[0];
    xcam::CAMMethodParams one = p;
    one.batchSize = 1;
    EXPECT_LT(norm(batched, explain(*model, image, {t}, xcam::CAM_METHOD_RISE, one)[0],
                   NORM_INF), 1e-6);  // the same masks and weights, summed in other batches
    one.batchSize = 5;  // the last batch is partial
    EXPECT_LT(norm(batched, explain(*model, image, {t}, xcam::CAM_METHOD_RISE, one)[0],
                   NORM_INF), 1e-6);
    // The same net with a fixed batch of 1: the batch is refused and every input runs alone.
    Ptr<xcam::DetectorModel> fixed = makeDetector("det_yolov5_fixed.onnx",
                                                  xcam::DETECTION_YOLOV5);
    EXPECT_LT(norm(batched, explain(*fixed, image, {t}, xcam::CAM_METHOD_RISE, p)[0], NORM_INF),
              1e-6);
    // The same net on an NHWC input: the mask covers each pixel's three values.
    Ptr<xcam::DetectorModel> nhwc = makeDetector("det_yolov5_nhwc.onnx", xcam::DETECTION_YOLOV5,
                                                 true);
    const Mat fromNHWC = explain(*nhwc, image, {t}, xcam::CAM_METHOD_RISE, p)[0];
    EXPECT_LT(norm(batched, fromNHWC, NORM_INF), 1e-5);
    double lo = 0, hi = 0;
    minMaxLoc(batched, &lo, &hi);
    EXPECT_GT(hi - lo, 0.05);  // the maps are not flat: the comparisons mean something
    xcam::CAMMethodParams occ;
    occ.patchSize = 4;
    EXPECT_LT(norm(explain(*model, image, {t}, xcam::CAM_METHOD_OCCLUSION, occ)[0],
                   explain(*nhwc, image, {t}, xcam::CAM_METHOD_OCCLUSION, occ)[0], NORM_INF),
              1e-5);
}

TEST(DetectorExplain, RiseSeedsAndMaskCount)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = greyImage(kImage, 255);
    const xcam::Detection t = shiftedTarget();
    xcam::CAMMethodParams p;  // detector defaults: grid 16, 4000 masks
    int total = 0;
    model->setProgressCallback([&](int, int n) { total = n; return true; });
    const Mat a = explain(*model, image, {t}, xcam::CAM_METHOD_RISE, p)[0];
    EXPECT_EQ(total, 4000);
    EXPECT_EQ(norm(a, explain(*model, image, {t}, xcam::CAM_METHOD_RISE, p)[0], NORM_INF), 0.0);
    xcam::CAMMethodParams grid = p;
    grid.gridSize = 16;  // the detector default, given explicitly: the same masks
    EXPECT_EQ(norm(a, explain(*model, image, {t}, xcam::CAM_METHOD_RISE, grid)[0], NORM_INF), 0.0);
    grid.gridSize = 4;
    EXPECT_GT(norm(a, explain(*model, image, {t}, xcam::CAM_METHOD_RISE, grid)[0], NORM_INF), 0.0);
    p.seed = 1;
    const Mat b = explain(*model, image, {t}, xcam::CAM_METHOD_RISE, p)[0];
    EXPECT_GT(norm(a, b, NORM_INF), 0.0);
    EXPECT_GT(correlation(a, b), 0.8);  // grid 16 on a 24x16 input: cells of 2x1 pixels
    p.numMasks = 7;
    explain(*model, image, {t}, xcam::CAM_METHOD_RISE, p);
    EXPECT_EQ(total, 7);
}

TEST(DetectorExplain, ProgressAndCancel)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = greyImage(kImage, 255);
    xcam::CAMMethodParams p;
    p.numMasks = 100;
    p.batchSize = 32;
    std::vector<int> done;
    model->setProgressCallback([&](int d, int n) {
        EXPECT_EQ(n, 100);
        done.push_back(d);
        return true;
    });
    explain(*model, image, {shiftedTarget()}, xcam::CAM_METHOD_RISE, p);
    EXPECT_EQ(done, std::vector<int>({32, 64, 96, 100}));
    int calls = 0;
    model->setProgressCallback([&](int, int) { return ++calls < 2; });
    std::vector<Mat> maps;
    EXPECT_CV_ERROR(model->explain(image, {shiftedTarget()}, xcam::CAM_METHOD_OCCLUSION, maps, p),
                    "cancelled");
    EXPECT_EQ(calls, 2);
    model->setProgressCallback(xcam::CAMProgressCallback());
    EXPECT_EQ(explain(*model, image, {shiftedTarget()}, xcam::CAM_METHOD_RISE, p).size(), 1u);
}

TEST(DetectorExplain, EmptyTargetsExplainTheImagesDetections)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = greyImage(kImage, 255);
    std::vector<xcam::Detection> dets, last;
    model->detect(image, dets);
    xcam::CAMMethodParams p;
    p.patchSize = 4;
    const std::vector<Mat> own = explain(*model, image, {}, xcam::CAM_METHOD_OCCLUSION, p);
    model->getLastDetections(last);
    ASSERT_EQ(own.size(), dets.size());
    ASSERT_EQ(last.size(), dets.size());
    const std::vector<Mat> given = explain(*model, image, dets, xcam::CAM_METHOD_OCCLUSION, p);
    for (size_t i = 0; i < dets.size(); ++i)
    {
        EXPECT_EQ(last[i].box, dets[i].box);
        EXPECT_EQ(norm(own[i], given[i], NORM_INF), 0.0);
    }
    model->setThresholds(0.99f, 0.45f);  // nothing detected: no maps
    EXPECT_TRUE(explain(*model, image, {}, xcam::CAM_METHOD_RISE, p).empty());
}

TEST(DetectorExplain, EigenCAMIsTheFirstPrincipalComponentOfTheFeatureLayer)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_conv.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = rampImage(kImage);
    EXPECT_EQ(model->getFeatureLayer(), "");  // not known before the input size
    std::vector<xcam::Detection> dets;
    model->detect(image, dets);
    // Two head convolutions read backbone/relu (16x24) and features/relu (8x12): the one computed
    // last is taken.
    EXPECT_EQ(model->getFeatureLayer(), "onnx_node!features/relu");
    xcam::Detection t = shiftedTarget();
    t.classId = -1;
    for (const char* layer : {"", "backbone/relu"})
    {
        SCOPED_TRACE(layer);
        model->setFeatureLayer(layer);
        const std::vector<Mat> maps = explain(*model, image, {t, t}, xcam::CAM_METHOD_EIGENCAM);
        ASSERT_EQ(maps.size(), 2u);
        EXPECT_EQ(norm(maps[0], maps[1], NORM_INF), 0.0);  // class-agnostic
        dnn::Net net = model->getNet();
        net.setInput(linearBlob(image));
        const Mat a = net.forward(*layer ? "onnx_node!backbone/relu" : "onnx_node!features/relu");
        const int c = a.size[1], h = a.size[2], w = a.size[3];
        Mat x;  // (H*W) x C, centred per channel
        Mat(c, h * w, CV_32F, (void*)a.ptr<float>()).convertTo(x, CV_64F);
        x = x.t();
        for (int k = 0; k < c; ++k)
            x.col(k) -= mean(x.col(k))[0];
        SVD svd(x);
        Mat projection = x * svd.vt.row(0).t(), sum;
        reduce(Mat(c, h * w, CV_32F, (void*)a.ptr<float>()), sum, 0, REDUCE_SUM, CV_64F);
        if (correlation(projection, sum.t()) < 0)
            projection = -projection;
        Mat small, want;
        projection.reshape(1, h).convertTo(small, CV_32F);
        resize(small, want, kImage, 0, 0, INTER_LINEAR);
        ASSERT_EQ(maps[0].size(), kImage);
        EXPECT_LT(maxRelativeError(maps[0], want, norm(want, NORM_INF)), 1e-4);
    }
    model->setFeatureLayer("featurs/relu");
    std::vector<Mat> maps;
    EXPECT_CV_ERROR(model->explain(image, {t}, xcam::CAM_METHOD_EIGENCAM, maps),
                    "onnx_node!features/relu");
    model->setFeatureLayer("out_a");  // 1 x 96 x 8: not a feature map
    EXPECT_CV_ERROR(model->explain(image, {t}, xcam::CAM_METHOD_EIGENCAM, maps),
                    "feature layer output");
    Ptr<xcam::DetectorModel> linear = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    EXPECT_CV_ERROR(linear->explain(image, {t}, xcam::CAM_METHOD_EIGENCAM, maps),
                    "setFeatureLayer");
}

TEST(DetectorExplain, BadTargetsAndParametersGiveClearErrors)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = greyImage(kImage, 255);
    std::vector<Mat> maps;
    const int rise = xcam::CAM_METHOD_RISE, occlusion = xcam::CAM_METHOD_OCCLUSION;
    xcam::Detection t = shiftedTarget();
    t.box.x = std::numeric_limits<float>::quiet_NaN();
    EXPECT_CV_ERROR(model->explain(image, {shiftedTarget(), t}, rise, maps), "targets[1]");
    t = shiftedTarget();
    t.box.width = 0;
    EXPECT_CV_ERROR(model->explain(image, {t}, rise, maps), "positive width");
    t = shiftedTarget();
    t.classProbs = {.5f, .5f};
    EXPECT_CV_ERROR(model->explain(image, {t}, rise, maps), "targets[0].classProbs has 2 values");
    t = shiftedTarget();
    t.classId = 3;
    EXPECT_CV_ERROR(model->explain(image, {t}, rise, maps), "classId 3 is out of range");
    t.classId = -2;
    EXPECT_CV_ERROR(model->explain(image, {t}, rise, maps), "at least -1");
    t.classId = 1;
    t.classProbs = {.1f, std::numeric_limits<float>::infinity(), .1f};
    EXPECT_CV_ERROR(model->explain(image, {t}, rise, maps), "classProbs holds NaN");
    EXPECT_CV_ERROR(model->explain(Mat(), {shiftedTarget()}, rise, maps), "image is empty");

    struct Case { int method; void (*set)(xcam::CAMMethodParams&); const char* fragment; };
    const Case cases[] = {
        {rise, [](xcam::CAMMethodParams& p) { p.numMasks = -1; }, "numMasks"},
        {rise, [](xcam::CAMMethodParams& p) { p.gridSize = -1; }, "gridSize"},
        {rise, [](xcam::CAMMethodParams& p) { p.keepProbability = 0; }, "keepProbability"},
        {rise, [](xcam::CAMMethodParams& p) { p.batchSize = 0; }, "batchSize"},
        {occlusion, [](xcam::CAMMethodParams& p) { p.patchSize = 17; }, "larger than"},
        {occlusion, [](xcam::CAMMethodParams& p) { p.stride = -1; }, "stride"},
    };
    for (const Case& c : cases)
    {
        SCOPED_TRACE(c.fragment);
        xcam::CAMMethodParams p;
        c.set(p);
        EXPECT_CV_ERROR(model->explain(image, {shiftedTarget()}, c.method, maps, p), c.fragment);
    }
}
