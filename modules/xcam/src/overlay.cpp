// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "util.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>

#include "opencv2/core/hal/intrin.hpp"

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
        switch (ys.n)
        {
        case 1: rowOf<1>(y, out); break;
        case 2: rowOf<2>(y, out); break;
        case 4: rowOf<4>(y, out); break;
        default: rowOf<8>(y, out); break;
        }
    }

private:
    template <int N>
    void rowOf(int y, float* out) const
    {
        const float* w = &ys.weight[(size_t)y * N];
        const float* src[N];
        for (int j = 0; j < N; ++j)
            src[j] = &rows[(size_t)ys.index[(size_t)y * N + j] * width];
        int x = 0;
#if CV_SIMD128
        v_float32x4 vw[N];
        for (int j = 0; j < N; ++j)
            vw[j] = v_setall_f32(w[j]);
        for (; x <= width - 4; x += 4)
        {
            v_float32x4 acc = v_load(src[0] + x) * vw[0];
            for (int j = 1; j < N; ++j)
                acc = v_fma(v_load(src[j] + x), vw[j], acc);
            v_store(out + x, acc);
        }
#endif
        for (; x < width; ++x)
        {
            float acc = src[0][x] * w[0];
            for (int j = 1; j < N; ++j)
                acc += src[j][x] * w[j];
            out[x] = acc;
        }
    }
};

/** How many horizontal stripes the passes split `rows` into: a few per thread. */
int stripeCount(int rows)
{
    return std::max(1, std::min(rows, std::min(kMaxStripes, 4 * getNumThreads())));
}

/** The loop body of forEachStripe, as a ParallelLoopBody: no std::function, no allocation. */
template <typename Body>
class StripeLoop CV_FINAL : public ParallelLoopBody
{
public:
    StripeLoop(const Body& body_, int rows_, int stripes_) : body(body_), rows(rows_), stripes(stripes_) {}
    void operator()(const Range& r) const CV_OVERRIDE
    {
        for (int s = r.start; s < r.end; ++s)
            body(s, (int)((int64)rows * s / stripes), (int)((int64)rows * (s + 1) / stripes));
    }

private:
    const Body& body;
    const int rows, stripes;
};

/** Runs body(stripe, firstRow, endRow) over `stripes` stripes (default stripeCount) in parallel;
    returns their count. */
template <typename Body>
int forEachStripe(int rows, const Body& body, int stripes = 0)
{
    stripes = stripes > 0 ? stripes : stripeCount(rows);
    parallel_for_(Range(0, stripes), StripeLoop<Body>(body, rows, stripes), stripes);
    return stripes;
}

/** Steps 2-4: idx = round(255 * v), v the min-max scaled map with values below the threshold
    set to 0 (inverse 0: a constant map, all zeros). */
struct Quantizer
{
    float low, inverse, threshold;

    void row(const float* m, uchar* idx, int n) const
    {
        int x = 0;
#if CV_SIMD128
        const v_float32x4 vlow = v_setall_f32(low), vinv = v_setall_f32(inverse),
                          vthr = v_setall_f32(threshold), v255 = v_setall_f32(255.f),
                          zero = v_setzero_f32();
        for (; x <= n - 16; x += 16)
        {
            v_int32x4 q[4];
            for (int k = 0; k < 4; ++k)
            {
                v_float32x4 v = (v_load(m + x + 4 * k) - vlow) * vinv;
                v = v_select(v < vthr, zero, v);
                q[k] = v_round(v * v255);
            }
            v_store(idx + x, v_pack_u(v_pack(q[0], q[1]), v_pack(q[2], q[3])));
        }
#endif
        for (; x < n; ++x)
        {
            float v = (m[x] - low) * inverse;
            v = v < threshold ? 0.f : v;
            idx[x] = saturate_cast<uchar>(cvRound(v * 255.f));
        }
    }
};

/** COLOR_BGR2GRAY / COLOR_BGRA2GRAY on 8 bits: 0.114 B + 0.587 G + 0.299 R, 14-bit fixed point. */
const int kGrayB = 1868, kGrayG = 9617, kGrayR = 4899, kGrayShift = 14;

