// Fuzz target: CAMModel on a tiny known-weight net (gap_fc_gemm.onnx of tools/make_test_nets.py:
// 1x3x5x7 input, 1x1 conv 3->4, ReLU, GAP, Gemm 4->5, Softmax), with fuzzed inputs (images of any
// size, depth and channel count; blobs of any shape; NaN and infinities), preprocessing, bias
// mode, class lists, methods (also unknown ones) and method parameters. The model is made anew
// for every input (from the net's bytes), so an input reproduces on its own.
// A success must give one finite map per class, all of one size.
#include "fuzz_common.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/xcam.hpp>

#include <fstream>
#include <iterator>
#include <vector>

using namespace cv;

namespace {
std::vector<char> netBytes;
}

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    xcam_fuzz::quietOpenCV();
    const char* path = std::getenv("XCAM_FUZZ_NET");
    std::ifstream file(path ? path : XCAM_FUZZ_NET, std::ios::binary);
    netBytes.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    if (netBytes.empty())
        xcam_fuzz::fail("cannot read the net (XCAM_FUZZ_NET)");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider in(data, size);
    Ptr<xcam::CAMModel> model =
        xcam::CAMModel::create(dnn::readNetFromONNX(netBytes.data(), netBytes.size()));

    Mat input;
    bool finite = in.ConsumeIntegralInRange<int>(0, 7) != 0;
    if (in.ConsumeBool())
    {
        // A 4-D blob, right-sized (1x3x5x7) or not.
        int shape[4] = {1, 3, 5, 7};
        if (in.ConsumeBool())
            for (int& s : shape)
                s = in.ConsumeIntegralInRange<int>(0, 8);
        input.create(4, shape, CV_32F);
        xcam_fuzz::fill(in, input, finite);
    }
    else
    {
        // An image, preprocessed to the net's 5x7 (or left at its own size).
        const int rows = in.ConsumeIntegralInRange<int>(0, 12), cols = in.ConsumeIntegralInRange<int>(0, 12);
        const int cn = in.PickValueInArray({1, 3, 4, 2});
        const int depth = in.PickValueInArray({CV_8U, CV_32F, CV_16S});
        input.create(rows, cols, CV_MAKETYPE(depth, cn));
        if (depth == CV_32F)
            xcam_fuzz::fill(in, input, finite);
        else
            input.setTo(Scalar::all(in.ConsumeIntegral<uint8_t>()));
        try
        {
            const Size netSize = in.ConsumeIntegralInRange<int>(0, 7) == 0
                                     ? Size(in.ConsumeIntegralInRange<int>(-1, 9),
                                            in.ConsumeIntegralInRange<int>(-1, 9))
                                     : Size(7, 5);
            const Scalar mean(xcam_fuzz::value(in), 0, 0);
            const double scale = in.ConsumeBool() ? 1.0 / 255 : (double)xcam_fuzz::value(in);
            model->setInputParams(scale, netSize, in.ConsumeBool() ? Scalar() : mean, in.ConsumeBool(),
                                  in.ConsumeBool());
        }
        catch (const cv::Exception&)
        {
            return 0;
        }
    }

    std::vector<int> classIds(in.ConsumeIntegralInRange<int>(0, 4));
    for (int& id : classIds)
        id = in.ConsumeIntegralInRange<int>(-1, 5);
    static const int methods = (int)xcam::getCAMMethods().size();
    const int method = in.ConsumeIntegralInRange<int>(-1, methods);  // -1 and `methods`: unknown
    xcam::CAMMethodParams params;
    params.batchSize = in.ConsumeIntegralInRange<int>(-1, 40);
    params.maxChannels = in.ConsumeIntegralInRange<int>(-1, 5);
    params.channelSoftmax = in.ConsumeBool();
    params.patchSize = in.ConsumeIntegralInRange<int>(-1, 8);
    params.stride = in.ConsumeIntegralInRange<int>(-1, 8);
    params.numMasks = in.ConsumeIntegralInRange<int>(-1, 40);  // small: each mask is a forward pass
    params.gridSize = in.ConsumeIntegralInRange<int>(-1, 10);
    params.keepProbability = in.ConsumeBool() ? 0.5 : (double)xcam_fuzz::value(in);
    params.seed = in.ConsumeIntegral<int>();
    params.reciproGaussian = in.ConsumeBool();
    params.finerAlpha = in.ConsumeBool() ? 1.0 : (double)xcam_fuzz::value(in);
    params.finerClasses = in.ConsumeIntegralInRange<int>(-1, 6);
    params.kpcaKernel = in.ConsumeIntegralInRange<int>(-1, 5);
    params.kpcaGamma = in.ConsumeBool() ? 0.0 : (double)xcam_fuzz::value(in);

    std::vector<Mat> maps;
    try
    {
        model->setBiasMode(in.ConsumeIntegralInRange<int>(-1, 2));
        model->explain(input, method, classIds, maps, params);
    }
    catch (const cv::Exception&)
    {
        return 0;
    }
    XCAM_FUZZ_CHECK(maps.size() == (classIds.empty() ? 1u : classIds.size()));
    for (const Mat& m : maps)
    {
        XCAM_FUZZ_CHECK(m.type() == CV_32F && !m.empty() && m.size() == maps[0].size());
        if (!xcam_fuzz::allFinite(m))
        {
            double lo = 0, hi = 0;
            cv::minMaxIdx(m, &lo, &hi);
            std::fprintf(stderr, "method %s, input %s %dD %dx%d, input finite: %d, map %dx%d, "
                         "min %g max %g\n", xcam::getCAMMethodName(method).c_str(),
                         typeToString(input.type()).c_str(), input.dims, input.size[0],
                         input.size[1], (int)xcam_fuzz::allFinite(input.reshape(1, 1)), m.rows,
                         m.cols, lo, hi);
            std::fprintf(stderr, "params: batchSize %d numMasks %d gridSize %d "
                         "keepProbability %g seed %d, %zu classes\n", params.batchSize,
                         params.numMasks, params.gridSize, params.keepProbability, params.seed,
                         classIds.size());
            xcam_fuzz::fail("explain gave a non-finite map without an error");
        }
    }
    return 0;
}
