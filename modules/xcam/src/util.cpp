// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "util.hpp"

#include <algorithm>
#include <cmath>

namespace cv {
namespace xcam {
namespace detail {

void softmaxRows(const Mat& scores, Mat& probs)
{
    CV_Assert(scores.type() == CV_32F && scores.dims == 2);
    Mat out(scores.size(), CV_32F);
    std::vector<double> e(scores.cols);
    for (int i = 0; i < scores.rows; ++i)
    {
        const float* x = scores.ptr<float>(i);
        const double top = *std::max_element(x, x + scores.cols);
        double total = 0;
        for (int j = 0; j < scores.cols; ++j)
            total += e[j] = std::exp((double)x[j] - top);
        float* p = out.ptr<float>(i);
        for (int j = 0; j < scores.cols; ++j)
            p[j] = (float)(e[j] / total);
    }
    probs = out;
}

void checkClassIds(const std::vector<int>& classIds, int numClasses)
{
    for (int id : classIds)
        if (id < 0 || id >= numClasses)
            CV_Error_(Error::StsOutOfRange, ("classId %d is out of range [0, %d)", id, numClasses));
}

void checkBatchSize(int batchSize, const char* argName)
{
    if (batchSize < 1)
        CV_Error_(Error::StsOutOfRange, ("%s must be at least 1, got %d", argName, batchSize));
}

void reportProgress(const CAMProgressCallback& progress, int done, int total)
{
    if (progress && !progress(done, total))
        CV_Error(Error::StsError, "cancelled by the progress callback");
}

void splitRows(const Mat& rows, int height, std::vector<Mat>& maps)
{
    maps.resize(rows.rows);
    for (int i = 0; i < rows.rows; ++i)
        maps[i] = rows.row(i).reshape(1, height).clone();
}

}}} // namespace cv::xcam::detail
