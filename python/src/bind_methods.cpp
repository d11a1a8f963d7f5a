// opencv2/xcam/methods.hpp
#include "bindings.hpp"

namespace py = pybind11;
using namespace pybind11::literals;
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
                       doc::CAMMethodParams_closedForm);

    m.def("getCAMMethodName", &cv::xcam::getCAMMethodName, "method"_a, doc::getCAMMethodName);
    m.def("parseCAMMethod", &cv::xcam::parseCAMMethod, "name"_a, doc::parseCAMMethod);
}

} // namespace xcam_py
