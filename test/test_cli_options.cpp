// xcam_cam's option parsing as a pure function (samples/common/options.hpp), the one-line errors
// of values that do not parse, the input-channel check, and the window's frame scheduler.
#include "cli_runner.hpp"
#include "test_nets.hpp"

#include "common/frame_scheduler.hpp"
#include "common/numbers.hpp"
#include "common/options.hpp"

#include <opencv2/imgcodecs.hpp>

#include <fstream>

using namespace cv;
using namespace xcam_test;

namespace {

/** parseOptions on `args` (each one argv entry); returns the error ("" on success). */
std::string parse(const std::vector<std::string>& args, xcam_samples::Options& options)
{
    return parseArgs(xcam_samples::kCamKeys, args, options, xcam_samples::parseOptions);
}

} // namespace

/** Each case's arguments (plus a model) must fail with one line containing its message. */
template <size_t N>
void expectErrors(const std::pair<std::vector<std::string>, std::string> (&cases)[N])
{
    for (const auto& c : cases)
    {
        std::vector<std::string> args = c.first;
        args.push_back("--model=m.onnx");
        xcam_samples::Options o;
        const std::string error = parse(args, o);
        EXPECT_NE(error.find(c.second), std::string::npos) << args[0] << ": " << error;
        EXPECT_EQ(error.find_first_of("\r\n"), std::string::npos) << error;
    }
}

TEST(XcamCamOptions, ParsesValuesAndPresetsStrictly)
{
    xcam_samples::Options o;
    ASSERT_EQ(parse({"--model=m.onnx", "--preset=mobilenetv2", "--width=100", "--height=80",
                     "--mean=1 2.5 3", "--alpha=0.25", "--class=7", "--shard=2/5", "--method=gradcam++",
                     "--masks=100", "--keep=0.25", "--results=r.jsonl", "--resume"}, o), "");
    EXPECT_EQ(o.model.model, "m.onnx");
    EXPECT_EQ(o.model.width, 100);
    EXPECT_EQ(o.model.height, 80);
    EXPECT_NEAR(o.model.scale, 1.0 / 57.63, 1e-12);  // from the preset
    EXPECT_TRUE(o.model.rgb);
    EXPECT_EQ(o.model.mean, Scalar(1, 2.5, 3));
    EXPECT_FLOAT_EQ(o.overlay.alpha, 0.25f);
    EXPECT_EQ(o.classId, 7);
    EXPECT_EQ(o.run.shardIndex, 2);
    EXPECT_EQ(o.run.shardCount, 5);
    EXPECT_EQ(o.method, xcam::CAM_METHOD_GRADCAM_PLUSPLUS);
    EXPECT_EQ(o.methodParams.numMasks, 100);
    EXPECT_DOUBLE_EQ(o.methodParams.keepProbability, 0.25);
    EXPECT_TRUE(o.run.resume);
    ASSERT_EQ(parse({"--model=m.onnx", "--method=KPCA_CAM", "--kernel=RBF", "--kernel-gamma=0.5",
                     "--finer-alpha=0.3", "--finer-classes=2"}, o), "");
    EXPECT_EQ(o.method, xcam::CAM_METHOD_KPCACAM);
    EXPECT_EQ(o.methodParams.kpcaKernel, xcam::CAM_KERNEL_RBF);
    EXPECT_DOUBLE_EQ(o.methodParams.kpcaGamma, 0.5);
    EXPECT_DOUBLE_EQ(o.methodParams.finerAlpha, 0.3);
    EXPECT_EQ(o.methodParams.finerClasses, 2);
    ASSERT_EQ(parse({"--model=m.onnx"}, o), "");
    EXPECT_EQ(o.method, -1);  // auto
    EXPECT_EQ(o.classId, -1);
    EXPECT_EQ(o.topK, 3);
}

