// opencv2/xcam/metrics.hpp
#include "bindings.hpp"
#include "locked_model.hpp"

namespace py = pybind11;
using namespace pybind11::literals;
using ModelPtr = cv::Ptr<cv::xcam::CAMModel>;

namespace xcam_py {
namespace {

using AUC = double (*)(const ModelPtr&, cv::InputArray, cv::InputArray, int, int, int);

/** deletionAUC and insertionAUC: the same arguments. */
void bindAUC(py::module_& m, const char* name, AUC auc, const char* doc)
{
    m.def(
        name,
        [auc](LockedModel& model, const cv::Mat& image, const cv::Mat& map, int classId, int steps,
              int batchSize) {
            return withModel(model, [&](const ModelPtr& p) {
                return auc(p, image, map, classId, steps, batchSize);
            });
        },
        "model"_a, "image"_a, "map"_a, "classId"_a, "steps"_a = 30, "batchSize"_a = 32, doc);
}

} // namespace

void bindMetrics(py::module_& m)
{
    bindAUC(m, "deletionAUC", &cv::xcam::deletionAUC, doc::deletionAUC);
    bindAUC(m, "insertionAUC", &cv::xcam::insertionAUC, doc::insertionAUC);
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
    m.def(
        "readBoxes",
        [](const std::string& path) {
            std::vector<cv::String> images;
            std::vector<cv::Rect> boxes;
            std::vector<int> classIds;
            cv::xcam::readBoxes(path, images, boxes, classIds);
            return std::make_tuple(images, boxes, arrayFromVector(classIds));
        },
        "path"_a, doc::readBoxes);
}

} // namespace xcam_py
