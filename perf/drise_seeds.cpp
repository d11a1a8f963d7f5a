// The seed-to-seed Pearson correlation of D-RISE maps (BlazeFace, the faces of astronaut.png and
// grace_hopper.bmp) against the mask count, antithetic pairs (p = 0.5, xcam's default) vs
// independent masks (p = 0.5000001: RiseMasks pairs only at exactly 0.5), seeds 0 and 1, maps at
// the image size; and the wall time of one explain() at the default 4000 masks.
// The map of the first n masks of a seed's stream is the map of numMasks = n (the masks of
// generateRISEMasks, the same similarity), so one pass of 8000 masks per seed gives every count;
// the first count is checked against explain() itself.
//   build/bin/xcam_drise_seeds [counts=500,1000,2000,4000,8000] [image] [antithetic|independent]
// (~70 000 forward passes for both images and both kinds of masks: run them in parallel)
#include "detector_cases.hpp"

#include <opencv2/imgproc.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <sstream>

using namespace cv;
using namespace xcam_perf;

namespace {

double pearson(const Mat& a, const Mat& b)
{
    Mat r;
    matchTemplate(a, b, r, TM_CCOEFF_NORMED);
    return r.at<float>(0);
}

/** D-RISE maps (image size) of the case's target after the first n masks, for each n of counts. */
std::map<int, Mat> streamMaps(DetectorCase& c, xcam::CAMMethodParams p,
                              const std::vector<int>& counts)
{
    p.numMasks = counts.back();
    p.gridSize = 16;  // what gridSize 0 means on a detector (generateRISEMasks: a classifier's 8)
    dnn::Net net = c.model->getNet();
    const std::vector<String> names = net.getUnconnectedOutLayersNames();
    const Size input(c.blob.size[2], c.blob.size[1]);  // NHWC
    Mat masks, acc = Mat::zeros(1, input.area(), CV_64F), mask64;
    std::vector<Mat> outs;
    std::vector<xcam::Detection> proposals;
    std::map<int, Mat> maps;
    for (int start = 0; start < p.numMasks; start += 100)
    {
        xcam::generateRISEMasks(input, p, start, 100, masks);
        for (int i = 0; i < masks.rows; ++i)
        {
            Mat m3, masked;
            merge(std::vector<Mat>(3, masks.row(i)), m3);  // per pixel, across the channels
            multiply(Mat(1, input.area(), CV_32FC3, c.blob.ptr<float>()), m3, masked);
            net.setInput(masked.reshape(1, std::vector<int>{1, input.height, input.width, 3}));
            net.forward(outs, names);
            blazeface::decode(outs, c.image.size(), proposals);
            float w = 0;
            for (const xcam::Detection& d : proposals)
                w = std::max(w, xcam::detectionSimilarity(c.targets[0], d));
            masks.row(i).convertTo(mask64, CV_64F);
            acc += w * mask64;
            const int done = start + i + 1;
            if (std::find(counts.begin(), counts.end(), done) != counts.end())
            {
                Mat small, map;
                Mat(acc / (done * p.keepProbability)).reshape(1, input.height).convertTo(small, CV_32F);
                resize(small, map, c.image.size(), 0, 0, INTER_LINEAR);
                maps[done] = map;
            }
        }
    }
    return maps;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<int> counts = {500, 1000, 2000, 4000, 8000};
    if (argc > 1)
    {
        counts.clear();
        std::stringstream list(argv[1]);
        for (std::string n; std::getline(list, n, ',');)
            counts.push_back(std::stoi(n));
    }
    std::vector<std::string> images = {"astronaut.png", "grace_hopper.bmp"};
    std::vector<double> keeps = {0.5, 0.5000001};
    if (argc > 2)
        images = {argv[2]};
    if (argc > 3)
        keeps = {std::string(argv[3]) == "independent" ? 0.5000001 : 0.5};
    for (const std::string& image : images)
    {
        DetectorCase c = faceCase(image);
        xcam::CAMMethodParams p;
        std::vector<Mat> maps;
        for (double keep : keeps)
        {
            p.keepProbability = keep;
            p.seed = 0;
            const std::map<int, Mat> a = streamMaps(c, p, counts);
            p.seed = 1;
            const std::map<int, Mat> b = streamMaps(c, p, counts);
            p.numMasks = counts[0];
            p.seed = 0;
            c.model->explain(c.image, c.targets, xcam::CAM_METHOD_RISE, maps, p);
            std::cout << image << (keep == 0.5 ? " antithetic" : " independent")
                      << " (stream = explain at " << counts[0] << " masks: max |diff| "
                      << norm(maps[0], a.at(counts[0]), NORM_INF) << ")";
            for (int n : counts)
                std::cout << " | " << n << ": " << pearson(a.at(n), b.at(n));
            std::cout << std::endl;
        }
        p = xcam::CAMMethodParams();
        const auto t0 = std::chrono::steady_clock::now();
        c.model->explain(c.image, c.targets, xcam::CAM_METHOD_RISE, maps, p);
        std::cout << image << ": explain() at " << p.numMasks << " masks "
                  << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
                  << " s" << std::endl;
    }
    return 0;
}
