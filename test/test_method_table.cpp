// The method table (getCAMMethods): one row per CAMMethod in enum order, names and aliases that
// parse back, the pinned values, and CAMModel's routing (supportsMethod, getDefaultMethod, explain)
// read from each row's `needs` on heads of every kind.
#include "test_common.hpp"
#include "test_nets.hpp"

#include <opencv2/dnn.hpp>

#include <set>

using namespace cv;
using namespace xcam_test;

namespace {

const std::vector<xcam::CAMMethodInfo> kMethods = xcam::getCAMMethods();

TEST(MethodTable, OneRowPerMethodInEnumOrder)
{
    ASSERT_EQ(kMethods.size(), (size_t)xcam::CAM_METHOD_KPCACAM + 1);
    std::set<std::string> names, families;
    for (size_t i = 0; i < kMethods.size(); ++i)
    {
        const xcam::CAMMethodInfo& m = kMethods[i];
        SCOPED_TRACE(m.name);
        EXPECT_EQ(m.method, (int)i);
        EXPECT_TRUE(names.insert(m.name).second) << "name used twice";
        families.insert(m.family);
        EXPECT_GE(m.needs, xcam::CAM_NEEDS_CAM_HEAD);
        EXPECT_LE(m.needs, xcam::CAM_NEEDS_FORWARD_ONLY);
        EXPECT_FALSE(m.description.empty());
        // Descriptions go into cv::CommandLineParser keys: none of its separators.
        EXPECT_EQ(m.description.find_first_of("|{}"), std::string::npos) << m.description;
        const xcam::CAMMethodInfo one = xcam::getCAMMethodInfo((int)i);
        EXPECT_EQ(one.name, m.name);
        EXPECT_EQ(one.aliases, m.aliases);
        EXPECT_EQ(xcam::getCAMMethodName((int)i), m.name);
        EXPECT_EQ(xcam::parseCAMMethod(m.name), (int)i);
        for (const std::string& alias : m.aliases)
        {
            EXPECT_EQ(xcam::parseCAMMethod(alias), (int)i) << alias;
            EXPECT_TRUE(names.insert(alias).second) << alias << " used twice";
        }
    }
    EXPECT_EQ(families, (std::set<std::string>{"cam", "gradient", "eigen", "reevaluation",
                                               "perturbation"}));
    EXPECT_CV_ERROR(xcam::getCAMMethodInfo(-1), "is not a CAMMethod");
    EXPECT_CV_ERROR(xcam::getCAMMethodInfo((int)kMethods.size()), "is not a CAMMethod");
}

TEST(MethodTable, PinnedNamesAndValues)
{
    const char* const first13[] = {"cam",         "gradcam",      "gradcam++",   "xgradcam",
                                   "hirescam",    "layercam",     "eigencam",    "eigengradcam",
                                   "ablationcam", "reciprocam",   "scorecam",    "occlusion",
                                   "rise"};
    for (int m = 0; m < 13; ++m)
        EXPECT_EQ(xcam::getCAMMethodName(m), first13[m]);
    EXPECT_EQ(xcam::CAM_METHOD_FINERCAM, 13);
    EXPECT_EQ(xcam::CAM_METHOD_KPCACAM, 14);
    EXPECT_EQ(xcam::parseCAMMethod("finercam"), (int)xcam::CAM_METHOD_FINERCAM);
    EXPECT_EQ(xcam::parseCAMMethod("kpcacam"), (int)xcam::CAM_METHOD_KPCACAM);
    EXPECT_EQ(xcam::parseCAMMethod("KPCA_CAM"), (int)xcam::CAM_METHOD_KPCACAM);
    EXPECT_EQ(xcam::parseCAMMethod("Finer-CAM"), (int)xcam::CAM_METHOD_FINERCAM);
    EXPECT_EQ(xcam::parseCAMMethod("GradCAMPlusPlus"), (int)xcam::CAM_METHOD_GRADCAM_PLUSPLUS);
    EXPECT_CV_ERROR(xcam::parseCAMMethod("finer"), "known methods: cam, gradcam");
}

TEST(MethodTable, FactsOfTheFamilies)
{
    std::set<std::string> detectors, many;
    for (const xcam::CAMMethodInfo& m : kMethods)
    {
        if (m.detectors)
            detectors.insert(m.name);
        if (m.manyForwards)
        {
            many.insert(m.name);
            EXPECT_EQ(m.family, "perturbation") << m.name;
        }
        if (m.family == "gradient" || m.family == "reevaluation")
            EXPECT_EQ(m.needs, xcam::CAM_NEEDS_DIFFERENTIABLE_HEAD) << m.name;
        if (m.family == "eigen")
            EXPECT_EQ(m.needs, xcam::CAM_NEEDS_FEATURES) << m.name;
    }
    EXPECT_EQ(detectors, (std::set<std::string>{"eigencam", "occlusion", "rise"}));
    EXPECT_EQ(many, (std::set<std::string>{"scorecam", "occlusion", "rise"}));
}

// supportsMethod follows each row's needs; the default method is the first row supported; explain
// refuses the others naming what they need and listing the methods that run.
TEST(MethodTable, RoutingReadsTheNeeds)
{
    struct Head
    {
        const char* what;
        Ptr<xcam::CAMModel> model;
        std::set<int> needsMet;
        int defaultMethod;
    };
    std::vector<Head> heads = {
        {"GAP->FC", xcam::CAMModel::create(testdata("gap_fc_gemm.onnx")),
         {xcam::CAM_NEEDS_CAM_HEAD, xcam::CAM_NEEDS_DIFFERENTIABLE_HEAD, xcam::CAM_NEEDS_FEATURES,
          xcam::CAM_NEEDS_FORWARD_ONLY},
         xcam::CAM_METHOD_CAM},
        {"flatten->FC", xcam::CAMModel::create(testdata("flat_fc.onnx")),
         {xcam::CAM_NEEDS_DIFFERENTIABLE_HEAD, xcam::CAM_NEEDS_FEATURES,
          xcam::CAM_NEEDS_FORWARD_ONLY},
         xcam::CAM_METHOD_GRADCAM},
        {"Power in the head", xcam::CAMModel::create(netWithPowerInHead(kIn)),
         {xcam::CAM_NEEDS_FEATURES, xcam::CAM_NEEDS_FORWARD_ONLY}, xcam::CAM_METHOD_EIGENCAM}};
    for (Head& h : heads)
    {
        SCOPED_TRACE(h.what);
        const Mat input = makeInput(3);
        h.model->forward(input);
        EXPECT_EQ(h.model->getDefaultMethod(), h.defaultMethod);
        for (const xcam::CAMMethodInfo& m : kMethods)
        {
            SCOPED_TRACE(m.name);
            const bool met = h.needsMet.count(m.needs) != 0;
            EXPECT_EQ(h.model->supportsMethod(m.method), met);
            if (met)
                continue;
            std::vector<Mat> maps;
            EXPECT_CV_ERROR(h.model->explain(input, m.method, {0}, maps),
                            m.name + " needs");
            EXPECT_CV_ERROR(h.model->explain(input, m.method, {0}, maps),
                            "methods that run on this net: " +
                                xcam::getCAMMethodName(h.defaultMethod));
        }
    }
}

} // namespace
