// Fuzz target: cv::xcam::computeCAM with fuzzed blob shapes (2- to 5-D, batches, ROIs), types,
// weights (none, KxC, wrong width or type), class ids and values (NaN, infinities, denormals).
// A valid input must succeed, an invalid one must throw cv::Exception, and a success must give the
// HxW map of sum_k w[c,k] A_k within float rounding of a double-precision sum (finite unless the
// sum of |w A| nears FLT_MAX, where float arithmetic overflows).
#include "fuzz_common.hpp"

#include <opencv2/xcam.hpp>

using namespace cv;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    xcam_fuzz::quietOpenCV();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider in(data, size);
    const int dims = in.ConsumeIntegralInRange<int>(2, 5);
    int shape[5];
    for (int i = 0; i < dims; ++i)
        shape[i] = in.ConsumeIntegralInRange<int>(i == 0 ? 1 : 0, i == 0 ? 2 : 12);
    const int type = in.ConsumeBool() ? CV_32F : in.PickValueInArray({CV_8U, CV_64F, CV_32FC2});
    const bool finite = in.ConsumeIntegralInRange<int>(0, 7) != 0;
    Mat activations(dims, shape, type, Scalar::all(0));
    if (type == CV_32F)
        xcam_fuzz::fill(in, activations, finite);
    if (dims == 2 && activations.cols > 1 && in.ConsumeBool())
        activations = activations.colRange(1, activations.cols);  // a non-continuous ROI

    Mat weights;
    const int weightMode = in.ConsumeIntegralInRange<int>(0, 3);  // 0: class-map head
    const int channels = dims >= 3 ? shape[dims - 3] : 0;
    if (weightMode > 0)
    {
        const int cols = weightMode == 1 ? in.ConsumeIntegralInRange<int>(0, 12) : channels;
        weights.create(in.ConsumeIntegralInRange<int>(1, 12), cols,
                       weightMode == 3 && in.ConsumeBool() ? CV_64F : CV_32F);
        weights.setTo(0);
        if (weights.depth() == CV_32F && !weights.empty())
            xcam_fuzz::fill(in, weights, finite);
    }
    const int classId = in.ConsumeIntegralInRange<int>(-2, 14);

    // A valid input: one CV_32F image blob, a class in range, finite values where they are used.
    const bool blobOk = type == CV_32F && (dims == 3 || (dims == 4 && shape[0] == 1)) &&
                        !activations.empty();
    bool valid = blobOk;
    if (valid && weights.empty())
        valid = classId >= 0 && classId < channels &&
                xcam_fuzz::allFinite(activations.reshape(1, channels).row(classId));
    else if (valid)
        valid = weights.type() == CV_32F && weights.cols == channels && classId >= 0 &&
                classId < weights.rows && xcam_fuzz::allFinite(activations) &&
                xcam_fuzz::allFinite(weights.row(classId));

    Mat cam;
    try
    {
        xcam::computeCAM(activations, weights, classId, cam);
    }
    catch (const cv::Exception& e)
    {
        if (valid)
        {
            std::fprintf(stderr, "%s\n", e.what());
            xcam_fuzz::fail("computeCAM rejected a valid input");
        }
        return 0;  // bad input, reported as it should be
    }
    XCAM_FUZZ_CHECK(valid);

    // Accepted: a 1xCxHxW or CxHxW single-image CV_32F blob, and the class's map.
    XCAM_FUZZ_CHECK(activations.type() == CV_32F && (dims == 3 || (dims == 4 && shape[0] == 1)));
    const int h = shape[dims - 2], w = shape[dims - 1];
    XCAM_FUZZ_CHECK(cam.type() == CV_32F && cam.rows == h && cam.cols == w);
    const Mat a = activations.reshape(1, channels);
    for (int i = 0; i < h * w; ++i)
    {
        // Class-map head: channel classId itself (the others may hold anything).
        double want = weights.empty() ? a.at<float>(classId, i) : 0, scale = std::abs(want);
        for (int k = 0; k < channels && !weights.empty(); ++k)
        {
            const double term = (double)weights.at<float>(classId, k) * a.at<float>(k, i);
            want += term;
            scale += std::abs(term);
        }
        if (scale > 1e38)
            continue;  // float sums this large may overflow (FLT_MAX in the input): not checked
        const float got = cam.at<float>(i / w, i % w);
        if (!(std::abs(got - want) <= 1e-5 * scale + 1e-30))
        {
            std::fprintf(stderr, "cell %d of %dx%d, %d channels, class %d: got %.9g, want %.9g\n",
                         i, h, w, channels, classId, got, want);
            xcam_fuzz::fail("computeCAM differs from the double-precision sum");
        }
    }
    return 0;
}
