// xcam_cam with every kind of input (image, folder, video, camera) and output, headless, and the
// presets; the pictures it writes are compared with applyCAMOverlay run in process.
#include "cli_runner.hpp"
#include "test_nets.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>

using namespace cv;
using namespace xcam_test;
namespace fs = std::filesystem;

namespace {

const char* kSmallArgs = " --width=7 --height=5 --scale=0.015625 --mean=\"100 120 140\" --rgb";

Mat randomImage(Size size, uint64 seed)
{
    Mat image(size, CV_8UC3);
    RNG(seed).fill(image, RNG::UNIFORM, 0, 256);
    GaussianBlur(image, image, Size(5, 5), 0);  // smooth enough to survive MJPG roughly
    return image;
}

Ptr<xcam::CAMModel> smallModel()
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("gap_fc_gemm.onnx"));
    model->setInputParams(1.0 / 64, Size(7, 5), Scalar(100, 120, 140), true, false);
    return model;
}

/** What xcam_cam must draw for `image`: the overlay of the top-1 map (or of `classId`). */
Mat expectedOverlay(xcam::CAMModel& model, const Mat& image, const xcam::CAMOverlayParams& p,
                    int classId = -1)
{
    std::vector<int> ids;
    std::vector<float> probs;
    std::vector<Mat> maps;
    model.classify(image, 3, ids, probs, maps);
    Mat cam, overlay;
    model.getCAM(classId >= 0 ? classId : ids[0], cam);
    xcam::applyCAMOverlay(image, cam, overlay, p);
    return overlay;
}

} // namespace

TEST(XcamCamInputs, ImageOutputIsTheSeedOverlayOfTheTopClass)
{
    const std::string dir = freshDir("_dir"), image = dir + "/in.png", out = dir + "/out.png";
    const Mat picture = randomImage({64, 48}, 1);
    ASSERT_TRUE(imwrite(image, picture));
    const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + image +
                            kSmallArgs + " --output=" + out);
    ASSERT_EQ(r.status, 0) << r.err;
    const Mat written = imread(out, IMREAD_UNCHANGED);
    ASSERT_EQ(written.type(), CV_8UC3);
    Ptr<xcam::CAMModel> model = smallModel();
    EXPECT_EQ(norm(written, expectedOverlay(*model, picture, xcam::CAMOverlayParams()), NORM_INF),
              0.0);
}

TEST(XcamCamInputs, BlendStyleAlphaColormapThresholdAndClassReachTheOverlay)
{
    const std::string dir = freshDir("_dir"), image = dir + "/in.png", out = dir + "/out.png";
    const Mat picture = randomImage({40, 30}, 2);
    ASSERT_TRUE(imwrite(image, picture));
    const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + image +
                            kSmallArgs + " --style=blend --alpha=0.3 --colormap=turbo "
                            "--threshold=0.4 --class=2 --output=" + out);
    ASSERT_EQ(r.status, 0) << r.err;
    xcam::CAMOverlayParams p;
    p.style = xcam::CAM_OVERLAY_BLEND;
    p.alpha = 0.3f;
    p.colormap = COLORMAP_TURBO;
    p.threshold = 0.4f;
    Ptr<xcam::CAMModel> model = smallModel();
    EXPECT_EQ(norm(imread(out), expectedOverlay(*model, picture, p, 2), NORM_INF), 0.0);
}

