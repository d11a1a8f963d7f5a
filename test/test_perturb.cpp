// Score-CAM, occlusion and RISE (CAMModel::explain, perturb.cpp) on a net whose scores depend only
// on a known region (test_region_net.hpp): exact answers where the definitions give them by hand,
// peaks inside the region, batching and multi-class invariance, progress and bad input.
#include "test_common.hpp"
#include "test_region_net.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace cv;
using namespace xcam_test;

namespace {

std::vector<Mat> explain(xcam::CAMModel& model, int method, const std::vector<int>& ids,
                         const xcam::CAMMethodParams& p = xcam::CAMMethodParams())
{
    std::vector<Mat> maps;
    model.explain(makeRegionInput(), method, ids, maps, p);
    return maps;
}

Point argmax(const Mat& m)
{
    Point at;
    minMaxLoc(m, nullptr, nullptr, nullptr, &at);
    return at;
}

xcam::CAMMethodParams smallRise()
{
    xcam::CAMMethodParams p;
    p.numMasks = 600;
    p.gridSize = 4;
    return p;
}

const std::vector<int> kPerturbMethods = methodsOfForwards(true);

} // namespace

TEST(Perturbation, ScoreCAMEqualsThePlainDefinition)
{
    Ptr<xcam::CAMModel> model = makeRegionModel();
    dnn::Net net = makeRegionNet();
    const Mat blob = makeRegionInput();
    net.setInput(blob);
    const Mat A = net.forward("features");  // 1x4x16x16, the input's resolution: no resize
    for (bool pytorch : {false, true})
    {
        SCOPED_TRACE(pytorch ? "channelSoftmax" : "paper");
        xcam::CAMMethodParams p;
        p.channelSoftmax = pytorch;
        const int c = 0;
        Mat expected = Mat::zeros(kRegionSide, kRegionSide, CV_32F);
        std::vector<double> w(4);
        for (int k = 0; k < 4; ++k)
        {
            Mat ak(kRegionSide, kRegionSide, CV_32F, (void*)A.ptr<float>(0, k)), mask, masked;
            double lo = 0, hi = 0;
            minMaxLoc(ak, &lo, &hi);
            ASSERT_GT(hi, lo);
            mask = (ak - lo) / (hi - lo + (pytorch ? 1e-8 : 0));
            masked = blob.clone();
            for (int ch = 0; ch < 3; ++ch)
            {
                Mat plane(kRegionSide, kRegionSide, CV_32F, masked.ptr<float>(0, ch));
                plane = plane.mul(mask);
            }
            net.setInput(masked);
            const Mat logits = net.forward().reshape(1, 1);
            w[k] = pytorch ? logits.at<float>(c) : plainProbability(net, masked, c);
        }
        if (pytorch)  // softmax over the channels
        {
            double top = *std::max_element(w.begin(), w.end()), total = 0;
            for (double& v : w)
                total += v = std::exp(v - top);
            for (double& v : w)
                v /= total;
        }
        for (int k = 0; k < 4; ++k)
            expected += w[k] * Mat(kRegionSide, kRegionSide, CV_32F, (void*)A.ptr<float>(0, k));
        const std::vector<Mat> maps = explain(*model, xcam::CAM_METHOD_SCORECAM, {c}, p);
        ASSERT_EQ(maps.size(), 1u);
        ASSERT_EQ(maps[0].size(), Size(kRegionSide, kRegionSide));
        EXPECT_LT(maxRelativeError(maps[0], expected, 1e-3), 1e-4);
    }
}

