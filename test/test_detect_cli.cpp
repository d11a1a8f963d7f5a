// The xcam_detect CLI, run as a program: its --results detections are DetectorModel::detect's on
// the demo detector's committed scenes and find their items; BlazeFace (../shared) finds the
// astronaut's face through samples/blazeface_decoder.hpp; errors are one line; shards and a
// resumed run give one run's records; a video runs Eigen-CAM, the default there.
#include "cli_runner.hpp"

#include "common/detect_options.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include <fstream>
#include <map>
#include <regex>

using namespace cv;
using namespace xcam_test;

namespace {

const std::string kDetector = std::string(XCAM_DATA_DIR) + "/detector/";
const std::string kDemoModel = "--model=" + kDetector + "detector_yolov5.onnx --width=128 --height=128 "
                               "--scale=0.00392156862745098 --labels=" XCAM_DATA_DIR "/fashion_labels.txt";

CliRun runDetect(const std::string& args)
{
    return runProgram(XCAM_DETECT_EXE, args);
}

/** One --results record read back (cv::FileStorage reads JSON but not null: null becomes ""). */
struct Record
{
    std::string path, method, canonical;
    int selected = -1;
    std::vector<xcam::Detection> detections;
    std::vector<std::string> labels;
};

Record parseRecord(std::string line)
{
    line = std::regex_replace(line, std::regex(": null"), ": \"\"");
    FileStorage fs(line, FileStorage::READ | FileStorage::MEMORY | FileStorage::FORMAT_JSON);
    Record r;
    r.path = (std::string)fs["path"];
    r.method = (std::string)fs["method"];
    r.canonical = fs["canonical_path"].empty() ? "" : (std::string)fs["canonical_path"];
    r.selected = fs["selected"].isString() ? -1 : (int)fs["selected"];
    for (const FileNode& d : fs["detections"])
    {
        xcam::Detection det;
        const FileNode box = d["box"];
        det.box = Rect2f((float)box[0], (float)box[1], (float)box[2], (float)box[3]);
        det.classId = (int)d["class_id"];
        det.score = (float)d["score"];
        r.detections.push_back(det);
        r.labels.push_back((std::string)d["label"]);
    }
    return r;
}

std::vector<Record> readRecords(const std::string& jsonl)
{
    std::vector<Record> records;
    for (const std::string& line : resultRecords(jsonl))
        records.push_back(parseRecord(line));
    return records;
}

std::string scenePath(int i)
{
    return kDetector + format("scene_%03d.png", i);
}

/** A list file of the 16 committed scenes (absolute paths) in a fresh folder. */
std::string sceneList(const std::string& dir)
{
    std::ofstream list(dir + "/scenes.txt");
    for (int i = 0; i < 16; ++i)
        list << scenePath(i) << "\n";
    return dir + "/scenes.txt";
}

struct Item
{
    Rect2f box;
    int classId;
};

/** boxes.csv: the items of every scene, by file name. */
std::map<std::string, std::vector<Item>> sceneItems()
{
    std::map<std::string, std::vector<Item>> items;
    std::ifstream csv(kDetector + "boxes.csv");
    std::string line;
    std::getline(csv, line);  // the header
    while (std::getline(csv, line))
    {
        if (line.empty() || line[0] == '#')
            continue;
        std::replace(line.begin(), line.end(), ',', ' ');
        std::istringstream in(line);
        std::string name;
        Item item;
        in >> name >> item.box.x >> item.box.y >> item.box.width >> item.box.height >> item.classId;
        items[name].push_back(item);
    }
    return items;
}

float iou(const Rect2f& a, const Rect2f& b)
{
    const float inter = (a & b).area();
    return inter / (a.area() + b.area() - inter);
}

/** 2 when a detection of the item's class overlaps its box by IoU >= 0.5, 1 when one of another
    class does, else 0. */
int found(const Item& item, const std::vector<xcam::Detection>& detections)
{
    int best = 0;
    for (const xcam::Detection& d : detections)
        if (iou(d.box, item.box) >= 0.5f)
            best = std::max(best, d.classId == item.classId ? 2 : 1);
    return best;
}

const int kShirt = 6;  // Fashion-MNIST's Shirt: AP 0.578, the detector's weak class (its README)

/** Counts the items of scene `i` that `detections` locate and those they also classify. */
void countItems(int i, const std::vector<xcam::Detection>& detections, int& located, int& classified)
{
    static const std::map<std::string, std::vector<Item>> items = sceneItems();
    for (const Item& item : items.at(format("scene_%03d.png", i)))
    {
        const int f = found(item, detections);
        located += f > 0;
        classified += f == 2;
    }
}

Ptr<xcam::DetectorModel> demoDetector()
{
    Ptr<xcam::DetectorModel> model = xcam::DetectorModel::create(kDetector + "detector_yolov5.onnx");
    model->setInputParams(1 / 255.0, Size(128, 128));
    model->setFormat(xcam::DETECTION_YOLOV5);
    return model;
}

/** parseDetectOptions on `args` (each one argv entry); returns the error ("" on success). */
std::string parseDetect(const std::vector<std::string>& args, xcam_samples::DetectOptions& options)
{
    return parseArgs(xcam_samples::kDetectKeys, args, options, xcam_samples::parseDetectOptions);
}

} // namespace

