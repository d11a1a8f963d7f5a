// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "method_table.hpp"
#include "model_state.hpp"
#include "input_checks.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>

namespace cv {
namespace xcam {

namespace {

class CAMModelImpl CV_FINAL : public CAMModel, public detail::LastForward
{
public:
    explicit CAMModelImpl(const dnn::Net& net_) : net(net_)
    {
        if (net.empty())
            CV_Error(Error::StsBadArg, "net is empty");
    }

    void setInputParams(double scale_, const Size& size_, const Scalar& mean_, bool swapRB_,
                        bool crop_) CV_OVERRIDE
    {
        detail::checkInputParams(scale_, size_, mean_);
        scale = scale_;
        size = size_;
        mean = mean_;
        swapRB = swapRB_;
        crop = crop_;
    }

    void setLayers(const String& feature, const String& fc) CV_OVERRIDE
    {
        userFeature = feature;
        userFC = fc;
        layers = detail::CAMLayers();
        resolved = false;
        head.release();
        headError.clear();
        valueOutputs.clear();
        netValues = false;
    }

    void setBiasMode(int mode) CV_OVERRIDE
    {
        if (mode != CAM_BIAS_IGNORE && mode != CAM_BIAS_SPREAD)
            CV_Error_(Error::StsBadArg, ("mode must be CAM_BIAS_IGNORE or CAM_BIAS_SPREAD, got %d",
                                         mode));
        biasMode = mode;
    }

    int getBiasMode() const CV_OVERRIDE { return biasMode; }

    void setLabels(const std::vector<String>& labels_) CV_OVERRIDE { labels = labels_; }

    void forward(InputArray image) CV_OVERRIDE
    {
        makeBlob(image, blob);
        if (!resolved)
        {
            layers = detail::findCAMLayers(net, dnn::shape(blob), userFeature, userFC);
            outNames = {layers.feature, layers.scores};
            batched = detail::BatchedNet(net, {layers.scores});
            resolved = true;
        }
        net.setInput(blob);
        net.forward(outs, outNames);
        CV_Assert(outs.size() == outNames.size());

        features = outs[0];
        featureMatrix = detail::featureRows(features, mapHeight, mapWidth, "feature blob");
        const int channels = featureMatrix.rows;
        const Mat& out = outs[1];
        if (out.empty() || out.depth() != CV_32F || (out.dims >= 1 && out.size[0] != 1))
            CV_Error_(Error::StsError, ("scores of '%s' must be one CV_32F row per image",
                                        layers.scores.c_str()));
        scores = out.reshape(1, 1);
        const int classes = scores.cols;

        if (!head && headError.empty())
            buildHead();
        checkShapes(channels, classes);
        // The feature blob is checked through the maps made from it: cheaper, and exactly what
        // reaches the user.
        detail::checkFinite(scores, "class scores");
        detail::softmaxRows(scores, probs);
    }

    void classify(InputArray image, int topK, std::vector<int>& classIds,
                  std::vector<float>& probabilities, OutputArrayOfArrays cams) CV_OVERRIDE
    {
        forward(image);
        getTopK(topK, classIds, probabilities);
        getCAMs(classIds, cams);
    }

