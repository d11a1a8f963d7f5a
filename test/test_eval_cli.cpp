// xcam_eval end to end on the demo model: one table row per method, the pinned JSON and CSV
// formats against the metrics computed in process, the pointing game with and without --boxes,
// unreadable images (exit 2), one-line errors (exit 1) and the box file reader; on the demo
// detector (--format): its methods' rows and D-RISE's pointing game.
#include "cli_runner.hpp"
#include "common/boxes.hpp"

#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <fstream>

using namespace cv;
using namespace xcam_test;

namespace {

const std::string kDemoArgs = " --width=28 --height=28 --scale=0.00392156862745098 --gray";

std::string demoModel()
{
    return std::string(XCAM_DATA_DIR) + "/fashion_gapfc.onnx";
}

std::string demoImages()
{
    return std::string(XCAM_DATA_DIR) + "/images";
}

std::vector<std::string> demoImageNames()
{
    std::vector<String> files;
    glob(demoImages() + "/*.png", files);
    std::sort(files.begin(), files.end());
    return std::vector<std::string>(files.begin(), files.end());
}

CliRun runEval(const std::string& args)
{
    return runProgram(XCAM_EVAL_EXE, "--model=" + demoModel() + kDemoArgs + " " + args);
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream(path) << text;
}

/** The JSON file read back through Python's json module (a strict parser; OpenCV 4.6's
    FileStorage has no `null`), rewritten with null as the string "<null>" for FileStorage. */
FileStorage readJson(const std::string& path)
{
    const std::string copy = path + ".checked.json";
    const std::string cmd = std::string(XCAM_PYTHON_EXE) +
                            " -c 'import json, sys\n"
                            "def bad(c): raise ValueError(c)\n"
                            "d = json.load(open(sys.argv[1]), parse_constant=bad)\n"
                            "for m in d[\"methods\"]:\n"
                            "    m.update({k: \"<null>\" for k, v in m.items() if v is None})\n"
                            "json.dump(d, open(sys.argv[2], \"w\"))' " +
                            path + " " + copy;
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "not strict JSON: " << readFile(path);
    return FileStorage(copy, FileStorage::READ);
}

const std::vector<std::string> kMethodKeys = {"method", "deletion_auc", "insertion_auc",
                                              "average_drop", "increase_in_confidence",
                                              "pointing_game", "ms_per_image"};

/** The rows of the markdown table after its two header lines. */
std::vector<std::string> tableRows(const std::string& out)
{
    std::vector<std::string> rows = lines(out);
    EXPECT_GE(rows.size(), 2u) << out;
    EXPECT_EQ(rows.size() >= 2 ? rows[1].rfind("|---|", 0) : 1, 0u) << out;
    return rows.size() >= 2 ? std::vector<std::string>(rows.begin() + 2, rows.end()) : rows;
}

/** What xcam_eval must find for one method, computed here image by image. */
struct Expected
{
    double deletion = 0, insertion = 0, drop = 0, increase = 0;
    int images = 0, boxed = 0, hits = 0;
};

Expected inProcess(int method, const std::vector<Rect>& boxFor, int tolerance)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(demoModel());
    model->setInputParams(0.00392156862745098, Size(28, 28));
    Expected x;
    for (const std::string& file : demoImageNames())
    {
        const Mat image = imread(file, IMREAD_GRAYSCALE);
        std::vector<int> ids;
        std::vector<float> probs;
        std::vector<Mat> maps;
        model->forward(image);
        model->getTopK(1, ids, probs);
        model->explain(image, method, ids, maps);
        x.deletion += xcam::deletionAUC(model, image, maps[0], ids[0], 30, 32);
        x.insertion += xcam::insertionAUC(model, image, maps[0], ids[0], 30, 32);
        double drop = 0;
        bool increase = false;
        xcam::confidenceChange(model, image, maps[0], ids[0], drop, increase);
        x.drop += drop;
        x.increase += increase;
        if (!boxFor.empty())
        {
            const Rect box = boxFor[x.images % boxFor.size()];
            x.boxed += box.area() > 0;
            x.hits += box.area() > 0 && xcam::pointingGame(maps[0], image.size(), box, tolerance);
        }
        ++x.images;
    }
    return x;
}

