// computeCAM: the pure math, checked against numbers worked out by hand and a plain loop.
#include "test_common.hpp"

#include <cmath>
#include <limits>

using namespace cv;
using xcam_test::maxRelativeError;

namespace {

Mat blob4(int c, int h, int w, const std::vector<float>& values)
{
    const int shape[] = {1, c, h, w};
    Mat m(4, shape, CV_32F);
    CV_Assert(values.size() == m.total());
    std::copy(values.begin(), values.end(), m.ptr<float>());
    return m;
}

// Two 2x3 channels: A0 = [1 2 3; 4 5 6], A1 = [0 1 0; 1 0 1].
Mat smallActivations()
{
    return blob4(2, 2, 3, {1, 2, 3, 4, 5, 6, 0, 1, 0, 1, 0, 1});
}

} // namespace

TEST(ComputeCAM, KnownAnswerByHand)
{
    // Class 1 weighs A0 by 2 and A1 by -3: [2 4-3 6; 8-3 10 12-3] = [2 1 6; 5 10 9].
    Mat weights = (Mat_<float>(2, 2) << 1, 1, 2, -3);
    Mat cam;
    xcam::computeCAM(smallActivations(), weights, 1, cam);
    ASSERT_EQ(cam.type(), CV_32F);
    ASSERT_EQ(cam.size(), Size(3, 2));
    Mat expected = (Mat_<float>(2, 3) << 2, 1, 6, 5, 10, 9);
    EXPECT_EQ(norm(cam, expected, NORM_INF), 0.0);

    // Class 0 (1, 1): A0 + A1 = [1 3 3; 5 5 7].
    xcam::computeCAM(smallActivations(), weights, 0, cam);
    expected = (Mat_<float>(2, 3) << 1, 3, 3, 5, 5, 7);
    EXPECT_EQ(norm(cam, expected, NORM_INF), 0.0);
}

TEST(ComputeCAM, RawMapKeepsNegativeValuesAndNoNormalization)
{
    Mat weights = (Mat_<float>(1, 2) << -1, 0);
    Mat cam;
    xcam::computeCAM(smallActivations(), weights, 0, cam);
    double lo, hi;
    minMaxLoc(cam, &lo, &hi);
    EXPECT_EQ(lo, -6.0);
    EXPECT_EQ(hi, -1.0);
}

TEST(ComputeCAM, ThreeDimensionalActivationsGiveTheSameMap)
{
    Mat a4 = smallActivations();
    const int shape3[] = {2, 2, 3};
    Mat a3 = a4.reshape(1, 3, shape3);
    Mat weights = (Mat_<float>(1, 2) << .5f, 4);
    Mat cam3, cam4;
    xcam::computeCAM(a3, weights, 0, cam3);
    xcam::computeCAM(a4, weights, 0, cam4);
    ASSERT_EQ(cam3.size(), Size(3, 2));
    EXPECT_EQ(norm(cam3, cam4, NORM_INF), 0.0);
}

TEST(ComputeCAM, ClassMapModeReturnsTheClassChannel)
{
    Mat cam;
    xcam::computeCAM(smallActivations(), noArray(), 1, cam);
    Mat expected = (Mat_<float>(2, 3) << 0, 1, 0, 1, 0, 1);
    ASSERT_EQ(cam.size(), Size(3, 2));
    EXPECT_EQ(norm(cam, expected, NORM_INF), 0.0);
    xcam::computeCAM(smallActivations(), Mat(), 0, cam);
    EXPECT_EQ(cam.at<float>(1, 2), 6.f);
}

TEST(ComputeCAM, MatchesPlainLoopOnRandomData)
{
    const int C = 96, H = 7, W = 9, K = 11;
    const int shape[] = {1, C, H, W};
    Mat a(4, shape, CV_32F), weights(K, C, CV_32F);
    RNG rng(42);
    rng.fill(a, RNG::UNIFORM, 0, 6);
    rng.fill(weights, RNG::NORMAL, 0, 0.1);
    for (int c = 0; c < K; ++c)
    {
        Mat cam;
        xcam::computeCAM(a, weights, c, cam);
        Mat expected(H, W, CV_64F, Scalar(0));
        for (int k = 0; k < C; ++k)
            for (int y = 0; y < H; ++y)
                for (int x = 0; x < W; ++x)
                {
                    const int idx[] = {0, k, y, x};
                    expected.at<double>(y, x) += (double)weights.at<float>(c, k) * a.at<float>(idx);
                }
        EXPECT_LT(maxRelativeError(cam, expected), 1e-5) << "class " << c;
    }
}

