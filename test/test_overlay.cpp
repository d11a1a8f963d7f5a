// applyCAMOverlay against straightforward references built from OpenCV calls.
#include "test_common.hpp"

#include <opencv2/imgproc.hpp>

#include <limits>

using namespace cv;

namespace {

/** Steps 1-4 of the definition with plain OpenCV calls: idx = round(255 * thresholded m). */
Mat referenceIndex(const Mat& cam, Size size, int interpolation, float threshold)
{
    Mat m;
    resize(cam, m, size, 0, 0, interpolation);
    double low, high, camLow, camHigh;
    minMaxLoc(m, &low, &high);
    minMaxLoc(cam, &camLow, &camHigh);
    if (camHigh > camLow)  // a constant map is all zeros (resizing it may add float noise)
        m = (m - low) / (high - low);
    else
        m = Mat::zeros(size, CV_32F);
    m.setTo(0, m < threshold);
    Mat idx;
    m.convertTo(idx, CV_8U, 255.0);
    return idx;
}

Mat referenceSeed(const Mat& image, const Mat& cam, const xcam::CAMOverlayParams& p)
{
    const Mat idx = referenceIndex(cam, image.size(), p.interpolation, p.threshold);
    Mat jet, color, weight, weight3;
    applyColorMap(idx, jet, p.colormap);
    jet.convertTo(color, CV_32FC3);
    idx.convertTo(weight, CV_32F, 1.0 / 255);
    merge(std::vector<Mat>{weight, weight, weight}, weight3);
    color = color.mul(weight3);

    Mat gray = image, base, base3;
    if (image.channels() == 3)
        cvtColor(image, gray, COLOR_BGR2GRAY);
    else if (image.channels() == 4)
        cvtColor(image, gray, COLOR_BGRA2GRAY);
    gray.convertTo(base, CV_32F, 0.5);
    merge(std::vector<Mat>{base, base, base}, base3);
    Mat s = base3 + color, out;
    double low, high;
    minMaxLoc(s.reshape(1), &low, &high);
    if (high > low)
        s.convertTo(out, CV_8UC3, 255.0 / (high - low), -low * 255.0 / (high - low));
    else
        out = Mat::zeros(image.size(), CV_8UC3);
    return out;
}

Mat referenceBlend(const Mat& image, const Mat& cam, const xcam::CAMOverlayParams& p)
{
    const Mat idx = referenceIndex(cam, image.size(), p.interpolation, p.threshold);
    Mat colors, bgr = image, out;
    applyColorMap(idx, colors, p.colormap);
    if (image.channels() == 1)
        cvtColor(image, bgr, COLOR_GRAY2BGR);
    else if (image.channels() == 4)
        cvtColor(image, bgr, COLOR_BGRA2BGR);
    addWeighted(bgr, 1.0 - p.alpha, colors, p.alpha, 0.0, out);
    return out;
}

/** Fraction of values that differ by more than one grey level, and the largest difference. */
void compare(const Mat& got, const Mat& expected, double& badFraction, double& maxDiff)
{
    ASSERT_EQ(got.type(), CV_8UC3);
    ASSERT_EQ(got.size(), expected.size());
    Mat diff;
    absdiff(got, expected, diff);
    diff = diff.reshape(1);
    minMaxLoc(diff, nullptr, &maxDiff);
    badFraction = (double)countNonZero(diff > 1) / diff.total();
}

Mat testImage(Size size, int type, uint64 seed)
{
    // A smooth picture plus noise: realistic gradients and every grey level.
    Mat image(size, CV_8UC3);
    for (int y = 0; y < size.height; ++y)
        for (int x = 0; x < size.width; ++x)
            image.at<Vec3b>(y, x) = Vec3b((uchar)(x * 255 / size.width),
                                          (uchar)(y * 255 / size.height),
                                          (uchar)((x + y) * 127 / (size.width + size.height)));
    Mat noise(size, CV_8UC3);
    RNG(seed).fill(noise, RNG::UNIFORM, 0, 64);
    image += noise;
    if (type == CV_8UC1)
        cvtColor(image, image, COLOR_BGR2GRAY);
    else if (type == CV_8UC4)
        cvtColor(image, image, COLOR_BGR2BGRA);
    return image;
}

Mat testMap(Size size, uint64 seed)
{
    Mat cam(size, CV_32F);
    RNG(seed).fill(cam, RNG::NORMAL, 2, 3);  // raw maps are signed
    return cam;
}

struct OverlayCase
{
    int style, interpolation, imageType, colormap;
    Size image, map;
};

std::ostream& operator<<(std::ostream& os, const OverlayCase& c)
{
    return os << "style" << c.style << "_interp" << c.interpolation << "_type" << c.imageType
              << "_cmap" << c.colormap << "_" << c.image.width << "x" << c.image.height << "_map"
              << c.map.width << "x" << c.map.height;
}

class OverlayVsReference : public ::testing::TestWithParam<OverlayCase>
{
};

} // namespace

