// cv::Exception -> xcam.error (a RuntimeError) whose str() is OpenCV's message (e.what()), with
// cv2.error's attributes: code, err, func, file, line, msg.
#include "bindings.hpp"

namespace py = pybind11;

namespace xcam_py {

void bindErrors(py::module_& m)
{
    static py::exception<cv::Exception> error(m, "error", PyExc_RuntimeError);
    error.doc() = "An OpenCV error (cv::Exception) raised by xcam; str() is OpenCV's message, "
                  "code, err, func, file and line its parts (as cv2.error).";
    py::register_exception_translator([](std::exception_ptr p) {
        try
        {
            if (p)
                std::rethrow_exception(p);
        }
        catch (const cv::Exception& e)
        {
            py::object instance = py::handle(error)(e.what());
            instance.attr("code") = e.code;
            instance.attr("err") = e.err;
            instance.attr("func") = e.func;
            instance.attr("file") = e.file;
            instance.attr("line") = e.line;
            instance.attr("msg") = e.msg;
            PyErr_SetObject(error.ptr(), instance.ptr());
        }
    });
}

} // namespace xcam_py