TEST(XcamCamOptions, ValuesThatDoNotParseAreErrorsNamingTheOption)
{
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{"--alpha=NaN"}, "--alpha 'NaN' is not a finite number"},
        {{"--threshold=nan"}, "--threshold 'nan' is not a finite number"},
        {{"--scale=inf"}, "--scale 'inf' is not a finite number"},
        {{"--class=abc"}, "--class 'abc' is not an integer"},
        {{"--class=-2"}, "--class '-2' must be in [0, 2147483647]"},
        {{"--class=3x"}, "--class '3x' is not an integer"},
        {{"--mean=a b c"}, "--mean 'a b c' must be one to four"},
        {{"--mean=1 2 x"}, "--mean '1 2 x' must be one to four"},
        {{"--width=-1", "--height=-1"}, "--width '-1' must be in [1, 65536]"},
        {{"--width=224"}, "--width and --height must be given together"},
        {{"--topk=0"}, "--topk '0' must be in [1, 2147483647]"},
        {{"--save=r.txt"}, "--save 'r.txt' must end in .yml, .yaml, .json or .xml"},
        {{"--shard=3/3"}, "--shard '3/3' must be i/n"},
        {{"--shard=1"}, "--shard '1' must be i/n"},
        {{"--resume"}, "--resume needs --results"},
        {{"--method=magic"}, "--method 'magic' is unknown; methods: auto, cam, gradcam"},
        {{"--keep=1.5"}, "--keep '1.5' must be in [1e-06, 1]"},
        {{"--rgb=maybe"}, "--rgb 'maybe' is not true or false"},
        {{"--colormap=sepia"}, "--colormap 'sepia'"},
        {{"--kernel=gauss"}, "--kernel 'gauss' must be sigmoid, linear, rbf, poly or cosine"},
        {{"--finer-classes=0"}, "--finer-classes '0' must be"},
        {{"--kernel-gamma=-1"}, "--kernel-gamma '-1' must be in"},
    };
    expectErrors(cases);
    for (const char* ok : {"--save=r.yml", "--save=r.yaml.gz", "--save=r.JSON", "--save=r.xml"})
    {
        xcam_samples::Options o;
        EXPECT_EQ(parse({"--model=m.onnx", ok}, o), "") << ok;
    }
}

// Found by fuzz_cli_options (replays: fuzz/crashes/cli_options/): a value with a newline gave a
// two-line error (the value was quoted as it was), and --keep took values below the 1e-6 that
// RISE rejects (the error came only after the model was loaded).
TEST(XcamCamOptions, FuzzFoundErrorsAreOneLineAndKeepIsInRisesRange)
{
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{"--alpha=1\n2"}, "--alpha '1\\n2' is not a finite number"},
        {{"--headless=a\r\nb"}, "--headless 'a\\r\\nb' is not true or false"},
        {{"--shard=1\n/2"}, "--shard '1\\n/2' must be i/n"},
        {{"--save=r\n.txt"}, "--save 'r\\n.txt' must end in"},
        {{"--colormap=\x1b[31mred"}, "--colormap '\\x1b[31mred' is not"},
        {{"--method=grad\ncam"}, "--method 'grad\\ncam' is unknown"},
        {{"--preset=x\ty\x7f"}, "--preset 'x\\ty\\x7f' is unknown"},
        {{"--mean=1\n2\n3 x"}, "--mean '1\\n2\\n3 x' must be one to four"},
        {{"--keep=1e-7"}, "--keep '1e-7' must be in [1e-06, 1]"},
        {{"--keep=0"}, "--keep '0' must be in [1e-06, 1]"},
    };
    expectErrors(cases);
    xcam_samples::Options o;
    ASSERT_EQ(parse({"--model=m.onnx", "--keep=1e-6"}, o), "");
    EXPECT_DOUBLE_EQ(o.methodParams.keepProbability, 1e-6);
    // UTF-8 and other bytes >= 0x80 stay as they are.
    EXPECT_EQ(xcam_samples::printable("\xc3\xa9\xff a\\b\n\t\x01\x7f"),
              "\xc3\xa9\xff a\\b\\n\\t\\x01\\x7f");
}

TEST(XcamCamOptions, IntegerOptionsGiveTheirRealRangeAndMeanItsChannelCount)
{
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{"--seed=2147483648"}, "--seed '2147483648' must be in [0, 2147483647]"},
        {{"--max-channels=99999999999"}, "--max-channels '99999999999' must be in [0, 2147483647]"},
        {{"--topk=-1"}, "--topk '-1' must be in [1, 2147483647]"},
        {{"--grid=4097"}, "--grid '4097' must be in [0, 4096]"},
        {{"--backend=99"}, "--backend '99' must be in [0, 7]"},
        {{"--target=10"}, "--target '10' must be in [0, 9]"},
        {{"--montage-max=0"}, "--montage-max '0' must be in [1, 100000]"},
        {{"--max-memory=0"}, "--max-memory '0' must be a memory size in [1M, 1024T]"},
        {{"--mean=1 2"}, "--mean '1 2' has 2 values but the net is fed 3-channel (colour) images: give 3 values"},
        {{"--mean=1 2 3 4"}, "has 4 values but the net is fed 3-channel"},
        {{"--gray", "--mean=1 2 3"}, "--mean '1 2 3' has 3 values but the net is fed 1-channel (grey, --gray) images"},
    };
    expectErrors(cases);
    xcam_samples::Options o;
    ASSERT_EQ(parse({"--model=m.onnx", "--gray", "--mean=5", "--max-memory=1.5G", "--seed=2147483647"}, o), "");
    EXPECT_EQ(o.model.mean, Scalar(5));
    EXPECT_DOUBLE_EQ(o.run.maxMemory, 1.5 * 1024 * 1024 * 1024);
    ASSERT_EQ(parse({"--model=m.onnx", "--max-memory=4096"}, o), "");
    EXPECT_DOUBLE_EQ(o.run.maxMemory, 4096.0 * 1024 * 1024);
    // End to end: a 2-value mean on the 3-channel test net.
    expectOneErrorLine("--model=" + testdata("gap_fc_gemm.onnx") + " --width=7 --height=5 --mean=\"1 2\" --input=" +
                           smallImage(), "--mean '1 2' has 2 values");
}

