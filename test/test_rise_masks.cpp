// RISE's mask generator (generateRISEMasks, the masks CAMModel::explain uses): antithetic pairs
// keep every pixel exactly half the time, each mask is a binary grid upsampled and shifted within
// one cell, any split into batches gives the same masks, keepProbability is the keep rate, and bad
// parameters are refused. The fixture tool's independent generator is compared in
// test_method_oracle.cpp.
#include "test_common.hpp"

#include <opencv2/imgproc.hpp>

#include <set>

using namespace cv;
using namespace xcam_test;

namespace {

xcam::CAMMethodParams riseParams(int masks, int grid, double keep, int seed)
{
    xcam::CAMMethodParams p;
    p.numMasks = masks;
    p.gridSize = grid;
    p.keepProbability = keep;
    p.seed = seed;
    return p;
}

TEST(RiseMasks, AntitheticPairsKeepEveryPixelHalfTheTime)
{
    const xcam::CAMMethodParams p = riseParams(200, 5, 0.5, 11);
    Mat masks;
    xcam::generateRISEMasks(Size(23, 17), p, 0, p.numMasks, masks);
    ASSERT_EQ(masks.size(), Size(23 * 17, 200));
    ASSERT_EQ(masks.type(), CV_32F);
    double lo = 0, hi = 0;
    minMaxLoc(masks, &lo, &hi);
    EXPECT_GE(lo, 0.0);
    EXPECT_LE(hi, 1.0);
    EXPECT_LT(lo, 0.01);  // grids do have cells dropped and kept
    EXPECT_GT(hi, 0.99);
    for (int i = 0; i < p.numMasks; i += 2)
        EXPECT_LE(norm(masks.row(i) + masks.row(i + 1) - 1.0, NORM_INF), 1e-6) << "pair " << i;
    Mat rate;
    reduce(masks, rate, 0, REDUCE_AVG, CV_64F);
    EXPECT_LE(norm(rate - 0.5, NORM_INF), 1e-6);
}

TEST(RiseMasks, KeepProbabilityIsTheKeepRate)
{
    // One cell per mask (gridSize 1): every mask is all ones or all zeros.
    const xcam::CAMMethodParams p = riseParams(4000, 1, 0.3, 5);
    Mat masks;
    xcam::generateRISEMasks(Size(6, 4), p, 0, p.numMasks, masks);
    int kept = 0;
    for (int i = 0; i < masks.rows; ++i)
    {
        double lo = 0, hi = 0;
        minMaxLoc(masks.row(i), &lo, &hi);
        EXPECT_EQ(lo, hi) << "mask " << i << " is not constant";
        EXPECT_TRUE(lo == 0 || lo == 1) << "mask " << i;
        kept += lo == 1;
    }
    const double rate = (double)kept / masks.rows, sigma = std::sqrt(0.3 * 0.7 / masks.rows);
    EXPECT_NEAR(rate, 0.3, 4 * sigma);
}

// Each 8x8 mask of a 2x2 grid is the bilinear upsampling of some binary grid to 12x12 (cell 4),
// cropped at a shift in [0, 4)^2; the shifts vary.
TEST(RiseMasks, BinaryGridUpsampledAndShiftedWithinACell)
{
    const xcam::CAMMethodParams p = riseParams(64, 2, 0.4, 3);
    Mat masks;
    xcam::generateRISEMasks(Size(8, 8), p, 0, p.numMasks, masks);
    std::set<int> shifts;
    for (int i = 0; i < masks.rows; ++i)
    {
        const Mat mask = masks.row(i).reshape(1, 8);
        int found = -1;
        for (int bits = 0; bits < 16 && found < 0; ++bits)
        {
            Mat grid(2, 2, CV_32F), big;
            for (int c = 0; c < 4; ++c)
                grid.at<float>(c / 2, c % 2) = (bits >> c) & 1 ? 1.f : 0.f;
            resize(grid, big, Size(12, 12), 0, 0, INTER_LINEAR);
            for (int s = 0; s < 16 && found < 0; ++s)
                if (norm(big(Rect(s % 4, s / 4, 8, 8)), mask, NORM_INF) == 0)
                    found = s;
        }
        ASSERT_GE(found, 0) << "mask " << i << " is no shifted upsampled binary grid";
        shifts.insert(found);
    }
    EXPECT_GE(shifts.size(), 8u);
}

TEST(RiseMasks, AnySplitGivesTheSameMasks)
{
    for (double keep : {0.5, 0.7})
    {
        const xcam::CAMMethodParams p = riseParams(37, 4, keep, -9);
        Mat all;
        xcam::generateRISEMasks(Size(13, 11), p, 0, p.numMasks, all);
        for (int start : {0, 1, 2, 17, 36})
            for (int count : {1, 3})
            {
                if (start + count > p.numMasks)
                    continue;
                Mat part;
                xcam::generateRISEMasks(Size(13, 11), p, start, count, part);
                EXPECT_EQ(norm(part, all.rowRange(start, start + count), NORM_INF), 0)
                    << "keep " << keep << " start " << start << " count " << count;
            }
        Mat other;
        xcam::CAMMethodParams q = p;
        q.seed = 8;
        xcam::generateRISEMasks(Size(13, 11), q, 0, q.numMasks, other);
        EXPECT_GT(norm(other, all, NORM_INF), 0.5) << "the seed changes the masks";
    }
}

TEST(RiseMasks, BadParameters)
{
    struct Case
    {
        xcam::CAMMethodParams params;
        Size size;
        int start, count;
        const char* fragment;
    };
    const Case cases[] = {
        {riseParams(0, 2, 0.5, 0), Size(8, 8), 0, 1, "numMasks"},
        {riseParams(4, -1, 0.5, 0), Size(8, 8), 0, 1, "gridSize"},
        {riseParams(4, 5000, 0.5, 0), Size(8, 8), 0, 1, "gridSize"},
        {riseParams(4, 2, 0, 0), Size(8, 8), 0, 1, "keepProbability"},
        {riseParams(4, 2, 0.5, 0), Size(0, 8), 0, 1, "non-empty"},
        {riseParams(4, 2, 0.5, 0), Size(8, 8), 3, 2, "numMasks = 4"},
        {riseParams(4, 2, 0.5, 0), Size(8, 8), -1, 1, "[0, numMasks"},
        {riseParams(4, 2, 0.5, 0), Size(8, 8), 0, 0, "[0, numMasks"}};
    for (const Case& c : cases)
    {
        Mat m;
        EXPECT_CV_ERROR(xcam::generateRISEMasks(c.size, c.params, c.start, c.count, m), c.fragment);
    }
}


// gridSize 0 (the default) is automatic: on a classifier (and in generateRISEMasks) the 8 x 8 grid.
TEST(RiseMasks, GridSizeZeroIsTheClassifierGrid)
{
    Mat automatic, eight, four;
    xcam::generateRISEMasks(Size(40, 30), riseParams(6, 0, 0.5, 2), 0, 6, automatic);
    xcam::generateRISEMasks(Size(40, 30), riseParams(6, 8, 0.5, 2), 0, 6, eight);
    xcam::generateRISEMasks(Size(40, 30), riseParams(6, 4, 0.5, 2), 0, 6, four);
    EXPECT_EQ(norm(automatic, eight, NORM_INF), 0.0);
    EXPECT_GT(norm(automatic, four, NORM_INF), 0.0);
}

} // namespace