    void getTopK(int k, std::vector<int>& classIds,
                 std::vector<float>& probabilities) const CV_OVERRIDE
    {
        requireForward();
        if (k < 1)
            CV_Error_(Error::StsOutOfRange, ("k must be at least 1, got %d", k));
        const float* p = probs.ptr<float>();
        std::vector<int> order(probs.cols);
        std::iota(order.begin(), order.end(), 0);
        k = std::min(k, probs.cols);
        std::partial_sort(order.begin(), order.begin() + k, order.end(),
                          [p](int a, int b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
        classIds.assign(order.begin(), order.begin() + k);
        probabilities.resize(k);
        for (int i = 0; i < k; ++i)
            probabilities[i] = p[classIds[i]];
    }

    void getCAM(int classId, OutputArray cam) const CV_OVERRIDE
    {
        std::vector<Mat> maps;
        getCAMs(std::vector<int>(1, classId), maps);
        maps[0].copyTo(cam);
    }

    void getCAMs(const std::vector<int>& classIds, OutputArrayOfArrays cams) const CV_OVERRIDE
    {
        requireForward();
        detail::checkClassIds(classIds, scores.cols);
        std::vector<Mat> maps;
        const detail::MethodContext ctx = context(CAMMethodParams());
        if (!classIds.empty())
            detail::methodRow(detail::defaultMethod(ctx)).run(ctx, classIds, maps);
        writeMaps(maps, cams);
    }

    Mat getScores() const CV_OVERRIDE { return scores.clone(); }
    Mat getProbabilities() const CV_OVERRIDE { return probs.clone(); }
    Mat getFeatures() const CV_OVERRIDE { return features.clone(); }
    Mat getFCWeights() const CV_OVERRIDE { return layers.weights.clone(); }
    Mat getFCBias() const CV_OVERRIDE { return layers.bias.clone(); }
    int getNumClasses() const CV_OVERRIDE { return scores.cols; }

    String getLabel(int classId) const CV_OVERRIDE
    {
        if (labels.empty())
            return String();
        if (classId < 0 || classId >= (int)labels.size())
            CV_Error_(Error::StsOutOfRange, ("classId %d is out of range [0, %d)", classId,
                                             (int)labels.size()));
        return labels[classId];
    }

    void explain(InputArray image, int method, const std::vector<int>& classIds,
                 OutputArrayOfArrays maps, const CAMMethodParams& params) CV_OVERRIDE
    {
        const detail::MethodRow& row = detail::methodRow(method);  // fails before the forward
        detail::checkBatchSize(params.batchSize, "params.batchSize");
        forward(image);
        std::vector<int> ids = classIds;
        std::vector<float> p;
        if (ids.empty())
            getTopK(1, ids, p);
        detail::checkClassIds(ids, scores.cols);
        const detail::MethodContext ctx = context(params);
        detail::requireSupport(ctx, row, describeHead());
        std::vector<Mat> out;
        row.run(ctx, ids, out);
        writeMaps(out, maps);
    }

    bool supportsMethod(int method) const CV_OVERRIDE
    {
        const detail::MethodRow& row = detail::methodRow(method);
        requireForward();
        return detail::supports(context(CAMMethodParams()), row);
    }

    int getDefaultMethod() const CV_OVERRIDE
    {
        requireForward();
        return detail::defaultMethod(context(CAMMethodParams()));
    }

    std::vector<String> getHeadLayers() const CV_OVERRIDE
    {
        std::vector<String> names;
        for (const detail::HeadLayer& l : layers.head)
            names.push_back(l.name);
        return names;
    }

    void setProgressCallback(const CAMProgressCallback& cb) CV_OVERRIDE { progress = cb; }
    Mat getInputBlob() const CV_OVERRIDE { return blob.clone(); }

    void forwardBatch(InputArray blobs_, OutputArray logits, int batchSize) CV_OVERRIDE
    {
        detail::checkBatchSize(batchSize, "batchSize");
        Mat blobs = blobs_.getMat();
        if (blobs.empty() || blobs.dims != 4 || blobs.depth() != CV_32F)
            CV_Error(Error::StsBadArg, "blobs must be a non-empty 4-D NxCxHxW CV_32F blob");
        requireForward();
        const int n = blobs.size[0];
        Mat out(n, scores.cols, CV_32F);
        for (int start = 0; start < n; start += batchSize)
        {
            const int count = std::min(batchSize, n - start);
            const Range rows[] = {Range(start, start + count), Range::all(), Range::all(),
                                  Range::all()};
            Mat part = out.rowRange(start, start + count);
            scoreBatch(blobs(rows), part);
            detail::reportProgress(progress, start + count, n);
        }
        out.copyTo(logits);
    }

    bool isLastInput(InputArray image) const CV_OVERRIDE
    {
        if (scores.empty() || !resolved)
            return false;
        Mat b;
        makeBlob(image, b);
        // A 4-D image is used as is: the same memory may hold other values by now.
        return b.data != blob.data && b.size == blob.size && b.type() == blob.type() &&
               b.isContinuous() && blob.isContinuous() &&
               std::memcmp(b.data, blob.data, b.total() * b.elemSize()) == 0;
    }

    String getFeatureLayer() const CV_OVERRIDE { return layers.feature; }
    String getFCLayer() const CV_OVERRIDE { return layers.fc; }
    String getScoreLayer() const CV_OVERRIDE { return layers.scores; }
    bool isClassMapMode() const CV_OVERRIDE { return layers.classMap; }
    dnn::Net getNet() const CV_OVERRIDE { return net; }

private:
    void makeBlob(InputArray image, Mat& dst) const
    {
        if (image.empty())
            CV_Error(Error::StsBadArg, "image is empty");
        if (image.dims() == 4)
        {
            if (image.depth() != CV_32F)
                CV_Error_(Error::StsBadArg, ("a 4-D image blob must be CV_32F, got %s",
                                             typeToString(image.type()).c_str()));
            dst = image.getMat();
            return;
        }
        detail::checkImage(image, " (or a 4-D blob)");
        dnn::blobFromImage(image, dst, scale, size, mean, swapRB, crop, CV_32F);
    }

    // Logits (N x K) of a batch of N blobs.
    void scoreBatch(const Mat& blobs, Mat& logits) const
    {
        std::vector<Mat> out;
        batched.forward(blobs, out);
        if ((int)out[0].total() != blobs.size[0] * scores.cols)
            CV_Error_(Error::StsError, ("scores of '%s' must be one row of %d per image",
                                        layers.scores.c_str(), scores.cols));
        out[0].reshape(1, blobs.size[0]).copyTo(logits);
    }

    void checkShapes(int channels, int classes) const
    {
        if (layers.classMap && channels != classes)
            CV_Error_(Error::StsError,
                      ("class-map mode needs one feature channel per class: '%s' has %d channels, "
                       "'%s' %d scores", layers.feature.c_str(), channels, layers.scores.c_str(),
                       classes));
        if (layers.camHead && !layers.classMap &&
            (layers.weights.cols != channels || layers.weights.rows != classes))
            CV_Error_(Error::StsError,
                      ("fcLayer '%s' has %dx%d weights but featureLayer '%s' has %d channels and "
                       "the net %d classes: the FC must read the global average of the features",
                       layers.fc.c_str(), layers.weights.rows, layers.weights.cols,
                       layers.feature.c_str(), channels, classes));
        if (!labels.empty() && (int)labels.size() != classes)
            CV_Error_(Error::StsBadSize, ("%d labels were given but the net has %d classes",
                                          (int)labels.size(), classes));
    }

    /** Builds xcam's own evaluation of the head once, and checks it against the net: a head
        whose logits differ is not used (the methods that need it say why). */
    void buildHead()
    {
        try
        {
            if (!layers.headError.empty())
                CV_Error(Error::StsNotImplemented, layers.headError);
            Ptr<detail::Head> h = makePtr<detail::Head>(net, layers.head);
            Mat logits;
            h->forward(featureMatrix.reshape(1, 1), logits);
            const double scale = std::max(1.0, norm(scores, NORM_INF));
            const double diff = logits.size() == scores.size() ? norm(logits, scores, NORM_INF)
                                                                : -1;
            if (diff < 0 || diff > 1e-3 * scale)
                CV_Error_(Error::StsNotImplemented,
                          ("xcam's evaluation of the head (%s) gives logits that differ from the "
                           "net's (max difference %g)", describeHead().c_str(), diff));
            head = h;
        }
        catch (const cv::Exception& e)
        {
            headError = e.err;
            return;
        }
        if (!layers.camHead)  // closed forms need no values
            takeHeadValuesFromNet();
    }

    /** From now on, the forward pass also returns the head values the gradient reads (an
        activation's output, a MAX pooling's input), once the net is seen to give them equal to
        xcam's own evaluation; else the gradient evaluates them from the feature blob. */
    void takeHeadValuesFromNet()
    {
        std::vector<Mat> own;
        head->values(featureMatrix.reshape(1, 1), own);
        std::vector<String> names = outNames;
        std::vector<std::pair<int, int> > where;  // (value, output)
        for (int v : head->neededValues())
        {
            const String name = v == 0 ? layers.feature : layers.head[v - 1].name;
            const size_t at = std::find(names.begin(), names.end(), name) - names.begin();
            if (at == names.size())
                names.push_back(name);
            where.emplace_back(v, (int)at);
        }
        std::vector<Mat> got;
        net.setInput(blob);
        net.forward(got, names);
        for (const std::pair<int, int>& w : where)
        {
            const Mat value = got[w.second].reshape(1, 1), &mine = own[w.first];
            const double tolerance = 1e-4 * std::max(1.0, norm(mine, NORM_INF));
            if (value.size() != mine.size() || norm(value, mine, NORM_INF) > tolerance)
                return;
        }
        outNames = names;
        valueOutputs = where;
        netValues = true;
        outs = got;
    }

    String describeHead() const
    {
        String text;
        for (const detail::HeadLayer& l : layers.head)
            text += (text.empty() ? "" : " -> ") + l.name;
        return text.empty() ? String("no layers") : text;
    }

    detail::MethodContext context(const CAMMethodParams& params) const
    {
        detail::MethodContext ctx;
        ctx.features = featureMatrix;
        ctx.height = mapHeight;
        ctx.width = mapWidth;
        ctx.logits = scores;
        ctx.layers = &layers;
        ctx.head = head.get();
        ctx.headError = headError;
        if (head && netValues)
        {
            ctx.headValues.resize(layers.head.size() + 1);
            for (const std::pair<int, int>& w : valueOutputs)
                ctx.headValues[w.first] = outs[w.second].reshape(1, 1);
        }
        ctx.biasMode = biasMode;
        ctx.params = params;
        ctx.engine.blob = blob.isContinuous() ? blob : blob.clone();
        ctx.engine.batchSize = params.batchSize;
        ctx.engine.progress = progress;
        ctx.engine.scorer = [this](const Mat& blobs, Mat& logits) { scoreBatch(blobs, logits); };
        return ctx;
    }

    static void writeMaps(const std::vector<Mat>& out, OutputArrayOfArrays maps)
    {
        maps.create((int)out.size(), 1, CV_32F);
        for (size_t i = 0; i < out.size(); ++i)
        {
            maps.create(out[i].size(), CV_32F, (int)i);
            out[i].copyTo(maps.getMatRef((int)i));
        }
    }

    void requireForward() const
    {
        if (scores.empty())
            CV_Error(Error::StsError, "no forward() yet: run forward() or classify() first");
    }

    dnn::Net net;
    double scale = 1.0;
    Size size;
    Scalar mean;
    bool swapRB = false, crop = false;
    String userFeature, userFC;
    int biasMode = CAM_BIAS_IGNORE;
    std::vector<String> labels;
    CAMProgressCallback progress;
    Ptr<detail::Head> head; // xcam's evaluation of the head (null: see headError)
    String headError;

    bool resolved = false;
    detail::CAMLayers layers;
    std::vector<String> outNames;         // feature, scores, then the head values taken
    bool netValues = false;               // the gradient reads its values from `outs`
    std::vector<std::pair<int, int> > valueOutputs;  // (head value, index in outs)
    mutable detail::BatchedNet batched;   // masked and batched forwards (forwardBatch, engine)

    // State of the last forward().
    Mat blob;
    std::vector<Mat> outs;
    Mat features, featureMatrix, scores, probs;
    int mapHeight = 0, mapWidth = 0;
};

} // namespace

CAMModel::~CAMModel() {}

Ptr<CAMModel> CAMModel::create(const String& model, const String& config)
{
    if (model.empty())
        CV_Error(Error::StsBadArg, "model path is empty");
    return makePtr<CAMModelImpl>(dnn::readNet(model, config));
}

Ptr<CAMModel> CAMModel::create(const dnn::Net& net)
{
    return makePtr<CAMModelImpl>(net);
}

std::vector<String> readClassLabels(const String& path)
{
    std::ifstream file(path.c_str());
    if (!file)
        CV_Error_(Error::StsError, ("cannot read labels file '%s'", path.c_str()));
    std::vector<String> labels;
    std::string line;
    while (std::getline(file, line))
    {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        labels.push_back(line);
    }
    while (!labels.empty() && labels.back().empty())
        labels.pop_back();  // a trailing newline is not a class
    if (labels.empty())
        CV_Error_(Error::StsError, ("labels file '%s' is empty", path.c_str()));
    return labels;
}

}} // namespace cv::xcam