void grayRow(const uchar* src, int cn, uchar* gray, int n)
{
    if (cn == 1)
    {
        std::copy(src, src + n, gray);
        return;
    }
    int x = 0;
#if CV_SIMD128
    const short half = 1 << (kGrayShift - 1);
    const v_int16x8 cBG(kGrayB, kGrayG, kGrayB, kGrayG, kGrayB, kGrayG, kGrayB, kGrayG);
    const v_int16x8 cR1(kGrayR, half, kGrayR, half, kGrayR, half, kGrayR, half);
    const v_int16x8 one = v_setall_s16(1);
    for (; x <= n - 16; x += 16)
    {
        v_uint8x16 b, g, r, a;
        if (cn == 3)
            v_load_deinterleave(src + 3 * x, b, g, r);
        else
            v_load_deinterleave(src + 4 * x, b, g, r, a);
        v_uint16x8 b16[2], g16[2], r16[2];
        v_expand(b, b16[0], b16[1]);
        v_expand(g, g16[0], g16[1]);
        v_expand(r, r16[0], r16[1]);
        v_int16x8 y16[2];
        for (int h = 0; h < 2; ++h)
        {
            v_int16x8 bg0, bg1, r0, r1;
            v_zip(v_reinterpret_as_s16(b16[h]), v_reinterpret_as_s16(g16[h]), bg0, bg1);
            v_zip(v_reinterpret_as_s16(r16[h]), one, r0, r1);
            const v_int32x4 y0 = (v_dotprod(bg0, cBG) + v_dotprod(r0, cR1)) >> kGrayShift;
            const v_int32x4 y1 = (v_dotprod(bg1, cBG) + v_dotprod(r1, cR1)) >> kGrayShift;
            y16[h] = v_pack(y0, y1);
        }
        v_store(gray + x, v_pack_u(y16[0], y16[1]));
    }
#endif
    for (; x < n; ++x)
    {
        const uchar* p = src + cn * x;
        gray[x] = (uchar)((p[0] * kGrayB + p[1] * kGrayG + p[2] * kGrayR +
                           (1 << (kGrayShift - 1))) >> kGrayShift);
    }
}


/** Per-row scratch of one stripe: the map row, its idx, the image's grey levels, and 8 bytes of
    colour-table entry per pixel (blend style). */
struct RowBuffers
{
    explicit RowBuffers(int width) : m(width), idx(width), gray(width), picked(width) {}
    AutoBuffer<float, 4096> m;
    AutoBuffer<uchar, 4096> idx, gray;
    AutoBuffer<uint64, 4096> picked;
};


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

/** Seed style, after the map's range is known.
    Pass 1 writes each pixel's code = idx << 8 | gray (2 bytes, little-endian as the vector zip
    makes them) at the start of its dst row and marks which codes occur; their extremes give the
    exact range of s = gray/2 + colour(idx).
    Then the picture of every code is tabulated, and pass 2 turns each row's codes into pixels. */
