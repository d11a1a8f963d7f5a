// xcam's stateful objects in Python (CAMModel, DetectorModel): the C++ object with a mutex.
// Calls release the GIL (forward passes run in parallel across models) and then take the
// object's lock, so that Python threads sharing one model are serialized instead of racing on
// its state (a CAMModel is not reentrant). The GIL is always released before the lock is taken:
// a thread holding the lock may need the GIL (to drop a numpy array the model held), so waiting
// for the lock with the GIL would deadlock.
#ifndef XCAM_PY_LOCKED_MODEL_HPP
#define XCAM_PY_LOCKED_MODEL_HPP

#include <opencv2/xcam.hpp>
#include <pybind11/pybind11.h>

#include <mutex>

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

} // namespace xcam_py

#endif