/** A boxes CSV giving image i box `boxFor[i % size]` (empty boxes: no line for that image). */
std::string writeBoxes(const std::vector<Rect>& boxFor)
{
    const std::string path = scratch("_boxes.csv");
    std::string text = "image,x,y,w,h,class\n";
    const std::vector<std::string> files = demoImageNames();
    for (size_t i = 0; i < files.size(); ++i)
    {
        const Rect b = boxFor[i % boxFor.size()];
        if (b.area() > 0)
            text += files[i].substr(files[i].rfind('/') + 1) + "," + std::to_string(b.x) + "," +
                    std::to_string(b.y) + "," + std::to_string(b.width) + "," +
                    std::to_string(b.height) + ",0\n";
    }
    writeText(path, text);
    return path;
}

} // namespace

TEST(XcamEvalCli, PrintsOneTableRowPerMethodInTheOrderGiven)
{
    const CliRun r = runEval("--input=" + demoImages() + " --methods=eigencam,gradcam,cam --steps=10");
    ASSERT_EQ(r.status, 0) << r.err;
    const std::vector<std::string> header = lines(r.out);
    ASSERT_FALSE(header.empty());
    for (const char* column : {"| method |", "deletion AUC", "insertion AUC", "average drop (%)",
                               "increase in confidence (%)", "pointing game", "ms per image"})
        EXPECT_NE(header[0].find(column), std::string::npos) << column;
    const std::vector<std::string> rows = tableRows(r.out);
    ASSERT_EQ(rows.size(), 3u) << r.out;
    EXPECT_EQ(rows[0].rfind("| eigencam | ", 0), 0u) << rows[0];
    EXPECT_EQ(rows[1].rfind("| gradcam | ", 0), 0u) << rows[1];
    EXPECT_EQ(rows[2].rfind("| cam | ", 0), 0u) << rows[2];
    for (const std::string& row : rows)
    {
        EXPECT_EQ(std::count(row.begin(), row.end(), '|'), 8) << row;
        EXPECT_NE(row.find("| - |"), std::string::npos) << "pointing game without --boxes: " << row;
    }
    // The progress bar (stderr) reaches the 8 images x 3 methods.
    EXPECT_NE(r.err.find("xcam_eval: image x method ["), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("] 24/24"), std::string::npos) << r.err;
}

TEST(XcamEvalCli, AllRunsEveryMethodTheHeadSupports)
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(demoModel());
    model->setInputParams(0.00392156862745098, Size(28, 28));
    model->forward(imread(demoImageNames()[0], IMREAD_GRAYSCALE));
    std::vector<std::string> supported;
    for (const xcam::CAMMethodInfo& m : xcam::getCAMMethods())
        if (model->supportsMethod(m.method))
            supported.push_back(m.name);
    ASSERT_GE(supported.size(), 10u);

    const std::string json = scratch("_all.json");
    const CliRun r = runEval("--input=" + demoImages() + "/1_pullover.png --methods=all --steps=4 "
                             "--masks=64 --max-channels=8 --output=" + json);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::vector<std::string> rows = tableRows(r.out);
    ASSERT_EQ(rows.size(), supported.size()) << r.out;
    FileStorage fs = readJson(json);
    ASSERT_EQ(fs["methods"].size(), supported.size());
    for (size_t i = 0; i < supported.size(); ++i)
    {
        EXPECT_EQ(rows[i].rfind("| " + supported[i] + " | ", 0), 0u) << rows[i];
        EXPECT_EQ((std::string)fs["methods"][(int)i]["method"], supported[i]);
    }
}

