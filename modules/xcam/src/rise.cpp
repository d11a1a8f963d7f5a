// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// RISE: random masks (RiseMasks, generateRISEMasks), their scores, sum_i s_i M_i / (N p).

#include "method_table.hpp"
#include "perturb.hpp"

namespace cv {
namespace xcam {
namespace detail {

RiseMasks::RiseMasks(Size size_, const CAMMethodParams& params)
    : size(size_), gridSize(params.gridSize == 0 ? kClassifierGridSize : params.gridSize), keep(params.keepProbability), seed(params.seed)
{
    if (params.numMasks <= 0)
        CV_Error_(Error::StsOutOfRange, ("numMasks must be positive, got %d", params.numMasks));
    if (gridSize < 1 || gridSize > 4096)
        CV_Error_(Error::StsOutOfRange, ("gridSize must be 0 (automatic) or in [1, 4096], got %d",
                                         params.gridSize));
    // Below 1e-6 no cell is ever kept and the 1/(N*p) scale overflows to 0 * inf = NaN.
    if (!(keep >= 1e-6 && keep <= 1))
        CV_Error_(Error::StsOutOfRange, ("keepProbability must be in [1e-6, 1], got %g", keep));
    if (size.width < 1 || size.height < 1)
        CV_Error_(Error::StsBadArg, ("RISE needs a non-empty input, got %dx%d", size.width,
                                     size.height));
    cell = Size((size.width + gridSize - 1) / gridSize, (size.height + gridSize - 1) / gridSize);
    restart();
}

void RiseMasks::restart()
{
    rng = RNG((uint64)(int64)seed);
    next = 0;
}

void RiseMasks::draw(Mat& grid, Point& shift)
{
    // p = 0.5: antithetic pairs (a grid, then its complement with the same shift): each mask has
    // RISE's distribution, but every pixel is kept exactly half the time.
    Mat g(gridSize, gridSize, CV_32F);  // a new buffer: `previous` keeps the last one
    if (keep == 0.5 && next % 2 == 1)
    {
        subtract(Scalar::all(1), previous, g);
        shift = previousShift;
    }
    else
    {
        for (float& c : Mat_<float>(g))
            c = rng.uniform(0.f, 1.f) < keep ? 1.f : 0.f;
        shift.x = rng.uniform(0, cell.width);
        shift.y = rng.uniform(0, cell.height);
    }
    grid = previous = g;
    previousShift = shift;
    ++next;
}

void RiseMasks::write(int start, Mat& masks)
{
    CV_Assert(masks.type() == CV_32F && masks.cols == size.area() && masks.isContinuous());
    if (start < next)
        restart();
    std::vector<Mat> grids(masks.rows);
    std::vector<Point> shifts(masks.rows);
    while (next < start)  // masks before `start`: drawn for the random numbers only
        draw(grids[0], shifts[0]);
    for (int i = 0; i < masks.rows; ++i)
        draw(grids[i], shifts[i]);
    const Size up((gridSize + 1) * cell.width, (gridSize + 1) * cell.height);
    parallel_for_(Range(0, masks.rows), [&](const Range& r) {
        Mat big;
        for (int i = r.start; i < r.end; ++i)
        {
            resize(grids[i], big, up, 0, 0, INTER_LINEAR);
            big(Rect(shifts[i], size)).copyTo(Mat(size, CV_32F, masks.ptr<float>(i)));
        }
    });
}

void riseSaliency(const Engine& engine, const CAMMethodParams& params, Mat& maps)
{
    RiseMasks masks(engine.size(), params);
    Mat acc;
    runMasked(engine, Mat(), params.numMasks, [&](int start, Mat& m) { masks.write(start, m); },
              [&](int, const Mat& m, const Mat& scores) {
                  Mat part;
                  gemm(scores, m, 1.0, noArray(), 0.0, part, GEMM_1_T);
                  if (acc.empty())
                      acc = part;
                  else
                      acc += part;  // sum_i s_i M_i
              });
    maps = acc * (1.0 / (params.numMasks * params.keepProbability));
}

void riseMethod(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    Engine engine = ctx.engine;
    engine.scorer = classColumns(ctx.engine.scorer, classes, true);
    Mat rows;
    riseSaliency(engine, ctx.params, rows);
    splitRows(rows, engine.size().height, maps);
}

} // namespace detail

void generateRISEMasks(const Size& size, const CAMMethodParams& params, int start, int count,
                       OutputArray masks)
{
    detail::RiseMasks generator(size, params);
    if (start < 0 || count < 1 || start >= params.numMasks || count > params.numMasks - start)
        CV_Error_(Error::StsOutOfRange, ("masks [start, start + count) = [%d, %d + %d) must lie "
                                         "in [0, numMasks = %d)", start, start, count,
                                         params.numMasks));
    masks.create(count, size.area(), CV_32F);
    Mat m = masks.getMat();
    generator.write(start, m);
}

}} // namespace cv::xcam
