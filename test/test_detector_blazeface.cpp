// DetectorModel on a real detector: MediaPipe's BlazeFace of ../shared with the sample decoder
// (samples/blazeface_decoder.hpp). Faces as its README gives them, D-RISE and occlusion maps that
// point into the face, D-RISE's seed-to-seed agreement at the default mask count, Eigen-CAM.
// DetectorBlazeFaceHeavy.*: D-RISE at the default 4000 masks, one forward pass each (BlazeFace
// refuses batches), so their time is OpenCV's forwards.
#include "test_common.hpp"

#include "../samples/blazeface_decoder.hpp"

#include <opencv2/imgcodecs.hpp>

#include <iostream>
#include <map>

using namespace cv;
using namespace xcam_test;

namespace {

struct Face
{
    const char* image;
    float score;
    Rect2f box;
};

// ../shared/models/blazeface_front_128/README.md, "Verified here"
const Face kFaces[] = {{"astronaut.png", .921f, Rect2f(179, 82, 93, 93)},
                       {"grace_hopper.bmp", .915f, Rect2f(173, 137, 185, 217)}};

Ptr<xcam::DetectorModel> blazeFace()
{
    return blazeface::create(shared("models/blazeface_front_128/blazeface_front_128.onnx"));
}

Mat photo(const std::string& name)
{
    const Mat image = imread(shared("images/" + name));
    CV_Assert(!image.empty());
    return image;
}

Point peakOf(const Mat& map)
{
    Point at;
    minMaxLoc(map, nullptr, nullptr, nullptr, &at);
    return at;
}

/** D-RISE map of the image's face with CAMMethodParams' defaults and a seed; computed once per
    process. */
const Mat& dRiseMap(const Face& face, int seed)
{
    static std::map<std::pair<std::string, int>, Mat> cache;
    Mat& map = cache[std::make_pair(std::string(face.image), seed)];
    if (map.empty())
    {
        Ptr<xcam::DetectorModel> model = blazeFace();
        const Mat image = photo(face.image);
        std::vector<xcam::Detection> faces;
        model->detect(image, faces);
        CV_Assert(faces.size() == 1);
        xcam::CAMMethodParams p;
        p.seed = seed;
        std::vector<Mat> maps;
        model->explain(image, faces, xcam::CAM_METHOD_RISE, maps, p);
        CV_Assert(maps.size() == 1 && maps[0].size() == image.size());
        map = maps[0];
    }
    return map;
}

} // namespace

TEST(DetectorBlazeFace, FindsTheReadmesFaces)
{
    XCAM_REQUIRE_SHARED();
    Ptr<xcam::DetectorModel> model = blazeFace();
    for (const Face& face : kFaces)
    {
        SCOPED_TRACE(face.image);
        std::vector<xcam::Detection> got;
        model->detect(photo(face.image), got);
        ASSERT_EQ(got.size(), 1u);
        EXPECT_NEAR(got[0].score, face.score, 0.005);
        EXPECT_EQ(got[0].objectness, got[0].score);
        EXPECT_EQ(got[0].classId, 0);
        EXPECT_TRUE(got[0].classProbs.empty());
        EXPECT_NEAR(got[0].box.x, face.box.x, 3);
        EXPECT_NEAR(got[0].box.y, face.box.y, 3);
        EXPECT_NEAR(got[0].box.width, face.box.width, 3);
        EXPECT_NEAR(got[0].box.height, face.box.height, 3);
    }
    for (const char* name : {"bird.bmp", "chelsea.png", "coffee.png", "dog.jpg"})
    {
        SCOPED_TRACE(name);
        std::vector<xcam::Detection> got;
        model->detect(photo(name), got);
        EXPECT_TRUE(got.empty()) << got.size() << " detections, first score " << got[0].score;
    }
}

TEST(DetectorBlazeFace, OcclusionPointsIntoTheFace)
{
    XCAM_REQUIRE_SHARED();
    Ptr<xcam::DetectorModel> model = blazeFace();
    for (const Face& face : kFaces)
    {
        SCOPED_TRACE(face.image);
        const Mat image = photo(face.image);
        std::vector<xcam::Detection> faces;
        model->detect(image, faces);
        ASSERT_EQ(faces.size(), 1u);
        int forwards = 0;
        model->setProgressCallback([&](int, int total) { forwards = total; return true; });
        std::vector<Mat> maps;
        model->explain(image, faces, xcam::CAM_METHOD_OCCLUSION, maps);
        model->setProgressCallback(xcam::CAMProgressCallback());
        EXPECT_EQ(forwards, 12 * 12);  // patch 19, stride 10 on 128x128
        ASSERT_EQ(maps.size(), 1u);
        ASSERT_EQ(maps[0].size(), image.size());
        const Point peak = peakOf(maps[0]);
        EXPECT_TRUE(faces[0].box.contains(Point2f((float)peak.x, (float)peak.y))) << peak;
    }
}

TEST(DetectorBlazeFace, EigenCAMOnTheDeepestHeadInput)
{
    XCAM_REQUIRE_SHARED();
    Ptr<xcam::DetectorModel> model = blazeFace();
    const Mat image = photo("astronaut.png");
    std::vector<Mat> maps;
    model->explain(image, {}, xcam::CAM_METHOD_EIGENCAM, maps);  // the image's own detections
    std::vector<xcam::Detection> faces;
    model->getLastDetections(faces);
    ASSERT_EQ(faces.size(), 1u);
    ASSERT_EQ(maps.size(), 1u);
    EXPECT_EQ(maps[0].size(), image.size());
    EXPECT_TRUE(checkRange(maps[0]));
    // The 8x8 map (96 channels) that the second head's two convolutions read.
    const String layer = model->getFeatureLayer();
    EXPECT_NE(layer.find("re_lu_15"), String::npos) << layer;
    dnn::Net net = model->getNet();
    EXPECT_EQ(net.getLayer(layer)->type, "ReLU");
}

TEST(DetectorBlazeFaceHeavy, DRisePointsIntoTheFaceAndSeedsAgree)
{
    // One test (one process under CTest) so that the seed-0 map of astronaut.png serves both
    // checks: three maps of 4000 forward passes each.
    XCAM_REQUIRE_SHARED();
    for (const Face& face : kFaces)
    {
        SCOPED_TRACE(face.image);
        const Point peak = peakOf(dRiseMap(face, 0));
        Ptr<xcam::DetectorModel> model = blazeFace();
        std::vector<xcam::Detection> faces;
        model->detect(photo(face.image), faces);
        ASSERT_EQ(faces.size(), 1u);
        EXPECT_TRUE(faces[0].box.contains(Point2f((float)peak.x, (float)peak.y))) << peak;
    }
    const double r = correlation(dRiseMap(kFaces[0], 0), dRiseMap(kFaces[0], 1));
    std::cout << "D-RISE on " << kFaces[0].image << ", 4000 masks: seed 0 vs 1 correlation " << r
              << std::endl;
    EXPECT_GT(r, 0.9);
}
