// The known-output detector nets of tools/make_detector_test_nets.py: their values repeated as
// literals, and plain re-derivations (IoU, cosine, similarity) the tests compare xcam against.
#ifndef XCAM_TEST_DETECTOR_NETS_HPP
#define XCAM_TEST_DETECTOR_NETS_HPP

#include "test_common.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace xcam_test {

const int kDetH = 16, kDetW = 24;              // input of the linear nets (rows, columns)
const cv::Rect kDetRegion(10, 5, 4, 4);        // m = mean of blob channel 0 over it
const int kDetProposals = 5, kDetClasses = 3;
// cx, cy, w, h (input pixels), objectness, class probabilities; objectness of 0 and 2: see below
const float kDetRows[kDetProposals][8] = {{12.f, 7.f, 8.f, 6.f, 0.f, .1f, .8f, .1f},
                                          {13.f, 7.5f, 8.f, 6.f, .5f, .1f, .1f, .8f},
                                          {12.5f, 7.f, 8.f, 6.f, 0.f, .2f, .7f, .1f},
                                          {5.f, 4.f, 6.f, 4.f, .6f, .9f, .05f, .05f},
                                          {18.f, 12.f, 6.f, 6.f, .3f, .1f, .1f, .8f}};
const float kDetDynamic[kDetProposals] = {1.f, 0.f, .9f, 0.f, 0.f};  // objectness = this * m
// SSD rows: image id, class, score (row 0: 0.9 m), x1, y1, x2, y2 normalized
const float kSsdRows[6][7] = {{0, 1, 0.f, .25f, .25f, .6f, .6f},  {0, 2, .5f, .3f, .2f, .7f, .55f},
                              {0, 1, .3f, .05f, .1f, .3f, .4f},   {-1, 1, .7f, .1f, .1f, .2f, .2f},
                              {0, -1, .7f, .1f, .1f, .2f, .2f},   {0, 0, 0, 0, 0, 0, 0}};
// The Caffe SSD: a 1x3x32x48 input, 2x3 cells of 16 px, one 16x16 prior each
const int kSsdH = 32, kSsdW = 48;
const float kSsdLocB[4] = {.5f, -.5f, .2f, .1f};
const float kSsdConfB[3] = {0.f, 1.f, -1.f};
const float kSsdVariance[4] = {.1f, .1f, .2f, .2f};

inline cv::Ptr<cv::xcam::DetectorModel> makeDetector(const std::string& file, int format,
                                                     bool nhwc = false)
{
    cv::Ptr<cv::xcam::DetectorModel> model = cv::xcam::DetectorModel::create(testdata(file));
    model->setInputParams(1 / 255.0, cv::Size(kDetW, kDetH));
    model->setInputNHWC(nhwc);
    model->setFormat(format);
    return model;
}

/** The objectness (before the factor) the linear nets compute: mean of blob channel 0 over
    kDetRegion, for a 1 x 3 x H x W blob. */
inline double regionMean(const cv::Mat& blob)
{
    const cv::Mat plane(kDetH, kDetW, CV_32F, (void*)blob.ptr<float>());
    return cv::mean(plane(kDetRegion))[0];
}

/** The YOLOv5 net's proposals for a blob, decoded by hand (boxes scaled to `image`). */
inline std::vector<cv::xcam::Detection> expectedYolo5(const cv::Mat& blob, cv::Size image)
{
    const double m = regionMean(blob);
    const float sx = (float)image.width / kDetW, sy = (float)image.height / kDetH;
    std::vector<cv::xcam::Detection> out;
    for (int i = 0; i < kDetProposals; ++i)
    {
        const float* r = kDetRows[i];
        cv::xcam::Detection d;
        d.box = cv::Rect2f((r[0] - r[2] / 2) * sx, (r[1] - r[3] / 2) * sy, r[2] * sx, r[3] * sy);
        d.objectness = kDetDynamic[i] != 0 ? (float)(kDetDynamic[i] * m) : r[4];
        d.classProbs.assign(r + 5, r + 8);
        d.classId = (int)(std::max_element(r + 5, r + 8) - (r + 5));
        d.score = d.objectness * r[5 + d.classId];
        out.push_back(d);
    }
    return out;
}

inline double plainIoU(const cv::Rect2f& a, const cv::Rect2f& b)
{
    const double inter = (a & b).area();
    return inter > 0 ? inter / (a.area() + b.area() - inter) : 0.0;
}

/** D-RISE's cosine, written out for the cases the tests use: two class vectors, or a one-hot
    class against a vector. */
inline double plainCosine(const cv::xcam::Detection& t, const cv::xcam::Detection& d)
{
    const std::vector<float>& p = d.classProbs;
    double dot = 0, nt = 0, nd = 0;
    for (size_t k = 0; k < p.size(); ++k)
    {
        const double tk = t.classProbs.empty() ? (int)k == t.classId : t.classProbs[k];
        dot += tk * p[k];
        nt += tk * tk;
        nd += (double)p[k] * p[k];
    }
    return dot / std::sqrt(nt * nd);
}

/** max_d IoU * cos * objectness over proposals (with class vectors). */
inline double plainBestSimilarity(const cv::xcam::Detection& t,
                                  const std::vector<cv::xcam::Detection>& proposals)
{
    double best = 0;
    for (const cv::xcam::Detection& d : proposals)
        best = std::max(best, plainIoU(t.box, d.box) * plainCosine(t, d) * d.objectness);
    return best;
}

/** The linear nets' blob of an image (scale 1/255, stretched to 24x16). */
inline cv::Mat linearBlob(const cv::Mat& image)
{
    return cv::dnn::blobFromImage(image, 1 / 255.0, cv::Size(kDetW, kDetH));
}

/** A horizontal grey ramp: the region's mean is neither 0 nor 1. */
inline cv::Mat rampImage(cv::Size size)
{
    cv::Mat image(size, CV_8UC3);
    for (int x = 0; x < image.cols; ++x)
        image.col(x).setTo(cv::Scalar::all(40 + 4 * x));
    return image;
}

/** A W x H BGR image of one grey level. */
inline cv::Mat greyImage(cv::Size size, int level)
{
    return cv::Mat(size, CV_8UC3, cv::Scalar::all(level));
}

} // namespace xcam_test

#endif
