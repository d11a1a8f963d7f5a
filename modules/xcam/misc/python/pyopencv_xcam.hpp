// Python bindings of the xcam module: CAMModel::create(const dnn::Net&) is spelled dnn_Net by the
// binding generator, which only knows the type by that name inside the dnn module; vectors of
// Detection (DetectorModel::detect, explain) are vector_Detection; Detection::box is a Rect2f,
// which OpenCV 4.6's cv2 cannot convert: (x, y, w, h) tuples through its Rect2d conversion (an
// OpenCV with its own pyopencv_to/from for Rect2f uses those instead).
#ifdef HAVE_OPENCV_XCAM
typedef cv::dnn::Net dnn_Net;
typedef std::vector<cv::xcam::Detection> vector_Detection;

template<>
struct PyOpenCV_Converter<cv::Rect2f>
{
    static inline bool to(PyObject* obj, cv::Rect2f& r, const ArgInfo& info)
    {
        cv::Rect2d d(r);
        if (!pyopencv_to(obj, d, info))
            return false;
        r = cv::Rect2f(d);
        return true;
    }
    static inline PyObject* from(const cv::Rect2f& r)
    {
        return pyopencv_from(cv::Rect2d(r));
    }
};
#endif
