// DetectorModel's D-RISE and occlusion against the numpy oracle of tools/drise_reference.py
// (samples/data/detector/oracle/*.yml.gz: its own masks, its own similarity, the nets run by
// Python's cv2.dnn), and the pointing game of both maps on the demo detector's 16 committed
// held-out scenes. Maps are compared as the fixtures store them: image size -> 32x32 INTER_AREA.
// DetectorOracleHeavy.*: BlazeFace D-RISE, one forward pass per mask (it refuses batches).
#include "test_common.hpp"

#include "../samples/blazeface_decoder.hpp"
#include "../samples/common/boxes.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <iostream>

using namespace cv;
using namespace xcam_test;

namespace {

std::string repoPath(const std::string& relative)
{
    return std::string(XCAM_DATA_DIR) + "/../../" + relative;
}

/** One fixture file: the model and image it names, its targets, numpy's maps at 32x32. */
struct Oracle
{
    Ptr<xcam::DetectorModel> model;
    Mat image;
    xcam::CAMMethodParams params;  // grid, p, occlusion patch and stride of the fixture
    std::vector<xcam::Detection> targets;
    std::vector<Mat> drise, occlusion;
    std::vector<double> seedCorrelation;  // numpy's seed 1 vs seed 2 at num_masks, 32x32
    Size mapSize;
    int numpyMasks = 0;
};

Ptr<xcam::DetectorModel> oracleModel(const FileStorage& fs, const std::string& path)
{
    Ptr<xcam::DetectorModel> model = xcam::DetectorModel::create(path);
    model->setInputParams((double)fs["scale"], Size((int)fs["input_width"], (int)fs["input_height"]),
                          Scalar::all((double)fs["mean"]), (int)fs["swap_rb"] != 0);
    model->setInputNHWC((int)fs["nhwc"] != 0);
    if ((std::string)fs["detector"] == "demo")
        model->setFormat(xcam::DETECTION_YOLOV5);
    else
        model->setDecoder(blazeface::decode);
    return model;
}

xcam::Detection oracleTarget(const FileStorage& fs, int k)
{
    const std::string key = "target_" + std::to_string(k);
    Mat box, probs;
    fs[key + "_box"] >> box;
    xcam::Detection d;
    d.box = Rect2f(box.at<float>(0), box.at<float>(1), box.at<float>(2), box.at<float>(3));
    d.classId = (int)fs[key + "_class"];
    d.score = (float)(double)fs[key + "_score"];
    d.objectness = (float)(double)fs[key + "_objectness"];
    if (!fs[key + "_class_probs"].empty())
    {
        fs[key + "_class_probs"] >> probs;
        d.classProbs.assign(probs.begin<float>(), probs.end<float>());
    }
    return d;
}

Oracle loadOracle(const std::string& name)
{
    FileStorage fs(repoPath("samples/data/detector/oracle/drise_" + name + ".yml.gz"),
                   FileStorage::READ);
    CV_Assert(fs.isOpened());
    const bool inRepo = (std::string)fs["root"] == "repo";
    auto where = [&](const char* key) {
        return inRepo ? repoPath(fs[key]) : shared(fs[key]);
    };
    Oracle o;
    o.model = oracleModel(fs, where("model"));
    o.image = imread(where("image"), IMREAD_COLOR);
    CV_Assert(o.image.cols == (int)fs["image_width"] && o.image.rows == (int)fs["image_height"]);
    o.params.gridSize = (int)fs["grid_size"];
    o.params.keepProbability = (double)fs["keep_probability"];
    o.params.patchSize = (int)fs["occlusion_patch"];
    o.params.stride = (int)fs["occlusion_stride"];
    o.mapSize = Size((int)fs["map_width"], (int)fs["map_height"]);
    o.numpyMasks = (int)fs["num_masks"];
    for (int k = 0; k < (int)fs["num_targets"]; ++k)
    {
        const std::string n = std::to_string(k);
        o.targets.push_back(oracleTarget(fs, k));
        o.drise.push_back(fs["drise_" + n].mat());
        o.occlusion.push_back(fs["occlusion_" + n].mat());
        o.seedCorrelation.push_back((double)fs["drise_seed_corr_" + n]);
    }
    return o;
}

/** xcam's maps of the oracle's targets, resized to the fixture's map size as it stores them. */
std::vector<Mat> xcamMaps(const Oracle& o, int method, const xcam::CAMMethodParams& params)
{
    std::vector<Mat> maps, small(o.targets.size());
    o.model->explain(o.image, o.targets, method, maps, params);
    CV_Assert(maps.size() == o.targets.size());
    for (size_t k = 0; k < maps.size(); ++k)
    {
        CV_Assert(maps[k].size() == o.image.size());
        resize(maps[k], small[k], o.mapSize, 0, 0, INTER_AREA);
    }
    return small;
}

/** Occlusion is deterministic: xcam's maps equal numpy's up to float summation and the resizes.
    Returns the worst error relative to the map's largest magnitude. */
double occlusionError(const std::string& name)
{
    const Oracle o = loadOracle(name);
    const std::vector<Mat> maps = xcamMaps(o, xcam::CAM_METHOD_OCCLUSION, o.params);
    double worst = 0;
    for (size_t k = 0; k < maps.size(); ++k)
    {
        double peak = 0, err = 0;
        minMaxLoc(abs(o.occlusion[k]), nullptr, &peak);
        minMaxLoc(abs(maps[k] - o.occlusion[k]), nullptr, &err);
        std::cout << name << " target " << k << ": occlusion max |xcam - numpy| " << err
                  << " (peak " << peak << ")" << std::endl;
        worst = std::max(worst, err / peak);
    }
    return worst;
}

/** Pearson correlation of xcam's D-RISE (masks, seed) with numpy's, per target. */
std::vector<double> dRiseCorrelations(const Oracle& o, int masks, int seed)
{
    xcam::CAMMethodParams p = o.params;
    p.numMasks = masks;
    p.seed = seed;
    const std::vector<Mat> maps = xcamMaps(o, xcam::CAM_METHOD_RISE, p);
    std::vector<double> r;
    for (size_t k = 0; k < maps.size(); ++k)
        r.push_back(correlation(maps[k], o.drise[k]));
    return r;
}

/** Every target of the fixtures `names`: xcam's D-RISE at `masks` correlates with numpy's
    (8000 masks) at least `floor`. */
void expectDRiseAgrees(const std::vector<std::string>& names, int masks, double floor)
{
    for (const std::string& name : names)
    {
        SCOPED_TRACE(name);
        const Oracle o = loadOracle(name);
        const std::vector<double> r = dRiseCorrelations(o, masks, 0);
        for (size_t k = 0; k < r.size(); ++k)
        {
            std::cout << name << " target " << k << ": D-RISE xcam (" << masks
                      << " masks) vs numpy (" << o.numpyMasks << ") r = " << r[k]
                      << "; numpy seed-to-seed " << o.seedCorrelation[k] << std::endl;
            EXPECT_GE(r[k], floor) << "target " << k;
        }
    }
}

const std::vector<std::string> kDemoFixtures = {"demo_scene_000", "demo_scene_001",
                                                 "demo_scene_002", "demo_scene_003"};
const std::vector<std::string> kFaceFixtures = {"blazeface_astronaut", "blazeface_grace_hopper"};

/** A held-out scene: its items' boxes and, for each, the detection matched to it. */
struct Scene
{
    Mat image;
    std::vector<Rect> boxes;                // the items with a matched detection
    std::vector<xcam::Detection> targets;   // targets[i] matched to boxes[i]
    int items = 0;                          // in boxes.csv
};

float iou(const Rect2f& a, const Rect2f& b)
{
    const float inter = (a & b).area();
    return inter > 0 ? inter / (a.area() + b.area() - inter) : 0.f;
}

/** The 16 committed held-out scenes; each item's target is the highest-scoring detection (score
    >= 0.25, class-wise NMS 0.5) overlapping its box by IoU >= 0.5, whatever its class, as
    `tools/drise_reference.py pointing` picks them. */
std::vector<Scene> heldOutScenes(xcam::DetectorModel& model)
{
    const std::string dir = repoPath("samples/data/detector/");
    std::vector<std::string> names;
    std::vector<Rect> boxes;
    std::vector<int> classes;
    xcam_samples::readBoxes(dir + "boxes.csv", names, boxes, classes);
    std::vector<Scene> scenes;
    std::vector<xcam::Detection> found;
    for (size_t i = 0; i < names.size(); ++i)
    {
        if (i == 0 || names[i] != names[i - 1])
        {
            scenes.emplace_back();
            scenes.back().image = imread(dir + names[i], IMREAD_COLOR);
            CV_Assert(!scenes.back().image.empty());
            model.detect(scenes.back().image, found);
        }
        Scene& s = scenes.back();
        ++s.items;
        for (const xcam::Detection& d : found)  // highest score first
            if (iou(Rect2f(boxes[i]), d.box) >= 0.5f)
            {
                s.boxes.push_back(boxes[i]);
                s.targets.push_back(d);
                break;
            }
    }
    return scenes;
}

/** Pointing game (tolerance 0) of `method` on the scenes' matched items: hits / items. */
double pointingRate(xcam::DetectorModel& model, const std::vector<Scene>& scenes, int method,
                    const xcam::CAMMethodParams& params)
{
    int hits = 0, matched = 0, items = 0;
    for (const Scene& s : scenes)
    {
        std::vector<Mat> maps;
        model.explain(s.image, s.targets, method, maps, params);
        for (size_t i = 0; i < maps.size(); ++i)
            hits += xcam::pointingGame(maps[i], s.image.size(), s.boxes[i], 0);
        matched += (int)s.targets.size();
        items += s.items;
    }
    std::cout << xcam::getCAMMethodName(method) << ": pointing game " << hits << "/" << matched
              << " detected items (" << items << " items in " << scenes.size() << " scenes)"
              << std::endl;
    EXPECT_GE(matched, items - 2) << "the demo detector finds almost every item";
    return matched ? (double)hits / matched : 0.0;
}

Ptr<xcam::DetectorModel> demoDetector()
{
    Ptr<xcam::DetectorModel> model =
        xcam::DetectorModel::create(repoPath("samples/data/detector/detector_yolov5.onnx"));
    model->setInputParams(1 / 255.0, Size(128, 128));
    model->setFormat(xcam::DETECTION_YOLOV5);
    model->setThresholds(0.25f, 0.5f);
    return model;
}

} // namespace