TEST(XcamCamInputs, FolderGivesAnOverlayAndTopKPerImage)
{
    const std::string in = freshDir("_in"), out = scratch("_out");
    fs::remove_all(out);
    const char* names[] = {"a.png", "b.jpg", "c.bmp"};
    std::vector<Mat> pictures;
    for (int i = 0; i < 3; ++i)
    {
        pictures.push_back(randomImage({32 + 8 * i, 24}, 10 + i));
        ASSERT_TRUE(imwrite(in + "/" + names[i], pictures.back()));
        pictures.back() = imread(in + "/" + names[i]);  // what the CLI reads (JPEG is lossy)
    }
    { FILE* f = fopen((in + "/notes.txt").c_str(), "w"); fputs("not an image", f); fclose(f); }

    const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + in +
                            kSmallArgs + " --topk=2 --output=" + out);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::vector<std::string> printed = lines(r.out);
    ASSERT_EQ(printed.size(), 6u) << r.out;
    Ptr<xcam::CAMModel> model = smallModel();
    for (int i = 0; i < 3; ++i)
    {
        EXPECT_EQ(printed[2 * i].rfind(std::string(names[i]) + "\t1 ", 0), 0u) << printed[2 * i];
        EXPECT_EQ(printed[2 * i + 1].rfind(std::string(names[i]) + "\t2 ", 0), 0u);
        const Mat written = imread(out + "/" + fs::path(names[i]).stem().string() + ".png");
        ASSERT_FALSE(written.empty()) << names[i];
        EXPECT_EQ(norm(written, expectedOverlay(*model, pictures[i], xcam::CAMOverlayParams()),
                       NORM_INF), 0.0) << names[i];
    }
    EXPECT_NE(r.err.find("3/3 files"), std::string::npos) << r.err;
}

TEST(XcamCamInputs, MontageShowsEveryImageWithItsOverlay)
{
    const std::string in = freshDir("_in"), out = scratch("_montage.png");
    std::remove(out.c_str());
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(imwrite(in + "/" + std::to_string(i) + ".png", randomImage({28, 28}, 30 + i)));
    const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + in +
                            kSmallArgs + " --montage=" + out);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("wrote montage " + out + " (3 images)"), std::string::npos) << r.err;
    const Mat montage = imread(out);
    ASSERT_FALSE(montage.empty());
    // Three tiles in a row, each an image and its overlay upscaled to 224 pixels high.
    EXPECT_GT(montage.cols, 3 * 2 * 224);
    EXPECT_GT(montage.rows, 224);
    EXPECT_LT(montage.rows, 2 * 224);
}

TEST(XcamCamInputs, VideoInVideoOutHeadless)
{
    const std::string dir = freshDir("_dir"), video = dir + "/in.avi", out = dir + "/out.avi";
    writeRandomVideo(video, 6, 20);
    const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + video +
                            kSmallArgs + " --headless --output=" + out);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;  // video: progress on stderr, no per-frame lines
    EXPECT_NE(r.err.find("6/6 frames"), std::string::npos) << r.err;
    VideoCapture written(out);
    ASSERT_TRUE(written.isOpened());
    EXPECT_EQ((int)written.get(CAP_PROP_FRAME_COUNT), 6);
    EXPECT_EQ((int)written.get(CAP_PROP_FRAME_WIDTH), 64);
    EXPECT_EQ((int)written.get(CAP_PROP_FRAME_HEIGHT), 48);
    EXPECT_EQ(written.get(CAP_PROP_FOURCC), (double)VideoWriter::fourcc('M', 'J', 'P', 'G'));

    // --frames stops early.
    const CliRun few = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + video +
                              kSmallArgs + " --headless --frames=2 --output=" + out);
    ASSERT_EQ(few.status, 0) << few.err;
    EXPECT_EQ((int)VideoCapture(out).get(CAP_PROP_FRAME_COUNT), 2);
}

TEST(XcamCamInputs, EmbeddedDemoModelOnItsImagesInGrey)
{
    // README's main job: the committed Fashion-MNIST model over the committed test images.
    const std::string data = XCAM_DATA_DIR, out = scratch("_montage.png");
    const CliRun r = runCam("--model=" + data + "/fashion_gapfc.onnx --classes=" + data +
                            "/fashion_labels.txt --width=28 --height=28 "
                            "--scale=0.00392156862745098 --gray --input=" + data +
                            "/images --montage=" + out + " --headless");
    ASSERT_EQ(r.status, 0) << r.err;
    const std::vector<std::string> printed = lines(r.out);
    ASSERT_EQ(printed.size(), 8u * 3u);
    const std::vector<String> labels = xcam::readClassLabels(data + "/fashion_labels.txt");
    for (size_t i = 0; i < printed.size(); i += 3)
    {
        // "<index>_<class>.png\t1 <id> <label> <p>": the top-1 is the true class of the file.
        const std::string& line = printed[i];
        const std::string file = line.substr(0, line.find('\t'));
        std::string truth = file.substr(file.find('_') + 1);
        truth = truth.substr(0, truth.size() - 4);
        int rank = 0, id = -1;
        ASSERT_EQ(std::sscanf(line.c_str() + file.size() + 1, "%d %d", &rank, &id), 2) << line;
        std::string label = labels[id];
        std::transform(label.begin(), label.end(), label.begin(), [](unsigned char c) {
            return c == ' ' ? '_' : (char)std::tolower(c);
        });
        EXPECT_EQ(rank, 1);
        EXPECT_EQ(label.rfind(truth, 0), 0u) << line;
    }
    EXPECT_FALSE(imread(out).empty());
}

