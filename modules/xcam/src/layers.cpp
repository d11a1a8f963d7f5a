// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "layers.hpp"

#include <algorithm>
#include <map>

namespace cv {
namespace xcam {
namespace detail {

namespace {

// cv::dnn's PoolingLayer::type for average pooling (PoolingLayerImpl's MAX, AVE, ... order).
const int kAveragePooling = 1;

bool isOneOf(const String& type, std::initializer_list<const char*> types)
{
    for (const char* t : types)
        if (type == t)
            return true;
    return false;
}

// Layers that pass their input through unchanged (as far as the numbers are concerned).
bool isPassThroughType(const String& type)
{
    return isOneOf(type, {"Identity", "Dropout", "Flatten", "Reshape", "Split"});
}

// Layers that may sit between the FC and the net's Softmax and still belong to the logits.
bool isLogitsTailType(const String& type)
{
    return isPassThroughType(type) || isOneOf(type, {"Eltwise", "NaryEltwise", "Scale", "Bias"});
}

size_t editDistance(const String& a, const String& b)
{
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
    {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
        {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The part after "onnx_node!" / "onnx_node_output_0!", or the whole name.
String userSpelling(const String& layerName)
{
    const size_t bang = layerName.find('!');
    return bang == String::npos ? layerName : layerName.substr(bang + 1);
}

std::vector<String> candidateNames(const String& name)
{
    return {name, "onnx_node!" + name, "onnx_node_output_0!" + name};
}

String nearestNames(const dnn::Net& net, const String& name)
{
    std::vector<std::pair<size_t, String> > scored;
    for (const String& layer : net.getLayerNames())
        scored.emplace_back(std::min(editDistance(name, layer),
                                     editDistance(name, userSpelling(layer))), layer);
    std::stable_sort(scored.begin(), scored.end(),
                     [](const std::pair<size_t, String>& l, const std::pair<size_t, String>& r)
                     { return l.first < r.first; });
    String list;
    for (size_t i = 0; i < scored.size() && i < 5; ++i)
        list += (i ? ", '" : "'") + scored[i].second + "'";
    return list.empty() ? String("(the net has no layers)") : list;
}

/** The net as a graph: layers by id, their producers and consumers, their shapes. */
class NetGraph
{
    static dnn::MatShape firstShape(const std::map<int, std::vector<dnn::MatShape> >& shapes,
                                    int id)
    {
        const auto it = shapes.find(id);
        return it == shapes.end() || it->second.empty() ? dnn::MatShape() : it->second[0];
    }

public:
    NetGraph(const dnn::Net& net_, const dnn::MatShape& inputShape) : net(net_)
    {
        const std::vector<String> names = net.getLayerNames();
        int maxId = 0;
        for (const String& n : names)
            maxId = std::max(maxId, net.getLayerId(n));
        layers.resize(maxId + 1);
        inputs.resize(maxId + 1);
        consumers.resize(maxId + 1);
        for (const String& n : names)
        {
            const int id = net.getLayerId(n);
            layers[id] = net.getLayer(id);
            for (const Ptr<dnn::Layer>& in : net.getLayerInputs(id))
            {
                const int inId = std::max(0, net.getLayerId(in->name));
                inputs[id].push_back(inId);
                consumers[inId].push_back(id);
            }
        }
        if (!inputShape.empty())
        {
            try
            {
                std::vector<int> ids;
                std::vector<std::vector<dnn::MatShape> > in, out;
                net.getLayersShapes(inputShape, ids, in, out);
                for (size_t i = 0; i < ids.size(); ++i)
                {
                    inShapes[ids[i]] = in[i];
                    outShapes[ids[i]] = out[i];
                }
            }
            catch (const cv::Exception&)
            {
                // Shape inference is optional: without it only global_pooling flags are read.
                inShapes.clear();
                outShapes.clear();
            }
        }
    }

    const String& type(int id) const { return layers[id]->type; }
    const String& name(int id) const { return layers[id]->name; }
    bool isLayer(int id) const { return id > 0 && id < (int)layers.size() && layers[id]; }
    int size() const { return (int)layers.size(); }

    bool isPassThrough(int id) const { return isPassThroughType(type(id)); }

    bool isGlobalAveragePooling(int id) const
    {
        const dnn::PoolingLayer* pool = dynamic_cast<const dnn::PoolingLayer*>(layers[id].get());
        if (!pool || pool->type != kAveragePooling || type(id) != "Pooling")
            return false;
        if (pool->globalPooling &&
            std::all_of(pool->isGlobalPooling.begin(), pool->isGlobalPooling.end(),
                        [](bool b) { return b; }))
            return true;
        // An average pooling whose kernel covers its whole input (bvlc GoogLeNet's pool5/7x7_s1).
        const auto in = inShapes.find(id), out = outShapes.find(id);
        if (in == inShapes.end() || out == outShapes.end() || in->second.empty() ||
            out->second.empty())
            return false;
        const dnn::MatShape& inShape = in->second[0];
        const dnn::MatShape& outShape = out->second[0];
        if (inShape.size() < 3 || inShape.size() != outShape.size() ||
            pool->kernel_size.size() != inShape.size() - 2)
            return false;
        for (size_t d = 2; d < inShape.size(); ++d)
            if (outShape[d] != 1 || (int)pool->kernel_size[d - 2] != inShape[d])
                return false;
        return true;
    }

    /** InnerProduct, or a 1x1 convolution (an FC written as a convolution after the pooling). */
    bool isFullyConnected(int id) const
    {
        if (type(id) == "InnerProduct")
            return !layers[id]->blobs.empty() && layers[id]->blobs[0].dims == 2;
        if (type(id) != "Convolution" || layers[id]->blobs.empty())
            return false;
        const Mat& w = layers[id]->blobs[0];
        return w.dims == 4 && w.size[2] == 1 && w.size[3] == 1;
    }

    /** The first layer after `id` that is not a pass-through one, or -1 at the net's end. */
    int next(int id) const
    {
        while (!consumers[id].empty())
        {
            id = consumers[id][0];
            if (!isPassThrough(id))
                return id;
        }
        return -1;
    }

    /** The layer producing what `id` reads, pass-through layers skipped (0: the net input). */
    int previous(int id) const
    {
        do
        {
            if (inputs[id].size() != 1)
                return inputs[id].empty() ? 0 : -1;
            id = inputs[id][0];
        } while (id > 0 && isPassThrough(id));
        return id;
    }

    /** The net's logits for a head ending at `id`: the input of the Softmax that follows it
        (through pass-through and bias-like layers), or `id` itself when no Softmax follows. */
    int logits(int id) const
    {
        for (int cur = id; consumers[cur].size() == 1;)
        {
            const int c = consumers[cur][0];
            if (type(c) == "Softmax")
                return cur;
            if (!isLogitsTailType(type(c)))
                break;
            cur = c;
        }
        return id;
    }

    int lastGlobalAveragePooling() const
    {
        for (int id = size() - 1; id > 0; --id)
            if (isLayer(id) && isGlobalAveragePooling(id))
                return id;
        return -1;
    }

    /** Channels of the output of `id`, or -1 when shapes are unknown. */
    int outputChannels(int id) const
    {
        const auto it = outShapes.find(id);
        if (it == outShapes.end() || it->second.empty() || it->second[0].size() < 2)
            return -1;
        return it->second[0][1];
    }

    /** Elements per image of the net's (first) output, or -1 when shapes are unknown. */
    int netOutputSize() const
    {
        const std::vector<int> outs = net.getUnconnectedOutLayers();
        if (outs.empty())
            return -1;
        const auto it = outShapes.find(outs[0]);
        if (it == outShapes.end() || it->second.empty() || it->second[0].empty())
            return -1;
        return (int)(dnn::total(it->second[0]) / std::max(1, it->second[0][0]));
    }

    dnn::MatShape inShape(int id) const { return firstShape(inShapes, id); }
    dnn::MatShape outShape(int id) const { return firstShape(outShapes, id); }

    /** The net's logits: the input of its final Softmax (trailing pass-through layers skipped),
        or its last layer when it ends without one; -1 when the net has no output. */
    int netLogits() const
    {
        const std::vector<int> outs = net.getUnconnectedOutLayers();
        if (outs.empty())
            return -1;
        int id = outs[0];
        while (isLayer(id) && isPassThrough(id) && inputs[id].size() == 1 && inputs[id][0] > 0)
            id = inputs[id][0];
        if (isLayer(id) && type(id) == "Softmax" && inputs[id].size() == 1)
            id = inputs[id][0];
        return id;
    }

    /** The last layer at or before `id` (single inputs followed back) whose output is 4-D with a
        spatial size > 1; -1 when there is none or shapes are unknown. */
    int lastSpatialLayer(int id) const
    {
        while (id > 0)
        {
            const dnn::MatShape s = outShape(id);
            if (s.size() == 4 && s[2] * s[3] > 1)
            {
                // A pass-through layer (ONNX importers insert Flatten/Reshape helpers) carries
                // its producer's values: name the producer.
                while (isPassThrough(id) && inputs[id].size() == 1 && inputs[id][0] > 0)
                    id = inputs[id][0];
                return id;
            }
            if (inputs[id].size() != 1)
                return -1;
            id = inputs[id][0];
        }
        return -1;
    }

    const dnn::Net& net;
    std::vector<Ptr<dnn::Layer> > layers;
    std::vector<std::vector<int> > inputs, consumers;
    std::map<int, std::vector<dnn::MatShape> > inShapes, outShapes;
};

String describe(const NetGraph& g, int id)
{
    if (id < 0)
        return "the end of the net";
    if (id == 0)
        return "the net input";
    return g.type(id) + " layer '" + g.name(id) + "'";
}

int resolveFullyConnected(const NetGraph& g, const String& name)
{
    // An ONNX net may hold both "fc" (the trailing Identity of a graph output) and
    // "onnx_node!fc" (the Gemm): take the spelling that names a fully-connected layer.
    for (const String& candidate : candidateNames(name))
    {
        const int id = g.net.getLayerId(candidate);
        if (id > 0 && g.isFullyConnected(id))
            return id;
    }
    const int id = resolveLayer(g.net, name, "fcLayer");
    CV_Error_(Error::StsBadArg,
              ("fcLayer '%s' is a %s layer, not a fully-connected one (InnerProduct, Gemm/MatMul "
               "or a 1x1 Convolution after global average pooling)",
               name.c_str(), g.type(id).c_str()));
}

void readWeights(const NetGraph& g, int fc, CAMLayers& result)
{
    const std::vector<Mat>& blobs = g.layers[fc]->blobs;
    const Mat& w = blobs[0];
    const int classes = w.size[0];
    w.reshape(1, classes).convertTo(result.weights, CV_32F);  // K x C (a 1x1 conv: K x C x 1 x 1)
    checkFinite(result.weights, "FC weights");
    if (blobs.size() > 1 && !blobs[1].empty())
    {
        CV_Assert(blobs[1].total() == (size_t)classes);
        blobs[1].reshape(1, 1).convertTo(result.bias, CV_32F);
    }
}

} // namespace

int resolveLayer(const dnn::Net& net, const String& name, const char* argName)
{
    if (name.empty())
        CV_Error_(Error::StsBadArg, ("%s is empty", argName));
    for (const String& candidate : candidateNames(name))
    {
        const int id = net.getLayerId(candidate);
        if (id > 0)
            return id;
    }
    CV_Error_(Error::StsObjectNotFound, ("%s '%s' is not a layer of the net; nearest names: %s",
                                         argName, name.c_str(), nearestNames(net, name).c_str()));
}

namespace {

/** The layers of a GAP->FC or class-map head (-1: not found). */
struct GapHead
{
    int feature = -1, pool = -1, fc = -1;
};

/** Completes `h` (the user's feature and fc ids, or -1) into a GAP->FC or class-map head; false
    with the reason in `why` when the net has none there. */
bool findGapHead(const NetGraph& g, GapHead& h, String& why)
{
    if (h.fc < 0)
    {
        h.pool = h.feature >= 0 ? g.next(h.feature) : g.lastGlobalAveragePooling();
        if (h.pool < 0 || !g.isGlobalAveragePooling(h.pool))
        {
            why = h.feature >= 0 ? "featureLayer '" + g.name(h.feature) + "' is not followed by a "
                                   "global average pooling (it feeds " + describe(g, h.pool) + ")"
                                 : String("the net has no global average pooling");
            return false;
        }
        const int after = g.next(h.pool);
        if (after > 0 && g.isFullyConnected(after))
            h.fc = after;
        else if (after > 0 && g.type(after) != "Softmax")
        {
            why = "global average pooling '" + g.name(h.pool) + "' feeds " + describe(g, after) +
                  ", neither a fully-connected layer nor the class scores";
            return false;
        }
        else
        {
            const int channels = g.outputChannels(h.pool), outputs = g.netOutputSize();
            if (channels > 0 && outputs > 0 && channels != outputs)
            {
                why = format("'%s' pools %d channels but the net has %d outputs",
                             g.name(h.pool).c_str(), channels, outputs);
                return false;
            }
        }
    }
    if (h.pool < 0)
    {
        h.pool = g.previous(h.fc);
        if (h.pool <= 0 || !g.isGlobalAveragePooling(h.pool))
        {
            why = "fcLayer '" + g.name(h.fc) + "' is fed by " + describe(g, h.pool) +
                  ", not by a global average pooling";
            return false;
        }
    }
    if (h.feature < 0)
        h.feature = g.previous(h.pool);
    if (h.feature <= 0)
    {
        why = "global average pooling '" + g.name(h.pool) + "' is fed by " +
              describe(g, h.feature) + ", not by one feature layer";
        return false;
    }
    return true;
}

/** The head as a chain of layers from after `feature` to `scores`, or why it is not one. */
void collectHead(const NetGraph& g, int feature, int scores, CAMLayers& result)
{
    for (int id = feature; id != scores;)
    {
        if (g.consumers[id].size() != 1)
        {
            result.head.clear();
            result.headError = format("%s feeds %d layers, not one: the head is not a chain",
                                      describe(g, id).c_str(), (int)g.consumers[id].size());
            return;
        }
        id = g.consumers[id][0];
        if (g.inputs[id].size() != 1)
        {
            result.head.clear();
            result.headError = format("%s has %d inputs: the head is not a chain",
                                      describe(g, id).c_str(), (int)g.inputs[id].size());
            return;
        }
        HeadLayer layer;
        layer.name = g.name(id);
        layer.in = g.inShape(id);
        layer.out = g.outShape(id);
        result.head.push_back(layer);
    }
}

} // namespace

CAMLayers findCAMLayers(const dnn::Net& net, const dnn::MatShape& inputShape,
                        const String& featureLayer, const String& fcLayer)
{
    CV_Assert(!net.empty());
    const NetGraph g(net, inputShape);
    GapHead gap;
    gap.feature = featureLayer.empty() ? -1 : resolveLayer(net, featureLayer, "featureLayer");
    gap.fc = fcLayer.empty() ? -1 : resolveFullyConnected(g, fcLayer);
    const int netScores = g.netLogits();

    String why;
    const bool isGap = findGapHead(g, gap, why);
    const int gapScores = isGap ? g.logits(gap.fc > 0 ? gap.fc : gap.pool) : -1;
    CAMLayers result;
    if (isGap && (gapScores == netScores || (gap.fc > 0 && !fcLayer.empty())))
    {
        result.camHead = true;
        result.classMap = gap.fc < 0;
        if (gap.fc > 0)
        {
            result.fc = g.name(gap.fc);
            readWeights(g, gap.fc, result);
        }
        result.scores = g.name(gapScores);
        result.feature = g.name(gap.feature);
        collectHead(g, gap.feature, gapScores, result);
        return result;
    }
    if (!fcLayer.empty())
        CV_Error_(Error::StsBadArg, ("fcLayer '%s' does not make a CAM head: %s; leave fcLayer "
                                     "empty for other heads", fcLayer.c_str(), why.c_str()));
    if (netScores <= 0)
        CV_Error(Error::StsError, "cannot tell the net's class scores (no output layer)");
    const int feature = gap.feature >= 0 ? gap.feature : g.lastSpatialLayer(netScores);
    if (feature <= 0)
        CV_Error_(Error::StsError,
                  ("no feature layer found: looked for the last 4-D output with spatial size > 1 "
                   "before %s; name it with featureLayer", describe(g, netScores).c_str()));
    result.feature = g.name(feature);
    result.scores = g.name(netScores);
    collectHead(g, feature, netScores, result);
    return result;
}

}}} // namespace cv::xcam::detail
