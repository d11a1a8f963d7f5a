// opencv2/xcam/model.hpp
#include "bindings.hpp"
#include "locked_model.hpp"

namespace py = pybind11;
using namespace pybind11::literals;
using cv::xcam::CAMMethodParams;
using cv::xcam::CAMModel;
using ModelPtr = cv::Ptr<CAMModel>;

namespace xcam_py {
namespace {

using ModelClass = py::class_<LockedModel, std::shared_ptr<LockedModel>>;

/** A method of no arguments whose result converts by itself (getters). */
#define XCAM_PY_GETTER(cls, name)                                                                 \
    cls.def(                                                                                      \
        #name,                                                                                    \
        [](LockedModel& self) {                                                                   \
            return withModel(self, [](const ModelPtr& m) { return m->name(); });                  \
        },                                                                                        \
        doc::CAMModel_##name)

void bindCreateAndSetup(ModelClass& c)
{
    bindCreate<LockedModel>(c, doc::CAMModel_create, doc::CAMModel_create_2);
    c.def(
        "setInputParams",
        [](LockedModel& self, double scale, const cv::Size& size, const cv::Scalar& mean,
           bool swapRB, bool crop) {
            withModel(self, [&](const ModelPtr& m) {
                m->setInputParams(scale, size, mean, swapRB, crop);
            });
        },
        "scale"_a = 1.0, "size"_a = cv::Size(), "mean"_a = cv::Scalar(), "swapRB"_a = false,
        "crop"_a = false, doc::CAMModel_setInputParams);
    c.def(
        "setLayers",
        [](LockedModel& self, const std::string& featureLayer, const std::string& fcLayer) {
            withModel(self, [&](const ModelPtr& m) { m->setLayers(featureLayer, fcLayer); });
        },
        "featureLayer"_a = std::string(), "fcLayer"_a = std::string(), doc::CAMModel_setLayers);
    c.def(
        "setBiasMode",
        [](LockedModel& self, int mode) {
            withModel(self, [&](const ModelPtr& m) { m->setBiasMode(mode); });
        },
        "mode"_a, doc::CAMModel_setBiasMode);
    c.def(
        "setLabels",
        [](LockedModel& self, const std::vector<std::string>& labels) {
            withModel(self, [&](const ModelPtr& m) { m->setLabels(labels); });
        },
        "labels"_a, doc::CAMModel_setLabels);
    XCAM_PY_GETTER(c, getBiasMode);
    XCAM_PY_GETTER(c, getNet);
}

void bindForward(ModelClass& c)
{
    c.def(
        "forward",
        [](LockedModel& self, const cv::Mat& image) {
            withModel(self, [&](const ModelPtr& m) { m->forward(image); });
        },
        "image"_a, doc::CAMModel_forward);
    c.def(
        "classify",
        [](LockedModel& self, const cv::Mat& image, int topK) {
            std::vector<int> ids;
            std::vector<float> probs;
            std::vector<cv::Mat> maps;
            withModel(self, [&](const ModelPtr& m) { m->classify(image, topK, ids, probs, maps); });
            return std::make_tuple(arrayFromVector(ids), arrayFromVector(probs), maps);
        },
        "image"_a, "topK"_a, doc::CAMModel_classify);
    c.def(
        "explain",
        [](LockedModel& self, const cv::Mat& image, int method, const std::vector<int>& classIds,
           const CAMMethodParams& params) {
            std::vector<cv::Mat> maps;
            withModel(self, [&](const ModelPtr& m) {
                m->explain(image, method, classIds, maps, params);
            });
            return maps;
        },
        "image"_a, "method"_a, "classIds"_a = std::vector<int>(), "params"_a = CAMMethodParams(),
        doc::CAMModel_explain);
    c.def(
        "forwardBatch",
        [](LockedModel& self, const cv::Mat& blobs, int batchSize) {
            cv::Mat logits;
            withModel(self, [&](const ModelPtr& m) { m->forwardBatch(blobs, logits, batchSize); });
            return logits;
        },
        "blobs"_a, "batchSize"_a = 32, doc::CAMModel_forwardBatch);
}

void bindMaps(ModelClass& c)
{
    c.def(
        "getTopK",
        [](LockedModel& self, int k) {
            std::vector<int> ids;
            std::vector<float> probs;
            withModel(self, [&](const ModelPtr& m) { m->getTopK(k, ids, probs); });
            return std::make_tuple(arrayFromVector(ids), arrayFromVector(probs));
        },
        "k"_a, doc::CAMModel_getTopK);
    c.def(
        "getCAM",
        [](LockedModel& self, int classId) {
            cv::Mat cam;
            withModel(self, [&](const ModelPtr& m) { m->getCAM(classId, cam); });
            return cam;
        },
        "classId"_a, doc::CAMModel_getCAM);
    c.def(
        "getCAMs",
        [](LockedModel& self, const std::vector<int>& classIds) {
            std::vector<cv::Mat> cams;
            withModel(self, [&](const ModelPtr& m) { m->getCAMs(classIds, cams); });
            return cams;
        },
        "classIds"_a, doc::CAMModel_getCAMs);
    c.def(
        "getLabel",
        [](LockedModel& self, int classId) {
            return withModel(self, [&](const ModelPtr& m) { return m->getLabel(classId); });
        },
        "classId"_a, doc::CAMModel_getLabel);
    c.def(
        "supportsMethod",
        [](LockedModel& self, int method) {
            return withModel(self, [&](const ModelPtr& m) { return m->supportsMethod(method); });
        },
        "method"_a, doc::CAMModel_supportsMethod);
}

void bindGetters(ModelClass& c)
{
    XCAM_PY_GETTER(c, getScores);
    XCAM_PY_GETTER(c, getProbabilities);
    XCAM_PY_GETTER(c, getFeatures);
    XCAM_PY_GETTER(c, getFCWeights);
    XCAM_PY_GETTER(c, getFCBias);
    XCAM_PY_GETTER(c, getInputBlob);
    XCAM_PY_GETTER(c, getNumClasses);
    XCAM_PY_GETTER(c, getFeatureLayer);
    XCAM_PY_GETTER(c, getFCLayer);
    XCAM_PY_GETTER(c, getScoreLayer);
    XCAM_PY_GETTER(c, isClassMapMode);
    XCAM_PY_GETTER(c, getDefaultMethod);
    XCAM_PY_GETTER(c, getHeadLayers);
}

} // namespace

void bindModel(py::module_& m)
{
    XCAM_PY_CONSTANT(m, CAM_BIAS_IGNORE);
    XCAM_PY_CONSTANT(m, CAM_BIAS_SPREAD);

    ModelClass model(m, "CAMModel", doc::CAMModel);
    bindCreateAndSetup(model);
    bindForward(model);
    bindMaps(model);
    bindGetters(model);

    m.def("readClassLabels", &cv::xcam::readClassLabels, "path"_a, doc::readClassLabels);
}

} // namespace xcam_py
