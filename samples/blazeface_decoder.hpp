// BlazeFace (MediaPipe's short-range face detector, 128x128, ONNX) as a cv::xcam::DetectorModel:
// how to plug in a detector whose outputs are none of the built-in formats. A decoder turns one
// image's raw outputs into every proposal, boxes in image pixels; DetectorModel does the rest
// (NMS, D-RISE, occlusion, Eigen-CAM).
//
//   cv::Ptr<cv::xcam::DetectorModel> model = blazeface::create("blazeface_front_128.onnx");
//   std::vector<cv::xcam::Detection> faces;
//   model->detect(image, faces);
//
// Model: ../shared/models/blazeface_front_128 (its README gives the decoding used here).
#ifndef XCAM_SAMPLES_BLAZEFACE_DECODER_HPP
#define XCAM_SAMPLES_BLAZEFACE_DECODER_HPP

#include <opencv2/core.hpp>
#include <opencv2/xcam.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace blazeface {

const int kInputSize = 128;  // the net's input side, in pixels

/** Anchor centres in units of the input, in the net's order: a 16x16 grid with 2 anchors per
    cell, then an 8x8 grid with 6; row-major cells, the anchors of one cell consecutive. */
inline std::vector<cv::Point2f> anchors()
{
    std::vector<cv::Point2f> centres;
    const int grids[2][2] = {{16, 2}, {8, 6}};  // cells per side, anchors per cell
    for (const auto& g : grids)
        for (int y = 0; y < g[0]; ++y)
            for (int x = 0; x < g[0]; ++x)
                for (int a = 0; a < g[1]; ++a)
                    centres.emplace_back((x + 0.5f) / g[0], (y + 0.5f) / g[0]);
    return centres;
}

/** The decoder (a cv::xcam::DetectionDecoder). Outputs, in getUnconnectedOutLayersNames order:
    score logits 1x512x1 and 1x384x1, then boxes + 6 keypoints 1x512x16 and 1x384x16. Each
    anchor gives one proposal: score = sigmoid(logit) (also its objectness: one class, no class
    vector), centre = anchor + (r0, r1)/128, size = (r2, r3)/128 in units of the input, times the
    image's width and height (the blob is the image stretched to 128x128). Keypoints are not
    used. */
inline void decode(const std::vector<cv::Mat>& outputs, const cv::Size& imageSize,
                   std::vector<cv::xcam::Detection>& proposals)
{
    static const std::vector<cv::Point2f> centres = anchors();
    const int counts[2] = {512, 384};
    if (outputs.size() != 4)
        CV_Error_(cv::Error::StsBadArg, ("BlazeFace gives 4 outputs, got %d",
                                         (int)outputs.size()));
    for (int level = 0; level < 2; ++level)
    {
        const cv::Mat& s = outputs[level];
        const cv::Mat& r = outputs[2 + level];
        if (s.type() != CV_32F || s.total() != (size_t)counts[level] || r.type() != CV_32F ||
            r.total() != (size_t)counts[level] * 16)
            CV_Error_(cv::Error::StsBadSize, ("BlazeFace output %d must be 1x%dx1 and output %d "
                                              "1x%dx16 (CV_32F)", level, counts[level],
                                              2 + level, counts[level]));
    }
    proposals.clear();
    const float w = (float)imageSize.width, h = (float)imageSize.height;
    for (int level = 0, anchor = 0; level < 2; ++level)
    {
        const float* logits = outputs[level].ptr<float>();
        const float* boxes = outputs[2 + level].ptr<float>();
        for (int i = 0; i < counts[level]; ++i, ++anchor)
        {
            const float* r = boxes + 16 * i;
            const float cx = centres[anchor].x + r[0] / kInputSize;
            const float cy = centres[anchor].y + r[1] / kInputSize;
            const float bw = r[2] / kInputSize, bh = r[3] / kInputSize;
            cv::xcam::Detection d;
            d.box = cv::Rect2f((cx - bw / 2) * w, (cy - bh / 2) * h, bw * w, bh * h);
            d.classId = 0;
            d.score = d.objectness = 1.f / (1.f + std::exp(-logits[i]));
            proposals.push_back(d);
        }
    }
}

/** BlazeFace as a DetectorModel: RGB in [-1, 1] at 128x128, NHWC blob, this decoder, and the
    thresholds its README was verified with (score 0.5, NMS IoU 0.3). */
inline cv::Ptr<cv::xcam::DetectorModel> create(const std::string& onnxPath)
{
    cv::Ptr<cv::xcam::DetectorModel> model = cv::xcam::DetectorModel::create(onnxPath);
    model->setInputParams(1 / 127.5, cv::Size(kInputSize, kInputSize), cv::Scalar::all(127.5),
                          /*swapRB=*/true);
    model->setInputNHWC(true);
    model->setDecoder(decode);
    model->setThresholds(0.5f, 0.3f);
    return model;
}

} // namespace blazeface

#endif