// Occlusion is deterministic: equal up to float summation and the resizes (measured: max error
// 4.9e-7, 2.2e-6 of the map's peak, over the 12 targets).
TEST(DetectorOracle, DemoOcclusionMatchesNumpy)
{
    for (const std::string& name : kDemoFixtures)
        EXPECT_LT(occlusionError(name), 1e-5) << name;
}

TEST(DetectorOracle, BlazeFaceOcclusionMatchesNumpy)
{
    XCAM_REQUIRE_SHARED();
    for (const std::string& name : kFaceFixtures)
        EXPECT_LT(occlusionError(name), 1e-5) << name;
}

// Two independent estimates whose own seed-to-seed correlations are r1 (xcam) and r2 (numpy,
// 8000 masks: 0.938-0.968) correlate about sqrt(r1 r2): at 1000 antithetic masks (r1 about 0.77)
// about 0.86, at 4000 (r1 about 0.93) about 0.95. Measured: 0.84-0.87 on scene_000 at 1000
// masks (0.79-0.88 on all four scenes); 0.914-0.951 on all four at 4000, BlazeFace 0.955
// (astronaut) and 0.939 (grace_hopper).
TEST(DetectorOracle, DemoDRiseCorrelatesWithNumpy)
{
    expectDRiseAgrees({"demo_scene_000"}, 1000, 0.75);  // three targets, one item in two classes
}

