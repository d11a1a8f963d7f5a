// Runs the xcam_cam executable and captures what it prints.
#ifndef XCAM_TEST_CLI_RUNNER_HPP
#define XCAM_TEST_CLI_RUNNER_HPP

#include "test_common.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <sys/wait.h>

namespace xcam_test {

/** A file in testdata private to the running test (ctest -j runs tests side by side). */
inline std::string scratch(const std::string& suffix)
{
    return testdata(std::string("cli_") +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name() + suffix);
}

/** An empty folder private to the running test. */
inline std::string freshDir(const std::string& suffix)
{
    const std::string dir = scratch(suffix);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

/** A random 14x10 BGR PNG private to the running test. */
inline std::string smallImage(uint64_t seed = 11)
{
    const std::string path = scratch("_input.png");
    cv::Mat image(10, 14, CV_8UC3);
    cv::RNG((uint64)seed).fill(image, cv::RNG::UNIFORM, 0, 256);
    CV_Assert(cv::imwrite(path, image));
    return path;
}

/** An MJPG .avi of `frames` blurred random 64x48 frames at 10 fps (seeds seed, seed + 1, ...). */
inline void writeRandomVideo(const std::string& path, int frames, uint64_t seed)
{
    cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, cv::Size(64, 48));
    CV_Assert(writer.isOpened());
    for (int i = 0; i < frames; ++i)
    {
        cv::Mat frame(48, 64, CV_8UC3);
        cv::RNG((uint64)(seed + i)).fill(frame, cv::RNG::UNIFORM, 0, 256);
        cv::GaussianBlur(frame, frame, cv::Size(5, 5), 0);  // smooth enough to survive MJPG roughly
        writer.write(frame);
    }
}

/** `parse` (a samples/common parse function: parser, options, error) on `args`, the argv words
    after the program name, with the cv::CommandLineParser keys `keys`; the error ("" on success). */
template <typename Options, typename Parse>
std::string parseArgs(const std::string& keys, std::vector<std::string> args, Options& options, Parse parse)
{
    args.insert(args.begin(), "program");
    std::vector<const char*> argv;
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    cv::CommandLineParser parser((int)argv.size(), argv.data(), keys);
    std::string error;
    return parse(parser, options, error) ? std::string() : error;
}

/** Runs `exe args` on an X server of its own (xvfb-run, Debian's xvfb); stderr to `errPath`.
    Returns the exit status, -1 if it did not exit normally. */
inline int runUnderXvfb(const std::string& exe, const std::string& args, const std::string& errPath)
{
    const std::string cmd = "xvfb-run -a " + exe + " " + args + " >/dev/null 2>" + errPath;
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/** `n` random images named img_<i>.png in `dir`/sub, and `dir`/list.txt of their relative
    paths; returns the list's path. */
inline std::string writeImagesAndList(const std::string& dir, int n, cv::Size size)
{
    std::filesystem::create_directories(dir + "/sub");
    FILE* list = fopen((dir + "/list.txt").c_str(), "w");
    CV_Assert(list);
    for (int i = 0; i < n; ++i)
    {
        cv::Mat image(size, CV_8UC3);
        cv::RNG(100 + i).fill(image, cv::RNG::UNIFORM, 0, 256);
        const std::string name = "sub/img_" + std::to_string(i) + ".png";
        CV_Assert(cv::imwrite(dir + "/" + name, image));
        fprintf(list, "%s\n", name.c_str());
    }
    fclose(list);
    return dir + "/list.txt";
}

/** Runs `script` (Python source) with Debian's python3 on `args`; its exit status (0: passed). */
inline int runPython(const std::string& script, const std::string& args)
{
    const std::string path = scratch("_check.py");
    FILE* f = fopen(path.c_str(), "w");
    CV_Assert(f);
    fputs(script.c_str(), f);
    fclose(f);
    const int status = std::system((std::string(XCAM_PYTHON_EXE) + " " + path + " " + args).c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string readFile(const std::string& path)
{
    std::string text;
    if (FILE* f = fopen(path.c_str(), "r"))
    {
        std::array<char, 4096> buf;
        size_t n;
        while ((n = fread(buf.data(), 1, buf.size(), f)) > 0)
            text.append(buf.data(), n);
        fclose(f);
    }
    return text;
}

struct CliRun
{
    int status;
    std::string out;  // stdout
    std::string err;  // stderr
};

/** Runs `<exe> <args>` (a shell command line) headless, without a display. */
inline CliRun runProgram(const std::string& exe, const std::string& args)
{
    const std::string errPath = scratch("_stderr.txt");
    const std::string cmd = "env -u DISPLAY -u WAYLAND_DISPLAY " + exe + " " + args + " 2>" + errPath;
    CliRun r;
    FILE* pipe = popen(cmd.c_str(), "r");
    CV_Assert(pipe);
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
        r.out.append(buf.data(), n);
    const int status = pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = readFile(errPath);
    return r;
}

/** Runs `xcam_cam <args>` (a shell command line) headless, without a display. */
inline CliRun runCam(const std::string& args)
{
    return runProgram(XCAM_CAM_EXE, args);
}

inline std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            result.push_back(line);
    return result;
}

/** The lines of `err` that are ours (libpng prints its own warnings for some PNGs). */
inline std::vector<std::string> ourLines(const std::string& err)
{
    std::vector<std::string> result;
    for (const std::string& line : lines(err))
        if (line.rfind("libpng", 0) != 0)
            result.push_back(line);
    return result;
}

/** The records of a --results file: its lines after the header line (checked to be one). */
inline std::vector<std::string> resultRecords(const std::string& jsonl)
{
    std::vector<std::string> all = lines(readFile(jsonl));
    EXPECT_FALSE(all.empty()) << jsonl << " has no header line";
    if (all.empty())
        return all;
    EXPECT_EQ(all[0].rfind("{\"xcam_results\": 1, \"settings\": {", 0), 0u) << all[0];
    return std::vector<std::string>(all.begin() + 1, all.end());
}

struct ErrorCase
{
    std::string args, message;
};

/** `exe args` must fail: exit status not 0, nothing on stdout, and on stderr exactly one line
    of ours, "<program>: error: ..." containing `message`. Returns the exit status. */
inline int expectOneErrorLineOf(const std::string& exe, const std::string& program,
                                const std::string& args, const std::string& message)
{
    const CliRun r = runProgram(exe, args);
    EXPECT_NE(r.status, 0) << args;
    EXPECT_TRUE(r.out.empty()) << args << "\n" << r.out;
    const std::vector<std::string> err = ourLines(r.err);
    EXPECT_EQ(err.size(), 1u) << args << "\n" << r.err;
    if (err.empty())
        return r.status;
    EXPECT_EQ(err[0].rfind(program + ": error: ", 0), 0u) << err[0];
    EXPECT_NE(err[0].find(message), std::string::npos) << err[0];
    return r.status;
}

/** xcam_cam `args` must fail with one "xcam_cam: error: ..." line containing `message`. */
inline void expectOneErrorLine(const std::string& args, const std::string& message)
{
    expectOneErrorLineOf(XCAM_CAM_EXE, "xcam_cam", args, message);
}

} // namespace xcam_test

#endif
