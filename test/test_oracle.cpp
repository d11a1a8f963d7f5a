// Oracle tests: the two Fashion-MNIST demo classifiers of samples/data (trained and exported by
// tools/train_demo_model.py) against what PyTorch computed for 8 real Fashion-MNIST test images
// (samples/data/oracle/*.yml, written by the same script from the same weights):
//   (a) CAMModel::getScores() == PyTorch's logits;
//   (b) getCAM(c) == the plain CAM, for every class c;
//   (c) min-max-normalized ReLU(getCAM(c)) == min-max-normalized Grad-CAM computed by autograd,
//       for every class: forward-only CAM IS Grad-CAM for these heads (see the comments below);
//   (d) the top-1 class == PyTorch's argmax.
// Everything lives in the repository (XCAM_DATA_DIR), so these tests never skip.
#include "test_common.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cctype>
#include <cstdio>

using namespace cv;
using namespace xcam_test;

namespace {

const int kClasses = 10;

// The first test image of each of the first 8 distinct classes in Fashion-MNIST test-set order.
const char* const kImages[] = {"0_ankle_boot", "1_pullover", "2_trouser", "4_shirt",
                               "6_coat",       "8_sandal",   "9_sneaker", "13_dress"};

std::string data(const std::string& relative)
{
    return std::string(XCAM_DATA_DIR) + "/" + relative;
}

// (m - min) / (max - min); a constant map (in particular an all-zero ReLU'd map) gives zeros.
Mat minMaxNormalized(const Mat& m)
{
    double lo = 0, hi = 0;
    minMaxLoc(m, &lo, &hi);
    Mat out;
    if (hi - lo <= 0)
        out = Mat::zeros(m.size(), CV_64F);
    else
        m.convertTo(out, CV_64F, 1.0 / (hi - lo), -lo / (hi - lo));
    return out;
}

Mat relu(const Mat& m)
{
    return max(m, 0.0);
}

Mat readMat(const FileStorage& fs, const std::string& key, const std::string& file)
{
    Mat m;
    fs[key] >> m;
    EXPECT_FALSE(m.empty()) << file << ": no '" << key << "'";
    return m;
}

struct OracleModel
{
    const char* kind;       // the oracle files' prefix
    const char* file;
    const char* feature;    // the layers auto-detection must find
    const char* fc;
    bool classMap;
};

void checkModel(const OracleModel& om)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(data(om.file));
    ASSERT_FALSE(model.empty());
    model->setInputParams(1.0 / 255.0, Size(28, 28));   // x / 255, mean 0, no swapRB

