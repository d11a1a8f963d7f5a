// opencv2/xcam/methods.hpp
#include "bindings.hpp"

namespace py = pybind11;
using namespace pybind11::literals;
using cv::xcam::CAMMethodInfo;
using cv::xcam::CAMMethodParams;

namespace xcam_py {

void bindMethods(py::module_& m)
{
    XCAM_PY_CONSTANT(m, CAM_METHOD_CAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_GRADCAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_GRADCAM_PLUSPLUS);
    XCAM_PY_CONSTANT(m, CAM_METHOD_XGRADCAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_HIRESCAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_LAYERCAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_EIGENCAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_EIGENGRADCAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_ABLATIONCAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_RECIPROCAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_SCORECAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_OCCLUSION);
    XCAM_PY_CONSTANT(m, CAM_METHOD_RISE);
    XCAM_PY_CONSTANT(m, CAM_METHOD_FINERCAM);
    XCAM_PY_CONSTANT(m, CAM_METHOD_KPCACAM);
    XCAM_PY_CONSTANT(m, CAM_NEEDS_CAM_HEAD);
    XCAM_PY_CONSTANT(m, CAM_NEEDS_DIFFERENTIABLE_HEAD);
    XCAM_PY_CONSTANT(m, CAM_NEEDS_FEATURES);
    XCAM_PY_CONSTANT(m, CAM_NEEDS_FORWARD_ONLY);
    XCAM_PY_CONSTANT(m, CAM_KERNEL_SIGMOID);
    XCAM_PY_CONSTANT(m, CAM_KERNEL_LINEAR);
    XCAM_PY_CONSTANT(m, CAM_KERNEL_RBF);
    XCAM_PY_CONSTANT(m, CAM_KERNEL_POLY);
    XCAM_PY_CONSTANT(m, CAM_KERNEL_COSINE);

    py::class_<CAMMethodParams>(m, "CAMMethodParams", doc::CAMMethodParams)
        .def(py::init<>())
        .def_readwrite("batchSize", &CAMMethodParams::batchSize, doc::CAMMethodParams_batchSize)
        .def_readwrite("maxChannels", &CAMMethodParams::maxChannels,
                       doc::CAMMethodParams_maxChannels)
        .def_readwrite("channelSoftmax", &CAMMethodParams::channelSoftmax,
                       doc::CAMMethodParams_channelSoftmax)
        .def_readwrite("patchSize", &CAMMethodParams::patchSize, doc::CAMMethodParams_patchSize)
        .def_readwrite("stride", &CAMMethodParams::stride, doc::CAMMethodParams_stride)
        .def_readwrite("numMasks", &CAMMethodParams::numMasks, doc::CAMMethodParams_numMasks)
        .def_readwrite("gridSize", &CAMMethodParams::gridSize, doc::CAMMethodParams_gridSize)
        .def_readwrite("keepProbability", &CAMMethodParams::keepProbability,
                       doc::CAMMethodParams_keepProbability)
        .def_readwrite("seed", &CAMMethodParams::seed, doc::CAMMethodParams_seed)
        .def_readwrite("reciproGaussian", &CAMMethodParams::reciproGaussian,
                       doc::CAMMethodParams_reciproGaussian)
        .def_readwrite("closedForm", &CAMMethodParams::closedForm,
                       doc::CAMMethodParams_closedForm)
        .def_readwrite("finerAlpha", &CAMMethodParams::finerAlpha, doc::CAMMethodParams_finerAlpha)
        .def_readwrite("finerClasses", &CAMMethodParams::finerClasses,
                       doc::CAMMethodParams_finerClasses)
        .def_readwrite("kpcaKernel", &CAMMethodParams::kpcaKernel, doc::CAMMethodParams_kpcaKernel)
        .def_readwrite("kpcaGamma", &CAMMethodParams::kpcaGamma, doc::CAMMethodParams_kpcaGamma);

    py::class_<CAMMethodInfo>(m, "CAMMethodInfo", doc::CAMMethodInfo)
        .def(py::init<>())
        .def_readwrite("method", &CAMMethodInfo::method, doc::CAMMethodInfo_method)
        .def_readwrite("name", &CAMMethodInfo::name, doc::CAMMethodInfo_name)
        .def_readwrite("aliases", &CAMMethodInfo::aliases, doc::CAMMethodInfo_aliases)
        .def_readwrite("family", &CAMMethodInfo::family, doc::CAMMethodInfo_family)
        .def_readwrite("needs", &CAMMethodInfo::needs, doc::CAMMethodInfo_needs)
        .def_readwrite("manyForwards", &CAMMethodInfo::manyForwards,
                       doc::CAMMethodInfo_manyForwards)
        .def_readwrite("detectors", &CAMMethodInfo::detectors, doc::CAMMethodInfo_detectors)
        .def_readwrite("description", &CAMMethodInfo::description,
                       doc::CAMMethodInfo_description);

    m.def("getCAMMethods", &cv::xcam::getCAMMethods, doc::getCAMMethods);
    m.def("getCAMMethodInfo", &cv::xcam::getCAMMethodInfo, "method"_a, doc::getCAMMethodInfo);
    m.def(
        "generateRISEMasks",
        [](const cv::Size& size, const CAMMethodParams& params, int start, int count) {
            cv::Mat masks;
            cv::xcam::generateRISEMasks(size, params, start, count, masks);
            return masks;
        },
        "size"_a, "params"_a, "start"_a, "count"_a, py::call_guard<py::gil_scoped_release>(),
        doc::generateRISEMasks);

    m.def("getCAMMethodName", &cv::xcam::getCAMMethodName, "method"_a, doc::getCAMMethodName);
    m.def("parseCAMMethod", &cv::xcam::parseCAMMethod, "name"_a, doc::parseCAMMethod);
}

} // namespace xcam_py