TEST(XcamCamInputs, WindowModeRunsUnderAVirtualDisplay)
{
    // The live figure (frame | overlay, caption, fps) on an X server of its own: xvfb-run from
    // Debian's xvfb (scripts/install_deps.sh installs it). --frames ends the loop without a key.
    ASSERT_EQ(std::system("command -v xvfb-run >/dev/null"), 0) << "xvfb-run missing (apt-get install xvfb)";
    const std::string dir = freshDir("_dir"), video = dir + "/in.avi", out = dir + "/out.avi";
    writeRandomVideo(video, 5, 40);
    const std::string err = scratch("_stderr.txt");
    const int status = runUnderXvfb(XCAM_CAM_EXE, "--model=" + testdata("gap_fc_gemm.onnx") + " --input=" +
                                    video + kSmallArgs + " --frames=3 --output=" + out, err);
    ASSERT_EQ(status, 0) << readFile(err);
    EXPECT_EQ((int)VideoCapture(out).get(CAP_PROP_FRAME_COUNT), 3);
}

TEST(XcamCamInputs, RealModelOnAVideoOfRealPhotos)
{
    XCAM_REQUIRE_SHARED();
    const std::string dir = freshDir("_dir"), video = dir + "/photos.avi", out = dir + "/cam.avi";
    const char* photos[] = {"chelsea.png", "coffee.png", "bird.bmp", "dog.jpg", "grace_hopper.bmp"};
    {
        VideoWriter writer(video, VideoWriter::fourcc('M', 'J', 'P', 'G'), 25, Size(640, 480));
        ASSERT_TRUE(writer.isOpened());
        for (int repeat = 0; repeat < 4; ++repeat)
            for (const char* photo : photos)
            {
                Mat frame = imread(shared("images/") + photo);
                ASSERT_FALSE(frame.empty());
                resize(frame, frame, Size(640, 480));
                writer.write(frame);
            }
    }
    const std::string m = shared("models/mobilenet_v2_1.0_224_imagenet/");
    const CliRun r = runCam("--model=" + m + "mobilenet_v2_1.0_224.onnx --classes=" + m +
                            "labels.txt --width=224 --height=224 --scale=0.00784313725490196 "
                            "--mean=\"127.5 127.5 127.5\" --rgb --headless --input=" + video +
                            " --output=" + out);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("20/20 frames"), std::string::npos) << r.err;
    VideoCapture written(out);
    ASSERT_TRUE(written.isOpened());
    EXPECT_EQ((int)written.get(CAP_PROP_FRAME_COUNT), 20);
    EXPECT_EQ((int)written.get(CAP_PROP_FRAME_WIDTH), 640);
    std::printf("%s", r.err.substr(r.err.rfind('\r') + 1).c_str());
}

