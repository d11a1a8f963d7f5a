// Issue 16, data loss: no output of xcam_cam or xcam_eval may replace an input or another
// output, output names are unique, and --results files are never mixed, lost or half-written.
// Each case of the issue has its test here (the names say which); every refused run must leave
// every file as it was.
#include "cli_runner.hpp"
#include "test_nets.hpp"

#include "common/pending_files.hpp"
#include "common/results_log.hpp"

#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

using namespace cv;
using namespace xcam_test;
namespace fs = std::filesystem;

namespace {

const char* kSmallArgs = " --width=7 --height=5 --scale=0.015625 --mean=\"100 120 140\" --rgb --headless";

std::string smallNet()
{
    return "--model=" + testdata("gap_fc_gemm.onnx");
}

/** Every regular file below `dir` with its content. */
std::map<std::string, std::string> snapshot(const std::string& dir)
{
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file())
            files[e.path().string()] = readFile(e.path().string());
    return files;
}

/** A random image at `path` (seed `seed`). */
void writeImage(const std::string& path, uint64 seed, Size size = Size(20, 16))
{
    Mat image(size, CV_8UC3);
    RNG(seed).fill(image, RNG::UNIFORM, 0, 256);
    ASSERT_TRUE(imwrite(path, image));
}

/** `args` must fail with one error line containing `message` and change nothing under `dir`. */
void expectRefusedAndUntouched(const std::string& dir, const std::string& args, const std::string& message)
{
    const auto before = snapshot(dir);
    expectOneErrorLine(args, message);
    EXPECT_EQ(snapshot(dir), before) << args;
}

/** The `key` string of each record of a results file, read by Python's json module. */
std::vector<std::string> recordValues(const std::string& jsonl, const std::string& key)
{
    const std::string out = jsonl + "." + key + ".txt";
    const int status = runPython("import json, sys\n"
                                 "lines = open(sys.argv[1], 'rb').read().decode('utf-8').split('\\n')\n"
                                 "assert lines[-1] == '' and 'xcam_results' in json.loads(lines[0])\n"
                                 "with open(sys.argv[3], 'w') as out:\n"
                                 "    for line in lines[1:-1]:\n"
                                 "        print(json.loads(line)[sys.argv[2]], file=out)\n",
                                 jsonl + " " + key + " " + out);
    EXPECT_EQ(status, 0) << readFile(jsonl);
    return lines(readFile(out));
}

} // namespace

// Case 1: --input=DIR --output=DIR replaced every input image with its overlay.
TEST(XcamCamSafety, Case1OutputFolderThatIsTheInputFolderIsRefused)
{
    const std::string dir = freshDir("_in");
    for (int i = 0; i < 3; ++i)
        writeImage(dir + "/" + std::to_string(i) + ".png", i);
    const std::string base = smallNet() + kSmallArgs + " --input=" + dir;
    expectRefusedAndUntouched(dir, base + " --output=" + dir, "is the --input '" + dir + "' folder");
    expectRefusedAndUntouched(dir, base + " --output=" + dir + "/.", "is the --input");
    expectRefusedAndUntouched(dir, base + " --output=" + dir + "/new/..", "is the --input");
    // A list in the folder naming its images: each overlay would be its image.
    { std::ofstream(dir + "/list.txt") << "0.png\n1.png\n"; }
    expectRefusedAndUntouched(dir, smallNet() + kSmallArgs + " --input=" + dir + "/list.txt --output=" + dir,
                              "is the same file as the listed image '" + dir + "/0.png'");
}

// Case 2: --input=x.png --output=x.png overwrote the input; so did other spellings of it.
TEST(XcamCamSafety, Case2OutputThatIsTheInputImageIsRefused)
{
    const std::string dir = freshDir("_dir"), image = dir + "/x.png";
    writeImage(image, 1);
    ASSERT_EQ(link(image.c_str(), (dir + "/hard.png").c_str()), 0);
    fs::create_symlink("x.png", dir + "/soft.png");
    const std::string base = smallNet() + kSmallArgs + " --input=" + image;
    for (const std::string& out : {image, dir + "/./x.png", dir + "/hard.png", dir + "/soft.png"})
        expectRefusedAndUntouched(dir, base + " --output=" + out,
                                  "--output '" + out + "' is the same file as --input '" + image + "'");
    expectRefusedAndUntouched(dir, base + " --montage=" + image, "--montage '" + image + "' is the same file");
}

