// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The built-in decoders of DetectorModel: YOLOv5, YOLOv8 and SSD DetectionOutput layouts, every
// proposal with its box scaled back to image pixels.

#include "detector_internal.hpp"

#include <cctype>

namespace cv {
namespace xcam {

namespace {

const char* const kFormatNames[] = {"yolov5", "yolov8", "ssd"};
const int kFormatCount = 3;

String shapeText(const Mat& m)
{
    String s;
    for (int d = 0; d < m.dims; ++d)
        s += (d ? "x" : "") + std::to_string(m.size[d]);
    return s.empty() ? String("empty") : s;
}

// The first output, checked against the format's layout (see DetectionFormat).
const Mat& firstOutput(const std::vector<Mat>& outputs, int format)
{
    if (outputs.empty())
        CV_Error(Error::StsBadArg, "the net gave no outputs to decode");
    const Mat& out = outputs[0];
    const int dims = format == DETECTION_SSD ? 4 : 3;
    bool ok = out.type() == CV_32F && out.dims == dims && out.isContinuous();
    for (int d = 0; ok && d < dims - 2; ++d)
        ok = out.size[d] == 1;
    if (ok)
        ok = format == DETECTION_YOLOV5 ? out.size[2] >= 6
           : format == DETECTION_YOLOV8 ? out.size[1] >= 5 : out.size[3] == 7;
    if (!ok)
        CV_Error_(Error::StsBadSize,
                  ("the %s decoder needs a CV_32F %s output, got %s %s: check setFormat, or write "
                   "a DetectionDecoder for this net", kFormatNames[format],
                   format == DETECTION_YOLOV5 ? "1 x N x (5 + C)"
                   : format == DETECTION_YOLOV8 ? "1 x (4 + C) x N" : "1 x 1 x N x 7",
                   typeToString(out.type()).c_str(), shapeText(out).c_str()));
    return out;
}

// One proposal from a centre-size box in input pixels and C class values spaced by `step`.
void setProposal(Detection& d, const float* box, int boxStep, Point2f scale, const float* probs,
                 int classes, int probStep, float objectness)
{
    const float cx = box[0], cy = box[boxStep], w = box[2 * boxStep], h = box[3 * boxStep];
    d.box = Rect2f((cx - w / 2) * scale.x, (cy - h / 2) * scale.y, w * scale.x, h * scale.y);
    d.classProbs.resize(classes);
    int best = 0;
    for (int c = 0; c < classes; ++c)
    {
        d.classProbs[c] = probs[c * probStep];
        if (d.classProbs[c] > d.classProbs[best])
            best = c;
    }
    d.classId = best;
    d.objectness = objectness;
    d.score = objectness * d.classProbs[best];
}

void decodeYolo5(const Mat& out, Point2f scale, std::vector<Detection>& proposals)
{
    const int n = out.size[1], k = out.size[2];
    proposals.resize(n);  // resize, not clear: the class vectors keep their memory
    for (int i = 0; i < n; ++i)
    {
        const float* row = out.ptr<float>() + (size_t)i * k;
        setProposal(proposals[i], row, 1, scale, row + 5, k - 5, 1, row[4]);
    }
}

void decodeYolo8(const Mat& out, Point2f scale, std::vector<Detection>& proposals)
{
    const int k = out.size[1], n = out.size[2];
    proposals.resize(n);
    for (int i = 0; i < n; ++i)
    {
        const float* col = out.ptr<float>() + i;
        setProposal(proposals[i], col, n, scale, col + 4 * (size_t)n, k - 4, n, 1.f);
    }
}

void decodeSSD(const Mat& out, Size imageSize, std::vector<Detection>& proposals)
{
    const int n = out.size[2];
    size_t kept = 0;
    proposals.resize(n);
    for (int i = 0; i < n; ++i)
    {
        const float* r = out.ptr<float>() + (size_t)i * 7;
        if (r[0] < 0 || r[1] < 0 || !(r[2] > 0))
            continue;  // padding rows
        Detection& d = proposals[kept++];
        d.box = Rect2f(r[3] * imageSize.width, r[4] * imageSize.height,
                       (r[5] - r[3]) * imageSize.width, (r[6] - r[4]) * imageSize.height);
        d.classId = cvRound(r[1]);
        d.score = d.objectness = r[2];
        d.classProbs.clear();
    }
    proposals.resize(kept);
}

} // namespace

String getDetectionFormatName(int format)
{
    if (format < 0 || format >= kFormatCount)
        CV_Error_(Error::StsOutOfRange, ("format %d is not a DetectionFormat (0..%d: yolov5, "
                                         "yolov8, ssd)", format, kFormatCount - 1));
    return kFormatNames[format];
}

int parseDetectionFormat(const String& name)
{
    String key;
    for (char c : name)
        key += (char)std::tolower((unsigned char)c);
    for (int f = 0; f < kFormatCount; ++f)
        if (key == kFormatNames[f])
            return f;
    CV_Error_(Error::StsBadArg, ("detection format '%s' is unknown; known formats: yolov5, "
                                 "yolov8, ssd", name.c_str()));
}

void decodeDetections(const std::vector<Mat>& outputs, int format, const Size& inputSize,
                      const Size& imageSize, std::vector<Detection>& proposals)
{
    getDetectionFormatName(format);
    if (inputSize.width <= 0 || inputSize.height <= 0 || imageSize.width <= 0 ||
        imageSize.height <= 0)
        CV_Error_(Error::StsBadArg, ("inputSize and imageSize must be positive, got %dx%d and "
                                     "%dx%d", inputSize.width, inputSize.height, imageSize.width,
                                     imageSize.height));
    const Point2f scale((float)imageSize.width / inputSize.width,
                        (float)imageSize.height / inputSize.height);
    if (format == DETECTION_YOLOV5)
        decodeYolo5(firstOutput(outputs, format), scale, proposals);
    else if (format == DETECTION_YOLOV8)
        decodeYolo8(firstOutput(outputs, format), scale, proposals);
    else
        decodeSSD(firstOutput(outputs, format), imageSize, proposals);
}

}} // namespace cv::xcam