TEST(DetectorOracleHeavy, DemoDRiseAt4000MasksCorrelatesWithNumpy)
{
    expectDRiseAgrees(kDemoFixtures, 4000, 0.9);
}

TEST(DetectorOracleHeavy, BlazeFaceDRiseCorrelatesWithNumpy)
{
    XCAM_REQUIRE_SHARED();
    expectDRiseAgrees(kFaceFixtures, 4000, 0.9);
}

// Tolerance 0. tools/drise_reference.py pointing measured numpy's occlusion at 40/52 on these
// scenes (the misses 1-10 px outside the tight box) and D-RISE (2000 masks) at 52/52; xcam:
// occlusion 40/52 = 0.77, D-RISE (1000 masks) 52/52.
TEST(DetectorPointingGame, DemoOcclusionPeaksInTheItem)
{
    Ptr<xcam::DetectorModel> model = demoDetector();
    const std::vector<Scene> scenes = heldOutScenes(*model);
    EXPECT_GE(pointingRate(*model, scenes, xcam::CAM_METHOD_OCCLUSION, xcam::CAMMethodParams()),
              0.72);
}

TEST(DetectorPointingGameHeavy, DemoDRisePeaksInTheItem)
{
    Ptr<xcam::DetectorModel> model = demoDetector();
    const std::vector<Scene> scenes = heldOutScenes(*model);
    xcam::CAMMethodParams p;
    p.numMasks = 1000;
    EXPECT_GE(pointingRate(*model, scenes, xcam::CAM_METHOD_RISE, p), 0.95);
}
