// applyCAMOverlay against a naive chain of OpenCV calls doing the same steps, and against
// cv::addWeighted of two images of the same size (about the memory-bandwidth floor).
#include "perf_common.hpp"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/xcam.hpp>

using namespace cv;

namespace {

const Size kSizes[] = {Size(1920, 1080), Size(640, 480)};

/** A photo at the benchmark size (chelsea.png from ../shared when there, else a smooth synthetic
    picture with mild noise), a second image for addWeighted, and a signed raw 7x7 map. */
struct Inputs
{
    Mat image, other, cam, dst;
    explicit Inputs(Size size) : other(size, CV_8UC3), cam(7, 7, CV_32F)
    {
        RNG rng(1);
        const Mat photo = imread(xcam_perf::shared("images/chelsea.png"), IMREAD_COLOR);
        if (!photo.empty())
            resize(photo, image, size, 0, 0, INTER_CUBIC);
        else
        {
            image.create(size, CV_8UC3);
            for (int y = 0; y < size.height; ++y)
                for (int x = 0; x < size.width; ++x)
                    image.at<Vec3b>(y, x) = Vec3b((uchar)(x * 255 / size.width),
                                                  (uchar)(y * 255 / size.height), 128);
            Mat noise(size, CV_8UC3);
            rng.fill(noise, RNG::UNIFORM, 0, 32);
            image += noise;
        }
        rng.fill(other, RNG::UNIFORM, 0, 256);
        rng.fill(cam, RNG::NORMAL, 2, 3);
    }
};

/** The seed's CAMshow as a chain of OpenCV calls, each making its own image-sized result. */
void naiveSeed(const Mat& image, const Mat& cam, Mat& out)
{
    Mat m, idx, jet, color, weight, weight3, gray, base, base3, s;
    resize(cam, m, image.size(), 0, 0, INTER_CUBIC);
    normalize(m, m, 0, 1, NORM_MINMAX);
    threshold(m, m, 0.2, 0, THRESH_TOZERO);
    m.convertTo(idx, CV_8U, 255);
    applyColorMap(idx, jet, COLORMAP_JET);
    jet.convertTo(color, CV_32FC3);
    idx.convertTo(weight, CV_32F, 1.0 / 255);
    cvtColor(weight, weight3, COLOR_GRAY2BGR);
    multiply(color, weight3, color);
    cvtColor(image, gray, COLOR_BGR2GRAY);
    gray.convertTo(base, CV_32F, 0.5);
    cvtColor(base, base3, COLOR_GRAY2BGR);
    add(base3, color, s);
    normalize(s, s, 0, 255, NORM_MINMAX);
    s.convertTo(out, CV_8UC3);
}

/** show_cam_on_image as a chain of OpenCV calls. */
void naiveBlend(const Mat& image, const Mat& cam, Mat& out)
{
    Mat m, idx, colors;
    resize(cam, m, image.size(), 0, 0, INTER_CUBIC);
    normalize(m, m, 0, 1, NORM_MINMAX);
    threshold(m, m, 0.2, 0, THRESH_TOZERO);
    m.convertTo(idx, CV_8U, 255);
    applyColorMap(idx, colors, COLORMAP_JET);
    addWeighted(image, 0.5, colors, 0.5, 0, out);
}

xcam::CAMOverlayParams styleParams(int style)
{
    xcam::CAMOverlayParams p;
    p.style = style;
    return p;
}

void BM_SeedVsNaiveChain(benchmark::State& state)
{
    Inputs in(kSizes[state.range(0)]);
    Mat naive;
    xcam_perf::comparePaired(state, [&] { naiveSeed(in.image, in.cam, naive); },
                             [&] { xcam::applyCAMOverlay(in.image, in.cam, in.dst); });
}

void BM_SeedVsAddWeighted(benchmark::State& state)
{
    Inputs in(kSizes[state.range(0)]);
    Mat blended;
    xcam_perf::comparePaired(state, [&] { addWeighted(in.image, 0.5, in.other, 0.5, 0, blended); },
                             [&] { xcam::applyCAMOverlay(in.image, in.cam, in.dst); });
}

void BM_BlendVsNaiveChain(benchmark::State& state)
{
    Inputs in(kSizes[state.range(0)]);
    const xcam::CAMOverlayParams p = styleParams(xcam::CAM_OVERLAY_BLEND);
    Mat naive;
    xcam_perf::comparePaired(state, [&] { naiveBlend(in.image, in.cam, naive); },
                             [&] { xcam::applyCAMOverlay(in.image, in.cam, in.dst, p); });
}

void BM_BlendVsAddWeighted(benchmark::State& state)
{
    Inputs in(kSizes[state.range(0)]);
    const xcam::CAMOverlayParams p = styleParams(xcam::CAM_OVERLAY_BLEND);
    Mat blended;
    xcam_perf::comparePaired(state, [&] { addWeighted(in.image, 0.5, in.other, 0.5, 0, blended); },
                             [&] { xcam::applyCAMOverlay(in.image, in.cam, in.dst, p); });
}

/** One thread (baseline) against all threads (candidate): speedup = thread scaling. */
void BM_OverlayThreadScaling(benchmark::State& state)
{
    Inputs in(kSizes[0]);
    const xcam::CAMOverlayParams p = styleParams((int)state.range(0));
    const int threads = getNumThreads();
    state.counters["threads"] = threads;
    xcam_perf::comparePaired(
        state,
        [&] {
            setNumThreads(1);
            xcam::applyCAMOverlay(in.image, in.cam, in.dst, p);
            setNumThreads(threads);
        },
        [&] { xcam::applyCAMOverlay(in.image, in.cam, in.dst, p); });
}

/** Heap allocations per call once dst has the right size (counted by allocation_counter.cpp). */
void BM_OverlayAllocations(benchmark::State& state)
{
    Inputs in(kSizes[0]);
    const xcam::CAMOverlayParams p = styleParams((int)state.range(0));
    xcam::applyCAMOverlay(in.image, in.cam, in.dst, p);  // sizes dst, fills per-thread scratch
    const uchar* data = in.dst.data;
    long mark = 0;
    xcam_perf::allocationsSince(mark);
    long calls = 0;
    for (auto _ : state)
    {
        xcam::applyCAMOverlay(in.image, in.cam, in.dst, p);
        ++calls;
    }
    state.counters["allocs_per_call"] = (double)xcam_perf::allocationsSince(mark) / calls;
    state.counters["dst_reused"] = in.dst.data == data;
}

} // namespace

BENCHMARK(BM_SeedVsNaiveChain)->Arg(0)->Arg(1)->ArgName("1080p0_480p1")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SeedVsAddWeighted)->Arg(0)->Arg(1)->ArgName("1080p0_480p1")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BlendVsNaiveChain)->Arg(0)->Arg(1)->ArgName("1080p0_480p1")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BlendVsAddWeighted)->Arg(0)->Arg(1)->ArgName("1080p0_480p1")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OverlayThreadScaling)->Arg(0)->Arg(1)->ArgName("seed0_blend1")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OverlayAllocations)->Arg(0)->Arg(1)->ArgName("seed0_blend1")->Unit(benchmark::kMillisecond);
