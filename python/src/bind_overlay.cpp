// opencv2/xcam/overlay.hpp
#include "bindings.hpp"

namespace py = pybind11;
using namespace pybind11::literals;
using cv::xcam::CAMOverlayParams;

namespace xcam_py {

void bindOverlay(py::module_& m)
{
    XCAM_PY_CONSTANT(m, CAM_OVERLAY_SEED);
    XCAM_PY_CONSTANT(m, CAM_OVERLAY_BLEND);

    py::class_<CAMOverlayParams>(m, "CAMOverlayParams", doc::CAMOverlayParams)
        .def(py::init<>())
        .def_readwrite("style", &CAMOverlayParams::style, doc::CAMOverlayParams_style)
        .def_readwrite("interpolation", &CAMOverlayParams::interpolation,
                       doc::CAMOverlayParams_interpolation)
        .def_readwrite("threshold", &CAMOverlayParams::threshold, doc::CAMOverlayParams_threshold)
        .def_readwrite("alpha", &CAMOverlayParams::alpha, doc::CAMOverlayParams_alpha)
        .def_readwrite("colormap", &CAMOverlayParams::colormap, doc::CAMOverlayParams_colormap);

    // dst (optional, as in cv2): written in place when it already has the overlay's size and
    // type, and returned.
    m.def(
        "applyCAMOverlay",
        [](const cv::Mat& image, const cv::Mat& cam, cv::Mat dst, const CAMOverlayParams& params) {
            cv::xcam::applyCAMOverlay(image, cam, dst, params);
            return dst;
        },
        "image"_a, "cam"_a, "dst"_a = py::none(), "params"_a = CAMOverlayParams(),
        py::call_guard<py::gil_scoped_release>(), doc::applyCAMOverlay);
}

} // namespace xcam_py
