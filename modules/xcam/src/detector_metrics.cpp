// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Deletion / insertion AUC of a detection (D-RISE paper): the classifier metrics' curve
// (metrics_curve.hpp) with each perturbed image scored by the target's best D-RISE similarity
// among its proposals, the masked forwards and decoding taken from the DetectorModel.

#include "detector_internal.hpp"
#include "input_checks.hpp"
#include "metrics_curve.hpp"

namespace cv {
namespace xcam {

namespace {

double detectionCurveAUC(const Ptr<DetectorModel>& model, InputArray image, InputArray map,
                         const Detection& target, int steps, int batchSize, bool insertion)
{
    if (!model)
        CV_Error(Error::StsBadArg, "model is empty");
    detail::DetectorEngineSource* source = dynamic_cast<detail::DetectorEngineSource*>(model.get());
    if (!source)
        CV_Error(Error::StsNotImplemented, "the detection metrics need a model made by "
                                           "DetectorModel::create");
    detail::checkSteps(steps);
    const Mat m = detail::checkedMap(map);
    const std::vector<Detection> targets(1, target);
    detail::checkDetections(targets, "target", true);
    detail::DetectorExplainContext ctx;
    source->explainContext(image, batchSize, ctx);
    detail::checkTargetClasses(targets, ctx.clean, "target");
    ctx.engine.scorer = detail::similarityScorer(ctx, targets);
    return detail::curveAUC(ctx.engine, m, steps, insertion,
                            detail::bestSimilarity(target, ctx.clean));
}

} // namespace

double deletionAUC(const Ptr<DetectorModel>& model, InputArray image, InputArray map,
                   const Detection& target, int steps, int batchSize)
{
    return detectionCurveAUC(model, image, map, target, steps, batchSize, false);
}

double insertionAUC(const Ptr<DetectorModel>& model, InputArray image, InputArray map,
                    const Detection& target, int steps, int batchSize)
{
    return detectionCurveAUC(model, image, map, target, steps, batchSize, true);
}

}} // namespace cv::xcam
