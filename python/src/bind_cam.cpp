// opencv2/xcam/cam.hpp
#include "bindings.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace xcam_py {

void bindCAM(py::module_& m)
{
    m.def(
        "computeCAM",
        [](const cv::Mat& activations, const cv::Mat& weights, int classId) {
            cv::Mat cam;
            cv::xcam::computeCAM(activations, weights, classId, cam);
            return cam;
        },
        "activations"_a, "weights"_a.none(), "classId"_a, py::call_guard<py::gil_scoped_release>(),
        doc::computeCAM);
}

} // namespace xcam_py
