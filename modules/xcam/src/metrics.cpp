// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Faithfulness and localization metrics of a map: deletion / insertion AUC, Average Drop /
// Increase in Confidence (masked forwards through perturb.hpp's runMasked), pointing game, and
// the box file reader of xcam_eval.

#include "perturb.hpp"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <sstream>

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

// forward(image), then its blob and the class, checked.
Mat blobOf(const Ptr<CAMModel>& model, InputArray image, int classId)
{
    if (!model)
        CV_Error(Error::StsBadArg, "model is empty");
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
    std::vector<double> probs(n);
    detail::runMasked(model, blob, base, n, batchSize, writeMasks,
                      [&](int start, const Mat&, const Mat& logits) {
                          Mat p;
                          detail::softmaxRows(logits, p);
                          for (int i = 0; i < p.rows; ++i)
                              probs[start + i] = p.at<float>(i, classId);
                      });
    return probs;
}

// Deletion (insertion = false) or insertion curve's area: step i of `steps` has the first
// round(i * HW / steps) pixels of the ranking removed (set to the blob's zero) or inserted (into
// the blurred blob).
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
    const std::vector<double> p = maskedProbabilities(
        *model, blob, base, steps + 1, batchSize, classId, [&](int start, Mat& masks) {
            for (int i = 0; i < masks.rows; ++i)
            {
                const int reached = cvRound((double)(start + i) * pixels / steps);
                float* m = masks.ptr<float>(i);
                std::fill(m, m + pixels, before);
                for (int k = 0; k < reached; ++k)
                    m[order[k]] = 1.f - before;
            }
        });
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

void readBoxes(const String& path, std::vector<String>& images, std::vector<Rect>& boxes,
               std::vector<int>& classIds)
{
    std::ifstream file(path.c_str());
    if (!file)
        CV_Error_(Error::StsError, ("cannot read boxes file '%s'", path.c_str()));
    images.clear();
    boxes.clear();
    classIds.clear();
    std::string line;
    for (int number = 1; std::getline(file, line); ++number)
    {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || line[0] == '#' || (number == 1 && line.compare(0, 6, "image,") == 0))
            continue;  // blank line, comment, header
        std::vector<std::string> fields;
        std::stringstream ss(line);
        for (std::string field; std::getline(ss, field, ',');)
            fields.push_back(field);
        Rect box;
        int classId = 0;
        char rest = 0;
        std::string numbers;
        for (size_t i = 1; i < fields.size(); ++i)
            numbers += fields[i] + " ";
        std::istringstream in(numbers);
        if (fields.size() != 6 || fields[0].empty() ||
            !(in >> box.x >> box.y >> box.width >> box.height >> classId) || (in >> rest) ||
            box.width <= 0 || box.height <= 0)
            CV_Error_(Error::StsParseError,
                      ("%s:%d: expected 'image,x,y,w,h,class' with integers and w, h > 0, got "
                       "'%s'", path.c_str(), number, line.c_str()));
        images.push_back(fields[0]);
        boxes.push_back(box);
        classIds.push_back(classId);
    }
}

}} // namespace cv::xcam