TEST(XcamDetectOptions, FormatsThresholdsAndMethodsParseStrictly)
{
    xcam_samples::DetectOptions o;
    ASSERT_EQ(parseDetect({"--model=m.onnx"}, o), "");
    EXPECT_EQ(o.format, xcam::DETECTION_YOLOV5);
    EXPECT_EQ(o.method, -1);
    EXPECT_FALSE(o.nhwc);
    EXPECT_FLOAT_EQ(o.scoreThreshold, 0.25f);
    EXPECT_FLOAT_EQ(o.nmsThreshold, 0.45f);
    EXPECT_EQ(o.methodParams.gridSize, 0) << "automatic: 16 for D-RISE";
    // BlazeFace: its preprocessing and thresholds, which options given override.
    ASSERT_EQ(parseDetect({"--model=m.onnx", "--format=BlazeFace", "--score-threshold=0.7"}, o), "");
    EXPECT_EQ(o.format, xcam_samples::kFormatBlazeFace);
    EXPECT_EQ(Size(o.model.width, o.model.height), Size(128, 128));
    EXPECT_DOUBLE_EQ(o.model.scale, 1 / 127.5);
    EXPECT_EQ(o.model.mean, Scalar(127.5, 127.5, 127.5, 0));
    EXPECT_TRUE(o.model.rgb && o.nhwc);
    EXPECT_FLOAT_EQ(o.scoreThreshold, 0.7f);
    EXPECT_FLOAT_EQ(o.nmsThreshold, 0.3f);
    ASSERT_EQ(parseDetect({"--model=m.onnx", "--format=blazeface", "--nhwc=false", "--width=256", "--height=256"}, o),
              "");
    EXPECT_FALSE(o.nhwc);
    EXPECT_EQ(o.model.width, 256);
    ASSERT_EQ(parseDetect({"--model=m.onnx", "--format=yolov8", "--method=RISE", "--labels=l.txt",
                           "--feature-layer=f", "--masks=10", "--grid=4"}, o), "");
    EXPECT_EQ(o.format, xcam::DETECTION_YOLOV8);
    EXPECT_EQ(o.method, xcam::CAM_METHOD_RISE) << "case ignored, as parseCAMMethod";
    EXPECT_EQ(o.model.classes, "l.txt");
    EXPECT_EQ(o.model.feature, "f");
    EXPECT_EQ(o.methodParams.numMasks, 10);
    EXPECT_EQ(o.methodParams.gridSize, 4);
    const std::pair<std::vector<std::string>, std::string> errors[] = {
        {{"--format=ssd300"}, "--format 'ssd300' is unknown"},
        {{"--method=layercam"}, "does not work on detectors"},
        {{"--score-threshold=-0.1"}, "--score-threshold '-0.1' must be in [0, 1]"},
        {{"--nms-threshold=nan"}, "--nms-threshold"},
        {{"--nhwc=maybe"}, "--nhwc"},
        {{"--keep=0"}, "--keep"},
        {{}, "--model is required"},
    };
    for (const auto& c : errors)
    {
        std::vector<std::string> args = c.first;
        if (!args.empty())
            args.push_back("--model=m.onnx");
        xcam_samples::DetectOptions untouched;
        untouched.nhwc = true;
        const std::string error = parseDetect(args, untouched);
        EXPECT_NE(error.find(c.second), std::string::npos) << error;
        EXPECT_EQ(error.find('\n'), std::string::npos) << error;
        EXPECT_TRUE(untouched.nhwc) << "a failed parse leaves the options alone";
    }
}

