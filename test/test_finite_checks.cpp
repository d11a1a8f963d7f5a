// The finiteness checks accept every finite float, FLT_MAX included (cv::checkRange's
// [-FLT_MAX, FLT_MAX) rejected it as "non-finite"), and still reject NaN and infinities.
#include "test_common.hpp"

#include <cfloat>
#include <limits>

using namespace cv;

namespace {

TEST(FiniteChecks, ComputeCAMAcceptsFltMax)
{
    const int shape[] = {1, 2, 2, 3};
    Mat a(4, shape, CV_32F, Scalar(1));
    a.ptr<float>()[0] = FLT_MAX;              // channel 0, (0, 0)
    a.ptr<float>()[5] = -FLT_MAX;             // channel 0, (1, 2)
    Mat cam;
    xcam::computeCAM(a, noArray(), 0, cam);  // class-map head: channel 0 as it is
    EXPECT_EQ(cam.at<float>(0, 0), FLT_MAX);
    EXPECT_EQ(cam.at<float>(1, 2), -FLT_MAX);

    const Mat weights = (Mat_<float>(1, 2) << FLT_MAX, 0.f);
    Mat b(4, shape, CV_32F, Scalar(0.5));
    xcam::computeCAM(b, weights, 0, cam);
    EXPECT_EQ(cam.at<float>(0, 0), FLT_MAX * 0.5f);
}

TEST(FiniteChecks, NonFiniteValuesAreStillRejected)
{
    const int shape[] = {1, 2, 2, 3};
    for (float bad : {std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::quiet_NaN(),
                      std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()})
    {
        Mat a(4, shape, CV_32F, Scalar(1));
        a.ptr<float>()[4] = bad;  // channel 0, (1, 1)
        Mat cam;
        EXPECT_CV_ERROR(xcam::computeCAM(a, noArray(), 0, cam), "non-finite");
        const Mat weights = (Mat_<float>(1, 2) << 1.f, bad);
        EXPECT_CV_ERROR(xcam::computeCAM(Mat(4, shape, CV_32F, Scalar(1)), weights, 0, cam),
                        "weights holds a non-finite value");
    }
}

TEST(FiniteChecks, OverlayAcceptsAMapWithFltMax)
{
    Mat map(3, 3, CV_32F, Scalar(0));
    map.at<float>(1, 1) = FLT_MAX;
    Mat image(9, 11, CV_8UC3, Scalar(40, 80, 120)), dst;
    xcam::applyCAMOverlay(image, map, dst);
    EXPECT_EQ(dst.size(), image.size());
    map.at<float>(0, 0) = std::numeric_limits<float>::infinity();
    EXPECT_CV_ERROR(xcam::applyCAMOverlay(image, map, dst), "cam holds a non-finite value");
}

} // namespace