// Case 3: --input=list.txt --results=list.txt replaced the list with JSON lines.
TEST(XcamCamSafety, Case3ResultsThatIsAnInputIsRefusedWithOrWithoutResume)
{
    const std::string dir = freshDir("_dir"), list = writeImagesAndList(dir, 2, {20, 16});
    const std::string base = smallNet() + kSmallArgs + " --input=" + list;
    for (const std::string& resume : {"", " --resume"})
    {
        expectRefusedAndUntouched(dir, base + " --results=" + list + resume,
                                  "--results '" + list + "' is the same file as --input '" + list + "'");
        expectRefusedAndUntouched(dir, base + " --results=" + dir + "/sub/img_1.png" + resume,
                                  "is the same file as the listed image");
    }
    expectRefusedAndUntouched(dir, base + " --results=" + testdata("gap_fc_gemm.onnx"),
                              "is the same file as --model");
    // Two outputs of one run on one file.
    expectRefusedAndUntouched(dir, base + " --results=" + dir + "/r.jsonl --montage=" + dir + "/./r.jsonl",
                              "are the same file: give each output its own name");
    // xcam_eval --output over its --boxes file or an image.
    const std::string boxes = dir + "/boxes.csv";
    { std::ofstream(boxes) << "img_0.png,1,1,3,3,0\n"; }
    const auto before = snapshot(dir);
    for (const std::string& out : {boxes, dir + "/sub/img_0.json"})
    {
        const std::string target = out == boxes ? out : dir + "/sub/img_0.png";
        if (out != boxes)
            fs::copy_file(target, out);  // an input image whose name ends in .json
        expectOneErrorLineOf(XCAM_EVAL_EXE, "xcam_eval",
                             smallNet() + " --width=7 --height=5 --input=" + (out == boxes ? list : out) +
                                 " --boxes=" + boxes + " --output=" + out,
                             "--output '" + out + "' is the same file as");
        if (out != boxes)
            fs::remove(out);
    }
    EXPECT_EQ(snapshot(dir), before);
}

// Case 4: --resume on an ordinary text file dropped its lines and rewrote it.
TEST(XcamCamSafety, Case4ResultsFileThatIsNotXcamsIsNeverChanged)
{
    const std::string dir = freshDir("_dir"), list = writeImagesAndList(dir, 2, {20, 16});
    const std::string notes = dir + "/notes.txt", base = smallNet() + kSmallArgs + " --input=" + list;
    std::string text;
    for (int i = 0; i < 13; ++i)
        text += "note " + std::to_string(i) + "\n";
    { std::ofstream(notes) << text; }
    for (const std::string& resume : {" --resume", ""})
        expectRefusedAndUntouched(dir, base + " --results=" + notes + resume,
                                  "is not an xcam results file");
    // An xcam file with a damaged line that is not the last: not ours to repair.
    ASSERT_EQ(runCam(base + " --results=" + dir + "/r.jsonl").status, 0);
    std::string jsonl = readFile(dir + "/r.jsonl");
    jsonl.insert(jsonl.find('\n') + 1, "{\"path\": \"x\"\n");
    { std::ofstream(dir + "/r.jsonl", std::ios::binary) << jsonl; }
    expectRefusedAndUntouched(dir, base + " --results=" + dir + "/r.jsonl --resume",
                              "line 2 is not a JSON record");
}

// Case 5: a.bmp and a.jpg in one folder both wrote DIR/a.png.
TEST(XcamCamSafety, Case5SourcesSharingAStemKeepTheirExtension)
{
    const std::string in = freshDir("_in"), out = scratch("_out");
    fs::remove_all(out);
    writeImage(in + "/a.bmp", 1);
    writeImage(in + "/a.jpg", 2);
    writeImage(in + "/b.png", 3);
    const CliRun r = runCam(smallNet() + kSmallArgs + " --input=" + in + " --output=" + out);
    ASSERT_EQ(r.status, 0) << r.err;
    std::set<std::string> written;
    for (const auto& e : fs::directory_iterator(out))
        written.insert(e.path().filename().string());
    EXPECT_EQ(written, (std::set<std::string>{"a.bmp.png", "a.jpg.png", "b.png"}));
    EXPECT_GT(norm(imread(out + "/a.bmp.png"), imread(out + "/a.jpg.png"), NORM_INF), 0.0);
}