TEST(XcamCamInputs, PresetFillsPreprocessingAndLayersAndOptionsOverrideIt)
{
    // The SqueezeNet-like test net (1x1 convolutions, global pooling) takes any input size, so
    // the map's size shows the preset's 227x227 input, and its values the preset's mean.
    const std::string dir = freshDir("_dir"), image = dir + "/in.png", save = dir + "/out.yml";
    const Mat picture = randomImage({300, 200}, 3);
    ASSERT_TRUE(imwrite(image, picture));
    const std::string net = "--model=" + testdata("squeezenet_like.caffemodel") + " --config=" +
                            testdata("squeezenet_like.prototxt") + " --input=" + image;
    CliRun r = runCam(net + " --preset=squeezenet --save=" + save);
    ASSERT_EQ(r.status, 0) << r.err;
    FileStorage fs1(save, FileStorage::READ);
    EXPECT_EQ((std::string)fs1["feature_layer"], "relu_conv10");
    EXPECT_EQ((std::string)fs1["fc_layer"], "");
    Mat cam;
    fs1["cam"] >> cam;
    EXPECT_EQ(cam.size(), Size(227, 227));
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(testdata("squeezenet_like.caffemodel"),
                                                       testdata("squeezenet_like.prototxt"));
    model->setInputParams(1.0, Size(227, 227), Scalar(104, 117, 123), false, false);
    model->forward(picture);
    Mat expected;
    model->getCAM((int)fs1["cam_class"], expected);
    EXPECT_LT(maxRelativeError(cam, expected), 1e-6);

    r = runCam(net + " --preset=squeezenet --width=7 --height=5 --save=" + save);
    ASSERT_EQ(r.status, 0) << r.err;
    FileStorage fs2(save, FileStorage::READ);
    fs2["cam"] >> cam;
    EXPECT_EQ(cam.size(), Size(7, 5));
}

TEST(XcamCamInputs, BadInputsGiveOneClearLine)
{
    const std::string dir = freshDir("_dir"), model = testdata("gap_fc_gemm.onnx");
    const std::string garbage = dir + "/broken.png", image = dir + "/in.png";
    { FILE* f = fopen(garbage.c_str(), "w"); fputs("this is not a PNG", f); fclose(f); }
    ASSERT_TRUE(imwrite(image, randomImage({16, 12}, 4)));
    const ErrorCase cases[] = {
        {"--model=" + model + " --input=7", "cannot open camera 7"},
        {"--model=" + model + " --input=" + garbage, "cannot read image"},
        {"--model=" + model + " --input=" + dir + "/nothing.mp4", "no such file"},
        {"--model=" + model + " --input=" + freshDir("_empty"), "holds no images"},
        {"--model=" + model + " --input=" + dir + " --save=" + dir + "/x.yml",
         "--save needs a single image"},
        {"--model=" + model + " --input=" + image + " --output=" + dir + "/x.unknown",
         "is not an image file name"},
        {"--model=" + model + " --input=" + image + " --preset=alexnet", "--preset 'alexnet' is unknown"},
        {"--model=" + model + " --input=" + image + " --colormap=sepia", "--colormap 'sepia'"},
        {"--model=" + model + " --input=" + image + " --style=fancy", "--style must be"},
        {"--model=" + model + " --input=" + image + " --alpha=2", "--alpha '2' must be in [0, 1]"},
    };
    for (const ErrorCase& c : cases)
        expectOneErrorLine(c.args, c.message);
}

TEST(XcamCamInputs, VideoInAWindowPlaysAtItsFrameRate)
{
    // 20 frames at 10 fps: about 2 s in a window (xvfb-run), as fast as possible with --headless.
    // The loop's own time is on the final progress line ("20/20 frames in X s").
    ASSERT_EQ(std::system("command -v xvfb-run >/dev/null"), 0) << "xvfb-run missing (apt-get install xvfb)";
    const std::string dir = freshDir("_dir"), video = dir + "/in.avi", err = dir + "/err.txt";
    writeRandomVideo(video, 20, 70);
    auto seconds = [&](const std::string& extra) {
        const int status = runUnderXvfb(XCAM_CAM_EXE, "--model=" + testdata("gap_fc_gemm.onnx") +
                                        " --input=" + video + kSmallArgs + " --frames=20 " + extra, err);
        EXPECT_EQ(status, 0) << readFile(err);
        const std::string text = readFile(err);
        const size_t at = text.find("20/20 frames in ");
        return at == std::string::npos ? -1.0 : std::atof(text.c_str() + at + 16);
    };
    const double windowed = seconds(""), headless = seconds("--headless");
    EXPECT_GE(windowed, 1.8) << "played faster than the file's 10 fps";
    EXPECT_LT(windowed, 6.0);
    EXPECT_GE(headless, 0.0);
    EXPECT_LT(headless, 1.0) << "--headless must not be paced";
}
