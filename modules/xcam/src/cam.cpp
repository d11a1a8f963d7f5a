// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "util.hpp"

#include <cstring>

namespace cv {
namespace xcam {
namespace detail {

Mat featureRows(const Mat& activations, int& height, int& width, const char* argName)
{
    if (activations.empty())
        CV_Error_(Error::StsBadArg, ("%s is empty", argName));
    if (activations.depth() != CV_32F || activations.channels() != 1)
        CV_Error_(Error::StsBadArg, ("%s must be single-channel CV_32F, got %s", argName,
                                     typeToString(activations.type()).c_str()));
    const int dims = activations.dims;
    if (dims != 3 && dims != 4)
        CV_Error_(Error::StsBadSize, ("%s must be a 1xCxHxW or CxHxW blob, got %d dimensions",
                                      argName, dims));
    if (dims == 4 && activations.size[0] != 1)
        CV_Error_(Error::StsBadSize, ("%s must hold one image (1xCxHxW), got a batch of %d",
                                      argName, activations.size[0]));
    const int channels = activations.size[dims - 3];
    height = activations.size[dims - 2];
    width = activations.size[dims - 1];
    Mat continuous = activations.isContinuous() ? activations : activations.clone();
    return continuous.reshape(1, channels);
}

void weightedSum(const Mat& weightRows, const Mat& features, Mat& maps)
{
    CV_DbgAssert(weightRows.type() == CV_32F && features.type() == CV_32F);
    CV_DbgAssert(weightRows.cols == features.rows);
    // Through multiplyRows' vectorized kernel: cv::gemm takes 5 instructions a
    // multiply-add here (1280 channels x 49 cells on MobileNetV2).
    multiplyRows(weightRows, features.isContinuous() ? features : features.clone(), maps);
}

void checkFinite(const Mat& m, const char* argName)
{
    bool finite = true;
    if (m.depth() == CV_32F)
    {
        // Not cv::checkRange(m, ..., -FLT_MAX, FLT_MAX): its range is [min, max), so it rejects
        // FLT_MAX itself. A float is finite unless its exponent bits are all ones.
        const Mat* arrays[] = {&m, nullptr};
        uchar* planes[1];
        NAryMatIterator it(arrays, planes);
        const size_t n = it.size * m.channels();
        for (size_t p = 0; p < it.nplanes && finite; ++p, ++it)
        {
            unsigned bad = 0;
            for (size_t i = 0; i < n; ++i)
            {
                unsigned bits;
                std::memcpy(&bits, planes[0] + i * sizeof(float), sizeof(bits));
                bad |= (unsigned)((bits & 0x7f800000u) == 0x7f800000u);
            }
            finite = bad == 0;
        }
    }
    else
    {
        finite = checkRange(m, true);
    }
    if (!finite)
        CV_Error_(Error::StsBadArg, ("%s holds a non-finite value (NaN or infinity)", argName));
}

} // namespace detail

void computeCAM(InputArray activations_, InputArray weights_, int classId, OutputArray cam)
{
    int height = 0, width = 0;
    Mat activations = activations_.getMat();
    Mat features = detail::featureRows(activations, height, width, "activations");
    const int channels = features.rows;

    if (weights_.empty())
    {
        // Class-map head: the map is the class's own channel.
        if (classId < 0 || classId >= channels)
            CV_Error_(Error::StsOutOfRange,
                      ("classId %d is out of range [0, %d) (class-map mode: one channel per class)",
                       classId, channels));
        Mat map = features.row(classId);
        detail::checkFinite(map, "activations");
        map.reshape(1, height).copyTo(cam);
        return;
    }

    Mat weights = weights_.getMat();
    if (weights.depth() != CV_32F || weights.channels() != 1)
        CV_Error_(Error::StsBadArg, ("weights must be single-channel CV_32F, got %s",
                                     typeToString(weights.type()).c_str()));
    if (weights.dims != 2)
        CV_Error_(Error::StsBadSize, ("weights must be a KxC matrix, got %d dimensions",
                                      weights.dims));
    if (weights.cols != channels)
        CV_Error_(Error::StsBadSize,
                  ("weights has %d columns but activations has %d channels (weights must be KxC)",
                   weights.cols, channels));
    if (classId < 0 || classId >= weights.rows)
        CV_Error_(Error::StsOutOfRange, ("classId %d is out of range [0, %d)", classId,
                                         weights.rows));

    Mat row = weights.row(classId);
    detail::checkFinite(row, "weights");
    detail::checkFinite(features, "activations");

    cam.create(height, width, CV_32F);
    Mat out = cam.getMat();
    if (out.isContinuous())
    {
        Mat flat = out.reshape(1, 1);  // a header over `out`: the product lands in place
        detail::weightedSum(row, features, flat);
    }
    else
    {
        Mat flat;
        detail::weightedSum(row, features, flat);
        flat.reshape(1, height).copyTo(out);
    }
}

}} // namespace cv::xcam