TEST(XcamDetectCli, DemoScenesRecordDetectsBoxesAndFindTheirItems)
{
    const std::string dir = freshDir("_dir"), jsonl = dir + "/r.jsonl";
    const CliRun run = runDetect(kDemoModel + " --method=eigencam --score-threshold=0.1 --input=" +
                                 sceneList(dir) + " --results=" + jsonl + " --headless");
    ASSERT_EQ(run.status, 0) << run.err;
    const std::vector<Record> records = readRecords(jsonl);
    ASSERT_EQ(records.size(), 16u);
    const std::vector<String> labels = xcam::readClassLabels(XCAM_DATA_DIR "/fashion_labels.txt");
    const auto items = sceneItems();
    Ptr<xcam::DetectorModel> model = demoDetector();
    model->setThresholds(0.1f, 0.45f);
    int located = 0, classified = 0;
    for (int i = 0; i < 16; ++i)
    {
        const Record& r = records[i];
        EXPECT_EQ(r.path, scenePath(i));
        EXPECT_EQ(r.method, "eigencam");
        std::vector<xcam::Detection> expected;
        model->detect(imread(scenePath(i)), expected);
        ASSERT_EQ(r.detections.size(), expected.size()) << r.path;
        EXPECT_EQ(r.selected, expected.empty() ? -1 : 0);
        for (size_t k = 0; k < expected.size(); ++k)
        {
            EXPECT_EQ(r.detections[k].classId, expected[k].classId) << r.path << " #" << k;
            EXPECT_EQ(r.labels[k], labels[expected[k].classId]) << r.path << " #" << k;
            EXPECT_NEAR(r.detections[k].score, expected[k].score, 1e-5) << r.path << " #" << k;
            for (int c = 0; c < 4; ++c)
                EXPECT_NEAR((&r.detections[k].box.x)[c], (&expected[k].box.x)[c], 1e-3) << r.path << " #" << k;
        }
        for (const Item& item : items.at(format("scene_%03d.png", i)))
            EXPECT_EQ(found(item, r.detections), item.classId == kShirt ? found(item, r.detections) : 2)
                << r.path << ": the item of class " << item.classId << " at " << item.box;
        countItems(i, r.detections, located, classified);
    }
    // Measured: every item located; 48 of 53 with their class, the 5 others Shirts taken for
    // a T-shirt, a coat or a bag (the same boxes, IoU >= 0.92).
    EXPECT_EQ(located, 53);
    EXPECT_GE(classified, 48);
}

TEST(XcamDetectCli, DRiseIsTheDefaultOnAStillAndDrawsTheMapOfTheSelectedBox)
{
    const std::string dir = freshDir("_dir"), jsonl = dir + "/r.jsonl", out = dir + "/scene.png";
    const CliRun run = runDetect(kDemoModel + " --masks=64 --input=" + scenePath(0) + " --output=" + out +
                                 " --results=" + jsonl + " --headless");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.err.find("method rise (the default)"), std::string::npos) << run.err;
    const std::vector<std::string> records = resultRecords(jsonl);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_NE(records[0].find("\"method\": \"rise\", \"feature_layer\": \"\", \"map_size\": [128, 128], "
                            "\"output\": \"" + out + "\", \"selected\": 0, \"detections\": [{\"box\": ["),
              std::string::npos) << records[0];
    EXPECT_NE(readFile(jsonl).find("\"method\": \"rise\", \"method_params\": {\"masks\": 64, \"grid\": 0"),
              std::string::npos);
    // The drawn image: the map's colours over the grey scene, the boxes on top.
    const Mat drawn = imread(out), scene = imread(scenePath(0));
    ASSERT_EQ(drawn.size(), scene.size());
    Mat channels[3];
    split(drawn, channels);
    EXPECT_GT(norm(channels[0], channels[2], NORM_L1), 1000.0) << "no colour: no map drawn";
    // stdout: one line per detection, the best first.
    const std::vector<std::string> out1 = lines(run.out);
    ASSERT_FALSE(out1.empty());
    EXPECT_EQ(out1[0].rfind("1 7 Sneaker 0.89", 0), 0u) << out1[0];
}

