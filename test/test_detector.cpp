// DetectorModel::detect and the built-in decoders on nets whose outputs are known
// (tools/make_detector_test_nets.py): every proposal decoded by hand, boxes back in image pixels
// for non-square images, class-wise NMS against cv::dnn::NMSBoxes, and bad input.
#include "test_detector_nets.hpp"

#include <stdexcept>

using namespace cv;
using namespace xcam_test;

namespace {

const Size kImage(48, 40);  // not the input's 24x16 aspect: x scales by 2, y by 2.5

// Every proposal of a test net on a blob, decoded by decodeDetections for the 48x40 image.
std::vector<xcam::Detection> decodeNet(const char* file, int format, const Mat& blob)
{
    dnn::Net net = dnn::readNet(testdata(file));
    std::vector<Mat> outs;
    net.setInput(blob);
    net.forward(outs, net.getUnconnectedOutLayersNames());
    std::vector<xcam::Detection> proposals;
    xcam::decodeDetections(outs, format, Size(kDetW, kDetH), kImage, proposals);
    return proposals;
}

void expectSameDetection(const xcam::Detection& got, const xcam::Detection& want, int i)
{
    SCOPED_TRACE(i);
    EXPECT_NEAR(got.box.x, want.box.x, 1e-4);
    EXPECT_NEAR(got.box.y, want.box.y, 1e-4);
    EXPECT_NEAR(got.box.width, want.box.width, 1e-4);
    EXPECT_NEAR(got.box.height, want.box.height, 1e-4);
    EXPECT_EQ(got.classId, want.classId);
    EXPECT_NEAR(got.score, want.score, 1e-5);
    EXPECT_NEAR(got.objectness, want.objectness, 1e-5);
    ASSERT_EQ(got.classProbs.size(), want.classProbs.size());
    for (size_t k = 0; k < want.classProbs.size(); ++k)
        EXPECT_NEAR(got.classProbs[k], want.classProbs[k], 1e-5);
}


} // namespace

TEST(Detection, DefaultsAndFormatNames)
{
    const xcam::Detection d;
    EXPECT_EQ(d.classId, -1);
    EXPECT_EQ(d.score, 0.f);
    EXPECT_EQ(d.objectness, 1.f);
    EXPECT_TRUE(d.classProbs.empty());
    EXPECT_EQ(d.box.area(), 0.f);
    const char* names[] = {"yolov5", "yolov8", "ssd"};
    for (int f = 0; f < 3; ++f)
    {
        EXPECT_EQ(xcam::getDetectionFormatName(f), names[f]);
        EXPECT_EQ(xcam::parseDetectionFormat(names[f]), f);
    }
    EXPECT_EQ(xcam::parseDetectionFormat("YOLOv8"), xcam::DETECTION_YOLOV8);
    EXPECT_CV_ERROR(xcam::getDetectionFormatName(3), "not a DetectionFormat");
    EXPECT_CV_ERROR(xcam::parseDetectionFormat("yolo"), "yolov5, yolov8, ssd");
}

TEST(Detection, SimilarityIsIoUTimesCosineTimesObjectness)
{
    xcam::Detection t, d;
    t.box = Rect2f(0, 0, 10, 10);
    d.box = Rect2f(5, 0, 10, 10);  // IoU 50 / 150
    d.objectness = .5f;
    EXPECT_NEAR(xcam::detectionSimilarity(t, d), 1.0 / 3 * .5, 1e-6);  // no class: cos 1
    t.classProbs = {1.f, 0.f};
    d.classProbs = {.6f, .8f};
    EXPECT_NEAR(xcam::detectionSimilarity(t, d), 1.0 / 3 * .6 * .5, 1e-6);
    t.classProbs.clear();
    t.classId = 1;  // one-hot of class 1 against (.6, .8)
    EXPECT_NEAR(xcam::detectionSimilarity(t, d), 1.0 / 3 * .8 * .5, 1e-6);
    d.classProbs.clear();
    d.classId = 0;  // two one-hot classes that differ
    EXPECT_EQ(xcam::detectionSimilarity(t, d), 0.f);
    d.classId = 1;
    EXPECT_NEAR(xcam::detectionSimilarity(t, d), 1.0 / 3 * .5, 1e-6);
    d.box = Rect2f(20, 20, 5, 5);
    EXPECT_EQ(xcam::detectionSimilarity(t, d), 0.f);
    t.box.width = std::numeric_limits<float>::quiet_NaN();
    EXPECT_CV_ERROR(xcam::detectionSimilarity(t, d), "non-finite");
    t.box.width = 10;
    t.classProbs = {1.f, 0.f, 0.f};
    d.classProbs = {1.f, 0.f};
    EXPECT_CV_ERROR(xcam::detectionSimilarity(t, d), "cannot be compared");
}

