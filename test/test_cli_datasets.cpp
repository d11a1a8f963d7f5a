// xcam_cam over datasets: list files, shards, --results JSON Lines, --resume after a kill,
// unreadable files, unwritable outputs, truncated videos.
#include "cli_runner.hpp"
#include "test_nets.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <signal.h>
#include <thread>
#include <unistd.h>

using namespace cv;
using namespace xcam_test;
namespace fs = std::filesystem;

namespace {

const char* kSmallArgs = " --width=7 --height=5 --scale=0.015625 --mean=\"100 120 140\" --rgb --headless";

std::vector<std::string> jsonPaths(const std::string& jsonl)
{
    std::vector<std::string> paths;
    for (const std::string& line : resultRecords(jsonl))
    {
        const std::string key = "{\"path\": \"";
        EXPECT_EQ(line.rfind(key, 0), 0u) << line;
        paths.push_back(line.substr(key.size(), line.find('"', key.size()) - key.size()));
    }
    return paths;
}

/** Complete records (lines after the header). */
size_t countRecords(const std::string& path)
{
    const std::string text = readFile(path);
    const size_t n = (size_t)std::count(text.begin(), text.end(), '\n');
    return n > 0 ? n - 1 : 0;
}

} // namespace

TEST(XcamCamDatasets, ListFileRecordsEveryImageWithThePinnedKeys)
{
    const std::string dir = freshDir("_dir"), list = writeImagesAndList(dir, 3, {20, 16});
    const std::string results = dir + "/r.jsonl";
    const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + list +
                            kSmallArgs + " --topk=2 --results=" + results + " --output=" + dir + "/out");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lines(r.out).size(), 6u) << r.out;
    EXPECT_EQ(lines(r.out)[0].rfind("sub/img_0.png\t1 ", 0), 0u) << r.out;
    const std::vector<std::string> records = resultRecords(results);
    ASSERT_EQ(records.size(), 3u);
    for (const char* key : {"\"path\": \"sub/img_0.png\"", "\"class_ids\": [", "\"labels\": [null, null]",
                            "\"probabilities\": [", "\"method\": \"cam\"",
                            "\"feature_layer\": \"onnx_node!features/relu\"", "\"map_size\": [7, 5]",
                            "\"output\": \""})
        EXPECT_NE(records[0].find(key), std::string::npos) << key << "\n" << records[0];
    EXPECT_TRUE(fs::exists(dir + "/out/sub/img_0.png"));

    // A listed "../" path: its overlay stays inside the --output folder, under "@up".
    fs::create_directories(dir + "/lists");
    { std::ofstream(dir + "/lists/up.txt") << "../sub/img_1.png\n"; }
    const CliRun up = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + dir +
                             "/lists/up.txt" + kSmallArgs + " --output=" + dir + "/out2");
    ASSERT_EQ(up.status, 0) << up.err;
    EXPECT_TRUE(fs::exists(dir + "/out2/@up/sub/img_1.png"));
}

TEST(XcamCamDatasets, ShardsCoverTheSetOnceWithoutOverlap)
{
    const std::string dir = freshDir("_dir"), list = writeImagesAndList(dir, 11, {20, 16});
    const std::string args = "--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + list + kSmallArgs;
    ASSERT_EQ(runCam(args + " --results=" + dir + "/all.jsonl").status, 0);
    const std::vector<std::string> all = jsonPaths(dir + "/all.jsonl");
    ASSERT_EQ(all.size(), 11u);
    std::multiset<std::string> united;
    for (int i = 0; i < 3; ++i)
    {
        const std::string part = dir + "/part" + std::to_string(i) + ".jsonl";
        const CliRun r = runCam(args + " --shard=" + std::to_string(i) + "/3 --results=" + part);
        ASSERT_EQ(r.status, 0) << r.err;
        const std::vector<std::string> paths = jsonPaths(part);
        EXPECT_EQ(paths.size(), i < 2 ? 4u : 3u);  // 11 = 4 + 4 + 3, every 3rd in sorted order
        united.insert(paths.begin(), paths.end());
    }
    EXPECT_EQ(united, std::multiset<std::string>(all.begin(), all.end()));
}

