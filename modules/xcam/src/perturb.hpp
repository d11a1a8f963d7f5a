// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Occlusion and RISE on the engine (engine.hpp), for any scorer: a classifier's probabilities
// (CAM_METHOD_OCCLUSION, CAM_METHOD_RISE) or a detector's (D-RISE with the same masks).
#ifndef OPENCV_XCAM_PERTURB_HPP
#define OPENCV_XCAM_PERTURB_HPP

#include "engine.hpp"

namespace cv {
namespace xcam {
namespace detail {

/** RISE's grid on a classifier when CAMMethodParams::gridSize is 0 (automatic). */
const int kClassifierGridSize = 8;

/** RISE's masks of an input of `size`, in order (generateRISEMasks documents them); gridSize 0
    is kClassifierGridSize. Checks the parameters on construction. */
class RiseMasks
{
public:
    RiseMasks(Size size, const CAMMethodParams& params);
    /** Writes masks [start, start + masks.rows) into the rows of `masks` (H*W CV_32F each). Any
        start works; the next batch's start is the cheapest. */
    void write(int start, Mat& masks);

private:
    void restart();
    /** Draws mask `next`'s grid and shift (the antithetic twin of the previous one, or new). */
    void draw(Mat& grid, Point& shift);

    Size size, cell;
    int gridSize;
    double keep;
    int seed;
    RNG rng;
    int next = 0;
    Mat previous;
    Point previousShift;
};

/** RISE saliency of every scorer column: maps (S x H*W) = sum_i s_i M_i / (N p), the masks of
    RiseMasks at the engine's size, s_i the scorer's row for masked input i. */
void riseSaliency(const Engine& engine, const CAMMethodParams& params, Mat& maps);

/** The occlusion windows of an input of `size`: params.patchSize (0: ceil(min(W, H) / 7)) slid
    by params.stride (0: ceil(patch / 2)), the border rule of CAM_METHOD_OCCLUSION, y major. */
std::vector<Rect> occlusionWindows(Size size, const CAMMethodParams& params);

/** Occlusion saliency of every scorer column: maps (S x H*W), each pixel the mean over the
    windows covering it of clean - s_w (s_w: the scorer's row with window w blanked to the blob's
    zero), 0 where none does. `clean` is the scorer's 1 x S row for the clean input. */
void occlusionSaliency(const Engine& engine, const CAMMethodParams& params, const Mat& clean,
                       Mat& maps);

}}} // namespace cv::xcam::detail

#endif
