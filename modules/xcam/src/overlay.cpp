// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "precomp.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

namespace cv {
namespace xcam {

CAMOverlayParams::CAMOverlayParams()
    : style(CAM_OVERLAY_SEED), interpolation(INTER_CUBIC), threshold(0.2f), alpha(0.5f),
      colormap(COLORMAP_JET)
{
}

namespace {

const int kNumColormaps = COLORMAP_DEEPGREEN + 1;
const int kMaxStripes = 64;

/** The 256 BGR colours of an OpenCV colormap (as cv::applyColorMap gives them), made once. */
const Vec3b* colormapTable(int colormap)
{
    static Vec3b tables[kNumColormaps][256];
    static std::once_flag made[kNumColormaps];
    std::call_once(made[colormap], [colormap]() {
        Mat ramp(256, 1, CV_8U), colors;
        for (int i = 0; i < 256; ++i)
            ramp.at<uchar>(i) = (uchar)i;
        applyColorMap(ramp, colors, colormap);
        for (int i = 0; i < 256; ++i)
            tables[colormap][i] = colors.at<Vec3b>(i);
    });
    return tables[colormap];
}

int kernelSize(int interpolation)
{
    switch (interpolation)
    {
    case INTER_NEAREST: return 1;
    case INTER_LINEAR: return 2;
    case INTER_CUBIC: return 4;
    case INTER_LANCZOS4: return 8;
    default: return 0;
    }
}

/** Weights of the taps around a sample at fraction `f` past the first tap at or before it. */
void kernelWeights(int interpolation, float f, float* w)
{
    if (interpolation == INTER_LINEAR)
    {
        w[0] = 1.f - f;
        w[1] = f;
    }
    else if (interpolation == INTER_CUBIC)
    {
        // Keys' cubic convolution with a = -0.75, as cv::resize.
        const float a = -0.75f, g = 1.f - f;
        w[0] = ((a * (f + 1) - 5 * a) * (f + 1) + 8 * a) * (f + 1) - 4 * a;
        w[1] = ((a + 2) * f - (a + 3)) * f * f + 1;
        w[2] = ((a + 2) * g - (a + 3)) * g * g + 1;
        w[3] = 1.f - w[0] - w[1] - w[2];
    }
    else  // INTER_LANCZOS4: sinc(d) * sinc(d / 4) over 8 taps, normalized
    {
        float total = 0;
        for (int i = 0; i < 8; ++i)
        {
            const double d = f + 3 - i;
            const double x = CV_PI * d;
            w[i] = std::abs(d) < 1e-6 ? 1.f : (float)(4 * std::sin(x) * std::sin(x / 4) / (x * x));
            total += w[i];
        }
        for (int i = 0; i < 8; ++i)
            w[i] /= total;
    }
}

/** For each output position along one axis: the source positions it reads and their weights,
    sampled as cv::resize samples (pixel centres aligned, borders replicated). */
struct Taps
{
    int n = 0;
    std::vector<int> index;
    std::vector<float> weight;

    void build(int dstLen, int srcLen, int interpolation)
    {
        n = kernelSize(interpolation);
        index.resize((size_t)dstLen * n);
        weight.resize((size_t)dstLen * n);
        const double scale = (double)srcLen / dstLen;
        for (int d = 0; d < dstLen; ++d)
        {
            int* idx = &index[(size_t)d * n];
            float* w = &weight[(size_t)d * n];
            if (n == 1)
            {
                idx[0] = std::min(cvFloor(d * scale), srcLen - 1);
                w[0] = 1.f;
                continue;
            }
            float f = (float)((d + 0.5) * scale - 0.5);
            const int first = cvFloor(f) - n / 2 + 1;
            f -= (float)cvFloor(f);
            kernelWeights(interpolation, f, w);
            for (int i = 0; i < n; ++i)
                idx[i] = std::min(std::max(first + i, 0), srcLen - 1);
        }
    }
};

/** The map resized to the output, kept separable: `rows` is the map resized along x only
    (map rows x output width); output row y blends `ys.n` of those rows. */
struct ResizedMap
{
    Taps xs, ys;
    std::vector<float> rows;
    int width = 0;

