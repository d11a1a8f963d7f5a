// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The Eigen-CAM feature layer of a detector: the latest image-like map a head convolution reads.

#include "detector_internal.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace cv {
namespace xcam {
namespace detail {

namespace {

bool isPassThrough(const String& type)
{
    return type == "Identity" || type == "Dropout" || type == "Split";
}

// 4-D, height and width > 1, the input divided by the same stride on both axes (within 10 %).
bool imageLike(const dnn::MatShape& s, Size input)
{
    if (s.size() != 4 || s[2] < 2 || s[3] < 2)
        return false;
    const double sy = (double)input.height / s[2], sx = (double)input.width / s[3];
    return sy >= 1 && sx >= 1 && std::abs(sy - sx) <= 0.1 * std::max(sy, sx);
}

std::map<int, std::vector<int> > producersOf(const dnn::Net& net)
{
    std::map<int, std::vector<int> > producers;
    for (const String& name : net.getLayerNames())
    {
        const int id = net.getLayerId(name);
        for (const Ptr<dnn::Layer>& in : net.getLayerInputs(id))
            producers[id].push_back(net.getLayerId(in->name));
    }
    return producers;
}

// Convolutions whose output reaches a net output without passing through another convolution.
std::set<int> headConvolutions(const dnn::Net& net, std::map<int, std::vector<int> >& producers)
{
    std::set<int> head, seen;
    std::vector<int> stack = net.getUnconnectedOutLayers();
    while (!stack.empty())
    {
        const int id = stack.back();
        stack.pop_back();
        for (int p : producers[id])
        {
            if (p <= 0 || !seen.insert(p).second)
                continue;
            if (net.getLayer(p)->type == "Convolution")
                head.insert(p);
            else
                stack.push_back(p);
        }
    }
    return head;
}

} // namespace

String findDetectorFeatureLayer(const dnn::Net& net, const dnn::MatShape& inputShape,
                                Size inputSize)
{
    std::vector<int> ids;
    std::vector<std::vector<dnn::MatShape> > in, out;
    net.getLayersShapes(inputShape, ids, in, out);
    std::map<int, dnn::MatShape> shapes;
    for (size_t i = 0; i < ids.size(); ++i)
        if (!out[i].empty())
            shapes[ids[i]] = out[i][0];
    std::map<int, std::vector<int> > producers = producersOf(net);
    int best = -1;
    for (int conv : headConvolutions(net, producers))
    {
        if (producers[conv].size() != 1)
            continue;
        int id = producers[conv][0];
        while (id > 0 && isPassThrough(net.getLayer(id)->type) && producers[id].size() == 1)
            id = producers[id][0];
        if (id > 0 && imageLike(shapes[id], inputSize))
            best = std::max(best, id);
    }
    if (best < 0)
        CV_Error(Error::StsObjectNotFound,
                 "no Eigen-CAM feature layer found (a 4-D map with height and width > 1 that a "
                 "convolution of the detection head reads): name one with setFeatureLayer");
    return net.getLayer(best)->name;
}

}}} // namespace cv::xcam::detail
