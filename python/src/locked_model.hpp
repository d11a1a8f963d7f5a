// xcam's stateful objects in Python (CAMModel, DetectorModel): the C++ object with a mutex.
// Calls release the GIL (forward passes run in parallel across models) and then take the
// object's lock, so that Python threads sharing one model are serialized instead of racing on
// its state (a CAMModel is not reentrant). The GIL is always released before the lock is taken:
// a thread holding the lock may need the GIL (to drop a numpy array the model held), so waiting
// for the lock with the GIL would deadlock.
#ifndef XCAM_PY_LOCKED_MODEL_HPP
#define XCAM_PY_LOCKED_MODEL_HPP

#include "cv2_net.hpp"

#include <opencv2/xcam.hpp>
#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <string>

namespace xcam_py {

template <typename T>
struct Locked
{
    explicit Locked(const cv::Ptr<T>& m) : model(m) {}
    cv::Ptr<T> model;
    std::mutex mutex;
};

using LockedModel = Locked<cv::xcam::CAMModel>;

/** f(model) without the GIL, under the object's lock. */
template <typename T, typename F>
auto withModel(Locked<T>& self, F&& f)
{
    pybind11::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    return f(self.model);
}

/** The two `create` of a model class: from a file (read without the GIL) and from a
    cv2.dnn.Net (cv2_net.hpp's caster). */
template <typename L, typename Class>
void bindCreate(Class& c, const char* fromFileDoc, const char* fromNetDoc)
{
    namespace py = pybind11;
    using Model = typename decltype(L::model)::element_type;
    c.def_static(
        "create",
        [](const std::string& model, const std::string& config) {
            py::gil_scoped_release release;
            return std::make_shared<L>(Model::create(model, config));
        },
        py::arg("model"), py::arg("config") = std::string(), fromFileDoc);
    c.def_static(
        "create", [](const cv::dnn::Net& net) { return std::make_shared<L>(Model::create(net)); },
        py::arg("net"), fromNetDoc);
}

} // namespace xcam_py

#endif