    void build(const Mat& cam, Size size, int interpolation)
    {
        width = size.width;
        xs.build(size.width, cam.cols, interpolation);
        ys.build(size.height, cam.rows, interpolation);
        rows.resize((size_t)cam.rows * width);
        for (int r = 0; r < cam.rows; ++r)
        {
            const float* src = cam.ptr<float>(r);
            float* dst = &rows[(size_t)r * width];
            for (int x = 0; x < width; ++x)
            {
                const int* idx = &xs.index[(size_t)x * xs.n];
                const float* w = &xs.weight[(size_t)x * xs.n];
                float v = 0;
                for (int i = 0; i < xs.n; ++i)
                    v += w[i] * src[idx[i]];
                dst[x] = v;
            }
        }
    }

    /** Output row y of the resized map. */
    void row(int y, float* out) const
    {
        const int* idx = &ys.index[(size_t)y * ys.n];
        const float* w = &ys.weight[(size_t)y * ys.n];
        const float* src = &rows[(size_t)idx[0] * width];
        const float w0 = w[0];
        for (int x = 0; x < width; ++x)
            out[x] = w0 * src[x];
        for (int j = 1; j < ys.n; ++j)
        {
            const float* s = &rows[(size_t)idx[j] * width];
            const float wj = w[j];
            for (int x = 0; x < width; ++x)
                out[x] += wj * s[x];
        }
    }
};

/** Runs body(stripe, firstRow, endRow) over horizontal stripes in parallel; returns the count. */
template <typename Body>
int forEachStripe(int rows, const Body& body)
{
    const int stripes = std::max(1, std::min(rows, std::min(kMaxStripes, 4 * getNumThreads())));
    parallel_for_(Range(0, stripes), [&](const Range& r) {
        for (int s = r.start; s < r.end; ++s)
            body(s, (int)((int64)rows * s / stripes), (int)((int64)rows * (s + 1) / stripes));
    }, stripes);
    return stripes;
}

/** Steps 2-4: idx = round(255 * m), m the min-max scaled map with values below the threshold
    set to 0 (inverse 0: a constant map, all zeros). */
struct Quantizer
{
    float low, inverse, threshold;