TEST_P(OverlayVsReference, WithinOneGreyLevelOn999PerMille)
{
    const OverlayCase& c = GetParam();
    xcam::CAMOverlayParams p;
    p.style = c.style;
    p.interpolation = c.interpolation;
    p.colormap = c.colormap;
    for (uint64 seed : {1, 2, 3})
    {
        const Mat image = testImage(c.image, c.imageType, seed), cam = testMap(c.map, seed);
        Mat dst;
        xcam::applyCAMOverlay(image, cam, dst, p);
        const Mat expected = c.style == xcam::CAM_OVERLAY_SEED ? referenceSeed(image, cam, p)
                                                                : referenceBlend(image, cam, p);
        double bad = 1, maxDiff = 255;
        compare(dst, expected, bad, maxDiff);
        EXPECT_LE(bad, 0.001) << "seed " << seed << ", max diff " << maxDiff;
        EXPECT_LE(maxDiff, 8) << "seed " << seed;
    }
}

INSTANTIATE_TEST_CASE_P(
    Styles, OverlayVsReference,
    ::testing::Values(
        OverlayCase{xcam::CAM_OVERLAY_SEED, INTER_CUBIC, CV_8UC3, COLORMAP_JET, {640, 480}, {7, 7}},
        OverlayCase{xcam::CAM_OVERLAY_SEED, INTER_CUBIC, CV_8UC3, COLORMAP_JET, {451, 300}, {7, 5}},
        OverlayCase{xcam::CAM_OVERLAY_SEED, INTER_LINEAR, CV_8UC3, COLORMAP_JET, {333, 211}, {13, 13}},
        OverlayCase{xcam::CAM_OVERLAY_SEED, INTER_NEAREST, CV_8UC3, COLORMAP_JET, {224, 224}, {7, 7}},
        OverlayCase{xcam::CAM_OVERLAY_SEED, INTER_LANCZOS4, CV_8UC3, COLORMAP_JET, {300, 200}, {7, 7}},
        OverlayCase{xcam::CAM_OVERLAY_SEED, INTER_CUBIC, CV_8UC1, COLORMAP_JET, {320, 240}, {4, 4}},
        OverlayCase{xcam::CAM_OVERLAY_SEED, INTER_CUBIC, CV_8UC4, COLORMAP_JET, {320, 240}, {7, 7}},
        OverlayCase{xcam::CAM_OVERLAY_SEED, INTER_CUBIC, CV_8UC3, COLORMAP_VIRIDIS, {200, 150}, {7, 7}},
        OverlayCase{xcam::CAM_OVERLAY_SEED, INTER_CUBIC, CV_8UC3, COLORMAP_JET, {5, 4}, {7, 7}},
        OverlayCase{xcam::CAM_OVERLAY_BLEND, INTER_CUBIC, CV_8UC3, COLORMAP_JET, {640, 480}, {7, 7}},
        OverlayCase{xcam::CAM_OVERLAY_BLEND, INTER_LINEAR, CV_8UC3, COLORMAP_TURBO, {451, 300}, {5, 5}},
        OverlayCase{xcam::CAM_OVERLAY_BLEND, INTER_CUBIC, CV_8UC1, COLORMAP_HOT, {320, 240}, {7, 7}},
        OverlayCase{xcam::CAM_OVERLAY_BLEND, INTER_CUBIC, CV_8UC4, COLORMAP_JET, {320, 240}, {7, 7}}));

