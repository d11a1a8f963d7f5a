// Issue 16, silent or unclear answers: mistyped options, a display that does not answer, list
// files as people write them, file names that are not UTF-8, the method named in the summary,
// the montage cap, box files that do not match the images, memory and progress of long runs.
#include "cli_runner.hpp"
#include "test_nets.hpp"

#include "common/progress.hpp"

#include <opencv2/imgcodecs.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace cv;
using namespace xcam_test;
namespace fs = std::filesystem;

namespace {

const char* kSmallArgs = " --width=7 --height=5 --scale=0.015625 --mean=\"100 120 140\" --rgb --headless";
const std::string kDemoArgs = " --width=28 --height=28 --scale=0.00392156862745098 --gray --headless";

std::string smallNet()
{
    return "--model=" + testdata("gap_fc_gemm.onnx");
}

std::string demo(const std::string& file)
{
    return std::string(XCAM_DATA_DIR) + "/" + file;
}

void writeImage(const std::string& path, uint64 seed)
{
    Mat image(16, 20, CV_8UC3);
    RNG(seed).fill(image, RNG::UNIFORM, 0, 256);
    ASSERT_TRUE(imwrite(path, image));
}

/** An X display number nobody serves (no socket in /tmp/.X11-unix), from :87 up. */
std::string deadDisplay()
{
    for (int n = 87; n < 200; ++n)
        if (!fs::exists("/tmp/.X11-unix/X" + std::to_string(n)))
            return ":" + std::to_string(n);
    return ":87";
}

} // namespace

TEST(XcamCliMessages, MistypedOptionsSayWhatToWriteInstead)
{
    const std::string dir = freshDir("_dir"), image = dir + "/in.png";
    writeImage(image, 1);
    const std::string base = smallNet() + kSmallArgs + " --input=" + image;
    const ErrorCase cases[] = {
        {base + " --ouput=" + dir + "/x.png", "unknown option --ouput (did you mean --output?)"},
        {base + " --methods=gradcam", "unknown option --methods (did you mean --method?)"},
        {base + " --frobnicate=1", "unknown option --frobnicate (see --help)"},
        {base + " --output " + dir + "/x.png", "--output " + dir + "/x.png: write --output=" + dir + "/x.png"},
        {base + " --method", "--method needs a value: write --method=VALUE"},
        {base + " --method --topk=2", "--method needs a value"},
        {smallNet() + kSmallArgs + " " + image, "'" + image + "' is not an option: write --input=" + image},
        {base + " --model=" + testdata("flat_fc.onnx"), "--model is given twice"},
        {base + " -m=" + testdata("flat_fc.onnx"), "--model is given twice"},
    };
    for (const ErrorCase& c : cases)
        expectOneErrorLine(c.args, c.message);
    EXPECT_EQ(std::vector<std::string>{"in.png"}, [&] {
        std::vector<std::string> left;
        for (const auto& e : fs::directory_iterator(dir))
            left.push_back(e.path().filename().string());
        return left;
    }()) << "a refused command wrote something";
    // Flags stay bare, as before.
    EXPECT_EQ(runCam(smallNet() + kSmallArgs + " --input=" + image + " --crop").status, 0);

    // xcam_eval: --method is xcam_cam's; cam_webcam: --camra.
    expectOneErrorLineOf(XCAM_EVAL_EXE, "xcam_eval", smallNet() + " --input=" + image + " --method=gradcam",
                         "unknown option --method (did you mean --methods?)");
    expectOneErrorLineOf(XCAM_WEBCAM_EXE, "cam_webcam", smallNet() + " --camra=0",
                         "unknown option --camra (did you mean --camera?)");
}

TEST(XcamCliMessages, NoDisplayIsOneErrorLineNotAnAbort)
{
    // DISPLAY names a server that does not answer: Qt would abort (exit 134) with no message.
    const std::string dir = freshDir("_dir"), image = dir + "/in.png", display = deadDisplay();
    writeImage(image, 2);
    const std::string withDisplay = "env DISPLAY=" + display + " ";
    const std::string args = smallNet() + " --width=7 --height=5 --input=" + image;
    EXPECT_EQ(expectOneErrorLineOf(withDisplay + XCAM_CAM_EXE, "xcam_cam", args,
                                   "no display: use --headless (DISPLAY '" + display + "' does not answer)"),
              1);
    EXPECT_EQ(expectOneErrorLineOf(withDisplay + XCAM_WEBCAM_EXE, "cam_webcam",
                                   smallNet() + " --width=7 --height=5 --camera=" + image,
                                   "no display: use --headless"),
              1);
    const CliRun headless = runProgram(withDisplay + XCAM_CAM_EXE, args + " --headless");
    EXPECT_EQ(headless.status, 0) << headless.err;
    // (The working case, a window on a real X server: XcamCamInputs.WindowModeRunsUnderAVirtualDisplay
    // and XcamSamplesLabels.CamWebcamRunsOnATwoClassNetUnderAVirtualDisplay, under xvfb-run.)
}

