// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Faithfulness and localization metrics of a map: deletion / insertion AUC, Average Drop /
// Increase in Confidence (masked forwards on the engine, engine.hpp), pointing game. They take
// the model's clean scores from its last forward pass when it was of the same image.

#include "engine.hpp"
#include "model_state.hpp"

#include <algorithm>
#include <numeric>

namespace cv {
namespace xcam {

namespace {

// The map as one CV_32F channel, checked (non-empty, one channel, finite).
Mat checkedMap(InputArray map)
{
    if (map.empty() || map.channels() != 1 || map.dims() > 2)
        CV_Error(Error::StsBadArg, "map must be a non-empty single-channel 2-D matrix");
    Mat m;
    map.getMat().convertTo(m, CV_32F);
    detail::checkFinite(m, "map");
    return m;
}

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

// The map resized (bilinear) to the blob's H x W.
Mat mapAtBlob(InputArray map, const Mat& blob)
{
    Mat m = checkedMap(map), out;
    resize(m, out, Size(blob.size[3], blob.size[2]), 0, 0, INTER_LINEAR);
    return out;
}

// Probability of `classId` for n masked blobs base + mask_i . (blob - base).
std::vector<double> maskedProbabilities(CAMModel& model, const Mat& blob, const Mat& base,
                                        int n, int batchSize, int classId,
                                        const detail::MaskWriter& writeMasks)
{
    detail::Engine engine;
    engine.blob = blob;
    engine.batchSize = batchSize;
    engine.scorer = detail::classColumns(
        [&model, batchSize](const Mat& blobs, Mat& logits) {
            model.forwardBatch(blobs, logits, batchSize);
        },
        std::vector<int>(1, classId), true);
    std::vector<double> probs(n);
    detail::runMasked(engine, base, n, writeMasks,
                      [&](int start, const Mat&, const Mat& p) {
                          for (int i = 0; i < p.rows; ++i)
                              probs[start + i] = p.at<float>(i);
                      });
    return probs;
}

// Deletion (insertion = false) or insertion curve's area: step i of `steps` has the first
// round(i * HW / steps) pixels of the ranking removed (set to the blob's zero) or inserted (into
// the blurred blob). Deletion's step 0 is the clean input: its probability is the model's.
double curveAUC(const Ptr<CAMModel>& model, InputArray image, InputArray map, int classId,
                int steps, int batchSize, bool insertion)
{
    if (steps < 1)
        CV_Error_(Error::StsOutOfRange, ("steps must be at least 1, got %d", steps));
    const Mat blob = blobOf(model, image, classId), saliency = mapAtBlob(map, blob);
    const int pixels = (int)saliency.total();
    std::vector<int> order(pixels);
    std::iota(order.begin(), order.end(), 0);
    const float* s = saliency.ptr<float>();
    std::stable_sort(order.begin(), order.end(), [s](int a, int b) { return s[a] > s[b]; });

    Mat base;
    if (insertion)
    {
        base = blob.clone();
        for (int c = 0; c < blob.size[1]; ++c)
        {
            Mat plane(blob.size[2], blob.size[3], CV_32F, base.ptr<float>(0, c));
            GaussianBlur(plane, plane, Size(11, 11), 5.0);
        }
    }
    const float before = insertion ? 0.f : 1.f;  // mask of the pixels not yet reached
    const int first = insertion ? 0 : 1;
    std::vector<double> p = maskedProbabilities(
        *model, blob, base, steps + 1 - first, batchSize, classId, [&](int start, Mat& masks) {
            for (int i = 0; i < masks.rows; ++i)
            {
                const int reached = cvRound((double)(start + first + i) * pixels / steps);
                float* m = masks.ptr<float>(i);
                std::fill(m, m + pixels, before);
                for (int k = 0; k < reached; ++k)
                    m[order[k]] = 1.f - before;
            }
        });
    if (!insertion)
        p.insert(p.begin(), model->getProbabilities().at<float>(classId));
    double area = 0;
    for (int i = 0; i < steps; ++i)
        area += 0.5 * (p[i] + p[i + 1]);
    return area / steps;
}

} // namespace

double deletionAUC(const Ptr<CAMModel>& model, InputArray image, InputArray map, int classId,
                   int steps, int batchSize)
{
    return curveAUC(model, image, map, classId, steps, batchSize, false);
}

double insertionAUC(const Ptr<CAMModel>& model, InputArray image, InputArray map, int classId,
                    int steps, int batchSize)
{
    return curveAUC(model, image, map, classId, steps, batchSize, true);
}

void confidenceChange(const Ptr<CAMModel>& model, InputArray image, InputArray map, int classId,
                      double& drop, bool& increase)
{
    const Mat blob = blobOf(model, image, classId);
    Mat saliency = mapAtBlob(map, blob);
    normalize(saliency, saliency, 0, 1, NORM_MINMAX);  // a constant map gives zeros
    const double y = model->getProbabilities().at<float>(classId);
    const double masked = maskedProbabilities(*model, blob, Mat(), 1, 1, classId,
                                              [&](int, Mat& masks) {
                                                  saliency.reshape(1, 1).copyTo(masks.row(0));
                                              })[0];
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
    const Mat m = checkedMap(map);
    Point at;
    minMaxLoc(m, nullptr, nullptr, nullptr, &at);  // the first maximum in row order
    // The cell's centre in image pixels, as cv::resize maps it: (j + 0.5) * W / w - 0.5.
    const double x = (at.x + 0.5) * imageSize.width / m.cols - 0.5;
    const double y = (at.y + 0.5) * imageSize.height / m.rows - 0.5;
    return x >= box.x - tolerance && x <= box.x + box.width - 1 + tolerance &&
           y >= box.y - tolerance && y <= box.y + box.height - 1 + tolerance;
}

}} // namespace cv::xcam
