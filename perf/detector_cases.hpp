// The detectors perf_detector.cpp and count_detector.cpp measure: BlazeFace of ../shared on a
// face photo, and the demo detector (samples/data/detector) on a held-out scene; each with its
// targets (the image's detections) and the plain forward passes D-RISE is compared with.
#ifndef XCAM_PERF_DETECTOR_CASES_HPP
#define XCAM_PERF_DETECTOR_CASES_HPP

#include "perf_common.hpp"

#include "../samples/blazeface_decoder.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstring>

namespace xcam_perf {

const char* const kBlazeFace = "models/blazeface_front_128/blazeface_front_128.onnx";

struct DetectorCase
{
    cv::Mat image;
    std::vector<cv::xcam::Detection> targets;  // the image's detections
    cv::Ptr<cv::xcam::DetectorModel> model;
    cv::Mat blob;   // the image's input blob, as the model makes it
    int batch = 1;  // inputs per forward pass in explain() (BlazeFace refuses batches)
};

/** BlazeFace's NHWC blob of an image, as the model makes it. */
inline cv::Mat blazeFaceBlob(const cv::Mat& image)
{
    const cv::Mat nchw = cv::dnn::blobFromImage(image, 1 / 127.5, cv::Size(128, 128),
                                                cv::Scalar::all(127.5), true);
    cv::Mat pixels;
    cv::transpose(cv::Mat(3, 128 * 128, CV_32F, (void*)nchw.ptr<float>()), pixels);
    const int shape[] = {1, 128, 128, 3};
    return cv::Mat(4, shape, CV_32F, pixels.ptr<float>()).clone();
}

/** BlazeFace on ../shared/images/<image> (one face). */
inline DetectorCase faceCase(const std::string& image)
{
    DetectorCase c;
    c.image = cv::imread(shared("images/" + image));
    CV_Assert(!c.image.empty());
    c.model = blazeface::create(shared(kBlazeFace));
    c.model->detect(c.image, c.targets);
    CV_Assert(c.targets.size() == 1);
    c.blob = blazeFaceBlob(c.image);
    return c;
}

/** The demo detector (YOLOv5 layout) on held-out scene_000.png (3 detections). */
inline DetectorCase demoCase()
{
    const std::string dir = std::string(XCAM_DATA_DIR) + "/detector/";
    DetectorCase c;
    c.image = cv::imread(dir + "scene_000.png");
    CV_Assert(!c.image.empty());
    c.model = cv::xcam::DetectorModel::create(dir + "detector_yolov5.onnx");
    c.model->setInputParams(1 / 255.0, cv::Size(128, 128));
    c.model->setFormat(cv::xcam::DETECTION_YOLOV5);
    c.model->detect(c.image, c.targets);
    CV_Assert(!c.targets.empty());
    c.blob = cv::dnn::blobFromImage(c.image, 1 / 255.0, cv::Size(128, 128));
    c.batch = cv::xcam::CAMMethodParams().batchSize;
    return c;
}

/** `count` plain forward passes of the case's blob, c.batch inputs per pass (the last one
    smaller), every output read: what D-RISE's forwards cost without masking, decoding and
    scoring. */
inline void plainForwards(DetectorCase& c, int count)
{
    cv::dnn::Net net = c.model->getNet();
    const std::vector<cv::String> names = net.getUnconnectedOutLayersNames();
    std::vector<cv::Mat> outs;
    for (int done = 0; done < count; done += c.batch)
    {
        std::vector<int> shape(c.blob.size.p, c.blob.size.p + c.blob.dims);
        shape[0] = std::min(c.batch, count - done);
        cv::Mat blobs((int)shape.size(), shape.data(), CV_32F);
        for (int i = 0; i < shape[0]; ++i)
            std::memcpy(blobs.ptr<float>(i), c.blob.ptr<float>(), c.blob.total() * sizeof(float));
        net.setInput(blobs);
        net.forward(outs, names);
    }
}

} // namespace xcam_perf

#endif