    int operator()(float m) const
    {
        float v = (m - low) * inverse;
        v = v < threshold ? 0.f : v;
        return std::min((int)(v * 255.f + 0.5f), 255);
    }
};

inline int grayOf(const uchar* p, int cn)
{
    // COLOR_BGR2GRAY / COLOR_BGRA2GRAY on 8 bits: 0.114 B + 0.587 G + 0.299 R in 14-bit fixed point.
    return cn == 1 ? p[0] : (p[0] * 1868 + p[1] * 9617 + p[2] * 4899 + (1 << 13)) >> 14;
}

void validate(const Mat& image, const Mat& cam, const CAMOverlayParams& params)
{
    if (image.empty())
        CV_Error(Error::StsBadArg, "image is empty");
    if (image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3 &&
                                   image.channels() != 4) || image.dims != 2)
        CV_Error_(Error::StsBadArg, ("image must be CV_8UC1, CV_8UC3 or CV_8UC4, got %s",
                                     typeToString(image.type()).c_str()));
    if (cam.empty())
        CV_Error(Error::StsBadArg, "cam is empty");
    if (cam.type() != CV_32FC1 || cam.dims != 2)
        CV_Error_(Error::StsBadArg, ("cam must be a 2-D CV_32FC1 map, got %s",
                                     typeToString(cam.type()).c_str()));
    detail::checkFinite(cam, "cam");
    if (params.style != CAM_OVERLAY_SEED && params.style != CAM_OVERLAY_BLEND)
        CV_Error_(Error::StsBadArg, ("params.style must be CAM_OVERLAY_SEED or CAM_OVERLAY_BLEND, "
                                     "got %d", params.style));
    if (kernelSize(params.interpolation) == 0)
        CV_Error_(Error::StsBadArg, ("params.interpolation must be INTER_NEAREST, INTER_LINEAR, "
                                     "INTER_CUBIC or INTER_LANCZOS4, got %d",
                                     params.interpolation));
    if (!(params.threshold >= 0.f && params.threshold <= 1.f))
        CV_Error_(Error::StsBadArg, ("params.threshold must be in [0, 1], got %g",
                                     params.threshold));
    if (!(params.alpha >= 0.f && params.alpha <= 1.f))
        CV_Error_(Error::StsBadArg, ("params.alpha must be in [0, 1], got %g", params.alpha));
    if (params.colormap < 0 || params.colormap >= kNumColormaps)
        CV_Error_(Error::StsBadArg, ("params.colormap must be a cv::ColormapTypes value, got %d",
                                     params.colormap));
}

/** Seed style, after the map's range is known. Pass 1 stores (idx, gray) in the first two bytes
    of each dst pixel and finds the range of s = gray/2 + colour(idx) per idx; pass 2 writes dst. */
void drawSeed(const Mat& image, Mat& dst, const ResizedMap& map, const Quantizer& quantize,
              const Vec3b* colormap)
{
    float ramp[256][3];  // colour(idx) = colormap(idx) * idx / 255
    for (int i = 0; i < 256; ++i)
        for (int c = 0; c < 3; ++c)
            ramp[i][c] = colormap[i][c] * (i / 255.f);

    const int width = image.cols, cn = image.channels();
    uchar grayLow[kMaxStripes][256], grayHigh[kMaxStripes][256];
    const int stripes = forEachStripe(image.rows, [&](int s, int y0, int y1) {
        uchar* low = grayLow[s];
        uchar* high = grayHigh[s];
        std::fill(low, low + 256, (uchar)255);
        std::fill(high, high + 256, (uchar)0);
        AutoBuffer<float, 4096> buf(width);
        float* m = buf.data();
        for (int y = y0; y < y1; ++y)
        {
            map.row(y, m);
            const uchar* src = image.ptr<uchar>(y);
            uchar* out = dst.ptr<uchar>(y);
            for (int x = 0; x < width; ++x, src += cn, out += 3)
            {
                const int idx = quantize(m[x]);
                const int g = grayOf(src, cn);
                out[0] = (uchar)idx;
                out[1] = (uchar)g;
                low[idx] = std::min(low[idx], (uchar)g);
                high[idx] = std::max(high[idx], (uchar)g);
            }
        }
    });

    // s is increasing in gray for a fixed idx: its extremes come from each idx's gray extremes.
    float sLow = FLT_MAX, sHigh = -FLT_MAX;
    for (int i = 0; i < 256; ++i)
    {
        int low = 255, high = -1;
        for (int s = 0; s < stripes; ++s)
            if (grayHigh[s][i] >= grayLow[s][i])
            {
                low = std::min(low, (int)grayLow[s][i]);
                high = std::max(high, (int)grayHigh[s][i]);
            }
        if (high < 0)
            continue;  // no pixel has this idx
        sLow = std::min(sLow, low * 0.5f + std::min({ramp[i][0], ramp[i][1], ramp[i][2]}));
        sHigh = std::max(sHigh, high * 0.5f + std::max({ramp[i][0], ramp[i][1], ramp[i][2]}));
    }

    // dst = round((gray / 2 + ramp[idx] - sLow) * k), k = 255 / (sHigh - sLow); 0 when flat.
    const float k = sHigh > sLow ? 255.f / (sHigh - sLow) : 0.f, kGray = 0.5f * k;
    float offset[256][3];
    for (int i = 0; i < 256; ++i)
        for (int c = 0; c < 3; ++c)
            offset[i][c] = (ramp[i][c] - sLow) * k + 0.5f;
    forEachStripe(image.rows, [&](int, int y0, int y1) {
        for (int y = y0; y < y1; ++y)
        {
            uchar* p = dst.ptr<uchar>(y);
            for (int x = 0; x < width; ++x, p += 3)
            {
                const float* o = offset[p[0]];
                const float g = p[1] * kGray;
                p[0] = (uchar)std::min((int)(g + o[0]), 255);
                p[1] = (uchar)std::min((int)(g + o[1]), 255);
                p[2] = (uchar)std::min((int)(g + o[2]), 255);
            }
        }
    });
}

/** Blend style: dst = (1 - alpha) * image + alpha * colormap(idx), one pass. */
void drawBlend(const Mat& image, Mat& dst, const ResizedMap& map, const Quantizer& quantize,
               const Vec3b* colormap, float alpha)
{
    float color[256][3];
    for (int i = 0; i < 256; ++i)
        for (int c = 0; c < 3; ++c)
            color[i][c] = alpha * colormap[i][c] + 0.5f;
    const float keep = 1.f - alpha;
    const int width = image.cols, cn = image.channels();
    forEachStripe(image.rows, [&](int, int y0, int y1) {
        AutoBuffer<float, 4096> buf(width);
        float* m = buf.data();
        for (int y = y0; y < y1; ++y)
        {
            map.row(y, m);
            const uchar* src = image.ptr<uchar>(y);
            uchar* out = dst.ptr<uchar>(y);
            for (int x = 0; x < width; ++x, src += cn, out += 3)
            {
                const float* c = color[quantize(m[x])];
                const int step = cn == 1 ? 0 : 1;
                const float b = src[0] * keep, g = src[step] * keep, r = src[2 * step] * keep;
                out[0] = (uchar)std::min((int)(b + c[0]), 255);
                out[1] = (uchar)std::min((int)(g + c[1]), 255);
                out[2] = (uchar)std::min((int)(r + c[2]), 255);
            }
        }
    });
}

} // namespace

void applyCAMOverlay(InputArray image_, InputArray cam_, OutputArray dst_,
                     const CAMOverlayParams& params)
{
    const Mat image = image_.getMat(), cam = cam_.getMat();
    validate(image, cam, params);

    // The map resized to the image, kept separable. Its buffers are reused across calls on this
    // thread; the workers below read this thread's instance through the reference.
    thread_local ResizedMap scratch;
    ResizedMap& map = scratch;
    map.build(cam, image.size(), params.interpolation);

    // Step 2: the map's range over the whole resized map.
    float lows[kMaxStripes], highs[kMaxStripes];
    const int stripes = forEachStripe(image.rows, [&](int s, int y0, int y1) {
        AutoBuffer<float, 4096> buf(image.cols);
        float* m = buf.data();
        float low = FLT_MAX, high = -FLT_MAX;
        for (int y = y0; y < y1; ++y)
        {
            map.row(y, m);
            for (int x = 0; x < image.cols; ++x)
            {
                low = std::min(low, m[x]);
                high = std::max(high, m[x]);
            }
        }
        lows[s] = low;
        highs[s] = high;
    });
    const float low = *std::min_element(lows, lows + stripes);
    const float high = *std::max_element(highs, highs + stripes);
    // A constant map (interpolation weights may add float noise to it) normalizes to zeros.
    double camLow, camHigh;
    minMaxLoc(cam, &camLow, &camHigh);
    const bool flat = camHigh == camLow || high - low <= 1e-6f * std::max(std::abs(low), std::abs(high));
    const Quantizer quantize = {low, flat ? 0.f : 1.f / (high - low), params.threshold};

    dst_.create(image.size(), CV_8UC3);
    Mat dst = dst_.getMat();
    const Vec3b* colormap = colormapTable(params.colormap);
    if (params.style == CAM_OVERLAY_SEED)
        drawSeed(image, dst, map, quantize, colormap);
    else
        drawBlend(image, dst, map, quantize, colormap, params.alpha);
}

}} // namespace cv::xcam
