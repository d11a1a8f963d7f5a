// PYBIND11_MODULE of xcam._xcam (the `xcam` package re-exports it).
#include "bindings.hpp"

PYBIND11_MODULE(_xcam, m)
{
    m.doc() = "Class Activation Maps for cv::dnn classifiers and explanations of detectors "
              "(OpenCV's xcam module): the same names as cv2.xcam, numpy arrays in and out.";
    m.attr("__version__") = XCAM_VERSION;
    // Types first: later signatures and default values refer to them.
    xcam_py::bindErrors(m);
    xcam_py::bindMethods(m);
    xcam_py::bindModel(m);
    xcam_py::bindDetection(m);
    xcam_py::bindCAM(m);
    xcam_py::bindMetrics(m);
    xcam_py::bindOverlay(m);
}
