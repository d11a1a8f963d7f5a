// Helpers shared by the libFuzzer targets: fuzzed values, and the rule that a bad input may only
// end in a cv::Exception (anything else - a crash, a sanitizer report, NaN - aborts the run).
#ifndef XCAM_FUZZ_COMMON_HPP
#define XCAM_FUZZ_COMMON_HPP

#include <fuzzer/FuzzedDataProvider.h>
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace xcam_fuzz {

/** A float: mostly ordinary values (|v| <= 1e6, so sums of products stay far from overflow),
    sometimes the awkward ones: NaN, +-infinity, denormals, -0, FLT_MAX. */
inline float value(FuzzedDataProvider& in)
{
    switch (in.ConsumeIntegralInRange<int>(0, 15))
    {
    case 0: return std::numeric_limits<float>::quiet_NaN();
    case 1: return std::numeric_limits<float>::infinity();
    case 2: return -std::numeric_limits<float>::infinity();
    case 3: return std::numeric_limits<float>::denorm_min();
    case 4: return -0.f;
    case 5: return std::numeric_limits<float>::max();
    default: return in.ConsumeFloatingPointInRange<float>(-1e6f, 1e6f);
    }
}

/** Fills a CV_32F Mat: all ordinary values when `finite`, else value()'s mix. */
inline void fill(FuzzedDataProvider& in, cv::Mat& m, bool finite)
{
    CV_Assert(m.depth() == CV_32F && m.isContinuous());
    float* p = m.ptr<float>();
    for (size_t i = 0; i < m.total() * m.channels(); ++i)
        p[i] = finite ? in.ConsumeFloatingPointInRange<float>(-1e6f, 1e6f) : value(in);
}

/** Every value of a CV_32F Mat is finite (FLT_MAX included, unlike cv::checkRange's bounds). */
inline bool allFinite(const cv::Mat& m)
{
    CV_Assert(m.depth() == CV_32F);
    const cv::Mat c = m.isContinuous() ? m : m.clone();
    const float* p = c.ptr<float>();
    for (size_t i = 0; i < c.total() * c.channels(); ++i)
        if (!std::isfinite(p[i]))
            return false;
    return true;
}

/** Stops the run (libFuzzer saves the input) with a message. */
[[noreturn]] inline void fail(const char* what)
{
    std::fprintf(stderr, "xcam fuzz: %s\n", what);
    std::abort();
}

#define XCAM_FUZZ_CHECK(cond)                                                                      \
    do                                                                                             \
    {                                                                                              \
        if (!(cond))                                                                               \
            ::xcam_fuzz::fail("check failed: " #cond);                                             \
    } while (0)

/** Quiet OpenCV: no error messages on stderr for the expected exceptions, one thread (libFuzzer
    runs one input at a time; reproducible and fast). */
inline void quietOpenCV()
{
    cv::redirectError([](int, const char*, const char*, const char*, int, void*) { return 0; });
    cv::setNumThreads(1);
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
}

} // namespace xcam_fuzz

#endif