TEST(XcamCliMessages, HelpExitsZeroAndNamesBothListExtensions)
{
    const CliRun webcam = runProgram(XCAM_WEBCAM_EXE, "--help");
    EXPECT_EQ(webcam.status, 0) << webcam.err;
    EXPECT_NE(webcam.out.find("--camera"), std::string::npos) << webcam.out;
    for (const char* exe : {XCAM_CAM_EXE, XCAM_EVAL_EXE})
    {
        const CliRun r = runProgram(exe, "--help");
        EXPECT_EQ(r.status, 0) << exe;
        EXPECT_NE(r.out.find(".txt or .lst"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("--max-memory"), std::string::npos) << r.out;
    }
    EXPECT_NE(runProgram(XCAM_CAM_EXE, "--help").out.find("@up"), std::string::npos)
        << "--help documents the output names";
}

TEST(XcamCliMessages, ListFilesWithBomCommentsBlanksAndFolders)
{
    const std::string dir = freshDir("_dir");
    fs::create_directories(dir + "/folder.png");
    writeImage(dir + "/a.png", 1);
    writeImage(dir + "/b #1.png", 2);
    writeImage(dir + "/c.png", 3);
    const std::string list = dir + "/list.lst";
    std::ofstream(list, std::ios::binary) << "\xEF\xBB\xBF" "a.png\r\n"
                                             "   # an indented comment\n"
                                             "\tc.png   # the third\n"
                                             "b #1.png\n"  // '#' after a blank: a comment
                                             "folder.png\n";
    const CliRun r = runCam(smallNet() + kSmallArgs + " --input=" + list + " --topk=1");
    EXPECT_EQ(r.status, 2) << r.err;
    ASSERT_EQ(lines(r.out).size(), 2u) << r.out;
    EXPECT_EQ(lines(r.out)[0].rfind("a.png\t1 ", 0), 0u) << r.out;
    EXPECT_EQ(lines(r.out)[1].rfind("c.png\t1 ", 0), 0u) << r.out;
    EXPECT_NE(r.err.find("cannot read image 'b': no such file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cannot read image 'folder.png': is a directory"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("2 of 4 images could not be read"), std::string::npos) << r.err;
}

TEST(XcamCliMessages, NonUtf8FileNamesGiveValidJsonWithTheirBytes)
{
    const std::string dir = freshDir("_dir"), name = "caf\xe9_\xff.png";  // Latin-1 e-acute, 0xff
    writeImage(dir + "/" + name, 4);
    writeImage(dir + "/plain.png", 5);
    const std::string results = dir + "/r.jsonl";
    const std::string args = smallNet() + kSmallArgs + " --input=" + dir + " --results=" + results;
    ASSERT_EQ(runCam(args).status, 0);
    // Strict JSON (RFC 8259: the file is UTF-8), and path_bytes_hex gives the raw bytes back.
    const std::string expected = dir + "/" + name;
    EXPECT_EQ(runPython("import json, sys\n"
                        "lines = open(sys.argv[1], 'rb').read().decode('utf-8').splitlines()\n"
                        "records = [json.loads(l) for l in lines[1:]]\n"
                        "odd = [r for r in records if 'path_bytes_hex' in r]\n"
                        "assert len(records) == 2 and len(odd) == 1, records\n"
                        "assert bytes.fromhex(odd[0]['path_bytes_hex']) == bytes.fromhex(sys.argv[2])\n"
                        "assert odd[0]['path'] == bytes.fromhex(sys.argv[2]).decode('latin-1')\n"
                        "assert 'canonical_path_bytes_hex' in odd[0] and 'output_bytes_hex' not in odd[0]\n",
                        results + " " + [&] {
                            std::string hex;
                            for (unsigned char c : expected)
                                hex += format("%02x", c);
                            return hex;
                        }()),
              0) << readFile(results);
    const CliRun resumed = runCam(args + " --resume");  // the bytes are read back for --resume
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("resumed: 2 images already in"), std::string::npos) << resumed.err;
}

TEST(XcamCliMessages, SummaryNamesTheMethodActuallyUsed)
{
    const std::string vgg = "--model=" + demo("fashion_vgg.onnx") + kDemoArgs + " --input=" + demo("images");
    const CliRun plus = runCam(vgg + " --method=gradcam++");
    ASSERT_EQ(plus.status, 0) << plus.err;
    EXPECT_NE(plus.err.find("head up to onnx_node!fc2 (no CAM head), method gradcam++\n"), std::string::npos)
        << plus.err;
    EXPECT_EQ(plus.err.find("default method"), std::string::npos) << plus.err;
    const CliRun automatic = runCam(vgg);
    ASSERT_EQ(automatic.status, 0) << automatic.err;
    EXPECT_NE(automatic.err.find("(no CAM head), method gradcam (the default)"), std::string::npos) << automatic.err;
}

TEST(XcamCliMessages, MontageIsCappedWithANote)
{
    const std::string out = scratch("_montage.png");
    const CliRun r = runCam("--model=" + demo("fashion_gapfc.onnx") + kDemoArgs + " --input=" + demo("images") +
                            " --montage=" + out + " --montage-max=3");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("wrote montage " + out + " (3 images: the first of 8; --montage-max sets how many)"),
              std::string::npos) << r.err;
    EXPECT_EQ(lines(r.out).size(), 24u);  // every image is still explained
    const Mat montage = imread(out);
    ASSERT_FALSE(montage.empty());
    EXPECT_LT(montage.cols, 4 * 2 * 224);  // three tiles in one row, not four
    EXPECT_GT(montage.cols, 3 * 2 * 224);
    EXPECT_LT(montage.rows, 2 * 224);
}