TEST(Perturbation, OcclusionAndRiseKnownAnswers)
{
    Ptr<xcam::CAMModel> model = makeRegionModel();
    dnn::Net net = makeRegionNet();
    const Mat blob = makeRegionInput();
    const float p0 = plainProbability(net, blob, 2);
    const float pZero = plainProbability(net, Mat::zeros(4, blob.size.p, CV_32F), 2);

    xcam::CAMMethodParams p;
    p.patchSize = kRegionSide;  // one window over everything: p0 - p(zero blob) everywhere
    Mat occ = explain(*model, xcam::CAM_METHOD_OCCLUSION, {2}, p)[0];
    ASSERT_EQ(occ.size(), Size(kRegionSide, kRegionSide));
    EXPECT_LT(norm(occ - (p0 - pZero), NORM_INF), 1e-6);

    p.keepProbability = 1;  // every mask keeps everything: map = p0 everywhere
    p.numMasks = 10;
    Mat rise = explain(*model, xcam::CAM_METHOD_RISE, {2}, p)[0];
    EXPECT_LT(norm(rise - p0, NORM_INF), 1e-5);

    // A 1-pixel patch with stride 1 at (x, y): p0 - p(blob with that pixel zeroed).
    p.patchSize = 1;
    p.stride = 1;
    occ = explain(*model, xcam::CAM_METHOD_OCCLUSION, {2}, p)[0];
    Mat hole = blob.clone();
    for (int ch = 0; ch < 3; ++ch)
        hole.at<float>(Vec4i(0, ch, 5, 10)) = 0;
    EXPECT_NEAR(occ.at<float>(5, 10), p0 - plainProbability(net, hole, 2), 1e-6);
    EXPECT_EQ(occ.at<float>(0, 0), 0.f);  // outside the region nothing changes
}

TEST(Perturbation, MapsPeakInsideTheRegion)
{
    Ptr<xcam::CAMModel> model = makeRegionModel();
    xcam::CAMMethodParams p = smallRise();
    for (int method : kPerturbMethods)
    {
        SCOPED_TRACE(xcam::getCAMMethodName(method));
        const Mat map = explain(*model, method, {0}, p)[0];
        ASSERT_EQ(map.size(), Size(kRegionSide, kRegionSide));
        EXPECT_TRUE(kRegion.contains(argmax(map))) << argmax(map);
        Mat outside = map.clone();
        outside(kRegion).setTo(0);
        double mapMax = 0, outMax = 0;
        minMaxLoc(map, nullptr, &mapMax);
        minMaxLoc(outside, nullptr, &outMax);
        EXPECT_GT(mapMax, 0);
        EXPECT_LT(outMax, mapMax);
    }
}

TEST(Perturbation, BatchSizeAndClassCountDoNotChangeMaps)
{
    Ptr<xcam::CAMModel> model = makeRegionModel();
    const std::vector<int> top5 = {0, 1, 2, 3, 5};
    for (int method : kPerturbMethods)
    {
        SCOPED_TRACE(xcam::getCAMMethodName(method));
        xcam::CAMMethodParams p = smallRise();
        p.numMasks = 70;
        p.batchSize = 1;
        const std::vector<Mat> one = explain(*model, method, top5, p);
        p.batchSize = 16;
        const std::vector<Mat> batched = explain(*model, method, top5, p);
        ASSERT_EQ(one.size(), top5.size());
        ASSERT_EQ(batched.size(), top5.size());
        for (size_t i = 0; i < top5.size(); ++i)
        {
            EXPECT_LT(maxRelativeError(batched[i], one[i], 1e-3), 1e-4) << "class " << top5[i];
            const Mat single = explain(*model, method, {top5[i]}, p)[0];
            EXPECT_LT(maxRelativeError(single, batched[i], 1e-3), 1e-5) << "class " << top5[i];
        }
        EXPECT_GT(norm(batched[0] - batched[1], NORM_INF), 1e-4);  // classes do differ
    }
}

