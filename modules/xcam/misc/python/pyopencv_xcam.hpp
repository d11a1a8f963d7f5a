// Python bindings of the xcam module: CAMModel::create(const dnn::Net&) is spelled dnn_Net by the
// binding generator, which only knows the type by that name inside the dnn module; vectors of
// Detection (DetectorModel::detect, explain) are vector_Detection.
#ifdef HAVE_OPENCV_XCAM
typedef cv::dnn::Net dnn_Net;
typedef std::vector<cv::xcam::Detection> vector_Detection;
#endif