// Case 6: "../src/x.png" and "src/x.png" in one list both wrote out/src/x.png.
TEST(XcamCamSafety, Case6ListPathsUpAndDownGetDistinctOutputs)
{
    const std::string dir = freshDir("_dir"), out = dir + "/out";
    fs::create_directories(dir + "/lists/src");
    fs::create_directories(dir + "/src");
    writeImage(dir + "/src/x.png", 1);
    writeImage(dir + "/lists/src/x.png", 2);
    writeImage(dir + "/lists/@x.png", 3);
    { std::ofstream(dir + "/lists/l.txt") << "../src/x.png\nsrc/x.png\n@x.png\n"; }
    const std::string results = dir + "/r.jsonl";
    const CliRun r = runCam(smallNet() + kSmallArgs + " --input=" + dir + "/lists/l.txt --output=" + out +
                            " --results=" + results);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(recordValues(results, "output"),
              (std::vector<std::string>{out + "/@up/src/x.png", out + "/@@x.png", out + "/src/x.png"}));
    EXPECT_GT(norm(imread(out + "/@up/src/x.png"), imread(out + "/src/x.png"), NORM_INF), 0.0);
}

// Case 7: two shards writing one --results file at once lost and corrupted lines.
TEST(XcamCamSafety, Case7ConcurrentShardsWriteEveryLineOnce)
{
    const int shards = 4, images = 240;
    const std::string dir = freshDir("_dir"), list = writeImagesAndList(dir, images, {20, 16});
    for (const std::string& resume : {"", " --resume"})
    {
        const std::string results = dir + "/r" + (resume.empty() ? "0" : "1") + ".jsonl";
        std::vector<pid_t> pids;
        for (int i = 0; i < shards; ++i)
        {
            const std::string cmd = "exec " + std::string(XCAM_CAM_EXE) + " " + smallNet() + kSmallArgs +
                                    " --input=" + list + " --shard=" + std::to_string(i) + "/" +
                                    std::to_string(shards) + " --results=" + results + resume +
                                    " >/dev/null 2>" + results + std::to_string(i) + ".err";
            const pid_t pid = fork();
            ASSERT_GE(pid, 0);
            if (pid == 0)
            {
                execl("/bin/sh", "sh", "-c", cmd.c_str(), (char*)nullptr);
                _exit(127);
            }
            pids.push_back(pid);
        }
        for (int i = 0; i < shards; ++i)
        {
            int status = 0;
            waitpid(pids[i], &status, 0);
            EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
                << readFile(results + std::to_string(i) + ".err");
        }
        const std::vector<std::string> paths = recordValues(results, "path");  // every line parses
        EXPECT_EQ(paths.size(), (size_t)images) << resume;
        EXPECT_EQ(std::set<std::string>(paths.begin(), paths.end()).size(), (size_t)images) << resume;
    }
}

// Case 8: --resume after changing --method (or the model, classes, top-k, feature layer) mixed
// the records of two settings in one file.
TEST(XcamCamSafety, Case8ResumeWithOtherSettingsIsRefused)
{
    const std::string dir = freshDir("_dir"), list = writeImagesAndList(dir, 3, {20, 16});
    const std::string results = dir + "/r.jsonl", labels = dir + "/labels.txt";
    { std::ofstream(labels) << "a\nb\nc\nd\ne\n"; }
    const std::string base = kSmallArgs + std::string(" --input=") + list + " --results=" + results;
    ASSERT_EQ(runCam(smallNet() + base + " --method=cam").status, 0);
    const std::pair<std::string, std::string> changes[] = {
        {" --method=gradcam", "(method: \"cam\" there, \"gradcam\" now)"},
        {" --method=cam --topk=2", "(topk: 3 there, 2 now)"},
        {" --method=cam --classes=" + labels, "(classes: null there, {\"name\": \"labels.txt\""},
        {" --method=cam --feature=features/relu", "(feature: \"\" there, \"features/relu\" now)"},
        {" --method=cam --bias=spread", "(bias: \"ignore\" there, \"spread\" now)"},
    };
    for (const auto& c : changes)
        expectRefusedAndUntouched(dir, smallNet() + base + c.first + " --resume",
                                  "holds results of other settings " + c.second);
    expectRefusedAndUntouched(dir, "--model=" + testdata("gap_fc_logits.onnx") + base + " --method=cam --resume",
                              "holds results of other settings (model.name: \"gap_fc_gemm.onnx\" there, "
                              "\"gap_fc_logits.onnx\" now)");
    const CliRun same = runCam(smallNet() + base + " --method=cam --resume");
    EXPECT_EQ(same.status, 0) << same.err;
    EXPECT_NE(same.err.find("resumed: 3 images already in"), std::string::npos) << same.err;
}