TEST(DetectorDecoders, Yolo5EveryProposalInImagePixels)
{
    const Mat blob = linearBlob(rampImage(kImage));
    const std::vector<xcam::Detection> got = decodeNet("det_yolov5.onnx", xcam::DETECTION_YOLOV5, blob);
    const std::vector<xcam::Detection> want = expectedYolo5(blob, kImage);
    ASSERT_EQ(got.size(), want.size());
    ASSERT_GT(regionMean(blob), 0.1);
    ASSERT_LT(regionMean(blob), 0.9);
    for (size_t i = 0; i < want.size(); ++i)
        expectSameDetection(got[i], want[i], (int)i);
    EXPECT_NEAR(got[0].box.x, 16.f, 1e-5);   // (12 - 4) * 2
    EXPECT_NEAR(got[0].box.y, 10.f, 1e-5);   // (7 - 3) * 2.5
    EXPECT_NEAR(got[0].box.height, 15.f, 1e-5);
}

TEST(DetectorDecoders, Yolo8ObjectnessOneScoreBestClass)
{
    const Mat blob = linearBlob(rampImage(kImage));
    const std::vector<xcam::Detection> got = decodeNet("det_yolov8.onnx", xcam::DETECTION_YOLOV8, blob);
    std::vector<xcam::Detection> want = expectedYolo5(blob, kImage);
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i)
    {
        xcam::Detection& w = want[i];
        for (float& p : w.classProbs)  // the net's scores: objectness x probabilities
            p *= w.objectness;
        if (i == 0)  // proposal 0: only class 1 is dynamic (0.8 m), the others 0
            w.classProbs = {0.f, (float)(0.8 * regionMean(blob)), 0.f};
        if (i == 2)  // proposal 2: all 0 (its objectness is not constant in YOLOv5's layout)
            w.classProbs = {0.f, 0.f, 0.f};
        w.classId = (int)(std::max_element(w.classProbs.begin(), w.classProbs.end()) -
                          w.classProbs.begin());
        w.score = w.classProbs[w.classId];
        w.objectness = 1.f;
        expectSameDetection(got[i], w, (int)i);
    }
}

TEST(DetectorDecoders, SsdRowsSkipPaddingAndScaleToTheImage)
{
    const Mat blob = linearBlob(rampImage(kImage));
    const std::vector<xcam::Detection> got = decodeNet("det_ssd.onnx", xcam::DETECTION_SSD, blob);
    ASSERT_EQ(got.size(), 3u);  // rows 3 (image -1), 4 (class -1) and 5 (score 0) skipped
    for (int i = 0; i < 3; ++i)
    {
        const float* r = kSsdRows[i];
        xcam::Detection w;
        w.box = Rect2f(r[3] * kImage.width, r[4] * kImage.height, (r[5] - r[3]) * kImage.width,
                       (r[6] - r[4]) * kImage.height);
        w.classId = (int)r[1];
        w.score = w.objectness = i == 0 ? (float)(0.9 * regionMean(blob)) : r[2];
        expectSameDetection(got[i], w, i);
    }
}

TEST(DetectorDecoders, SsdFromARealDetectionOutputLayer)
{
    Ptr<xcam::DetectorModel> model = xcam::DetectorModel::create(
        testdata("det_ssd.caffemodel"), testdata("det_ssd.prototxt"));
    model->setInputParams(1 / 255.0, Size(kSsdW, kSsdH));
    model->setFormat(xcam::DETECTION_SSD);
    model->setThresholds(0.01f, 0.45f);
    const Size image(96, 80);
    std::vector<xcam::Detection> got;
    model->detect(greyImage(image, 100), got);
    // Softmax of the constant logits; every 16x16 prior decoded with the constant deltas.
    double e[3], total = 0;
    for (int c = 0; c < 3; ++c)
        total += e[c] = std::exp((double)kSsdConfB[c]);
    std::vector<xcam::Detection> want;
    for (int c = 1; c < 3; ++c)
        for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 3; ++x)
            {
                const double pw = 16.0 / kSsdW, ph = 16.0 / kSsdH;
                const double cx = (x + .5) * pw + kSsdVariance[0] * kSsdLocB[0] * pw;
                const double cy = (y + .5) * ph + kSsdVariance[1] * kSsdLocB[1] * ph;
                const double w = std::exp(kSsdVariance[2] * kSsdLocB[2]) * pw;
                const double h = std::exp(kSsdVariance[3] * kSsdLocB[3]) * ph;
                xcam::Detection d;
                d.box = Rect2f((float)((cx - w / 2) * image.width),
                               (float)((cy - h / 2) * image.height), (float)(w * image.width),
                               (float)(h * image.height));
                d.classId = c;
                d.score = d.objectness = (float)(e[c] / total);
                want.push_back(d);
            }
    ASSERT_EQ(got.size(), want.size());
    for (const xcam::Detection& w : want)
    {
        bool found = false;
        for (const xcam::Detection& g : got)
            found = found || (g.classId == w.classId && std::abs(g.box.x - w.box.x) < 1e-3 &&
                              std::abs(g.box.y - w.box.y) < 1e-3 &&
                              std::abs(g.box.width - w.box.width) < 1e-3 &&
                              std::abs(g.box.height - w.box.height) < 1e-3 &&
                              std::abs(g.score - w.score) < 1e-5);
        EXPECT_TRUE(found) << "class " << w.classId << " box " << w.box;
    }
}

