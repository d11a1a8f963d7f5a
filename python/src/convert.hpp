// numpy <-> OpenCV conversions of the xcam Python module, as pybind11 type casters:
//  - numpy.ndarray <-> cv::Mat: arrays come in without a copy when OpenCV can address them (the
//    Mat holds a reference to the array, so C++ may keep it); Mats go out without a copy (the
//    array's base owns the Mat). HxWxC arrays are C-channel images, as in cv2; None is an empty
//    Mat.
//  - tuples <-> cv::Size (w, h), cv::Rect (x, y, w, h), cv::Rect2f (the same, floats),
//    cv::Scalar (1 to 4 numbers).
#ifndef XCAM_PY_CONVERT_HPP
#define XCAM_PY_CONVERT_HPP

#include <opencv2/core.hpp>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <vector>

namespace xcam_py {

/** A Mat sharing the array's memory (a contiguous copy when OpenCV cannot address it); throws
    TypeError for dtypes OpenCV has no depth for. `image`: an HxWxC array is a C-channel image
    (cv2's rule); false keeps every axis (network blobs such as a 1 x N x 15 detector output). */
cv::Mat matFromArray(const pybind11::array& array, bool image = true);
/** The Mat's data as an array without a copy (None for an empty Mat). */
pybind11::object arrayFromMat(const cv::Mat& mat);

/** A 1-D array copy of a vector (as cv2 returns std::vector<int> and std::vector<float>). */
template <typename T>
pybind11::array_t<T> arrayFromVector(const std::vector<T>& values)
{
    return pybind11::array_t<T>(static_cast<pybind11::ssize_t>(values.size()), values.data());
}

} // namespace xcam_py

namespace pybind11 {
namespace detail {

template <> struct type_caster<cv::Mat>
{
    PYBIND11_TYPE_CASTER(cv::Mat, const_name("numpy.ndarray"));

    bool load(handle src, bool)
    {
        if (src.is_none())
        {
            value = cv::Mat();
            return true;
        }
        if (!isinstance<array>(src))
            return false;
        value = xcam_py::matFromArray(reinterpret_borrow<array>(src));
        return true;
    }
    static handle cast(const cv::Mat& mat, return_value_policy, handle)
    {
        return xcam_py::arrayFromMat(mat).release();
    }
};

/** Loads a fixed-length sequence of numbers; false when `src` is not one. */
template <typename T>
bool loadNumbers(handle src, size_t minCount, size_t maxCount, T* out)
{
    if (!isinstance<sequence>(src) || isinstance<str>(src))
        return false;
    const sequence seq = reinterpret_borrow<sequence>(src);
    if (seq.size() < minCount || seq.size() > maxCount)
        return false;
    for (size_t i = 0; i < seq.size(); i++)
    {
        make_caster<T> number;
        if (!number.load(seq[i], true))
            return false;
        out[i] = cast_op<T>(number);
    }
    return true;
}

template <> struct type_caster<cv::Size>
{
    PYBIND11_TYPE_CASTER(cv::Size, const_name("tuple[int, int]"));
    bool load(handle src, bool)
    {
        int v[2];
        if (!loadNumbers(src, 2, 2, v))
            return false;
        value = cv::Size(v[0], v[1]);
        return true;
    }
    static handle cast(const cv::Size& s, return_value_policy, handle)
    {
        return make_tuple(s.width, s.height).release();
    }
};

/** cv::Rect (ints) and cv::Rect2f (floats) as (x, y, w, h). */
template <typename T> struct type_caster<cv::Rect_<T>>
{
    PYBIND11_TYPE_CASTER(cv::Rect_<T>, const_name<std::is_integral<T>::value>(
                                           "tuple[int, int, int, int]",
                                           "tuple[float, float, float, float]"));
    bool load(handle src, bool)
    {
        T v[4];
        if (!loadNumbers(src, 4, 4, v))
            return false;
        value = cv::Rect_<T>(v[0], v[1], v[2], v[3]);
        return true;
    }
    static handle cast(const cv::Rect_<T>& r, return_value_policy, handle)
    {
        return make_tuple(r.x, r.y, r.width, r.height).release();
    }
};

template <> struct type_caster<cv::Scalar>
{
    PYBIND11_TYPE_CASTER(cv::Scalar, const_name("tuple[float, ...]"));
    bool load(handle src, bool)
    {
        // A sequence only: cv2 reads a bare number as (x, 0, 0, 0), a classic pitfall with `mean`.
        double v[4] = {0, 0, 0, 0};
        if (!loadNumbers(src, 1, 4, v))
            return false;
        value = cv::Scalar(v[0], v[1], v[2], v[3]);
        return true;
    }
    static handle cast(const cv::Scalar& s, return_value_policy, handle)
    {
        return make_tuple(s[0], s[1], s[2], s[3]).release();
    }
};

} // namespace detail
} // namespace pybind11

#endif
