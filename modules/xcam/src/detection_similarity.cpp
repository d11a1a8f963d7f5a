// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Detection, D-RISE's similarity IoU * cos * objectness (Petsiuk et al., CVPR 2021) and the
// checks of detections.

#include "detector_internal.hpp"

#include <algorithm>
#include <cmath>

namespace cv {
namespace xcam {

Detection::Detection() : classId(-1), score(0.f), objectness(1.f) {}

namespace detail {

namespace {

double area(const Rect2f& r)
{
    return r.width > 0 && r.height > 0 ? (double)r.width * r.height : 0.0;
}

double iou(const Rect2f& a, const Rect2f& b)
{
    const double aa = area(a), ab = area(b);
    if (aa <= 0 || ab <= 0)
        return 0;
    const double w = std::min((double)a.x + a.width, (double)b.x + b.width) -
                     std::max((double)a.x, (double)b.x);
    const double h = std::min((double)a.y + a.height, (double)b.y + b.height) -
                     std::max((double)a.y, (double)b.y);
    if (w <= 0 || h <= 0)
        return 0;
    const double inter = w * h;
    return inter / (aa + ab - inter);
}

double norm2(const std::vector<float>& v)
{
    double s = 0;
    for (float x : v)
        s += (double)x * x;
    return std::sqrt(s);
}

// Cosine of the class vectors; a side without a vector is the one-hot vector of its classId, and
// classId -1 without a vector matches any class.
double classCosine(const Detection& a, const Detection& b)
{
    const bool va = !a.classProbs.empty(), vb = !b.classProbs.empty();
    if (va && vb)
    {
        if (a.classProbs.size() != b.classProbs.size())
            CV_Error_(Error::StsBadSize, ("class vectors of %d and %d values cannot be compared",
                                          (int)a.classProbs.size(), (int)b.classProbs.size()));
        double dot = 0;
        for (size_t k = 0; k < a.classProbs.size(); ++k)
            dot += (double)a.classProbs[k] * b.classProbs[k];
        const double n = norm2(a.classProbs) * norm2(b.classProbs);
        return n > 0 ? dot / n : 0.0;
    }
    if (!va && !vb)
        return a.classId < 0 || b.classId < 0 || a.classId == b.classId ? 1.0 : 0.0;
    const std::vector<float>& v = va ? a.classProbs : b.classProbs;
    const int id = va ? b.classId : a.classId;
    if (id < 0)
        return 1.0;
    const double n = norm2(v);
    return id < (int)v.size() && n > 0 ? v[id] / n : 0.0;
}

bool finite(const Rect2f& r)
{
    return std::isfinite(r.x) && std::isfinite(r.y) && std::isfinite(r.width) &&
           std::isfinite(r.height);
}

} // namespace

float similarity(const Detection& target, const Detection& proposal)
{
    return (float)(iou(target.box, proposal.box) * proposal.objectness *
                   classCosine(target, proposal));
}

float bestSimilarity(const Detection& target, const std::vector<Detection>& proposals)
{
    float best = 0.f;
    for (const Detection& d : proposals)
    {
        // cos <= 1: a proposal whose IoU * objectness cannot beat the best needs no cosine.
        const double overlap = iou(target.box, d.box) * d.objectness;
        if (overlap > best)
            best = std::max(best, (float)(overlap * classCosine(target, d)));
    }
    return best;
}

void checkDetections(const std::vector<Detection>& detections, const char* what,
                     bool positiveBoxes)
{
    for (size_t i = 0; i < detections.size(); ++i)
    {
        const Detection& d = detections[i];
        if (!finite(d.box) || !std::isfinite(d.score) || !std::isfinite(d.objectness))
            CV_Error_(Error::StsBadArg, ("%s[%d] has a non-finite box, score or objectness", what,
                                         (int)i));
        for (float p : d.classProbs)
            if (!std::isfinite(p))
                CV_Error_(Error::StsBadArg, ("%s[%d].classProbs holds NaN or an infinity", what,
                                             (int)i));
        if (positiveBoxes && !(d.box.width > 0 && d.box.height > 0))
            CV_Error_(Error::StsBadArg, ("%s[%d].box must have a positive width and height, got "
                                         "%gx%g", what, (int)i, d.box.width, d.box.height));
    }
}

void checkTargetClasses(const std::vector<Detection>& targets,
                        const std::vector<Detection>& proposals, const char* what)
{
    size_t classes = 0;
    for (const Detection& d : proposals)
        classes = std::max(classes, d.classProbs.size());
    for (size_t i = 0; i < targets.size(); ++i)
    {
        const Detection& t = targets[i];
        if (t.classId < -1)
            CV_Error_(Error::StsOutOfRange, ("%s[%d].classId must be at least -1, got %d",
                                             what, (int)i, t.classId));
        if (classes == 0)
            continue;
        if (!t.classProbs.empty() && t.classProbs.size() != classes)
            CV_Error_(Error::StsBadSize, ("%s[%d].classProbs has %d values but the "
                                          "detector's class vectors have %d", what, (int)i,
                                          (int)t.classProbs.size(), (int)classes));
        if (t.classProbs.empty() && t.classId >= (int)classes)
            CV_Error_(Error::StsOutOfRange, ("%s[%d].classId %d is out of range [-1, %d)",
                                             what, (int)i, t.classId, (int)classes));
    }
}

} // namespace detail

float detectionSimilarity(const Detection& target, const Detection& proposal)
{
    detail::checkDetections(std::vector<Detection>(1, target), "target", false);
    detail::checkDetections(std::vector<Detection>(1, proposal), "proposal", false);
    return detail::similarity(target, proposal);
}

}} // namespace cv::xcam