    double errScores = 0, errProbs = 0, errCAM = 0, errGradCAM = 0, errGradCAMScale = 0;
    int zeroMaps = 0;
    for (const char* stem : kImages)
    {
        SCOPED_TRACE(std::string(om.kind) + " " + stem);
        const std::string yml = data(std::string("oracle/") + om.kind + "_" + stem + ".yml");
        FileStorage fs(yml, FileStorage::READ);
        ASSERT_TRUE(fs.isOpened()) << yml;
        const Mat image = imread(data(std::string("images/") + stem + ".png"), IMREAD_GRAYSCALE);
        ASSERT_EQ(image.size(), Size(28, 28)) << stem << ".png";

        model->forward(image);
        EXPECT_EQ(model->getFeatureLayer(), om.feature);
        EXPECT_EQ(model->getFCLayer(), om.fc);
        EXPECT_EQ(model->isClassMapMode(), om.classMap);

        const Mat logits = readMat(fs, "logits", yml), probs = readMat(fs, "probs", yml);
        const Mat shape = readMat(fs, "feature_shape", yml);
        ASSERT_EQ(logits.total(), (size_t)kClasses);
        const Mat features = model->getFeatures();
        ASSERT_EQ(features.dims, 4);
        for (int d = 0; d < 4; ++d)
            EXPECT_EQ(features.size[d], shape.at<int>(d)) << "feature_shape[" << d << "]";
        const int cells = features.size[2] * features.size[3];

        // (a) logits; the probabilities come along.
        const Mat scores = model->getScores();
        ASSERT_EQ(scores.total(), (size_t)kClasses);
        errScores = std::max(errScores, maxRelativeError(scores, logits));
        errProbs = std::max(errProbs, maxRelativeError(model->getProbabilities(), probs));

        // (d) top-1 against PyTorch's argmax (and the file's own record of it).
        Point best;
        minMaxLoc(logits.reshape(1, 1), nullptr, nullptr, nullptr, &best);
        std::vector<int> ids;
        std::vector<float> top;
        model->getTopK(1, ids, top);
        ASSERT_EQ(ids.size(), 1u);
        EXPECT_EQ(ids[0], best.x);
        EXPECT_EQ(ids[0], (int)fs["pred"]);

        for (int c = 0; c < kClasses; ++c)
        {
            SCOPED_TRACE("class " + std::to_string(c));
            const Mat camRef = readMat(fs, "cam_" + std::to_string(c), yml);
            const Mat gradRef = readMat(fs, "gradcam_" + std::to_string(c), yml);
            Mat cam;
            model->getCAM(c, cam);
            ASSERT_EQ(cam.size(), camRef.size());
            ASSERT_EQ(gradRef.size(), camRef.size());

            // (b) the raw map.
            errCAM = std::max(errCAM, maxRelativeError(cam, camRef));

            // (c) Grad-CAM. Let A be the feature layer's output (a ReLU output), HxW its size.
            //  GAP->FC: logit_c = sum_k W[c,k] mean(A_k) + b_c, so d logit_c / d A_k(y,x) =
            //    W[c,k]/(HW) at every cell, alpha_k = W[c,k]/(HW) and
            //    Grad-CAM_c = ReLU(sum_k W[c,k] A_k / (HW)) = ReLU(CAM_c) / (HW).
            //  Class map: logit_c = mean(A_c) (GAP -> Flatten, no FC), so d logit_c / d A_k(y,x) =
            //    [k == c]/(HW) at every cell -- the gradient is taken w.r.t. the ReLU's OUTPUT, so
            //    the ReLU's mask does not enter -- alpha_k = [k == c]/(HW) and
            //    Grad-CAM_c = ReLU(A_c/(HW)) = A_c/(HW) = CAM_c/(HW) (A_c >= 0 already).
            //    (Taken w.r.t. the pre-ReLU conv output z instead, the gradient would be
            //    [z_c > 0]/(HW), alpha_c = #{z_c > 0}/(HW)^2 >= 0 and Grad-CAM_c = alpha_c A_c:
            //    still proportional, the normalized maps equal unless channel c is all zero.)
            //  So in both models normalized ReLU(CAM_c) == normalized Grad-CAM_c, and even
            //  unnormalized HW * Grad-CAM_c == ReLU(CAM_c). A ReLU'd map that is all zero
            //  (every cell of CAM_c <= 0) is compared as zero: then ReLU(getCAM) must be zero up to
            //  the tolerance of (b), since normalizing float noise would be meaningless.
            double gradMax = 0;
            minMaxLoc(gradRef, nullptr, &gradMax);
            if (gradMax <= 0)
            {
                ++zeroMaps;
                double ours = 0, scale = 0;
                minMaxLoc(relu(cam), nullptr, &ours);
                minMaxLoc(abs(camRef), nullptr, &scale);
                EXPECT_LE(ours, 1e-4 * std::max(scale, 1.0)) << "Grad-CAM is all zero";
            }
            else
            {
                Mat diff = abs(minMaxNormalized(relu(cam)) - minMaxNormalized(gradRef));
                double worst = 0;
                minMaxLoc(diff, nullptr, &worst);
                errGradCAM = std::max(errGradCAM, worst);
            }
            errGradCAMScale = std::max(errGradCAMScale,
                                       maxRelativeError(Mat(gradRef * cells), relu(camRef)));
        }
    }
    std::printf("[oracle] %s: max rel. error (a) scores vs logits %.3g (probs %.3g), "
                "(b) CAM %.3g, (c) normalized ReLU(CAM) vs Grad-CAM abs. %.3g "
                "(%d all-zero maps compared as zero; HW*Grad-CAM vs ReLU(CAM) in PyTorch %.3g)\n",
                om.kind, errScores, errProbs, errCAM, errGradCAM, zeroMaps, errGradCAMScale);
    std::fflush(stdout);
    EXPECT_LE(errScores, 1e-4);
    EXPECT_LE(errProbs, 1e-4);
    EXPECT_LE(errCAM, 1e-4);
    EXPECT_LE(errGradCAM, 1e-4);
    EXPECT_LE(errGradCAMScale, 1e-4);   // the identity itself, on PyTorch's own numbers
}

} // namespace

TEST(Oracle, GapFcModelMatchesPyTorchCAMAndAutogradGradCAM)
{
    checkModel({"gapfc", "fashion_gapfc.onnx", "onnx_node!features/relu", "onnx_node!fc", false});
}

TEST(Oracle, ClassMapModelMatchesPyTorchMapsAndAutogradGradCAM)
{
    checkModel({"classmap", "fashion_classmap.onnx", "onnx_node!classmap/relu", "", true});
}

TEST(Oracle, DemoDataIsComplete)
{
    const std::vector<String> labels = xcam::readClassLabels(data("fashion_labels.txt"));
    ASSERT_EQ(labels.size(), (size_t)kClasses);
    EXPECT_EQ(labels[0], "T-shirt/top");
    EXPECT_EQ(labels[9], "Ankle boot");
    for (const char* stem : kImages)
    {
        const Mat image = imread(data(std::string("images/") + stem + ".png"), IMREAD_UNCHANGED);
        ASSERT_FALSE(image.empty()) << stem;
        EXPECT_EQ(image.type(), CV_8UC1) << stem;
        FileStorage fs(data(std::string("oracle/gapfc_") + stem + ".yml"), FileStorage::READ);
        ASSERT_TRUE(fs.isOpened()) << stem;
        // The file name carries the ground-truth class.
        std::string name = labels[(int)fs["label"]];
        for (char& ch : name)
            ch = std::isalnum((unsigned char)ch) ? (char)std::tolower((unsigned char)ch) : '_';
        EXPECT_NE(std::string(stem).find("_" + name), std::string::npos) << stem << " vs " << name;
    }
}