TEST(ApplyCAMOverlay, DefaultsAreTheSeedsCAMshow)
{
    const xcam::CAMOverlayParams p;
    EXPECT_EQ(p.style, xcam::CAM_OVERLAY_SEED);
    EXPECT_EQ(p.interpolation, INTER_CUBIC);
    EXPECT_FLOAT_EQ(p.threshold, 0.2f);
    EXPECT_FLOAT_EQ(p.alpha, 0.5f);
    EXPECT_EQ(p.colormap, COLORMAP_JET);
}

TEST(ApplyCAMOverlay, BlendAlphaAndThresholdAreHonoured)
{
    const Mat image = testImage({160, 120}, CV_8UC3, 9), cam = testMap({7, 7}, 9);
    for (float alpha : {0.f, 0.3f, 1.f})
        for (float threshold : {0.f, 0.5f, 1.f})
        {
            xcam::CAMOverlayParams p;
            p.style = xcam::CAM_OVERLAY_BLEND;
            p.alpha = alpha;
            p.threshold = threshold;
            Mat dst;
            xcam::applyCAMOverlay(image, cam, dst, p);
            double bad, maxDiff;
            compare(dst, referenceBlend(image, cam, p), bad, maxDiff);
            EXPECT_LE(bad, 0.001) << "alpha " << alpha << " threshold " << threshold;
        }
    // alpha 0 is the image itself.
    xcam::CAMOverlayParams p;
    p.style = xcam::CAM_OVERLAY_BLEND;
    p.alpha = 0.f;
    Mat dst;
    xcam::applyCAMOverlay(image, cam, dst, p);
    EXPECT_EQ(norm(dst, image, NORM_INF), 0.0);
}

TEST(ApplyCAMOverlay, ConstantAndOneByOneMapsGiveNoNaN)
{
    const Mat image = testImage({64, 48}, CV_8UC3, 4);
    for (const Mat& cam : {Mat(7, 7, CV_32F, Scalar(3.5f)), Mat(1, 1, CV_32F, Scalar(-2.f)),
                           Mat(7, 7, CV_32F, Scalar(0.f))})
    {
        for (int style : {xcam::CAM_OVERLAY_SEED, xcam::CAM_OVERLAY_BLEND})
        {
            xcam::CAMOverlayParams p;
            p.style = style;
            Mat dst;
            xcam::applyCAMOverlay(image, cam, dst, p);
            const Mat expected = style == xcam::CAM_OVERLAY_SEED ? referenceSeed(image, cam, p)
                                                                 : referenceBlend(image, cam, p);
            double bad, maxDiff;
            compare(dst, expected, bad, maxDiff);
            EXPECT_LE(maxDiff, 1) << "style " << style << " map " << cam.size();
        }
    }
    // A flat map over a flat image: s is constant, so the seed picture is all zeros.
    Mat flat(32, 32, CV_8UC3, Scalar::all(77)), dst;
    xcam::applyCAMOverlay(flat, Mat(7, 7, CV_32F, Scalar(1.f)), dst);
    EXPECT_EQ(countNonZero(dst.reshape(1)), 0);
}