TEST(XcamEvalCli, JsonHasThePinnedKeysAndTheMetricsOfTheLibrary)
{
    const std::string json = scratch("_table.json");
    std::remove(json.c_str());
    const CliRun r = runEval("--input=" + demoImages() + " --methods=gradcam,eigencam --output=" + json);
    ASSERT_EQ(r.status, 0) << r.err;
    FileStorage fs = readJson(json);
    ASSERT_TRUE(fs.isOpened());
    EXPECT_EQ(fs.root().keys(), std::vector<String>({"model", "images", "methods"}));
    EXPECT_EQ((std::string)fs["model"], demoModel());
    EXPECT_EQ((int)fs["images"], 8);
    const FileNode methods = fs["methods"];
    ASSERT_EQ(methods.size(), 2u);
    const int ids[] = {xcam::CAM_METHOD_GRADCAM, xcam::CAM_METHOD_EIGENCAM};
    for (int i = 0; i < 2; ++i)
    {
        const FileNode m = methods[i];
        const std::vector<String> keys = m.keys();
        EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.end()), kMethodKeys);
        EXPECT_EQ((std::string)m["method"], xcam::getCAMMethodName(ids[i]));
        EXPECT_EQ((std::string)m["pointing_game"], "<null>");  // JSON null: no --boxes
        const Expected x = inProcess(ids[i], {}, 15);
        EXPECT_NEAR((double)m["deletion_auc"], x.deletion / 8, 1e-6);
        EXPECT_NEAR((double)m["insertion_auc"], x.insertion / 8, 1e-6);
        EXPECT_NEAR((double)m["average_drop"], x.drop / 8, 1e-6);
        EXPECT_NEAR((double)m["increase_in_confidence"], x.increase / 8, 1e-9);
        for (const char* key : {"deletion_auc", "insertion_auc", "average_drop", "increase_in_confidence"})
        {
            EXPECT_GE((double)m[key], 0.0) << key;
            EXPECT_LE((double)m[key], 1.0) << key;
        }
        EXPECT_GT((double)m["ms_per_image"], 0.0);
        EXPECT_LT((double)m["ms_per_image"], 10000.0);
    }
    // Faithful maps: the class survives insertion far better than deletion on this model.
    EXPECT_GT((double)methods[0]["insertion_auc"], (double)methods[0]["deletion_auc"]);
    // No temporary file is left beside the output.
    const std::string folder = json.substr(0, json.rfind('/'));
    std::vector<String> left;
    glob(folder + "/.xcam-tmp-*", left);
    EXPECT_TRUE(left.empty()) << left[0];
}

TEST(XcamEvalCli, CsvHasTheSameKeysAndValuesAsJson)
{
    const std::string csv = scratch("_table.csv"), json = scratch("_same.json");
    const std::string args = "--input=" + demoImages() + " --methods=cam,hirescam --steps=8 --output=";
    const CliRun a = runEval(args + csv), b = runEval(args + json);
    ASSERT_EQ(a.status, 0) << a.err;
    ASSERT_EQ(b.status, 0) << b.err;
    const std::vector<std::string> rows = lines(readFile(csv));
    ASSERT_EQ(rows.size(), 3u) << readFile(csv);
    EXPECT_EQ(rows[0], "method,deletion_auc,insertion_auc,average_drop,increase_in_confidence,"
                       "pointing_game,ms_per_image");
    FileStorage fs = readJson(json);
    for (int i = 0; i < 2; ++i)
    {
        std::vector<std::string> fields;
        std::stringstream in(rows[i + 1]);
        for (std::string f; std::getline(in, f, ',');)
            fields.push_back(f);
        if (rows[i + 1].back() == ',')
            fields.push_back("");
        ASSERT_EQ(fields.size(), 7u) << rows[i + 1];
        const FileNode m = fs["methods"][i];
        EXPECT_EQ(fields[0], (std::string)m["method"]);
        for (int k = 1; k <= 3; ++k)  // the metrics (not the times: two runs)
            EXPECT_NEAR(std::stod(fields[k]), (double)m[kMethodKeys[k]], 1e-9) << kMethodKeys[k];
        EXPECT_EQ(std::stod(fields[4]), (double)m["increase_in_confidence"]);
        EXPECT_EQ(fields[5], "") << "pointing_game without --boxes";
    }
}