TEST(DetectorModel, DetectKeepsTheBestOfEachClass)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    const Mat image = greyImage(kImage, 255);  // m = 1
    std::vector<xcam::Detection> got;
    model->detect(image, got);  // default thresholds: score > 0.25, NMS IoU 0.45
    const std::vector<xcam::Detection> all = expectedYolo5(linearBlob(image), kImage);
    // 0 (class 1, 0.8) suppresses 2 (class 1, 0.63); 1 (class 2, 0.4) overlaps 0 but is another
    // class; 3 (class 0, 0.54) is alone; 4 (0.24) is below the threshold.
    ASSERT_EQ(got.size(), 3u);
    expectSameDetection(got[0], all[0], 0);
    expectSameDetection(got[1], all[3], 3);
    expectSameDetection(got[2], all[1], 1);
    std::vector<xcam::Detection> last;
    model->getLastDetections(last);
    EXPECT_EQ(last.size(), got.size());

    model->setThresholds(0.5f, 0.45f);
    model->detect(image, got);
    EXPECT_EQ(got.size(), 2u);
    model->setThresholds(0.25f, 0.95f);  // nothing overlaps that much: 2 comes back
    model->detect(image, got);
    EXPECT_EQ(got.size(), 4u);
}

TEST(DetectorModel, ClasswiseNMSEqualsNMSBoxesPerClass)
{
    RNG rng(5);
    std::vector<xcam::Detection> proposals(300);
    for (xcam::Detection& d : proposals)
    {
        d.box = Rect2f(rng.uniform(0.f, 80.f), rng.uniform(0.f, 60.f), rng.uniform(5.f, 30.f),
                       rng.uniform(5.f, 30.f));
        d.classId = rng.uniform(0, 4);
        d.score = rng.uniform(0.f, 1.f);
    }
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    model->setDecoder([&](const std::vector<Mat>&, const Size&, std::vector<xcam::Detection>& p)
                      { p = proposals; });
    const float scoreThreshold = 0.3f, nmsThreshold = 0.4f;
    model->setThresholds(scoreThreshold, nmsThreshold);
    std::vector<xcam::Detection> got;
    model->detect(greyImage(kImage, 128), got);

    std::vector<int> kept;
    for (int c = 0; c < 4; ++c)
    {
        std::vector<Rect2d> boxes;
        std::vector<float> scores;
        std::vector<int> ids, indices;
        for (int i = 0; i < (int)proposals.size(); ++i)
            if (proposals[i].classId == c)
            {
                const Rect2f& b = proposals[i].box;
                boxes.push_back(Rect2d(b.x, b.y, b.width, b.height));
                scores.push_back(proposals[i].score);
                ids.push_back(i);
            }
        dnn::NMSBoxes(boxes, scores, scoreThreshold, nmsThreshold, indices);
        for (int j : indices)
            kept.push_back(ids[j]);
    }
    std::sort(kept.begin(), kept.end(),
              [&](int a, int b) { return proposals[a].score > proposals[b].score; });
    ASSERT_EQ(got.size(), kept.size());
    for (size_t i = 0; i < kept.size(); ++i)
        expectSameDetection(got[i], proposals[kept[i]], (int)i);
    // The test means something: NMS suppressed boxes, and ignoring classes would keep fewer.
    std::vector<Rect2d> allBoxes;
    std::vector<float> allScores;
    std::vector<int> agnostic;
    int above = 0;
    for (const xcam::Detection& d : proposals)
    {
        allBoxes.push_back(Rect2d(d.box.x, d.box.y, d.box.width, d.box.height));
        allScores.push_back(d.score);
        above += d.score > scoreThreshold;
    }
    dnn::NMSBoxes(allBoxes, allScores, scoreThreshold, nmsThreshold, agnostic);
    EXPECT_LT((int)kept.size(), above);
    EXPECT_LT(agnostic.size(), kept.size());
}

