// Fuzz target: cv::xcam::applyCAMOverlay with every parameter fuzzed (style, alpha, threshold,
// colormap, interpolation, also out of range and NaN), image sizes, channels, depths and ROIs,
// map sizes, types and values (NaN, infinities), and dst reused, of another size, or the image
// itself. A success must give a CV_8UC3 picture of the image's size, the same in place as not.
#include "fuzz_common.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/xcam.hpp>

using namespace cv;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    xcam_fuzz::quietOpenCV();
    return 0;
}

namespace {

/** A parameter: usually valid, sometimes anything. */
float fuzzFloat(FuzzedDataProvider& in)
{
    return in.ConsumeIntegralInRange<int>(0, 7) == 0 ? xcam_fuzz::value(in)
                                                     : in.ConsumeFloatingPointInRange(0.f, 1.f);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider in(data, size);
    xcam::CAMOverlayParams p;
    p.style = in.ConsumeIntegralInRange<int>(-1, 2);
    const int interpolations[] = {INTER_NEAREST, INTER_LINEAR, INTER_CUBIC, INTER_LANCZOS4,
                                  INTER_AREA, -1, 7};
    p.interpolation = in.PickValueInArray(interpolations);
    p.threshold = fuzzFloat(in);
    p.alpha = fuzzFloat(in);
    p.colormap = in.ConsumeIntegralInRange<int>(-1, COLORMAP_DEEPGREEN + 1);

    // Widths up to 70 cover the 16-pixel vector loops and their tails.
    const int rows = in.ConsumeIntegralInRange<int>(0, 40), cols = in.ConsumeIntegralInRange<int>(0, 70);
    const int cn = in.PickValueInArray({1, 3, 4, 2});
    const int depth = in.ConsumeIntegralInRange<int>(0, 7) == 0 ? CV_16U : CV_8U;
    Mat image(rows, cols, CV_MAKETYPE(depth, cn));
    for (int y = 0; y < rows; ++y)
    {
        uchar* row = image.ptr<uchar>(y);
        const size_t bytes = (size_t)cols * image.elemSize();
        for (size_t i = 0; i < bytes; ++i)
            row[i] = in.ConsumeIntegral<uint8_t>();
    }
    if (cols > 2 && in.ConsumeBool())
        image = image.colRange(1, cols - 1);  // rows with gaps between them

    const int mapRows = in.ConsumeIntegralInRange<int>(0, 16), mapCols = in.ConsumeIntegralInRange<int>(0, 16);
    Mat map(mapRows, mapCols, in.ConsumeIntegralInRange<int>(0, 7) == 0 ? CV_64F : CV_32F, Scalar(0));
    if (map.depth() == CV_32F && !map.empty())
        xcam_fuzz::fill(in, map, in.ConsumeIntegralInRange<int>(0, 7) != 0);
    const int dstMode = in.ConsumeIntegralInRange<int>(0, 3);  // new, reused, wrong size, in place

    Mat dst;
    if (dstMode == 1)
        dst.create(image.size(), CV_8UC3);
    else if (dstMode == 2)
        dst.create(3, 5, CV_8UC1);
    const Mat before = image.clone();
    auto untouched = [&] { return image.empty() || cv::norm(image, before, NORM_INF) == 0; };
    try
    {
        xcam::applyCAMOverlay(image, map, dst, p);
    }
    catch (const cv::Exception&)
    {
        XCAM_FUZZ_CHECK(untouched());
        return 0;
    }
    XCAM_FUZZ_CHECK(!image.empty() && image.depth() == CV_8U && !map.empty());
    XCAM_FUZZ_CHECK(dst.type() == CV_8UC3 && dst.size() == image.size());
    XCAM_FUZZ_CHECK(untouched());  // the image is only read

    // In place (dst is the image) must give the same picture.
    if (dstMode == 3 && image.type() == CV_8UC3)
    {
        Mat inPlace = image;  // a header on the same pixels (an ROI keeps its gaps)
        xcam::applyCAMOverlay(inPlace, map, inPlace, p);
        XCAM_FUZZ_CHECK(inPlace.data == image.data);
        XCAM_FUZZ_CHECK(cv::norm(inPlace, dst, NORM_INF) == 0);
    }
    return 0;
}
