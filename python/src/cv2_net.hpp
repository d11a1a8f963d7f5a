// cv::dnn::Net <-> cv2.dnn.Net of the cv2 in the same process (Debian's python3-opencv, or any
// cv2 built from OpenCV 4.x). cv::dnn::Net is a shared handle, so passing it either way shares
// the network (backend and target settings included). cv2 keeps it by value right after the
// object header (`struct { PyObject_HEAD cv::dnn::Net v; }`); the object's size is checked
// against that layout before it is touched, and anything else is refused.
#ifndef XCAM_PY_CV2_NET_HPP
#define XCAM_PY_CV2_NET_HPP

#include <opencv2/dnn.hpp>
#include <pybind11/pybind11.h>

#include <string>

namespace xcam_py {

struct Cv2NetObject
{
    PyObject_HEAD
    cv::dnn::Net v;
};

/** The Net inside a cv2.dnn.Net, or nullptr when `obj` is not one with the expected layout. */
inline cv::dnn::Net* cv2NetOf(PyObject* obj)
{
    PyTypeObject* type = Py_TYPE(obj);
    const std::string name = type->tp_name;
    if ((name != "cv2.dnn.Net" && name != "cv2.dnn_Net" && name != "dnn_Net") ||
        type->tp_basicsize != (Py_ssize_t)sizeof(Cv2NetObject))
        return nullptr;
    return &reinterpret_cast<Cv2NetObject*>(obj)->v;
}

} // namespace xcam_py

namespace pybind11 {
namespace detail {

template <> struct type_caster<cv::dnn::Net>
{
    PYBIND11_TYPE_CASTER(cv::dnn::Net, const_name("cv2.dnn.Net"));

    bool load(handle src, bool)
    {
        cv::dnn::Net* net = xcam_py::cv2NetOf(src.ptr());
        if (!net)
            return false;
        value = *net;
        return true;
    }
    static handle cast(const cv::dnn::Net& net, return_value_policy, handle)
    {
        object result = module_::import("cv2").attr("dnn").attr("Net")();
        cv::dnn::Net* target = xcam_py::cv2NetOf(result.ptr());
        if (!target)
            throw type_error("xcam: this cv2's dnn.Net has an unexpected layout");
        *target = net;
        return result.release();
    }
};

} // namespace detail
} // namespace pybind11

#endif