void drawSeed(const Mat& image, Mat& dst, const ResizedMap& map, const Quantizer& quantize,
              const Vec3b* colormap)
{
    // colour(idx) = colormap(idx) * idx / 255, per channel.
    float ramp[256][3];
    for (int i = 0; i < 256; ++i)
        for (int c = 0; c < 3; ++c)
            ramp[i][c] = colormap[i][c] * (i / 255.f);

    const int width = image.cols, cn = image.channels();
    // One flag table per thread's worth of rows: fewer tables to clear and merge.
    const int stripes = std::max(1, std::min(image.rows, getNumThreads()));
    // Per stripe, which of the 65536 codes occur; then the BGR picture of each code. Reused.
    thread_local std::vector<uchar> seenScratch;
    thread_local std::vector<unsigned> pictureScratch;
    std::vector<uchar>& seen = seenScratch;
    std::vector<unsigned>& picture = pictureScratch;
    seen.resize((size_t)stripes << 16);
    picture.resize(1 << 16);

    forEachStripe(image.rows, [&](int s, int y0, int y1) {
        uchar* flags = &seen[(size_t)s << 16];
        std::fill(flags, flags + (1 << 16), (uchar)0);
        RowBuffers buf(width);
        const uchar* idx = buf.idx.data();
        const uchar* gray = buf.gray.data();
        for (int y = y0; y < y1; ++y)
        {
            map.row(y, buf.m.data());
            quantize.row(buf.m.data(), buf.idx.data(), width);
            grayRow(image.ptr<uchar>(y), cn, buf.gray.data(), width);  // before dst is written
            // The row holds 3 bytes per pixel: codes fit in its first 2 * width bytes. A row of
            // an odd width is not 2-byte aligned: codes go through v_store (unaligned) and
            // memcpy, never through a ushort pointer.
            uchar* code = dst.ptr<uchar>(y);
            int x = 0;
#if CV_SIMD128
            for (; x <= width - 16; x += 16)
            {
                v_uint8x16 lo, hi;  // gray, idx, gray, idx, ...
                v_zip(v_load(gray + x), v_load(idx + x), lo, hi);
                v_store(code + 2 * x, lo);
                v_store(code + 2 * x + 16, hi);
            }
#endif
            for (; x < width; ++x)
            {
                const ushort c = (ushort)((idx[x] << 8) | gray[x]);
                std::memcpy(code + 2 * x, &c, sizeof(c));
            }
            for (x = 0; x < width; ++x)
            {
                ushort c;
                std::memcpy(&c, code + 2 * x, sizeof(c));
                flags[c] = 1;
            }
        }
    }, stripes);
    for (int s = 1; s < stripes; ++s)
        for (int i = 0; i < (1 << 16); ++i)
            seen[i] |= seen[((size_t)s << 16) + i];

    // For a fixed idx, s grows with gray: the extremes come from each idx's grey extremes.
    float sLow = FLT_MAX, sHigh = -FLT_MAX;
    bool present[256];
    for (int i = 0; i < 256; ++i)
    {
        const uchar* flags = &seen[(size_t)i << 8];
        int low = 0, high = 255;
        while (low < 256 && !flags[low])
            ++low;
        present[i] = low < 256;
        if (!present[i])
            continue;  // no pixel has this idx
        while (!flags[high])
            --high;
        sLow = std::min(sLow, low * 0.5f + std::min({ramp[i][0], ramp[i][1], ramp[i][2]}));
        sHigh = std::max(sHigh, high * 0.5f + std::max({ramp[i][0], ramp[i][1], ramp[i][2]}));
    }

    // picture[idx << 8 | gray] = round(gray / 2 * k + (ramp[idx] - sLow) * k) per channel (B, G,
    // R, 0), k = 255 / (sHigh - sLow), 0 when flat; only for the idx that occur.
    const float k = sHigh > sLow ? 255.f / (sHigh - sLow) : 0.f;
    float grayPart[256];
    for (int g = 0; g < 256; ++g)
        grayPart[g] = g * 0.5f * k;
    for (int i = 0; i < 256; ++i)
    {
        if (!present[i])
            continue;
        uchar* row = reinterpret_cast<uchar*>(&picture[(size_t)i << 8]);
        float offset[3];
        for (int c = 0; c < 3; ++c)
            offset[c] = (ramp[i][c] - sLow) * k;
        int g = 0;
#if CV_SIMD128
        for (; g < 256; g += 16)
        {
            v_uint8x16 ch[3];
            for (int c = 0; c < 3; ++c)
            {
                const v_float32x4 off = v_setall_f32(offset[c]);
                v_int32x4 r[4];
                for (int q = 0; q < 4; ++q)
                    r[q] = v_round(v_load(grayPart + g + 4 * q) + off);
                ch[c] = v_pack_u(v_pack(r[0], r[1]), v_pack(r[2], r[3]));
            }
            v_store_interleave(row + 4 * g, ch[0], ch[1], ch[2], v_setzero_u8());
        }
#endif
        for (; g < 256; ++g)
        {
            for (int c = 0; c < 3; ++c)
                row[4 * g + c] = saturate_cast<uchar>(cvRound(grayPart[g] + offset[c]));
            row[4 * g + 3] = 0;
        }
    }

    forEachStripe(image.rows, [&](int, int y0, int y1) {
        AutoBuffer<ushort, 4096> codes(width);  // pixels overwrite the codes: copy them first
        for (int y = y0; y < y1; ++y)
        {
            uchar* out = dst.ptr<uchar>(y);
            std::memcpy(codes.data(), out, width * sizeof(ushort));  // memcpy: out is unaligned
            for (int x = 0; x < width - 1; ++x)
                std::memcpy(out + 3 * x, &picture[codes[x]], 4);  // 4th byte: next pixel's
            std::memcpy(out + 3 * (width - 1), &picture[codes[width - 1]], 3);
        }
    });
}