TEST(ComputeCAM, NonContinuousWeightsAreRead)
{
    Mat big = (Mat_<float>(2, 4) << 9, 1, 1, 9, 9, 2, -3, 9);
    Mat weights = big.colRange(1, 3);  // [1 1; 2 -3], not continuous
    ASSERT_FALSE(weights.isContinuous());
    Mat cam;
    xcam::computeCAM(smallActivations(), weights, 1, cam);
    Mat expected = (Mat_<float>(2, 3) << 2, 1, 6, 5, 10, 9);
    EXPECT_EQ(norm(cam, expected, NORM_INF), 0.0);
}

TEST(ComputeCAM, OutputIsReusedWithoutReallocation)
{
    Mat weights = (Mat_<float>(2, 2) << 1, 1, 2, -3);
    Mat cam(2, 3, CV_32F, Scalar(-1));
    const uchar* data = cam.data;
    xcam::computeCAM(smallActivations(), weights, 1, cam);
    EXPECT_EQ(cam.data, data);
    EXPECT_EQ(cam.at<float>(1, 1), 10.f);
}

TEST(ComputeCAM, BadInputThrowsNamingTheArgument)
{
    Mat a = smallActivations();
    Mat weights = (Mat_<float>(2, 2) << 1, 1, 2, -3);
    Mat cam;
    EXPECT_CV_ERROR(xcam::computeCAM(Mat(), weights, 0, cam), "activations is empty");
    Mat a64;
    a.convertTo(a64, CV_64F);
    EXPECT_CV_ERROR(xcam::computeCAM(a64, weights, 0, cam), "activations must be single-channel CV_32F");
    EXPECT_CV_ERROR(xcam::computeCAM(Mat(2, 6, CV_32F, Scalar(1)), weights, 0, cam),
                    "activations must be a 1xCxHxW or CxHxW blob");
    const int batch[] = {2, 2, 2, 3};
    EXPECT_CV_ERROR(xcam::computeCAM(Mat(4, batch, CV_32F, Scalar(1)), weights, 0, cam),
                    "batch of 2");
    const int five[] = {1, 1, 2, 2, 3};
    EXPECT_CV_ERROR(xcam::computeCAM(Mat(5, five, CV_32F, Scalar(1)), weights, 0, cam),
                    "5 dimensions");
    Mat w64;
    weights.convertTo(w64, CV_64F);
    EXPECT_CV_ERROR(xcam::computeCAM(a, w64, 0, cam), "weights must be single-channel CV_32F");
    EXPECT_CV_ERROR(xcam::computeCAM(a, Mat(2, 3, CV_32F, Scalar(1)), 0, cam),
                    "weights has 3 columns but activations has 2 channels");
    const int w3[] = {2, 2, 1};
    EXPECT_CV_ERROR(xcam::computeCAM(a, Mat(3, w3, CV_32F, Scalar(1)), 0, cam),
                    "weights must be a KxC matrix");
    EXPECT_CV_ERROR(xcam::computeCAM(a, weights, 2, cam), "classId 2 is out of range [0, 2)");
    EXPECT_CV_ERROR(xcam::computeCAM(a, weights, -1, cam), "classId -1 is out of range");
    EXPECT_CV_ERROR(xcam::computeCAM(a, noArray(), 2, cam), "classId 2 is out of range [0, 2)");
}

TEST(ComputeCAM, NonFiniteValuesThrow)
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    Mat weights = (Mat_<float>(2, 2) << 1, 1, 2, -3);
    Mat cam;

    Mat a = smallActivations();
    a.ptr<float>()[4] = nan;
    EXPECT_CV_ERROR(xcam::computeCAM(a, weights, 0, cam), "activations holds a non-finite value");
    EXPECT_CV_ERROR(xcam::computeCAM(a, noArray(), 0, cam), "activations holds a non-finite");

    a = smallActivations();
    a.ptr<float>()[7] = inf;
    EXPECT_CV_ERROR(xcam::computeCAM(a, weights, 1, cam), "activations holds a non-finite value");

    Mat badWeights = weights.clone();
    badWeights.at<float>(1, 0) = -inf;
    EXPECT_CV_ERROR(xcam::computeCAM(smallActivations(), badWeights, 1, cam),
                    "weights holds a non-finite value");
}