TEST(ApplyCAMOverlay, DstIsReusedAndMayBeTheImage)
{
    const Mat image = testImage({320, 240}, CV_8UC3, 5), cam = testMap({7, 7}, 5);
    Mat expected;
    xcam::applyCAMOverlay(image, cam, expected);
    Mat dst(image.size(), CV_8UC3, Scalar::all(1));
    const uchar* data = dst.data;
    xcam::applyCAMOverlay(image, cam, dst);
    EXPECT_EQ(dst.data, data);
    EXPECT_EQ(norm(dst, expected, NORM_INF), 0.0);

    for (int style : {xcam::CAM_OVERLAY_SEED, xcam::CAM_OVERLAY_BLEND})
    {
        xcam::CAMOverlayParams p;
        p.style = style;
        xcam::applyCAMOverlay(image, cam, expected, p);
        Mat inPlace = image.clone();
        const uchar* before = inPlace.data;
        xcam::applyCAMOverlay(inPlace, cam, inPlace, p);
        EXPECT_EQ(inPlace.data, before);
        EXPECT_EQ(norm(inPlace, expected, NORM_INF), 0.0) << "style " << style;
    }
}

TEST(ApplyCAMOverlay, ResultDoesNotDependOnThreadCount)
{
    const Mat image = testImage({641, 479}, CV_8UC3, 6), cam = testMap({7, 7}, 6);
    const int threads = getNumThreads();
    Mat parallel, serial;
    xcam::applyCAMOverlay(image, cam, parallel);
    setNumThreads(1);
    xcam::applyCAMOverlay(image, cam, serial);
    setNumThreads(threads);
    EXPECT_EQ(norm(parallel, serial, NORM_INF), 0.0);
}

TEST(ApplyCAMOverlay, BadInputThrowsNamingTheArgument)
{
    const Mat image = testImage({32, 24}, CV_8UC3, 7), cam = testMap({7, 7}, 7);
    Mat dst;
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(Mat(), cam, dst), "image is empty");
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(Mat(8, 8, CV_16UC3, Scalar::all(1)), cam, dst),
                    "image must be CV_8UC1, CV_8UC3 or CV_8UC4");
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(Mat(8, 8, CV_32FC3, Scalar::all(1)), cam, dst),
                    "image must be CV_8UC1, CV_8UC3 or CV_8UC4");
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(Mat(8, 8, CV_8UC2, Scalar::all(1)), cam, dst),
                    "image must be CV_8UC1, CV_8UC3 or CV_8UC4");
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, Mat(), dst), "cam is empty");
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, Mat(7, 7, CV_64F, Scalar(1)), dst),
                    "cam must be a 2-D CV_32FC1 map");
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, Mat(7, 7, CV_8U, Scalar(1)), dst),
                    "cam must be a 2-D CV_32FC1 map");
    Mat nanCam = cam.clone();
    nanCam.at<float>(3, 3) = std::numeric_limits<float>::quiet_NaN();
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, nanCam, dst), "cam holds a non-finite value");
    Mat infCam = cam.clone();
    infCam.at<float>(0, 0) = std::numeric_limits<float>::infinity();
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, infCam, dst), "cam holds a non-finite value");

    xcam::CAMOverlayParams p;
    p.threshold = std::numeric_limits<float>::quiet_NaN();
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, cam, dst, p), "params.threshold");
    p = xcam::CAMOverlayParams();
    p.alpha = std::numeric_limits<float>::infinity();
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, cam, dst, p), "params.alpha");
    p = xcam::CAMOverlayParams();
    p.alpha = -0.1f;
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, cam, dst, p), "params.alpha");
    p = xcam::CAMOverlayParams();
    p.style = 5;
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, cam, dst, p), "params.style");
    p = xcam::CAMOverlayParams();
    p.interpolation = INTER_AREA;
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, cam, dst, p), "params.interpolation");
    p = xcam::CAMOverlayParams();
    p.colormap = 99;
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, cam, dst, p), "params.colormap");
}