TEST(XcamEvalCli, BoxesGiveThePointingGameOfTheImagesThatHaveOne)
{
    // Every other image gets a box on the left half; the others have none and do not count.
    const std::vector<Rect> boxFor = {Rect(0, 0, 14, 28), Rect()};
    const std::string boxes = writeBoxes(boxFor), json = scratch("_boxes.json");
    const CliRun r = runEval("--input=" + demoImages() + " --methods=gradcam --tolerance=0 --boxes=" +
                             boxes + " --output=" + json);
    ASSERT_EQ(r.status, 0) << r.err;
    const Expected x = inProcess(xcam::CAM_METHOD_GRADCAM, boxFor, 0);
    ASSERT_EQ(x.boxed, 4);
    FileStorage fs(json, FileStorage::READ);  // no null: OpenCV reads it as it is
    const double pointing = fs["methods"][0]["pointing_game"];
    EXPECT_DOUBLE_EQ(pointing, x.hits / 4.0);
    const std::vector<std::string> rows = tableRows(r.out);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_NE(rows[0].find("(" + std::to_string(x.hits) + "/4)"), std::string::npos) << rows[0];

    // Boxes covering the image always hit; boxes outside it never do.
    for (const auto& [box, expected] : {std::make_pair(Rect(0, 0, 28, 28), 1.0),
                                        std::make_pair(Rect(200, 200, 5, 5), 0.0)})
    {
        const CliRun s = runEval("--input=" + demoImages() + " --methods=eigencam --tolerance=0 "
                                 "--boxes=" + writeBoxes({box}) + " --output=" + json);
        ASSERT_EQ(s.status, 0) << s.err;
        FileStorage again(json, FileStorage::READ);
        EXPECT_EQ((double)again["methods"][0]["pointing_game"], expected) << box;
    }
}

TEST(XcamEvalCli, UnreadableImagesAreWarningsAndExitTwo)
{
    const std::string dir = freshDir("_folder");
    const std::vector<std::string> files = demoImageNames();
    std::system(("cp " + files[0] + " " + files[1] + " " + dir + "/").c_str());
    writeText(dir + "/broken.png", "not a png");
    const std::string json = dir + "/table.json";
    const CliRun r = runEval("--input=" + dir + " --methods=gradcam --steps=4 --output=" + json);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("xcam_eval: warning: cannot read image"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("1 of 3 images could not be read"), std::string::npos) << r.err;
    EXPECT_EQ(tableRows(r.out).size(), 1u) << r.out;
    EXPECT_EQ((int)readJson(json)["images"], 2);
}