TEST(DetectorModel, BadInputGivesClearErrors)
{
    Ptr<xcam::DetectorModel> model = xcam::DetectorModel::create(testdata("det_yolov5.onnx"));
    model->setInputParams(1 / 255.0, Size(kDetW, kDetH));
    std::vector<xcam::Detection> dets;
    const Mat image = greyImage(kImage, 200);
    EXPECT_CV_ERROR(model->detect(image, dets), "no decoder");
    EXPECT_CV_ERROR(model->setFormat(3), "not a DetectionFormat");
    EXPECT_CV_ERROR(model->setFormat(-1), "not a DetectionFormat");
    EXPECT_CV_ERROR(model->setDecoder(xcam::DetectionDecoder()), "decoder is empty");
    model->setFormat(xcam::DETECTION_SSD);  // the wrong layout for this net
    EXPECT_CV_ERROR(model->detect(image, dets), "1 x 1 x N x 7");
    model->setFormat(xcam::DETECTION_YOLOV5);
    EXPECT_CV_ERROR(model->detect(Mat(), dets), "image is empty");
    EXPECT_CV_ERROR(model->detect(Mat(kImage, CV_16UC3, Scalar::all(1)), dets), "CV_8U or CV_32F");
    const int shape[] = {1, 3, kDetH, kDetW};
    EXPECT_CV_ERROR(model->detect(Mat(4, shape, CV_32F, Scalar(0)), dets), "dimensions");
    EXPECT_CV_ERROR(model->setThresholds(std::numeric_limits<float>::quiet_NaN(), .5f),
                    "scoreThreshold");
    EXPECT_CV_ERROR(model->setThresholds(.5f, 1.5f), "nmsThreshold");
    EXPECT_CV_ERROR(model->setInputParams(0), "scale");
    EXPECT_CV_ERROR(model->setInputParams(1, Size(-1, 3)), "size");
    EXPECT_CV_ERROR(xcam::DetectorModel::create(""), "model path is empty");
    EXPECT_CV_ERROR(xcam::DetectorModel::create(dnn::Net()), "net is empty");
    EXPECT_CV_ERROR(xcam::decodeDetections({}, xcam::DETECTION_YOLOV5, Size(1, 1), Size(1, 1),
                                           dets), "no outputs");
    EXPECT_CV_ERROR(xcam::decodeDetections({Mat(1, 6, CV_32F)}, xcam::DETECTION_YOLOV5,
                                           Size(0, 1), Size(1, 1), dets), "positive");
    model->detect(image, dets);  // still works after the errors
    EXPECT_EQ(dets.size(), 3u);
}

TEST(DetectorModel, DecoderErrorsReachTheCaller)
{
    Ptr<xcam::DetectorModel> model = makeDetector("det_yolov5.onnx", xcam::DETECTION_YOLOV5);
    std::vector<xcam::Detection> dets;
    const Mat image = greyImage(kImage, 200);
    model->setDecoder([](const std::vector<Mat>&, const Size&, std::vector<xcam::Detection>&)
                      { throw std::runtime_error("boom"); });
    EXPECT_CV_ERROR(model->detect(image, dets), "decoder threw: boom");
    model->setDecoder([](const std::vector<Mat>&, const Size&, std::vector<xcam::Detection>&)
                      { CV_Error(Error::StsBadSize, "my net changed"); });
    EXPECT_CV_ERROR(model->detect(image, dets), "decoder failed");
    model->setDecoder([](const std::vector<Mat>&, const Size&, std::vector<xcam::Detection>&)
                      { throw 7; });
    EXPECT_CV_ERROR(model->detect(image, dets), "unknown exception");
    model->setDecoder([](const std::vector<Mat>&, const Size&, std::vector<xcam::Detection>& p) {
        p.assign(2, xcam::Detection());
        p[1].score = std::numeric_limits<float>::quiet_NaN();
    });
    EXPECT_CV_ERROR(model->detect(image, dets), "proposals (the decoder's output)[1]");
}
