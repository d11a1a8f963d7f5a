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

CAMLayers findCAMLayers(const dnn::Net& net, const dnn::MatShape& inputShape,
                        const String& featureLayer, const String& fcLayer)
{
    CV_Assert(!net.empty());
    const NetGraph g(net, inputShape);
    int feature = featureLayer.empty() ? -1 : resolveLayer(net, featureLayer, "featureLayer");
    int fc = fcLayer.empty() ? -1 : resolveFullyConnected(g, fcLayer);
    int pool = -1;

    if (fc < 0)
    {
        if (feature >= 0)
        {
            pool = g.next(feature);
            if (pool < 0 || !g.isGlobalAveragePooling(pool))
                CV_Error_(Error::StsBadArg,
                          ("featureLayer '%s' is not followed by a global average pooling (it "
                           "feeds %s); name the FC layer with fcLayer",
                           featureLayer.c_str(), describe(g, pool).c_str()));
        }
        else
        {
            pool = g.lastGlobalAveragePooling();
            if (pool < 0)
                CV_Error(Error::StsError,
                         "no global average pooling found (looked for Pooling AVE with global "
                         "pooling or a kernel covering its input): the net has no CAM head; name "
                         "the layers with featureLayer and fcLayer");
        }
        const int after = g.next(pool);
        if (after > 0 && g.isFullyConnected(after))
            fc = after;
        else if (after < 0 || g.type(after) == "Softmax")
        {
            // Class-map head: the pooled channels are the class scores.
            const int channels = g.outputChannels(pool), outputs = g.netOutputSize();
            if (channels > 0 && outputs > 0 && channels != outputs)
                CV_Error_(Error::StsError,
                          ("'%s' pools %d channels but the net has %d outputs and no "
                           "fully-connected layer after the pooling: not a CAM head",
                           g.name(pool).c_str(), channels, outputs));
        }
        else
            CV_Error_(Error::StsError,
                      ("global average pooling '%s' feeds %s, neither a fully-connected layer "
                       "nor the class scores: name the layers with featureLayer and fcLayer",
                       g.name(pool).c_str(), describe(g, after).c_str()));
    }

    if (feature < 0)
    {
        if (pool < 0)
        {
            pool = g.previous(fc);
            if (pool <= 0 || !g.isGlobalAveragePooling(pool))
                CV_Error_(Error::StsBadArg,
                          ("fcLayer '%s' is fed by %s, not by a global average pooling; name the "
                           "feature layer with featureLayer",
                           fcLayer.c_str(), describe(g, pool).c_str()));
        }
        feature = g.previous(pool);
        if (feature <= 0)
            CV_Error_(Error::StsError, ("global average pooling '%s' is fed by %s, not by one "
                                        "feature layer; name it with featureLayer",
                                        g.name(pool).c_str(), describe(g, feature).c_str()));
    }

    CAMLayers result;
    result.feature = g.name(feature);
    result.classMap = fc < 0;
    if (fc > 0)
    {
        result.fc = g.name(fc);
        readWeights(g, fc, result);
    }
    result.scores = g.name(g.logits(fc > 0 ? fc : pool));
    return result;
}

}}} // namespace cv::xcam::detail