TEST(XcamCamOptions, TheCliSaysWhatIsWrongInOneLine)
{
    const std::string image = scratch("_in.png"), empty = scratch("_empty.onnx");
    Mat picture(10, 14, CV_8UC3, Scalar(1, 2, 3));
    ASSERT_TRUE(imwrite(image, picture));
    { FILE* f = fopen(empty.c_str(), "w"); fclose(f); }
    const std::string base = "--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + image + " ";
    const ErrorCase cases[] = {
        {base + "--alpha=NaN", "--alpha 'NaN' is not a finite number"},
        {base + "--threshold=nan", "--threshold 'nan'"},
        {base + "--class=abc", "--class 'abc' is not an integer"},
        {base + "--mean=\"a b c\"", "--mean 'a b c'"},
        {base + "--mean=\"1 2 x\"", "--mean '1 2 x'"},
        {base + "--class=-2", "--class '-2' must be in [0, 2147483647]"},
        {base + "--width=-1 --height=-1", "--width '-1'"},
        {base + "--width=-1", "--width '-1'"},
        {base + "--save=" + scratch("_r.txt"), "must end in .yml"},
        {"--model=" + empty + " --input=" + image, "the file is empty"},
        {base + "--method=magic", "methods: auto, cam, gradcam, gradcam++"},
        // A newline in a value or a file name is printed as \\n (sh: quoted, a real newline).
        // (cv::Exception itself turns a multi-line message into "> " lines: "_no\\n> such.png".)
        {base + "--alpha='1\n2'", "--alpha '1\\n2' is not a finite number"},
        {"--model=" + testdata("gap_fc_gemm.onnx") + " --input='" + scratch("_no\nsuch.png") + "'",
         "_no\\n"},
    };
    for (const ErrorCase& c : cases)
        expectOneErrorLine(c.args, c.message);
    EXPECT_FALSE(std::ifstream(scratch("_r.txt")).good());
}

TEST(XcamCamOptions, ChannelCountMustMatchTheNetsInput)
{
    const std::string data = XCAM_DATA_DIR;
    const std::string demo = "--model=" + data + "/fashion_gapfc.onnx --width=28 --height=28 --input=" +
                             data + "/images/0_ankle_boot.png";
    expectOneErrorLine(demo, "1-channel (grey) images: add --gray");
    EXPECT_EQ(runCam(demo + " --gray").status, 0);
    expectOneErrorLine("--model=" + testdata("gap_fc_gemm.onnx") + " --gray --width=7 --height=5 --input=" +
                           data + "/images/0_ankle_boot.png",
                       "3-channel (colour) images: drop --gray");
}

TEST(XcamCamOptions, FrameSchedulerPacesAtTheFileRateNeverFaster)
{
    xcam_samples::FrameScheduler s(10);  // 100 ms per frame
    EXPECT_EQ(s.shown(5.000), 100);      // first frame at t = 5 s: the next is due at 5.1
    EXPECT_EQ(s.shown(5.100), 100);
    EXPECT_EQ(s.shown(5.230), 70);       // 30 ms of work: the wait shrinks, the schedule holds
    EXPECT_EQ(s.shown(5.300), 100);
    EXPECT_EQ(s.shown(5.4999), 1);       // due now: at least 1 ms (cv::waitKey(0) would block)
    EXPECT_EQ(s.shown(7.000), 100);      // far behind (slow model): restart, no burst
    EXPECT_EQ(s.shown(7.100), 100);
    xcam_samples::FrameScheduler camera(0);
    EXPECT_EQ(camera.shown(1.0), 1);
    EXPECT_EQ(camera.shown(1.0), 1);
}