TEST(XcamDetectCli, BlazeFaceFindsTheAstronautsFaceWithTheSampleDecoder)
{
    XCAM_REQUIRE_SHARED();
    const std::string dir = freshDir("_dir"), jsonl = dir + "/r.jsonl";
    const std::string model = "--format=blazeface --model=" +
                              shared("models/blazeface_front_128/blazeface_front_128.onnx");
    for (const std::string method : {"eigencam", "rise --masks=32"})
    {
        const CliRun run = runDetect(model + " --input=" + shared("images/astronaut.png") + " --method=" + method +
                                     " --results=" + jsonl + " --output=" + dir + "/face.png --headless");
        ASSERT_EQ(run.status, 0) << run.err;
        const std::vector<Record> records = readRecords(jsonl);
        ASSERT_EQ(records.size(), 1u);
        ASSERT_EQ(records[0].detections.size(), 1u) << "one face";
        const xcam::Detection& face = records[0].detections[0];
        EXPECT_EQ(records[0].labels[0], "face");
        EXPECT_NEAR(face.score, 0.921, 0.002);
        // ../shared/models/blazeface_front_128/README.md: (178.7, 82.3, 92.5, 92.5)
        EXPECT_NEAR(face.box.x, 178.7, 3);
        EXPECT_NEAR(face.box.y, 82.3, 3);
        EXPECT_NEAR(face.box.width, 92.5, 3);
        EXPECT_NEAR(face.box.height, 92.5, 3);
        EXPECT_EQ(imread(dir + "/face.png").size(), Size(512, 512));
    }
}

TEST(XcamDetectCli, ErrorsGiveOneLineAndNonZeroExitAndWriteNothing)
{
    const std::string dir = freshDir("_dir"), jsonl = dir + "/r.jsonl", out = dir + "/o.png";
    const std::string image = " --input=" + scenePath(0) + " --headless --results=" + jsonl + " --output=" + out;
    const ErrorCase cases[] = {
        {kDemoModel + image + " --format=yolov9", "--format 'yolov9' is unknown; formats: yolov5, yolov8, ssd, blazeface"},
        {kDemoModel + image + " --method=gradcam", "--method 'gradcam' does not work on detectors; methods on "
                                                   "detectors: auto, " + std::string("eigencam, occlusion, rise")},
        {kDemoModel + image + " --method=nope", "--method 'nope' is unknown"},
        {"--model=" + dir + "/missing.onnx" + image, "cannot read model"},
        {"--model=" XCAM_DATA_DIR "/fashion_labels.txt" + image, "not a model cv::dnn reads"},
        {kDemoModel + image + " --score-threshold=1.5", "--score-threshold '1.5' must be in [0, 1]"},
        {kDemoModel + image + " --nms-threshold=abc", "--nms-threshold"},
        {kDemoModel + image + " --masks=0", "--masks"},
        {kDemoModel + image + " --width=-3", "--width"},
        {kDemoModel + image + " --mean=\"1 2\"", "--mean"},
        {"--model=" + kDetector + "detector_yolov5.onnx" + image + " --labels=" + dir + "/none.txt",
         "cannot read labels"},
        {kDemoModel + " --input=" + dir + "/none.png --headless", "none.png"},
        {kDemoModel + " --input=" + scenePath(0) + " --resume --headless", "--resume needs --results"},
        {kDemoModel + " --input=" + scenePath(0) + " --frobnicate=1", "unknown option --frobnicate"},
        {kDemoModel + " --input=" + scenePath(0) + " --max-channels=3", "unknown option --max-channels"},
    };
    for (const ErrorCase& c : cases)
        expectOneErrorLineOf(XCAM_DETECT_EXE, "xcam_detect", c.args, c.message);
    EXPECT_FALSE(std::filesystem::exists(jsonl));
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 0)
        << "a failed run left a file in " << dir;
}

TEST(XcamDetectCli, ShardsTogetherGiveOneRunsRecords)
{
    const std::string dir = freshDir("_dir"), list = sceneList(dir);
    const std::string args = kDemoModel + " --masks=16 --headless --input=" + list;
    ASSERT_EQ(runDetect(args + " --results=" + dir + "/one.jsonl").status, 0);
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(runDetect(args + format(" --shard=%d/3", i) + " --results=" + dir + "/shards.jsonl").status, 0);
    std::vector<std::string> one = resultRecords(dir + "/one.jsonl"), shards = resultRecords(dir + "/shards.jsonl");
    EXPECT_EQ(lines(readFile(dir + "/one.jsonl"))[0], lines(readFile(dir + "/shards.jsonl"))[0]) << "headers";
    ASSERT_EQ(one.size(), 16u);
    std::sort(one.begin(), one.end());
    std::sort(shards.begin(), shards.end());
    EXPECT_EQ(one, shards);
}

