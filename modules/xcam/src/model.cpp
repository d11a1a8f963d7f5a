// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "head_methods.hpp"
#include "input_checks.hpp"
#include "perturb.hpp"

#include "opencv2/core/utils/logger.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

namespace cv {
namespace xcam {

namespace {

void softmax(const Mat& scores, Mat& probs)
{
    // In double, shifted by the maximum: no overflow for large logits.
    Mat shifted;
    double maxScore = 0;
    minMaxLoc(scores, nullptr, &maxScore);
    scores.convertTo(shifted, CV_64F, 1.0, -maxScore);
    exp(shifted, shifted);
    shifted /= sum(shifted)[0];
    shifted.convertTo(probs, CV_32F);
}

class CAMModelImpl CV_FINAL : public CAMModel
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
            resolved = true;
        }
        net.setInput(blob);
        net.forward(outs, outNames);
        CV_Assert(outs.size() == 2);

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
        // The feature blob is checked through the maps made from it (getCAMs): cheaper, and
        // exactly what reaches the user.
        detail::checkFinite(scores, "class scores");
        softmax(scores, probs);
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
        checkClassIds(classIds);
        const int k = (int)classIds.size();
        const int height = mapHeight, width = mapWidth;
        Mat maps(k, height * width, CV_32F);
        if (!layers.camHead)
            detail::headMethodMaps(context(CAMMethodParams()), CAM_METHOD_GRADCAM, classIds, maps);
        else if (layers.classMap)
        {
            for (int i = 0; i < k; ++i)
                featureMatrix.row(classIds[i]).copyTo(maps.row(i));
        }
        else
        {
            Mat rows(k, featureMatrix.rows, CV_32F);
            for (int i = 0; i < k; ++i)
                layers.weights.row(classIds[i]).copyTo(rows.row(i));
            detail::weightedSum(rows, featureMatrix, maps);
            // logit_c = mean(CAM_c) + b_c: each cell's share of the logit is CAM_c/(H*W) plus
            // b_c/(H*W), so in the map's own scale every cell gets b_c.
            if (biasMode == CAM_BIAS_SPREAD && !layers.bias.empty())
                for (int i = 0; i < k; ++i)
                    maps.row(i) += layers.bias.at<float>(classIds[i]);
        }
        detail::checkFinite(maps, "feature blob");  // NaN or infinity in the features used
        writeMaps(maps, height, cams);
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
        getCAMMethodName(method);  // an unknown method fails before the forward pass
        if (params.batchSize < 1)
            CV_Error_(Error::StsOutOfRange, ("params.batchSize must be at least 1, got %d",
                                             params.batchSize));
        forward(image);
        std::vector<int> ids = classIds;
        std::vector<float> p;
        if (ids.empty())
            getTopK(1, ids, p);
        checkClassIds(ids);
        if (method == CAM_METHOD_CAM)
        {
            if (!layers.camHead)
                CV_Error_(Error::StsNotImplemented,
                          ("cam needs a GAP->FC or class-map head; this net's head (%s) is not "
                           "one: use gradcam (the same map on GAP->FC heads)",
                           describeHead().c_str()));
            getCAMs(ids, maps);
            return;
        }
        // Score-CAM, occlusion, RISE (perturb.cpp). The engine reports progress over all its
        // forwards, so forwardBatch's per-call reports are off meanwhile.
        if (method >= CAM_METHOD_SCORECAM)
        {
            std::vector<Mat> out;
            const CAMProgressCallback user = progress;
            progress = CAMProgressCallback();
            try { detail::perturbationMaps(*this, method, ids, params, out, user); }
            catch (...) { progress = user; throw; }
            progress = user;
            maps.create((int)out.size(), 1, CV_32F);
            for (size_t i = 0; i < out.size(); ++i)
            {
                maps.create(out[i].size(), CV_32F, (int)i);
                out[i].copyTo(maps.getMatRef((int)i));
            }
            return;
        }
        Mat rows;
        detail::headMethodMaps(context(params), method, ids, rows);
        writeMaps(rows, mapHeight, maps);
    }

    bool supportsMethod(int method) const CV_OVERRIDE
    {
        getCAMMethodName(method);
        requireForward();
        if (method == CAM_METHOD_CAM)
            return layers.camHead;
        if (method >= CAM_METHOD_SCORECAM)
            return true;
        return detail::headSupports(context(CAMMethodParams()), method);
    }

    int getDefaultMethod() const CV_OVERRIDE
    {
        requireForward();
        return layers.camHead ? CAM_METHOD_CAM : CAM_METHOD_GRADCAM;
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
        if (batchSize < 1)
            CV_Error_(Error::StsOutOfRange, ("batchSize must be at least 1, got %d", batchSize));
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
            scoreBatch(blobs(rows), out.rowRange(start, start + count));
            if (progress && !progress(start + count, n))
                CV_Error(Error::StsError, "cancelled by the progress callback");
        }
        out.copyTo(logits);
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

    // Logits of a batch of blobs; a net that cannot take batch > 1 is found on the first try
    // and run one blob at a time from then on.
    void scoreBatch(const Mat& batch, Mat dst)
    {
        const int n = batch.size[0];
        if (n > 1 && !batchOne)
        {
            try
            {
                net.setInput(batch);
                Mat out = net.forward(layers.scores);
                if ((int)out.total() == n * dst.cols && out.size[0] == n)
                {
                    out.reshape(1, n).copyTo(dst);
                    return;
                }
            }
            catch (const cv::Exception&)
            {
            }
            batchOne = true;
            CV_LOG_WARNING(NULL, "xcam: the net does not take a batch of " << n
                           << " inputs; running them one at a time");
        }
        for (int i = 0; i < n; ++i)
        {
            const Range rows[] = {Range(i, i + 1), Range::all(), Range::all(), Range::all()};
            net.setInput(batch(rows).clone());
            net.forward(layers.scores).reshape(1, 1).copyTo(dst.row(i));
        }
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
        }
    }

    String describeHead() const
    {
        String text;
        for (const detail::HeadLayer& l : layers.head)
            text += (text.empty() ? "" : " -> ") + l.name;
        return text.empty() ? String("no layers") : text;
    }

    detail::HeadContext context(const CAMMethodParams& params) const
    {
        detail::HeadContext ctx;
        ctx.features = featureMatrix;
        ctx.height = mapHeight;
        ctx.width = mapWidth;
        ctx.layers = &layers;
        ctx.head = head.get();
        ctx.headError = headError;
        ctx.params = params;
        ctx.progress = progress;
        return ctx;
    }

    void checkClassIds(const std::vector<int>& ids) const
    {
        for (int id : ids)
            if (id < 0 || id >= scores.cols)
                CV_Error_(Error::StsOutOfRange, ("classId %d is out of range [0, %d)", id,
                                                 scores.cols));
    }

    static void writeMaps(const Mat& rows, int height, OutputArrayOfArrays maps)
    {
        const int k = rows.rows;
        maps.create(k, 1, CV_32F);
        for (int i = 0; i < k; ++i)
        {
            maps.create(height, rows.cols / height, CV_32F, i);
            rows.row(i).reshape(1, height).copyTo(maps.getMatRef(i));
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
    bool batchOne = false;  // the net takes one input at a time
    Ptr<detail::Head> head; // xcam's evaluation of the head (null: see headError)
    String headError;

    bool resolved = false;
    detail::CAMLayers layers;
    std::vector<String> outNames;

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