TEST(XcamCamDatasets, ResumeAfterAKillGivesTheSameJsonlAsOneRun)
{
    XCAM_REQUIRE_SHARED();
    const std::string dir = freshDir("_dir"), list = writeImagesAndList(dir, 40, {224, 224});
    const std::string m = shared("models/mobilenet_v2_1.0_224_imagenet/");
    const std::string args = "--model=" + m + "mobilenet_v2_1.0_224.onnx --classes=" + m +
                             "labels.txt --width=224 --height=224 --scale=0.00784313725490196 "
                             "--mean=\"127.5 127.5 127.5\" --rgb --headless --input=" + list;
    ASSERT_EQ(runCam(args + " --results=" + dir + "/whole.jsonl").status, 0);
    ASSERT_EQ(countRecords(dir + "/whole.jsonl"), 40u);

    // Started in the background and killed (SIGKILL) once a few records are written.
    const std::string killed = dir + "/killed.jsonl";
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0)
    {
        const std::string cmd = "exec " + std::string(XCAM_CAM_EXE) + " " + args + " --results=" +
                                killed + " >/dev/null 2>&1";
        execl("/bin/sh", "sh", "-c", cmd.c_str(), (char*)nullptr);
        _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (countRecords(killed) < 5 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it was killed";
    const size_t before = countRecords(killed);
    ASSERT_GE(before, 5u);
    ASSERT_LT(before, 40u);

    const CliRun resumed = runCam(args + " --results=" + killed + " --resume");
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_EQ(lines(resumed.out).size(), 3u * (40 - before));  // only the images not yet done
    EXPECT_EQ(readFile(killed), readFile(dir + "/whole.jsonl"));
}

TEST(XcamCamDatasets, ResumeRedoesAHalfWrittenLastLine)
{
    const std::string dir = freshDir("_dir"), list = writeImagesAndList(dir, 6, {20, 16});
    const std::string args = "--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + list + kSmallArgs;
    ASSERT_EQ(runCam(args + " --results=" + dir + "/whole.jsonl").status, 0);
    const std::string whole = readFile(dir + "/whole.jsonl");
    size_t cut = 0;
    for (int i = 0; i < 4; ++i)
        cut = whole.find('\n', cut) + 1;
    const std::string half = whole.substr(0, cut + 25);  // header, 3 records, a 4th half written
    std::ofstream(dir + "/part.jsonl", std::ios::binary) << half;
    const CliRun r = runCam(args + " --results=" + dir + "/part.jsonl --resume");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("dropped 1 half-written line"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("resumed: 3 images already in"), std::string::npos) << r.err;
    EXPECT_EQ(readFile(dir + "/part.jsonl"), whole);
    for (const auto& entry : fs::directory_iterator(dir))
        EXPECT_EQ(entry.path().filename().string().rfind(".xcam-tmp", 0), std::string::npos);
}

TEST(XcamCamDatasets, MixedFolderGoesOnNamesTheBadFilesAndExitsTwo)
{
    const std::string dir = freshDir("_in");
    for (int i = 0; i < 3; ++i)
    {
        Mat image(16, 20, CV_8UC3);
        RNG(i).fill(image, RNG::UNIFORM, 0, 256);
        ASSERT_TRUE(imwrite(dir + "/good" + std::to_string(i) + ".png", image));
    }
    { std::ofstream(dir + "/broken.png") << "this is not a PNG"; }
    { std::ofstream(dir + "/notes.txt") << "not an image, ignored silently"; }
    const std::string results = scratch("_r.jsonl");
    const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + dir +
                            kSmallArgs + " --topk=1 --results=" + results);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(lines(r.out).size(), 3u) << r.out;
    EXPECT_NE(r.err.find("xcam_cam: warning: cannot read image '" + dir + "/broken.png'"),
              std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("notes.txt"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("1 of 4 images could not be read"), std::string::npos) << r.err;
    EXPECT_EQ(countRecords(results), 3u);

    // A listed path that does not exist: named, the others processed, exit 2.
    const std::string list = dir + "/list.txt";
    { std::ofstream(list) << "good0.png\nmissing.png\ngood1.png\n"; }
    const CliRun l = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + list + kSmallArgs);
    EXPECT_EQ(l.status, 2) << l.err;
    EXPECT_EQ(lines(l.out).size(), 6u) << l.out;
    EXPECT_NE(l.err.find("cannot read image 'missing.png': no such file"), std::string::npos) << l.err;
}

TEST(XcamCamDatasets, UnwritableOutputLeavesNothingBehind)
{
    const std::string dir = freshDir("_dir"), image = dir + "/in.png", save = dir + "/r.yml";
    Mat picture(16, 20, CV_8UC3, Scalar(10, 200, 30));
    ASSERT_TRUE(imwrite(image, picture));
    const std::string args = "--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + image + kSmallArgs;
    expectOneErrorLine(args + " --output=/proc/x.png --save=" + save, "cannot write '/proc/x.png'");
    expectOneErrorLine(args + " --output=" + dir + "/no/such/dir/x.png", "cannot write");
    expectOneErrorLine(args + " --save=/proc/r.yml", "cannot write '/proc/r.yml'");
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(dir))
        left.push_back(entry.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string>{"in.png"});  // no r.yml, no temporary file
}

TEST(XcamCamDatasets, TruncatedVideoIsReportedWithExitTwo)
{
    const std::string dir = freshDir("_dir"), video = dir + "/in.avi", cut = dir + "/cut.avi";
    writeRandomVideo(video, 10, 0);
    const std::string bytes = readFile(video);
    std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    const CliRun r = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + cut + kSmallArgs);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("of the 10 frames"), std::string::npos) << r.err;
    const CliRun whole = runCam("--model=" + testdata("gap_fc_gemm.onnx") + " --input=" + video + kSmallArgs);
    EXPECT_EQ(whole.status, 0) << whole.err;
}
