// opencv2/xcam/metrics.hpp
#include "bindings.hpp"
#include "locked_model.hpp"
#include "python_decoder.hpp"

#include <type_traits>
#include <utility>

namespace py = pybind11;
using namespace pybind11::literals;
using ModelPtr = cv::Ptr<cv::xcam::CAMModel>;

namespace xcam_py {
namespace {

/** f(model) with the model's lock; a detector's Python decoder's exception raised as it is. */
template <typename F>
auto runLocked(LockedModel& model, const char*, F&& f)
{
    return withModel(model, std::forward<F>(f));
}
template <typename F>
auto runLocked(LockedDetector& model, const char* call, F&& f)
{
    return withDetector(model, call, std::forward<F>(f));
}

/** deletionAUC and insertionAUC of a classifier (classId) or a detector (a Detection target). */
template <typename L, typename Target>
void bindAUC(py::module_& m, const char* name,
             double (*auc)(const decltype(L::model)&, cv::InputArray, cv::InputArray, Target, int,
                           int),
             const char* targetName, const char* doc)
{
    using Arg = std::decay_t<Target>;
    m.def(
        name,
        [auc, name](L& model, const cv::Mat& image, const cv::Mat& map, const Arg& target,
                    int steps, int batchSize) {
            return runLocked(model, name, [&](const decltype(L::model)& p) {
                return auc(p, image, map, target, steps, batchSize);
            });
        },
        "model"_a, "image"_a, "map"_a, py::arg(targetName), "steps"_a = 30, "batchSize"_a = 32,
        doc);
}

} // namespace

void bindMetrics(py::module_& m)
{
    bindAUC<LockedModel, int>(m, "deletionAUC", &cv::xcam::deletionAUC, "classId",
                              doc::deletionAUC);
    bindAUC<LockedModel, int>(m, "insertionAUC", &cv::xcam::insertionAUC, "classId",
                              doc::insertionAUC);
    using cv::xcam::Detection;
    bindAUC<LockedDetector, const Detection&>(m, "deletionAUC", &cv::xcam::deletionAUC, "target",
                                              doc::deletionAUC_2);
    bindAUC<LockedDetector, const Detection&>(m, "insertionAUC", &cv::xcam::insertionAUC,
                                              "target", doc::insertionAUC_2);
    m.def(
        "confidenceChange",
        [](LockedModel& model, const cv::Mat& image, const cv::Mat& map, int classId) {
            double drop = 0;
            bool increase = false;
            withModel(model, [&](const ModelPtr& m) {
                cv::xcam::confidenceChange(m, image, map, classId, drop, increase);
            });
            return std::make_pair(drop, increase);
        },
        "model"_a, "image"_a, "map"_a, "classId"_a, doc::confidenceChange);
    m.def(
        "pointingGame",
        [](const cv::Mat& map, const cv::Size& imageSize, const cv::Rect& box, int tolerance) {
            return cv::xcam::pointingGame(map, imageSize, box, tolerance);
        },
        "map"_a, "imageSize"_a, "box"_a, "tolerance"_a = 15, doc::pointingGame);
}

} // namespace xcam_py
