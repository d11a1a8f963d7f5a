// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The method table (one row per CAMMethod), the public facts read from it, and the routing of
// CAMModel::explain / supportsMethod / getDefaultMethod.

#include "method_table.hpp"

#include <cctype>

namespace cv {
namespace xcam {
namespace detail {

namespace {

// One row per method, in CAMMethod order (checked below). A new method is one row here, its
// function (declared in method_table.hpp), its oracle fixture and its docs line.
constexpr MethodRow kRows[] = {
    {CAM_METHOD_CAM, "cam", "", "cam", CAM_NEEDS_CAM_HEAD, false, false,
     "CAM: the class's FC weights times the feature maps (GAP->FC or class-map heads)", camMethod},
    {CAM_METHOD_GRADCAM, "gradcam", "", "gradient", CAM_NEEDS_DIFFERENTIABLE_HEAD, false, false,
     "Grad-CAM: feature maps weighted by their mean gradient", gradCAM},
    {CAM_METHOD_GRADCAM_PLUSPLUS, "gradcam++", "gradcamplusplus", "gradient",
     CAM_NEEDS_DIFFERENTIABLE_HEAD, false, false,
     "Grad-CAM++: feature maps weighted by their positive gradients, higher-order terms",
     gradCAMPlusPlus},
    {CAM_METHOD_XGRADCAM, "xgradcam", "", "gradient", CAM_NEEDS_DIFFERENTIABLE_HEAD, false, false,
     "XGrad-CAM: feature maps weighted by gradient times activation, normalized", xGradCAM},
    {CAM_METHOD_HIRESCAM, "hirescam", "", "gradient", CAM_NEEDS_DIFFERENTIABLE_HEAD, false, false,
     "HiRes-CAM: gradient times activation cell by cell, summed over channels", hiResCAM},
    {CAM_METHOD_LAYERCAM, "layercam", "", "gradient", CAM_NEEDS_DIFFERENTIABLE_HEAD, false, false,
     "LayerCAM: positive gradient times activation, summed over channels", layerCAM},
    {CAM_METHOD_EIGENCAM, "eigencam", "", "eigen", CAM_NEEDS_FEATURES, false, true,
     "Eigen-CAM: first principal component of the feature maps (class-agnostic)", eigenCAM},
    {CAM_METHOD_EIGENGRADCAM, "eigengradcam", "", "gradient", CAM_NEEDS_DIFFERENTIABLE_HEAD, false,
     false, "Eigen-Grad-CAM: first principal component of gradient times activation",
     eigenGradCAM},
    {CAM_METHOD_ABLATIONCAM, "ablationcam", "", "reevaluation", CAM_NEEDS_DIFFERENTIABLE_HEAD,
     false, false, "Ablation-CAM: feature maps weighted by the logit's drop when each is zeroed",
     ablationCAM},
    {CAM_METHOD_RECIPROCAM, "reciprocam", "", "reevaluation", CAM_NEEDS_DIFFERENTIABLE_HEAD,
     false, false, "Recipro-CAM: the logit of the head on the features kept around each cell",
     reciproCAM},
    {CAM_METHOD_SCORECAM, "scorecam", "", "perturbation", CAM_NEEDS_FEATURES, true, false,
     "Score-CAM: feature maps weighted by the score of the input masked by each", scoreCAM},
    {CAM_METHOD_OCCLUSION, "occlusion", "occlusionsensitivity", "perturbation",
     CAM_NEEDS_FORWARD_ONLY, true, true,
     "Occlusion: the probability's drop when a sliding patch of the input is blanked",
     occlusionMethod},
    {CAM_METHOD_RISE, "rise", "", "perturbation", CAM_NEEDS_FORWARD_ONLY, true, true,
     "RISE: random masks of the input weighted by their probabilities", riseMethod},
    {CAM_METHOD_FINERCAM, "finercam", "", "gradient", CAM_NEEDS_DIFFERENTIABLE_HEAD, false, false,
     "Finer-CAM: Grad-CAM of the class's logit against its nearest classes", finerCAM},
    {CAM_METHOD_KPCACAM, "kpcacam", "", "eigen", CAM_NEEDS_FEATURES, false, false,
     "KPCA-CAM: first kernel principal component of the feature maps (class-agnostic)", kpcaCAM},
};
constexpr int kCount = (int)(sizeof(kRows) / sizeof(kRows[0]));

constexpr bool inEnumOrder(int i)
{
    return i == kCount || (kRows[i].method == i && inEnumOrder(i + 1));
}
static_assert(inEnumOrder(0), "row i of the method table must hold CAMMethod i");
static_assert(kCount == CAM_METHOD_KPCACAM + 1, "every CAMMethod needs a row (the last: KPCACAM)");

std::vector<String> splitAliases(const char* text)
{
    std::vector<String> out;
    String current;
    for (const char* c = text; *c; ++c)
    {
        if (*c != ',')
            current += *c;
        if (*c == ',' || !c[1])
        {
            out.push_back(current);
            current.clear();
        }
    }
    return out;
}

// Lower case without '-', '_' and spaces; "pp" at the end spells "++".
String canonical(const String& name)
{
    String out;
    for (char ch : name)
    {
        const unsigned char c = (unsigned char)ch;
        if (c != '-' && c != '_' && c != ' ')
            out += (char)std::tolower(c);
    }
    if (out.size() > 2 && out.compare(out.size() - 2, 2, "pp") == 0)
        out = out.substr(0, out.size() - 2) + "++";
    return out;
}

} // namespace

const MethodRow& methodRow(int method)
{
    if (method < 0 || method >= kCount)
        CV_Error_(Error::StsOutOfRange, ("method %d is not a CAMMethod (0..%d)", method,
                                         kCount - 1));
    return kRows[method];
}

int methodCount()
{
    return kCount;
}

bool supports(const MethodContext& ctx, const MethodRow& row)
{
    switch (row.needs)
    {
    case CAM_NEEDS_CAM_HEAD: return ctx.layers->camHead;
    case CAM_NEEDS_DIFFERENTIABLE_HEAD:
        return (ctx.layers->camHead && ctx.params.closedForm) || ctx.head != nullptr;
    default: return true;  // the feature layer and forward passes: any net
    }
}

void requireSupport(const MethodContext& ctx, const MethodRow& row, const String& head)
{
    if (supports(ctx, row))
        return;
    String others;
    for (const MethodRow& r : kRows)
        if (supports(ctx, r))
            others += (others.empty() ? "" : ", ") + String(r.name);
    const String missing = row.needs == CAM_NEEDS_CAM_HEAD
                               ? "a GAP->FC or class-map head; this net's head (" + head +
                                     ") is not one"
                               : "a head xcam can differentiate: " + ctx.headError;
    CV_Error_(Error::StsNotImplemented, ("%s needs %s; methods that run on this net: %s", row.name,
                                         missing.c_str(), others.c_str()));
}

int defaultMethod(const MethodContext& ctx)
{
    for (const MethodRow& r : kRows)
        if (supports(ctx, r))
            return r.method;
    CV_Error(Error::StsError, "no method runs on this net");
}

} // namespace detail

CAMMethodParams::CAMMethodParams()
    : batchSize(32), maxChannels(0), channelSoftmax(false), patchSize(0), stride(0),
      numMasks(4000), gridSize(0), keepProbability(0.5), seed(0), reciproGaussian(false),
      closedForm(true), finerAlpha(1.0), finerClasses(3), kpcaKernel(CAM_KERNEL_SIGMOID),
      kpcaGamma(0.0)
{
}

CAMMethodInfo::CAMMethodInfo()
    : method(-1), needs(CAM_NEEDS_FORWARD_ONLY), manyForwards(false), detectors(false)
{
}

CAMMethodInfo getCAMMethodInfo(int method)
{
    const detail::MethodRow& row = detail::methodRow(method);
    CAMMethodInfo info;
    info.method = row.method;
    info.name = row.name;
    info.aliases = detail::splitAliases(row.aliases);
    info.family = row.family;
    info.needs = row.needs;
    info.manyForwards = row.manyForwards;
    info.detectors = row.detectors;
    info.description = row.description;
    return info;
}

std::vector<CAMMethodInfo> getCAMMethods()
{
    std::vector<CAMMethodInfo> all;
    for (int m = 0; m < detail::kCount; ++m)
        all.push_back(getCAMMethodInfo(m));
    return all;
}

String getCAMMethodName(int method)
{
    return detail::methodRow(method).name;
}

int parseCAMMethod(const String& name)
{
    const String key = detail::canonical(name);
    String known;
    for (const detail::MethodRow& row : detail::kRows)
    {
        if (key == row.name)
            return row.method;
        for (const String& alias : detail::splitAliases(row.aliases))
            if (key == detail::canonical(alias))
                return row.method;
        known += (known.empty() ? "" : ", ") + String(row.name);
    }
    CV_Error_(Error::StsBadArg, ("method '%s' is unknown; known methods: %s", name.c_str(),
                                 known.c_str()));
}

}} // namespace cv::xcam