TEST(XcamEvalCli, ErrorsAreOneLineAndExitOne)
{
    const std::string image = demoImageNames()[0], input = " --input=" + image;
    const std::string badBoxes = scratch("_bad_boxes.csv");
    writeText(badBoxes, "image,x,y,w,h,class\n0_ankle_boot.png,1,2,wide,4,0\n");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {input + " --boxes=" + badBoxes, badBoxes + ":2: expected 'image,x,y,w,h,class'"},
        {input + " --methods=gradcam,nosuchcam", "--methods: method 'nosuchcam' is unknown"},
        {input + " --methods=gradcam,grad-cam", "--methods names gradcam twice"},
        {input + " --methods=gradcam,,cam", "--methods has an empty name"},
        {input + " --methods=gradcam,", "--methods has an empty name"},
        {" --methods=gradcam", "--input is required"},
        {" --input=/nonexistent/x.png", "cannot read input '/nonexistent/x.png'"},
        {input + " --steps=0", "--steps"},
        {input + " --steps=ten", "--steps"},
        {input + " --tolerance=-1", "--tolerance"},
        {input + " --masks=1e3", "--masks"},
        {input + " --output=table.txt", "must end in .json or .csv"},
        {input + " --crop --boxes=b.csv", "--boxes cannot be used with --crop"},
        {input + " --boxes=/nonexistent/boxes.csv", "cannot read --boxes"},
        {input + " --output=/nonexistent/dir/t.json", "cannot write '/nonexistent/dir/t.json'"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(expectOneErrorLineOf(XCAM_EVAL_EXE, "xcam_eval",
                                       "--model=" + demoModel() + kDemoArgs + c.first, c.second),
                  1) << c.first;
}

TEST(XcamEvalCli, CamOnANetWithoutACamHeadIsAnErrorListingTheMethodsItAllows)
{
    // The VGG-style demo model: MaxPool -> FC -> ReLU -> Dropout -> FC, no global pooling.
    const std::string vgg = "--model=" + std::string(XCAM_DATA_DIR) + "/fashion_vgg.onnx" + kDemoArgs +
                            " --input=" + demoImageNames()[0];
    EXPECT_EQ(expectOneErrorLineOf(XCAM_EVAL_EXE, "xcam_eval", vgg + " --methods=gradcam,cam",
                                   "--methods: cam does not run on this net's head; methods it allows: "
                                   "gradcam,"),
              1);
    // `all` leaves cam out instead.
    const CliRun r = runProgram(XCAM_EVAL_EXE, vgg + " --methods=all --steps=2 --masks=16");
    ASSERT_EQ(r.status, 0) << r.err;
    const std::vector<std::string> rows = tableRows(r.out);
    EXPECT_EQ(rows.size(), xcam::getCAMMethods().size() - 1) << r.out;  // all but cam
    for (const std::string& row : rows)
        EXPECT_NE(row.rfind("| cam |", 0), 0u) << row;
}

TEST(XcamEvalCli, SharedImagesBoxesFileNamesItsImagesWithBoxesInside)
{
    XCAM_REQUIRE_SHARED();
    std::vector<std::string> images;
    std::vector<Rect> boxes;
    std::vector<int> classIds;
    xcam_samples::readBoxes(std::string(XCAM_DATA_DIR) + "/shared_images_boxes.csv", images, boxes,
                            classIds);
    ASSERT_EQ(images.size(), 5u);
    for (size_t i = 0; i < images.size(); ++i)
    {
        const Mat image = imread(shared("images/" + images[i]));
        ASSERT_FALSE(image.empty()) << images[i];
        EXPECT_EQ(boxes[i] & Rect(0, 0, image.cols, image.rows), boxes[i]) << images[i];
        EXPECT_LT(boxes[i].area(), image.total()) << images[i];
    }
}

TEST(XcamEvalCli, MobileNetV2PointsIntoTheCatAndTheBird)
{
    XCAM_REQUIRE_SHARED();
    const std::string list = scratch("_list.txt"), json = scratch("_mobilenet.json");
    writeText(list, shared("images/chelsea.png") + "\n" + shared("images/bird.bmp") + "\n");
    const std::string dir = shared("models/mobilenet_v2_1.0_224_imagenet/");
    const CliRun r = runProgram(XCAM_EVAL_EXE,
                                "--model=" + dir + "mobilenet_v2_1.0_224.onnx --width=224 --height=224 "
                                "--scale=0.00784313725490196 --mean=\"127.5 127.5 127.5\" --rgb "
                                "--input=" + list + " --methods=cam --steps=5 --boxes=" +
                                std::string(XCAM_DATA_DIR) + "/shared_images_boxes.csv --output=" + json);
    ASSERT_EQ(r.status, 0) << r.err;
    FileStorage fs(json, FileStorage::READ);
    EXPECT_EQ((int)fs["images"], 2);
    const FileNode cam = fs["methods"][0];
    EXPECT_EQ((std::string)cam["method"], "cam");
    EXPECT_EQ((double)cam["pointing_game"], 1.0);
    EXPECT_GT((double)cam["insertion_auc"], (double)cam["deletion_auc"] + 0.2);
}

// --format: the demo detector on its 16 held-out scenes, the boxes of boxes.csv matched to
// detections; the detector methods' rows, no confidence columns, D-RISE pointing into the items.
TEST(XcamEvalCli, DetectorScenesGiveTheDetectorMethodsRowsAndDRisePointsIntoTheItems)
{
    const std::string dir = std::string(XCAM_DATA_DIR) + "/detector/", json = scratch("_detector.json");
    const CliRun r = runProgram(XCAM_EVAL_EXE,
                                "--model=" + dir + "detector_yolov5.onnx --format=yolov5 --width=128 "
                                "--height=128 --scale=0.00392156862745098 --input=" + dir +
                                " --boxes=" + dir + "boxes.csv --masks=500 --steps=10 --tolerance=0 "
                                "--output=" + json);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::vector<std::string> table = lines(r.out);
    ASSERT_EQ(table.size(), 5u) << r.out;  // header, rule, eigencam, occlusion, rise
    EXPECT_EQ(table[2].rfind("| eigencam | ", 0), 0u) << table[2];
    EXPECT_EQ(table[3].rfind("| occlusion | ", 0), 0u) << table[3];
    EXPECT_EQ(table[4].rfind("| rise | ", 0), 0u) << table[4];
    EXPECT_NE(table[4].find(" | - | - | "), std::string::npos) << table[4];  // no drop / increase
    EXPECT_NE(r.err.find("16 images x 3 methods"), std::string::npos) << r.err;
    FileStorage fs = readJson(json);
    EXPECT_EQ((int)fs["images"], 16);
    const int targets = (int)fs["targets"];
    EXPECT_GE(targets, 50);  // 53 items, 52 with a detection (samples/data/detector/README.md)
    EXPECT_LE(targets, 53);
    const FileNode rise = fs["methods"][2];
    EXPECT_EQ((std::string)rise["method"], "rise");
    EXPECT_EQ((std::string)rise["average_drop"], "<null>");
    EXPECT_EQ((std::string)rise["increase_in_confidence"], "<null>");
    EXPECT_GE((double)rise["pointing_game"], 0.95);
    EXPECT_GT((double)rise["insertion_auc"], (double)rise["deletion_auc"] + 0.2);
    EXPECT_GT((double)fs["methods"][1]["pointing_game"], 0.6);  // occlusion
}

TEST(XcamEvalCli, DetectorOptionErrorsAreOneLine)
{
    const std::string det = "--model=" + std::string(XCAM_DATA_DIR) +
                            "/detector/detector_yolov5.onnx --width=128 --height=128 --input=" +
                            std::string(XCAM_DATA_DIR) + "/detector/scene_000.png";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {" --format=yolov9", "--format 'yolov9' must be yolov5, yolov8, ssd or blazeface"},
        {" --nhwc", "--nhwc needs --format"},
        {" --format=yolov5 --crop", "--crop cannot be used with --format"},
        {" --format=yolov5 --thr=2", "--thr"},
        {" --format=yolov5 --nms=x", "--nms"},
        {" --format=yolov5 --methods=gradcam",
         "--methods: gradcam does not run on a detector; methods for detectors: eigencam, occlusion, rise"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(expectOneErrorLineOf(XCAM_EVAL_EXE, "xcam_eval", det + c.first, c.second), 1)
            << c.first;
}

namespace {

TEST(XcamEvalBoxes, ReadBoxes)
{
    const std::string path = testdata("boxes_test.csv");
    {
        std::ofstream f(path);
        f << "image,x,y,w,h,class\n# a comment\n\nchelsea.png,10,20,30,40,286\r\n"
          << "dir/dog.jpg, 1, 2, 3, 4, 230\n";
    }
    std::vector<std::string> images;
    std::vector<Rect> boxes;
    std::vector<int> ids;
    xcam_samples::readBoxes(path, images, boxes, ids);
    ASSERT_EQ(images.size(), 2u);
    EXPECT_EQ(images[0], "chelsea.png");
    EXPECT_EQ(images[1], "dir/dog.jpg");
    EXPECT_EQ(boxes[0], Rect(10, 20, 30, 40));
    EXPECT_EQ(boxes[1], Rect(1, 2, 3, 4));
    EXPECT_EQ(ids, std::vector<int>({286, 230}));
    {
        std::ofstream f(path);
        f << "a.png,1,2,3,4,5\nb.png,1,2,x,4,5\n";
    }
    EXPECT_CV_ERROR(xcam_samples::readBoxes(path, images, boxes, ids), "boxes_test.csv:2:");
    {
        std::ofstream f(path);
        f << "a.png,1,2,3,0,5\n";
    }
    EXPECT_CV_ERROR(xcam_samples::readBoxes(path, images, boxes, ids), "w, h > 0");
    {
        std::ofstream f(path);
        f << "a.png,1,2,3,4\n";
    }
    EXPECT_CV_ERROR(xcam_samples::readBoxes(path, images, boxes, ids), ":1:");
    std::remove(path.c_str());
    EXPECT_CV_ERROR(xcam_samples::readBoxes(path, images, boxes, ids), "cannot read boxes file");
}

} // namespace
