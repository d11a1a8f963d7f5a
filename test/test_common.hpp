// Helpers shared by the xcam tests: data paths, the real-model guard, error expectations.
#ifndef XCAM_TEST_COMMON_HPP
#define XCAM_TEST_COMMON_HPP

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/xcam.hpp>

#include <cmath>
#include <cstdlib>
#include <string>
#include <sys/stat.h>

namespace xcam_test {

inline std::string envOr(const char* name, const char* fallback)
{
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : std::string(fallback);
}

/** A file written by tools/make_test_nets.py at build time. */
inline std::string testdata(const std::string& name)
{
    return envOr("XCAM_TESTDATA", XCAM_TESTDATA_DIR) + "/" + name;
}

/** The folder with the real models and images (env XCAM_SHARED, default ../shared). */
inline std::string shared(const std::string& relative = std::string())
{
    const std::string root = envOr("XCAM_SHARED", XCAM_SHARED_DIR);
    return relative.empty() ? root : root + "/" + relative;
}

inline bool isDirectory(const std::string& path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

/** Tests that need ../shared skip with a clear message when it is absent, and fail instead when
    XCAM_REQUIRE_SHARED=1 (CI sets it: there the real-model tests must run). */
#define XCAM_REQUIRE_SHARED()                                                                      \
    do                                                                                             \
    {                                                                                              \
        const std::string models_ = ::xcam_test::shared("models");                                 \
        if (!::xcam_test::isDirectory(models_))                                                    \
        {                                                                                          \
            if (::xcam_test::envOr("XCAM_REQUIRE_SHARED", "0") == "1")                             \
                FAIL() << "XCAM_REQUIRE_SHARED=1 but " << models_ << " does not exist";            \
            GTEST_SKIP() << "real models not found at " << models_                                 \
                         << " (set XCAM_SHARED to the folder holding models/ and images/)";        \
        }                                                                                          \
    } while (0)

/** Expects `statement` to throw a cv::Exception whose message contains `fragment`. The statement
    runs exactly once; the test fails if it throws nothing, or something else. */
#define EXPECT_CV_ERROR(statement, fragment)                                                       \
    do                                                                                             \
    {                                                                                              \
        bool thrown_ = false;                                                                      \
        try                                                                                        \
        {                                                                                          \
            statement;                                                                             \
        }                                                                                          \
        catch (const cv::Exception& e_)                                                            \
        {                                                                                          \
            thrown_ = true;                                                                        \
            EXPECT_NE(e_.err.find(fragment), std::string::npos)                                    \
                << "message: " << e_.err << "\nexpected it to mention: " << (fragment);            \
        }                                                                                          \
        catch (const std::exception& e_)                                                           \
        {                                                                                          \
            thrown_ = true;                                                                        \
            ADD_FAILURE() << #statement " threw a std::exception, not a cv::Exception: "           \
                          << e_.what();                                                            \
        }                                                                                          \
        catch (...)                                                                                \
        {                                                                                          \
            thrown_ = true;                                                                        \
            ADD_FAILURE() << #statement " threw something that is not a cv::Exception";            \
        }                                                                                          \
        if (!thrown_)                                                                              \
            ADD_FAILURE() << #statement " threw nothing; expected a cv::Exception mentioning "     \
                          << (fragment);                                                           \
    } while (0)

/** max |a - b| / max(|b|, floor) over two arrays of the same size. */
inline double maxRelativeError(const cv::Mat& a, const cv::Mat& b, double floor = 1.0)
{
    cv::Mat a64, b64;
    a.reshape(1, 1).convertTo(a64, CV_64F);
    b.reshape(1, 1).convertTo(b64, CV_64F);
    double worst = 0;
    for (int i = 0; i < a64.cols; ++i)
    {
        const double ref = b64.at<double>(i);
        worst = std::max(worst, std::abs(a64.at<double>(i) - ref) / std::max(std::abs(ref), floor));
    }
    return worst;
}

/** The methods of cv::xcam::getCAMMethods() of one forward pass (manyForwards false) or of many,
    in CAMMethod order. */
inline std::vector<int> methodsOfForwards(bool many)
{
    std::vector<int> out;
    for (const cv::xcam::CAMMethodInfo& m : cv::xcam::getCAMMethods())
        if (m.manyForwards == many)
            out.push_back(m.method);
    return out;
}

/** The methods of one forward pass that work on the feature blob (all but CAM). */
inline std::vector<int> headMethods()
{
    std::vector<int> out;
    for (int m : methodsOfForwards(false))
        if (cv::xcam::getCAMMethodInfo(m).needs != cv::xcam::CAM_NEEDS_CAM_HEAD)
            out.push_back(m);
    return out;
}

/** Pearson correlation of two arrays of the same size. */
inline double correlation(const cv::Mat& a, const cv::Mat& b)
{
    cv::Mat x, y;
    a.reshape(1, 1).convertTo(x, CV_64F);
    b.reshape(1, 1).convertTo(y, CV_64F);
    x -= cv::mean(x)[0];
    y -= cv::mean(y)[0];
    return x.dot(y) / std::sqrt(x.dot(x) * y.dot(y));
}

} // namespace xcam_test

#endif
