// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// Class-wise non-maximum suppression with cv::dnn::NMSBoxes.

#include "detector_internal.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace cv {
namespace xcam {
namespace detail {

void classwiseNMS(const std::vector<Detection>& proposals, float scoreThreshold,
                  float nmsThreshold, std::vector<Detection>& detections)
{
    std::map<int, std::vector<int> > byClass;  // proposal indices of each class
    for (size_t i = 0; i < proposals.size(); ++i)
        if (proposals[i].score > scoreThreshold)
            byClass[proposals[i].classId].push_back((int)i);
    std::vector<int> kept;
    for (const auto& group : byClass)
    {
        std::vector<Rect2d> boxes;
        std::vector<float> scores;
        for (int i : group.second)
        {
            const Rect2f& b = proposals[i].box;
            boxes.push_back(Rect2d(b.x, b.y, b.width, b.height));
            scores.push_back(proposals[i].score);
        }
        std::vector<int> indices;
        dnn::NMSBoxes(boxes, scores, scoreThreshold, nmsThreshold, indices);
        for (int j : indices)
            kept.push_back(group.second[j]);
    }
    std::stable_sort(kept.begin(), kept.end(), [&](int a, int b) {
        return proposals[a].score > proposals[b].score ||
               (proposals[a].score == proposals[b].score && a < b);
    });
    detections.clear();
    for (int i : kept)
        detections.push_back(proposals[i]);
}

}}} // namespace cv::xcam::detail