TEST(XcamCliMessages, BoxesNamingNoImageOrOutsideTheirImageAreWarnedAndCounted)
{
    const std::string boxes = scratch("_boxes.csv"), json = scratch("_table.json");
    std::ofstream(boxes) << "image,x,y,w,h,class\n"
                            "0_ankle_boot.png,0,0,28,28,9\n"      // fine: always a hit
                            "1_pullover.png,100,100,5,5,2\n"      // outside its 28x28 image: a miss
                            "2_trouser.png,2147483000,0,900,4,1\n"  // outside, x + w overflows int
                            "no_such_image.png,1,1,4,4,0\n";      // names no image
    const CliRun r = runProgram(XCAM_EVAL_EXE, "--model=" + demo("fashion_gapfc.onnx") +
                                                   " --width=28 --height=28 --scale=0.00392156862745098 --gray --input=" +
                                                   demo("images") + " --methods=cam --steps=2 --tolerance=0 --boxes=" +
                                                   boxes + " --output=" + json);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("box 4 names 'no_such_image.png', no image of --input"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("box 2 (100,100 5x5) lies outside the 28x28 image"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("box 3 (2147483000,0 900x4) lies outside"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("1 box(es) name no image of --input, 2 lie outside their image"), std::string::npos) << r.err;
    FileStorage fs(json, FileStorage::READ);
    EXPECT_NEAR((double)fs["methods"][0]["pointing_game"], 1.0 / 3.0, 1e-8);  // 1 hit of 3 boxed images
    // A tolerance that would overflow int with a box's coordinates is out of range.
    expectOneErrorLineOf(XCAM_EVAL_EXE, "xcam_eval", "--model=" + demo("fashion_gapfc.onnx") + " --input=" +
                                                          demo("images") + " --tolerance=2147483646",
                         "--tolerance '2147483646' must be in [0, 65536]");
}

TEST(XcamCliMessages, RunsAboveTheMemoryLimitAreRefusedUpFront)
{
    const std::string net = "--model=" + demo("fashion_gapfc.onnx") + kDemoArgs + " --input=" + demo("images");
    // RISE's random grids: 32 (a batch) of 4096x4096 floats, 2 GiB, for a 28x28 input.
    expectOneErrorLine(net + " --method=rise --grid=4096 --masks=50 --max-memory=1G",
                       "this run needs about 2.");
    expectOneErrorLine(net + " --method=rise --grid=4096 --masks=50 --max-memory=1G",
                       "RISE grids (32 of 4096x4096) 2.0 GiB");
    expectOneErrorLine(net + " --method=occlusion --patch=1 --stride=1 --batch=729 --max-memory=1M",
                       "more than --max-memory (1.0 MiB): lower --batch (now 729) or raise --max-memory");
    expectOneErrorLineOf(XCAM_EVAL_EXE, "xcam_eval", "--model=" + demo("fashion_gapfc.onnx") +
                                                          " --width=28 --height=28 --gray --input=" + demo("images") +
                                                          " --methods=rise --masks=64 --batch=64 --max-memory=8M",
                         "net activations (batch 64)");
    expectOneErrorLine(net + " --max-memory=12Q", "--max-memory '12Q' must be a memory size");
    // Refused before anything is written: not even the output folder is created.
    const std::string out = scratch("_never");
    fs::remove_all(out);
    expectOneErrorLine(net + " --method=rise --batch=64 --max-memory=1M --output=" + out + " --results=" + out + ".jsonl",
                       "lower --batch (now 64)");
    EXPECT_FALSE(fs::exists(out));
    EXPECT_FALSE(fs::exists(out + ".jsonl"));
    // The same run with room enough works.
    EXPECT_EQ(runCam(net + " --method=rise --grid=16 --masks=8 --max-memory=1G").status, 0);
}

TEST(XcamCliMessages, TickerPrintsAtLeastOnceASecondDuringOneLongStep)
{
    ::testing::internal::CaptureStderr();  // not a terminal: lines, no "\r"
    xcam_samples::ProgressBar bar("rise");
    const auto start = std::chrono::steady_clock::now();
    {
        xcam_samples::Ticker ticker(bar);
        bar.update(0, 64);
        std::this_thread::sleep_for(std::chrono::milliseconds(3500));  // one batch that takes long
        bar.update(64, 64);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::vector<std::string> printed = lines(::testing::internal::GetCapturedStderr());
    ASSERT_GE(printed.size(), 3u);
    EXPECT_EQ(printed.front(), "xcam_cam: rise [..............................] 0/64");
    EXPECT_EQ(printed.back(), "xcam_cam: rise [##############################] 64/64");
    const size_t ticks = printed.size() - 2;
    EXPECT_GE(ticks, (size_t)std::floor(seconds) - 1) << "fewer than one line a second";
    EXPECT_LE(ticks, (size_t)std::ceil(seconds) + 1);
    EXPECT_EQ(printed[1].rfind("xcam_cam: rise [..............................] 0/64 (", 0), 0u) << printed[1];
    EXPECT_EQ(printed[1].substr(printed[1].size() - 3), " s)") << printed[1];
}

TEST(XcamCliMessages, LongSingleImageShowsProgressEverySecondOnARealModel)
{
    XCAM_REQUIRE_SHARED();
    // RISE on MobileNetV2 with one batch of 96 masks: no per-batch report until the end, so the
    // lines in between come from the ticker.
    const std::string m = shared("models/mobilenet_v2_1.0_224_imagenet/");
    const auto start = std::chrono::steady_clock::now();
    const CliRun r = runCam("--model=" + m + "mobilenet_v2_1.0_224.onnx --width=224 --height=224 "
                            "--scale=0.00784313725490196 --mean=\"127.5 127.5 127.5\" --rgb --headless "
                            "--method=rise --masks=96 --batch=96 --input=" + shared("images/chelsea.png"));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_EQ(r.status, 0) << r.err;
    size_t ticks = 0;
    for (const std::string& line : lines(r.err))
        ticks += line.rfind("xcam_cam: rise [", 0) == 0 && line.find(" s)") != std::string::npos;
    std::printf("RISE, one batch of 96 on MobileNetV2: %.1f s, %zu progress lines with the time\n", seconds, ticks);
    // Model loading and the first forward take part of the time: at least a line every 2 s.
    EXPECT_GE(ticks, (size_t)std::max(0.0, std::floor(seconds / 2) - 1)) << r.err;
}

TEST(XcamCliMessages, MemoryEstimateBoundsThePeakFromAboveWithinAFactorOfThree)
{
    XCAM_REQUIRE_SHARED();
    const std::string m = shared("models/mobilenet_v2_1.0_224_imagenet/");
    const std::string args = "--model=" + m + "mobilenet_v2_1.0_224.onnx --width=224 --height=224 "
                             "--scale=0.00784313725490196 --mean=\"127.5 127.5 127.5\" --rgb --headless "
                             "--method=occlusion --batch=16 --input=" + shared("images/chelsea.png");
    // The estimate, from the refusal message of a tiny limit.
    const CliRun refused = runCam(args + " --max-memory=1M");
    const size_t at = refused.err.find("needs about ");
    ASSERT_NE(at, std::string::npos) << refused.err;
    double estimate = std::atof(refused.err.c_str() + at + 12);
    const std::string unit = refused.err.substr(refused.err.find(' ', at + 12) + 1, 3);
    estimate *= unit == "GiB" ? 1024.0 * 1024 * 1024 : unit == "MiB" ? 1024.0 * 1024 : 1.0;
    // The peak resident memory of the same run without the limit.
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0)
    {
        const std::string cmd = "exec " + std::string(XCAM_CAM_EXE) + " " + args + " >/dev/null 2>&1";
        execl("/bin/sh", "sh", "-c", cmd.c_str(), (char*)nullptr);
        _exit(127);
    }
    int status = 0;
    struct rusage usage = {};
    ASSERT_EQ(wait4(pid, &status, 0, &usage), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const double peak = usage.ru_maxrss * 1024.0;
    std::printf("occlusion, batch 16, MobileNetV2: estimate %.0f MiB, peak RSS %.0f MiB\n",
                estimate / 1048576, peak / 1048576);
    EXPECT_GE(estimate, peak);
    EXPECT_LE(estimate, 3 * peak);
}