/** Blend style: dst = (1 - alpha) * image + alpha * colormap(idx), one pass, in 8.8 fixed point
    (alpha is taken to 1/256: at most half a grey level from the float formula). */
void drawBlend(const Mat& image, Mat& dst, const ResizedMap& map, const Quantizer& quantize,
               const Vec3b* colormap, float alpha)
{
    const int a = cvRound(alpha * 256), keep = 256 - a;
    uint64 color[256];  // per idx, 4 x u16: alpha * colour * 256 + 128 (the rounding), 0
    for (int i = 0; i < 256; ++i)
    {
        const ushort c[4] = {(ushort)(a * colormap[i][0] + 128), (ushort)(a * colormap[i][1] + 128),
                             (ushort)(a * colormap[i][2] + 128), 0};
        std::memcpy(&color[i], c, sizeof(c));
    }
    const int width = image.cols, cn = image.channels();
    forEachStripe(image.rows, [&](int, int y0, int y1) {
        RowBuffers buf(width);
        uint64* picked = buf.picked.data();
        const uchar* idx = buf.idx.data();
        for (int y = y0; y < y1; ++y)
        {
            map.row(y, buf.m.data());
            quantize.row(buf.m.data(), buf.idx.data(), width);
            for (int x = 0; x < width; ++x)
                picked[x] = color[idx[x]];
            const ushort* col = reinterpret_cast<const ushort*>(picked);
            const uchar* src = image.ptr<uchar>(y);
            uchar* out = dst.ptr<uchar>(y);
            int x = 0;
#if CV_SIMD128
            const v_uint16x8 vkeep = v_setall_u16((ushort)keep);
            for (; x <= width - 16; x += 16)
            {
                v_uint8x16 ch[4];
                if (cn == 1)
                    ch[0] = ch[1] = ch[2] = v_load(src + x);
                else if (cn == 3)
                    v_load_deinterleave(src + 3 * x, ch[0], ch[1], ch[2]);
                else
                    v_load_deinterleave(src + 4 * x, ch[0], ch[1], ch[2], ch[3]);
                v_uint16x8 c[2][4];
                v_load_deinterleave(col + 4 * x, c[0][0], c[0][1], c[0][2], c[0][3]);
                v_load_deinterleave(col + 4 * x + 32, c[1][0], c[1][1], c[1][2], c[1][3]);
                v_uint8x16 o[3];
                for (int k = 0; k < 3; ++k)
                {
                    v_uint16x8 lo, hi;
                    v_expand(ch[k], lo, hi);
                    o[k] = v_pack(v_shr<8>(v_mul_wrap(lo, vkeep) + c[0][k]),
                                  v_shr<8>(v_mul_wrap(hi, vkeep) + c[1][k]));
                }
                v_store_interleave(out + 3 * x, o[0], o[1], o[2]);
            }
#endif
            for (; x < width; ++x)
            {
                const uchar* p = src + cn * x;
                const int step = cn == 1 ? 0 : 1;
                for (int k = 0; k < 3; ++k)
                    out[3 * x + k] = (uchar)((p[k * step] * keep + col[4 * x + k]) >> 8);
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
            int x = 0;
#if CV_SIMD128
            v_float32x4 vlow = v_setall_f32(low), vhigh = v_setall_f32(high);
            for (; x <= image.cols - 4; x += 4)
            {
                const v_float32x4 v = v_load(m + x);
                vlow = v_min(vlow, v);
                vhigh = v_max(vhigh, v);
            }
            low = v_reduce_min(vlow);
            high = v_reduce_max(vhigh);
#endif
            for (; x < image.cols; ++x)
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
