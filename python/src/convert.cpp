// numpy <-> cv::Mat without copies (see convert.hpp).
#include "convert.hpp"

#include <string>

namespace py = pybind11;

namespace xcam_py {
namespace {

/** The allocator of Mats that view a numpy array: their UMatData holds a reference to the array,
    dropped when the last Mat goes. That may happen in a call that released the GIL or in an
    OpenCV worker thread, hence PyGILState_Ensure. Mats never allocate through it (their
    `allocator` stays the default one; only `u->currAllocator` is this). */
class ArrayOwner : public cv::MatAllocator
{
public:
    cv::UMatData* wrap(PyObject* array, uchar* data, size_t size) const
    {
        cv::UMatData* u = new cv::UMatData(this);
        u->data = u->origdata = data;
        u->size = size;
        u->userdata = array;
        Py_INCREF(array);
        return u;
    }
    cv::UMatData* allocate(int dims, const int* sizes, int type, void* data, size_t* step,
                           cv::AccessFlag flags, cv::UMatUsageFlags usage) const override
    {
        return cv::Mat::getStdAllocator()->allocate(dims, sizes, type, data, step, flags, usage);
    }
    bool allocate(cv::UMatData* u, cv::AccessFlag flags, cv::UMatUsageFlags usage) const override
    {
        return cv::Mat::getStdAllocator()->allocate(u, flags, usage);
    }
    void deallocate(cv::UMatData* u) const override
    {
        if (!u)
            return;
        const PyGILState_STATE gil = PyGILState_Ensure();
        Py_XDECREF(static_cast<PyObject*>(u->userdata));
        PyGILState_Release(gil);
        delete u;
    }
};

const ArrayOwner& arrayOwner()
{
    static const ArrayOwner* owner = new ArrayOwner();  // never destroyed: Mats may outlive statics
    return *owner;
}

struct DepthName
{
    int depth;
    const char* name;
};
const DepthName depthNames[] = {{CV_8U, "uint8"},   {CV_8S, "int8"},     {CV_16U, "uint16"},
                                {CV_16S, "int16"},  {CV_32S, "int32"},   {CV_16F, "float16"},
                                {CV_32F, "float32"}, {CV_64F, "float64"}};

int depthOf(const py::dtype& dtype)
{
    if (dtype.kind() == 'b')
        return CV_8U;  // bool, as cv2 takes it
    for (const DepthName& d : depthNames)
        if (dtype.equal(py::dtype(d.name)))
            return d.depth;
    return -1;
}

py::dtype dtypeOf(int depth)
{
    for (const DepthName& d : depthNames)
        if (d.depth == depth)
            return py::dtype(d.name);
    throw py::type_error("xcam: OpenCV depth " + std::to_string(depth) + " has no numpy dtype");
}

/** Whether a Mat can address the array in place: positive strides, the last axis (the channel
    axis of an image) contiguous, each axis's step covering the ones inside it. */
bool addressable(const py::array& a, bool multichannel)
{
    const py::ssize_t nd = a.ndim(), item = a.itemsize();
    if (a.strides(nd - 1) != item && a.shape(nd - 1) > 1)
        return false;
    if (multichannel && a.shape(1) > 1 && a.strides(1) != item * a.shape(2))
        return false;
    for (py::ssize_t i = 0; i + 1 < nd; i++)
        if (a.shape(i) > 1 &&
            (a.strides(i) % item != 0 || a.strides(i) < a.strides(i + 1) * a.shape(i + 1)))
            return false;
    return true;
}

/** The numpy array a Mat views in full (same data, shape and strides), or nullptr. */
PyObject* wholeArrayOf(const cv::Mat& mat, const std::vector<py::ssize_t>& shape,
                       const std::vector<py::ssize_t>& strides)
{
    if (!mat.u || mat.u->currAllocator != &arrayOwner())
        return nullptr;
    const py::array a = py::reinterpret_borrow<py::array>(static_cast<PyObject*>(mat.u->userdata));
    if (a.data() != mat.data || a.ndim() != (py::ssize_t)shape.size())
        return nullptr;
    for (size_t i = 0; i < shape.size(); i++)
        if (a.shape(i) != shape[i] || (shape[i] > 1 && a.strides(i) != strides[i]))
            return nullptr;
    return a.ptr();
}

} // namespace

cv::Mat matFromArray(const py::array& input, bool image)
{
    const int depth = depthOf(input.dtype());
    if (depth < 0)
        throw py::type_error("xcam: numpy arrays of dtype " + std::string(py::str(input.dtype())) +
                             " are not supported (uint8, int8, uint16, int16, int32, float16, "
                             "float32, float64 or bool)");
    if (input.ndim() < 1 || input.ndim() > 32)  // CV_MAX_DIM
        throw py::type_error("xcam: arrays need 1 to 32 dimensions, got " +
                             std::to_string(input.ndim()));
    if (input.size() == 0)
        return cv::Mat();
    // HxWxC with C <= CV_CN_MAX is a C-channel image, as cv2 reads it.
    const bool multichannel = image && input.ndim() == 3 && input.shape(2) <= CV_CN_MAX;
    py::array a = input;
    if (!addressable(a, multichannel))
        a = py::module_::import("numpy").attr("ascontiguousarray")(input);
    const int dims = multichannel ? 2 : (int)a.ndim();
    const int channels = multichannel ? (int)a.shape(2) : 1;
    std::vector<int> sizes(dims);
    std::vector<size_t> steps(dims);
    for (int i = 0; i < dims; i++)
    {
        sizes[i] = (int)a.shape(i);
        steps[i] = (size_t)a.strides(i);
    }
    uchar* data = static_cast<uchar*>(const_cast<void*>(a.data()));
    cv::Mat m(dims, sizes.data(), CV_MAKETYPE(depth, channels), data, steps.data());
    m.u = arrayOwner().wrap(a.ptr(), data, (size_t)a.shape(0) * (size_t)a.strides(0));
    m.addref();
    return m;
}

py::object arrayFromMat(const cv::Mat& mat)
{
    if (mat.empty())
        return py::none();
    const cv::Mat owned = mat.u ? mat : mat.clone();  // a header over memory nobody counts: copy
    std::vector<py::ssize_t> shape, strides;
    for (int i = 0; i < owned.dims; i++)
    {
        shape.push_back(owned.size[i]);
        strides.push_back((py::ssize_t)owned.step[i]);
    }
    if (owned.channels() > 1)
    {
        shape.push_back(owned.channels());
        strides.push_back((py::ssize_t)owned.elemSize1());
    }
    if (PyObject* whole = wholeArrayOf(owned, shape, strides))
        return py::reinterpret_borrow<py::object>(whole);  // e.g. applyCAMOverlay's dst
    py::capsule base(new cv::Mat(owned), [](void* p) { delete static_cast<cv::Mat*>(p); });
    return py::array(dtypeOf(owned.depth()), shape, strides, owned.data, base);
}

} // namespace xcam_py
