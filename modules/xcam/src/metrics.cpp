// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Faithfulness and localization metrics of a map: deletion / insertion AUC, Average Drop /
// Increase in Confidence (masked forwards on the engine, engine.hpp), pointing game. They take
// the model's clean scores from its last forward pass when it was of the same image. The
// deletion / insertion curve (metrics_curve.hpp) serves the detector metrics too.

#include "metrics_curve.hpp"
#include "model_state.hpp"

#include <algorithm>
#include <numeric>

namespace cv {
namespace xcam {

namespace detail {

Mat checkedMap(InputArray map)
{
    if (map.empty() || map.channels() != 1 || map.dims() > 2)
        CV_Error(Error::StsBadArg, "map must be a non-empty single-channel 2-D matrix");
    Mat m;
    map.getMat().convertTo(m, CV_32F);
    checkFinite(m, "map");
    return m;
}

void checkSteps(int steps)
{
    if (steps < 1)
        CV_Error_(Error::StsOutOfRange, ("steps must be at least 1, got %d", steps));
}

namespace {

// The blob blurred per channel (GaussianBlur 11x11, sigma 5), in its layout.
Mat blurredBlob(const Engine& engine)
{
    Mat base = engine.blob.clone();
    const Size size = engine.size();
    const int c = engine.channels();
    if (engine.channelsLast)
    {
        Mat pixels(size, CV_32FC(c), base.ptr<float>());
        GaussianBlur(pixels, pixels, Size(11, 11), 5.0);
        return base;
    }
    for (int k = 0; k < c; ++k)
    {
        Mat plane(size, CV_32F, base.ptr<float>() + (size_t)k * size.area());
        GaussianBlur(plane, plane, Size(11, 11), 5.0);
    }
    return base;
}

} // namespace

double curveAUC(const Engine& engine, const Mat& map, int steps, bool insertion, double clean)
{
    checkSteps(steps);
    Mat saliency;
    resize(map, saliency, engine.size(), 0, 0, INTER_LINEAR);
    const int pixels = (int)saliency.total();
    std::vector<int> order(pixels);
    std::iota(order.begin(), order.end(), 0);
    const float* s = saliency.ptr<float>();
    std::stable_sort(order.begin(), order.end(), [s](int a, int b) { return s[a] > s[b]; });

    const Mat base = insertion ? blurredBlob(engine) : Mat();
    const float before = insertion ? 0.f : 1.f;  // mask of the pixels not yet reached
    const int first = insertion ? 0 : 1;
    std::vector<double> p(steps + 1, clean);
    runMasked(engine, base, steps + 1 - first,
              [&](int start, Mat& masks) {
                  for (int i = 0; i < masks.rows; ++i)
                  {
                      const int reached = cvRound((double)(start + first + i) * pixels / steps);
                      float* m = masks.ptr<float>(i);
                      std::fill(m, m + pixels, before);
                      for (int k = 0; k < reached; ++k)
                          m[order[k]] = 1.f - before;
                  }
              },
              [&](int start, const Mat&, const Mat& scores) {
                  for (int i = 0; i < scores.rows; ++i)
                      p[start + first + i] = scores.at<float>(i, 0);
              });
    double area = 0;
    for (int i = 0; i < steps; ++i)
        area += 0.5 * (p[i] + p[i + 1]);
    return area / steps;
}

} // namespace detail

namespace {

// The model's forward pass of `image` (its last one when that was of the same image), then its
// blob and the class, checked.
Mat blobOf(const Ptr<CAMModel>& model, InputArray image, int classId)
{
    if (!model)
        CV_Error(Error::StsBadArg, "model is empty");
    const detail::LastForward* last = dynamic_cast<const detail::LastForward*>(model.get());
    if (!last || !last->isLastInput(image))
        model->forward(image);
    detail::checkClassIds(std::vector<int>(1, classId), model->getNumClasses());
    Mat blob = model->getInputBlob();
    CV_Assert(blob.dims == 4 && blob.size[0] == 1 && blob.type() == CV_32F);
    return blob;
}

// The engine scoring masked copies of `blob` by the softmax probability of `classId`.
detail::Engine probabilityEngine(CAMModel& model, const Mat& blob, int batchSize, int classId)
{
    detail::Engine engine;
    engine.blob = blob;
    engine.batchSize = batchSize;
    engine.scorer = detail::classColumns(
        [&model, batchSize](const Mat& blobs, Mat& logits) {
            model.forwardBatch(blobs, logits, batchSize);
        },
        std::vector<int>(1, classId), true);
    return engine;
}

double classCurveAUC(const Ptr<CAMModel>& model, InputArray image, InputArray map, int classId,
                     int steps, int batchSize, bool insertion)
{
    detail::checkSteps(steps);
    const Mat m = detail::checkedMap(map);
    const Mat blob = blobOf(model, image, classId);
    const detail::Engine engine = probabilityEngine(*model, blob, batchSize, classId);
    return detail::curveAUC(engine, m, steps, insertion,
                            model->getProbabilities().at<float>(classId));
}

} // namespace

double deletionAUC(const Ptr<CAMModel>& model, InputArray image, InputArray map, int classId,
                   int steps, int batchSize)
{
    return classCurveAUC(model, image, map, classId, steps, batchSize, false);
}

double insertionAUC(const Ptr<CAMModel>& model, InputArray image, InputArray map, int classId,
                    int steps, int batchSize)
{
    return classCurveAUC(model, image, map, classId, steps, batchSize, true);
}

void confidenceChange(const Ptr<CAMModel>& model, InputArray image, InputArray map, int classId,
                      double& drop, bool& increase)
{
    const Mat blob = blobOf(model, image, classId);
    Mat saliency;
    resize(detail::checkedMap(map), saliency, Size(blob.size[3], blob.size[2]), 0, 0,
           INTER_LINEAR);
    normalize(saliency, saliency, 0, 1, NORM_MINMAX);  // a constant map gives zeros
    const double y = model->getProbabilities().at<float>(classId);
    double masked = 0;
    detail::runMasked(probabilityEngine(*model, blob, 1, classId), Mat(), 1,
                      [&](int, Mat& masks) { saliency.reshape(1, 1).copyTo(masks.row(0)); },
                      [&](int, const Mat&, const Mat& p) { masked = p.at<float>(0); });
    drop = y > 0 ? std::max(0.0, y - masked) / y : 0.0;
    increase = masked > y;
}

bool pointingGame(InputArray map, const Size& imageSize, const Rect& box, int tolerance)
{
    if (imageSize.width <= 0 || imageSize.height <= 0)
        CV_Error_(Error::StsBadArg, ("imageSize must be positive, got %dx%d", imageSize.width,
                                     imageSize.height));
    if (box.width <= 0 || box.height <= 0)
        CV_Error(Error::StsBadArg, "box must not be empty");
    if (tolerance < 0)
        CV_Error_(Error::StsOutOfRange, ("tolerance must not be negative, got %d", tolerance));
    const Mat m = detail::checkedMap(map);
    Point at;
    minMaxLoc(m, nullptr, nullptr, nullptr, &at);  // the first maximum in row order
    // The cell's centre in image pixels, as cv::resize maps it: (j + 0.5) * W / w - 0.5.
    const double x = (at.x + 0.5) * imageSize.width / m.cols - 0.5;
    const double y = (at.y + 0.5) * imageSize.height / m.rows - 0.5;
    return x >= box.x - tolerance && x <= box.x + box.width - 1 + tolerance &&
           y >= box.y - tolerance && y <= box.y + box.height - 1 + tolerance;
}

}} // namespace cv::xcam
