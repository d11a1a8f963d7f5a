// Fuzz target: CAMModel::create + forward (layer auto-detection, the forward pass, top-k and
// maps) on fuzzed small ONNX graphs, read from memory with cv::dnn::readNetFromONNX. Seeds: the
// small known-weight nets of tools/make_test_nets.py. Any cv::Exception is an accepted answer to
// a bad graph; a success must give finite probabilities summing to 1 and finite maps.
//
// OpenCV 4.6's ONNX importer itself crashes on some malformed graphs (SEGV, heap overflow), which
// is not xcam's code (see fuzz/README.md). So each graph is first tried with OpenCV alone (read, forward of
// every layer) in a forked child; xcam only gets the graphs OpenCV survives. That screen costs
// about nine tenths of a run, so it can be turned off (XCAM_FUZZ_ONNX_SCREEN=0) for libFuzzer's
// fork mode, where a crash ends one job and not the fuzzing; the inputs that crashed are then
// replayed with the screen on, and only a crash that survives it is xcam's (CI does this).
#include "fuzz_common.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/xcam.hpp>

#include <csignal>
#include <fcntl.h>
#include <sanitizer/common_interface_defs.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cv;

namespace {

/** The test nets' input, 1x3x5x7, a ramp of values. */
Mat inputBlob()
{
    const int shape[4] = {1, 3, 5, 7};
    Mat blob(4, shape, CV_32F);
    for (size_t i = 0; i < blob.total(); ++i)
        blob.ptr<float>()[i] = (float)i / 16 - 3;
    return blob;
}

/** Whether OpenCV alone reads the graph and runs it up to every layer without dying (a
    cv::Exception is fine). Runs in a child process, killed after 5 s (under CI's -timeout=10: a
    graph that OpenCV alone hangs on is skipped, one that xcam hangs on times out). */
bool openCVSurvives(const uint8_t* data, size_t size)
{
    const pid_t pid = fork();
    if (pid == 0)
    {
        // Die quietly: not through libFuzzer's handlers, which would save the input as a crash
        // of the target; no sanitizer report (ASan sees OpenCV's memcpy overflows) on stderr.
        for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL})
            signal(sig, [](int) { _exit(2); });
        __sanitizer_set_death_callback([] { _exit(2); });
        const int devNull = open("/dev/null", O_WRONLY);
        dup2(devNull, STDERR_FILENO);
        alarm(5);
        try
        {
            dnn::Net net = dnn::readNetFromONNX(reinterpret_cast<const char*>(data), size);
            if (!net.empty())
            {
                net.setInput(inputBlob());
                std::vector<Mat> outs;
                net.forward(outs, net.getLayerNames());
            }
        }
        catch (const cv::Exception&)
        {
        }
        _exit(0);  // no exit handlers, no leak check: the parent does the real run
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool screen = true;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    xcam_fuzz::quietOpenCV();
    const char* env = std::getenv("XCAM_FUZZ_ONNX_SCREEN");
    screen = !(env && std::string(env) == "0");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (screen && !openCVSurvives(data, size))
        return 0;
    try
    {
        dnn::Net net = dnn::readNetFromONNX(reinterpret_cast<const char*>(data), size);
        if (net.empty())
            return 0;
        Ptr<xcam::CAMModel> model = xcam::CAMModel::create(net);
        const Mat blob = inputBlob();
        std::vector<int> ids;
        std::vector<float> probs;
        std::vector<Mat> maps;
        model->classify(blob, 3, ids, probs, maps);
        XCAM_FUZZ_CHECK(!ids.empty() && ids.size() == probs.size() && ids.size() == maps.size());
        const Mat all = model->getProbabilities();
        XCAM_FUZZ_CHECK(xcam_fuzz::allFinite(all) && std::abs(cv::sum(all)[0] - 1) < 1e-3);
        for (const Mat& m : maps)
            XCAM_FUZZ_CHECK(m.type() == CV_32F && xcam_fuzz::allFinite(m));
    }
    catch (const cv::Exception&)
    {
    }
    return 0;
}