// Case 9: --resume with the same images named by another path recorded them twice.
TEST(XcamCamSafety, Case9ResumeKnowsImagesByTheirCanonicalPath)
{
    const std::string dir = freshDir("_dir"), images = dir + "/images";
    fs::create_directories(images);
    for (int i = 0; i < 4; ++i)
        writeImage(images + "/" + std::to_string(i) + ".png", i);
    fs::create_symlink("images", dir + "/link");
    const std::string results = dir + "/r.jsonl", base = smallNet() + kSmallArgs + " --results=" + results;
    ASSERT_EQ(runCam(base + " --input=" + images).status, 0);
    const std::string relative = fs::relative(images, fs::current_path()).string();
    for (const std::string& other : {fs::absolute(images).string() + "/", relative, dir + "/link", dir + "/./images"})
    {
        const CliRun r = runCam(base + " --resume --input=" + other);
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_TRUE(r.out.empty()) << other << ": " << r.out;
        EXPECT_NE(r.err.find("resumed: 4 images already in"), std::string::npos) << r.err;
    }
    EXPECT_EQ(recordValues(results, "path").size(), 4u);
}

TEST(XcamCamSafety, ReadOnlyOutputsAreRefusedEvenForRoot)
{
    const std::string dir = freshDir("_dir"), image = dir + "/in.png", list = writeImagesAndList(dir, 2, {20, 16});
    writeImage(image, 1);
    const std::string ro = dir + "/ro.png", roJsonl = dir + "/ro.jsonl";
    writeImage(ro, 2);
    ASSERT_EQ(runCam(smallNet() + kSmallArgs + " --input=" + list + " --results=" + roJsonl).status, 0);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(roJsonl, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    const std::string base = smallNet() + kSmallArgs + " --input=" + image;
    expectRefusedAndUntouched(dir, base + " --output=" + ro, "--output '" + ro + "' is read-only (mode 0444)");
    expectRefusedAndUntouched(dir, base + " --montage=" + ro, "is read-only (mode 0444)");
    expectRefusedAndUntouched(dir, smallNet() + kSmallArgs + " --input=" + list + " --results=" + roJsonl +
                                       " --resume", "is read-only (mode 0444)");
    // A read-only overlay inside an output folder too (rename would bypass its mode).
    fs::create_directories(dir + "/out/sub");
    fs::copy_file(ro, dir + "/out/sub/img_1.png");
    expectRefusedAndUntouched(dir, smallNet() + kSmallArgs + " --input=" + list + " --output=" + dir + "/out",
                              "(the overlay of 'sub/img_1.png') '" + dir + "/out/sub/img_1.png' is read-only");
}

TEST(XcamCamSafety, DirectoriesGivenAsOutputsAreRefusedUpFront)
{
    const std::string dir = freshDir("_dir"), image = dir + "/in.png", folder = freshDir("_folder");
    writeImage(image, 1);
    const std::string base = smallNet() + kSmallArgs + " --input=" + image;
    for (const std::string& option : {"--output", "--montage", "--save", "--results"})
    {
        const std::string target = option == std::string("--save") ? folder + "/x.yml" : folder;
        if (option == std::string("--save"))
            fs::create_directories(target);
        expectRefusedAndUntouched(dir, base + " " + option + "=" + target,
                                  option + " '" + target + "' is a directory: give a file name");
    }
    fs::create_directories(folder + "/t.json");
    expectOneErrorLineOf(XCAM_EVAL_EXE, "xcam_eval", smallNet() + " --width=7 --height=5 --input=" + image +
                                                          " --output=" + folder + "/t.json",
                         "--output '" + folder + "/t.json' is a directory");
    // An output folder that is a file.
    expectRefusedAndUntouched(dir, smallNet() + kSmallArgs + " --input=" + folder + "/../" +
                                       fs::path(dir).filename().string() + " --output=" + image,
                              "is not a folder");
}

TEST(XcamCamSafety, LeftoverTemporaryFilesOfDeadRunsAreRemoved)
{
    const std::string dir = freshDir("_dir"), out = dir + "/out", image = dir + "/in.png";
    writeImage(image, 1);
    fs::create_directories(out);
    const pid_t child = fork();  // a pid that is surely dead once reaped
    if (child == 0)
        _exit(0);
    waitpid(child, nullptr, 0);
    // The names a dead run (child's pid) and a live one (this test's pid) of this host leave.
    const std::string ours = xcam_samples::temporaryName(out + "/x.png");
    const std::string mine = "-" + std::to_string(getpid()) + "-";
    std::string dead = ours;
    dead.replace(dead.rfind(mine), mine.size(), "-" + std::to_string(child) + "-");
    const std::string otherHost = out + "/.xcam-tmp-00000000-" + std::to_string(child) + "-x.png";
    for (const std::string& f : {dead, ours, otherHost})
        std::ofstream(f) << "half";
    const CliRun r = runCam(smallNet() + kSmallArgs + " --input=" + image + " --output=" + out + "/x.png");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_FALSE(fs::exists(dead));
    EXPECT_TRUE(fs::exists(ours)) << "a live run's temporary file was removed";
    EXPECT_TRUE(fs::exists(otherHost)) << "another host's temporary file was removed";
    EXPECT_FALSE(imread(out + "/x.png").empty());
    fs::remove(ours);
}

TEST(XcamCamSafety, AnEmptyFileIsNeverMovedIntoPlace)
{
    const std::string dir = freshDir("_dir"), target = dir + "/x.png", temporary = xcam_samples::temporaryName(target);
    std::ofstream(temporary).close();
    EXPECT_CV_ERROR(xcam_samples::moveIntoPlace(temporary, target), "cannot write '" + target + "'");
    EXPECT_FALSE(fs::exists(target));
    EXPECT_FALSE(fs::exists(temporary));
}

// Case 7 continued: without --resume a run redoes its own images only: the records of the other
// shards stay, its own are replaced, never duplicated.
TEST(XcamCamSafety, Case7RerunWithoutResumeRedoesOnlyItsOwnImages)
{
    const std::string dir = freshDir("_dir"), list = writeImagesAndList(dir, 9, {20, 16});
    const std::string results = dir + "/r.jsonl";
    const std::string base = smallNet() + kSmallArgs + " --input=" + list + " --results=" + results;
    for (const char* shard : {" --shard=0/3", " --shard=1/3", " --shard=2/3", " --shard=1/3"})
        ASSERT_EQ(runCam(base + shard).status, 0) << shard;
    const std::vector<std::string> paths = recordValues(results, "path");
    EXPECT_EQ(paths.size(), 9u);
    EXPECT_EQ(std::set<std::string>(paths.begin(), paths.end()).size(), 9u);
    // A run of other settings starts the file over.
    ASSERT_EQ(runCam(base + " --shard=2/3 --topk=1").status, 0);
    EXPECT_EQ(recordValues(results, "path").size(), 3u);
}

// While a run writes a results file (here this test, holding it open as xcam_cam would), a run
// with other settings is refused and one with the same settings adds to it.
TEST(XcamCamSafety, Case7ARunWithOtherSettingsIsRefusedWhileAnotherWrites)
{
    const std::string dir = freshDir("_dir"), list = writeImagesAndList(dir, 2, {20, 16});
    const std::string results = dir + "/r.jsonl", base = smallNet() + kSmallArgs + " --input=" + list;
    ASSERT_EQ(runCam(base + " --results=" + results).status, 0);
    const std::string header = lines(readFile(results))[0];
    const std::string settings = header.substr(header.find("\"settings\": ") + 12, header.size() - header.find("\"settings\": ") - 13);
    xcam_samples::ResultsLog live(results, settings, true, {});
    live.append("{\"path\": \"elsewhere.png\", \"canonical_path\": \"/elsewhere.png\"}");
    expectRefusedAndUntouched(dir, base + " --results=" + results + " --topk=2",
                              "is being written by another run with other settings (topk: 3 there, 2 now)");
    const CliRun same = runCam(base + " --results=" + results);
    ASSERT_EQ(same.status, 0) << same.err;
    live.append("{\"path\": \"later.png\", \"canonical_path\": \"/later.png\"}");  // follows the rewrite
    EXPECT_EQ(recordValues(results, "path"),
              (std::vector<std::string>{"elsewhere.png", "sub/img_0.png", "sub/img_1.png", "later.png"}));
}

// A video's frames have no file of their own: a second run replaces their records (never twice),
// and --resume, which could not tell them apart, is refused.
TEST(XcamCamSafety, VideoRecordsAreRedoneNotDuplicated)
{
    const std::string dir = freshDir("_dir"), video = dir + "/in.avi", results = dir + "/r.jsonl";
    writeRandomVideo(video, 4, 3);
    const std::string args = smallNet() + kSmallArgs + " --input=" + video + " --results=" + results;
    for (int run = 0; run < 2; ++run)
        ASSERT_EQ(runCam(args).status, 0);
    EXPECT_EQ(recordValues(results, "path"),
              (std::vector<std::string>{"frame 0", "frame 1", "frame 2", "frame 3"}));
    expectRefusedAndUntouched(dir, args + " --resume", "--resume needs an image, a folder or a list file");
}