TEST(Perturbation, RiseSeedAndMaxChannels)
{
    Ptr<xcam::CAMModel> model = makeRegionModel();
    xcam::CAMMethodParams p = smallRise();
    p.numMasks = 50;
    const Mat a = explain(*model, xcam::CAM_METHOD_RISE, {0}, p)[0];
    EXPECT_EQ(norm(a, explain(*model, xcam::CAM_METHOD_RISE, {0}, p)[0], NORM_INF), 0);
    p.seed = 7;
    EXPECT_GT(norm(a, explain(*model, xcam::CAM_METHOD_RISE, {0}, p)[0], NORM_INF), 1e-4);

    // maxChannels = 1: only the channel of highest spatial variance gets a weight, so the map is
    // proportional to that channel.
    dnn::Net net = makeRegionNet();
    net.setInput(makeRegionInput());
    const Mat A = net.forward("features");
    int best = 0;
    double bestVar = -1;
    for (int k = 0; k < 4; ++k)
    {
        Scalar mean, dev;
        meanStdDev(Mat(kRegionSide, kRegionSide, CV_32F, (void*)A.ptr<float>(0, k)), mean, dev);
        if (dev[0] * dev[0] > bestVar)
            bestVar = dev[0] * dev[0], best = k;
    }
    xcam::CAMMethodParams q;
    q.maxChannels = 1;
    const Mat map = explain(*model, xcam::CAM_METHOD_SCORECAM, {0}, q)[0];
    const Mat ak(kRegionSide, kRegionSide, CV_32F, (void*)A.ptr<float>(0, best));
    double scaleMax = 0;
    minMaxLoc(map, nullptr, &scaleMax);
    double akMax = 0;
    minMaxLoc(ak, nullptr, &akMax);
    EXPECT_LT(maxRelativeError(map, ak * (scaleMax / akMax), 1e-3), 1e-5);
    q.channelSoftmax = true;  // softmax over one channel: weight exactly 1
    EXPECT_LT(maxRelativeError(explain(*model, xcam::CAM_METHOD_SCORECAM, {0}, q)[0], ak), 1e-6);
}

TEST(Perturbation, ProgressCoversEveryForwardAndCancels)
{
    Ptr<xcam::CAMModel> model = makeRegionModel();
    int calls = 0, lastDone = 0, lastTotal = 0;
    model->setProgressCallback([&](int done, int total) {
        ++calls;
        EXPECT_GT(done, lastDone);
        lastDone = done;
        lastTotal = total;
        return true;
    });
    xcam::CAMMethodParams p = smallRise();
    p.numMasks = 100;
    p.batchSize = 32;
    explain(*model, xcam::CAM_METHOD_RISE, {0, 1}, p);
    EXPECT_EQ(calls, 4);  // 32 + 32 + 32 + 4
    EXPECT_EQ(lastDone, 100);
    EXPECT_EQ(lastTotal, 100);

    calls = lastDone = 0;
    explain(*model, xcam::CAM_METHOD_SCORECAM, {0}, p);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(lastTotal, 4);  // one masked input per channel

    model->setProgressCallback([](int, int) { return false; });
    EXPECT_CV_ERROR(explain(*model, xcam::CAM_METHOD_OCCLUSION, {0}, p), "cancelled");
    model->setProgressCallback(xcam::CAMProgressCallback());
    EXPECT_EQ(explain(*model, xcam::CAM_METHOD_OCCLUSION, {0}, p).size(), 1u);  // still usable
}

TEST(Perturbation, BadParameters)
{
    Ptr<xcam::CAMModel> model = makeRegionModel();
    struct Case
    {
        int method;
        void (*set)(xcam::CAMMethodParams&);
        const char* fragment;
    };
    const Case cases[] = {
        {xcam::CAM_METHOD_RISE, [](xcam::CAMMethodParams& p) { p.numMasks = 0; }, "numMasks"},
        {xcam::CAM_METHOD_RISE, [](xcam::CAMMethodParams& p) { p.gridSize = -1; }, "gridSize"},
        {xcam::CAM_METHOD_RISE, [](xcam::CAMMethodParams& p) { p.keepProbability = 0; },
         "keepProbability"},
        {xcam::CAM_METHOD_RISE, [](xcam::CAMMethodParams& p) { p.keepProbability = 1.5; },
         "keepProbability"},
        {xcam::CAM_METHOD_OCCLUSION, [](xcam::CAMMethodParams& p) { p.patchSize = 17; },
         "patchSize 17 is larger than the 16x16 input"},
        {xcam::CAM_METHOD_OCCLUSION, [](xcam::CAMMethodParams& p) { p.patchSize = -1; },
         "patchSize"},
        {xcam::CAM_METHOD_OCCLUSION, [](xcam::CAMMethodParams& p) { p.stride = -2; }, "stride"},
        {xcam::CAM_METHOD_OCCLUSION, [](xcam::CAMMethodParams& p) { p.batchSize = 0; },
         "batchSize"},
        {xcam::CAM_METHOD_SCORECAM, [](xcam::CAMMethodParams& p) { p.maxChannels = -1; },
         "maxChannels"},
        {xcam::CAM_METHOD_SCORECAM, [](xcam::CAMMethodParams& p) { p.batchSize = -3; },
         "batchSize"},
    };
    for (const Case& c : cases)
    {
        SCOPED_TRACE(c.fragment);
        xcam::CAMMethodParams p;
        c.set(p);
        EXPECT_CV_ERROR(explain(*model, c.method, {0}, p), c.fragment);
    }
    EXPECT_CV_ERROR(explain(*model, xcam::CAM_METHOD_RISE, {kRegionClasses}, smallRise()),
                    "classId 6 is out of range [0, 6)");
}

