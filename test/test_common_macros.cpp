// The test helpers themselves: EXPECT_CV_ERROR runs its statement once and fails when it should.
#include "test_common.hpp"

#include <gtest/gtest-spi.h>

#include <stdexcept>

namespace {

void throwCv(int* calls)
{
    ++*calls;
    CV_Error(cv::Error::StsBadArg, "cam is empty");
}

TEST(TestCommon, ExpectCvErrorRunsTheStatementOnce)
{
    int calls = 0;
    EXPECT_CV_ERROR(throwCv(&calls), "cam is empty");
    EXPECT_EQ(calls, 1);
}

TEST(TestCommon, ExpectCvErrorFailsWhenNothingIsThrown)
{
    int calls = 0;
    EXPECT_NONFATAL_FAILURE(EXPECT_CV_ERROR(++calls, "anything"), "threw nothing");
    EXPECT_EQ(calls, 1);
}

TEST(TestCommon, ExpectCvErrorFailsWhenTheMessageLacksTheFragment)
{
    int calls = 0;
    EXPECT_NONFATAL_FAILURE(EXPECT_CV_ERROR(throwCv(&calls), "image is empty"),
                            "expected it to mention: image is empty");
    EXPECT_EQ(calls, 1);
}

TEST(TestCommon, ExpectCvErrorFailsOnOtherExceptions)
{
    EXPECT_NONFATAL_FAILURE(EXPECT_CV_ERROR(throw std::runtime_error("boom"), "boom"),
                            "not a cv::Exception");
}

} // namespace