TEST(XcamDetectCli, ResumeAfterAPartialRunGivesOneRunsFile)
{
    const std::string dir = freshDir("_dir"), list = sceneList(dir);
    const std::string args = kDemoModel + " --masks=16 --headless --input=" + list;
    ASSERT_EQ(runDetect(args + " --results=" + dir + "/one.jsonl --output=" + dir + "/one").status, 0);
    const std::string part = dir + "/part.jsonl";
    ASSERT_EQ(runDetect(args + " --frames=6 --results=" + part + " --output=" + dir + "/part").status, 0);
    ASSERT_EQ(resultRecords(part).size(), 6u);
    {
        std::ofstream cut(part, std::ios::app);  // a run killed while writing its 7th record
        cut << "{\"path\": \"" << scenePath(6) << "\", \"method\": \"ri";
    }
    const CliRun resumed = runDetect(args + " --resume --results=" + part + " --output=" + dir + "/part");
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("resumed: 6 images already in"), std::string::npos) << resumed.err;
    EXPECT_NE(resumed.err.find("dropped 1 half-written line"), std::string::npos) << resumed.err;
    std::string expected = readFile(dir + "/one.jsonl"), got = readFile(part);
    expected = std::regex_replace(expected, std::regex(dir + "/one/"), dir + "/part/");
    EXPECT_EQ(got, expected);
    int drawn = 0;  // list lines are absolute paths: part/@root/...
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir + "/part"))
        drawn += entry.path().extension() == ".png";
    EXPECT_EQ(drawn, 16);
}

TEST(XcamDetectCli, AVideoOfTheScenesRunsEigenCamAndFindsTheirItems)
{
    const std::string dir = freshDir("_dir"), video = dir + "/scenes.avi", jsonl = dir + "/r.jsonl";
    {
        VideoWriter writer(video, VideoWriter::fourcc('M', 'J', 'P', 'G'), 5, Size(128, 128));
        ASSERT_TRUE(writer.isOpened());
        for (int i = 0; i < 16; ++i)
            writer.write(imread(scenePath(i)));
    }
    const CliRun run = runDetect(kDemoModel + " --score-threshold=0.1 --input=" + video + " --results=" + jsonl +
                                 " --output=" + dir + "/out.avi --headless");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.err.find("method eigencam (the default)"), std::string::npos) << run.err;
    const std::vector<Record> records = readRecords(jsonl);
    ASSERT_EQ(records.size(), 16u);
    int located = 0, classified = 0;
    for (int i = 0; i < 16; ++i)
    {
        EXPECT_EQ(records[i].method, "eigencam");
        EXPECT_EQ(records[i].canonical, "") << "frames are not files";
        countItems(i, records[i].detections, located, classified);
    }
    EXPECT_GE(located, 52) << "of 53 items (MJPG frames; 53 measured)";
    EXPECT_GE(classified, 47) << "of 53 items (MJPG frames; 48 measured, as on the PNGs)";
    VideoCapture out(dir + "/out.avi");
    ASSERT_TRUE(out.isOpened());
    EXPECT_EQ((int)out.get(CAP_PROP_FRAME_COUNT), 16);
}

TEST(XcamDetectCli, AVideoInAWindowShowsTheBoxesAndTheMap)
{
    // Debian's xvfb (scripts/install_deps.sh installs it). --frames ends the loop without a key.
    ASSERT_EQ(std::system("command -v xvfb-run >/dev/null"), 0) << "xvfb-run missing (apt-get install xvfb)";
    const std::string dir = freshDir("_dir"), video = dir + "/scenes.avi", out = dir + "/out.avi";
    {
        VideoWriter writer(video, VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, Size(128, 128));
        ASSERT_TRUE(writer.isOpened());
        for (int i = 0; i < 4; ++i)
            writer.write(imread(scenePath(i)));
    }
    const std::string err = scratch("_stderr.txt");
    const int status = runUnderXvfb(XCAM_DETECT_EXE, kDemoModel + " --input=" + video + " --frames=3 --output=" + out,
                                    err);
    ASSERT_EQ(status, 0) << readFile(err);
    EXPECT_EQ((int)VideoCapture(out).get(CAP_PROP_FRAME_COUNT), 3);
}