TEST(Perturbation, DefaultsAreDocumented)
{
    const xcam::CAMMethodParams p;
    EXPECT_EQ(p.batchSize, 32);
    EXPECT_EQ(p.maxChannels, 0);
    EXPECT_FALSE(p.channelSoftmax);
    EXPECT_EQ(p.patchSize, 0);
    EXPECT_EQ(p.stride, 0);
    EXPECT_EQ(p.numMasks, 4000);
    EXPECT_EQ(p.gridSize, 0);  // automatic: 8 on a classifier, 16 for D-RISE
    EXPECT_DOUBLE_EQ(p.keepProbability, 0.5);
    EXPECT_EQ(p.seed, 0);
}

// forwardBatch on the real models: every one takes batches (no one-at-a-time fallback), and a
// batch gives each blob's own logits.
TEST(Perturbation, RealModelsTakeBatches)
{
    XCAM_REQUIRE_SHARED();
    struct RealModel
    {
        const char* file;
        Size size;
        bool gray;
    };
    const RealModel models[] = {
        {"mobilenet_v2_1.0_224_imagenet/mobilenet_v2_1.0_224.onnx", Size(224, 224), false},
        {"mobilenet_v1_0.5_160_imagenet/mobilenet_v1_0.5_160.onnx", Size(160, 160), false},
        {"mini_xception_fer2013_emotion/fer2013_mini_XCEPTION.onnx", Size(64, 64), true}};
    Mat image = imread(shared("images/astronaut.png"));
    ASSERT_FALSE(image.empty());
    for (const RealModel& rm : models)
    {
        SCOPED_TRACE(rm.file);
        Ptr<xcam::CAMModel> model = xcam::CAMModel::create(shared("models/") + rm.file);
        model->setInputParams(1.0 / 127.5, rm.size, Scalar::all(127.5), !rm.gray, false);
        Mat input = image;
        if (rm.gray)
            cvtColor(image, input, COLOR_BGR2GRAY);
        model->forward(input);
        const Mat blob = model->getInputBlob();
        const int shape[] = {4, blob.size[1], blob.size[2], blob.size[3]};
        Mat batch(4, shape, CV_32F), batched, single;
        for (int i = 0; i < 4; ++i)  // four different blobs: the blob scaled by 1, .8, .6, .4
        {
            Mat bi(1, (int)blob.total(), CV_32F, batch.ptr<float>(i));
            blob.reshape(1, 1).convertTo(bi, CV_32F, 1.0 - 0.2 * i);
        }
        model->forwardBatch(batch, batched, 4);
        model->forwardBatch(batch, single, 1);
        EXPECT_LT(norm(batched, single, NORM_INF), 1e-4);
        EXPECT_LT(norm(batched.row(0), model->getScores(), NORM_INF), 1e-4);
        EXPECT_GT(norm(batched.row(0), batched.row(3), NORM_INF), 1e-2);
    }
}
