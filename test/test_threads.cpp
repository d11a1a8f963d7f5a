// Threads: 8 std::threads share their inputs (images, maps, blobs, one model file) and must get
// exactly the single-thread results from applyCAMOverlay (both styles), computeCAM, and one
// CAMModel per thread (classify, then explain with every method the demo model supports).
// Built as its own executable (xcam_test_threads) so that CI's ThreadSanitizer stage builds and
// runs just this test.
#include "test_common.hpp"

#include <opencv2/core/parallel/parallel_backend.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <atomic>
#include <cstring>
#include <iostream>
#include <thread>
#include <vector>

#if defined(__SANITIZE_THREAD__)
#define XCAM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define XCAM_TSAN 1
#endif
#endif

using namespace cv;

namespace {

const int kThreads = 8;
const int kImagesPerThread = 2;
const char* const kImages[] = {"0_ankle_boot", "1_pullover", "2_trouser", "4_shirt",
                               "6_coat",       "8_sandal",   "9_sneaker", "13_dress"};
const int kNumImages = (int)(sizeof(kImages) / sizeof(kImages[0]));

std::string data(const std::string& relative)
{
    return std::string(XCAM_DATA_DIR) + "/" + relative;
}

#ifdef XCAM_TSAN
/** cv::parallel_for_ on plain std::threads (started and joined per call). Debian's OpenCV runs
    parallel_for_ on TBB, which is not built with ThreadSanitizer: TSan does not see TBB's
    synchronisation and reports races between our loop bodies and the thread that reads their
    results. std::thread start/join are intercepted by TSan, so with this backend our parallel
    loop bodies still run concurrently and TSan sees every happens-before edge. */
class StdThreadBackend CV_FINAL : public parallel::ParallelForAPI
{
public:
    void parallel_for(int tasks, FN_parallel_for_body_cb_t body, void* data) CV_OVERRIDE
    {
        std::atomic<int> next(0);
        auto work = [&](int id) {
            threadNum() = id;
            for (int t; (t = next++) < tasks;)
                body(t, t + 1, data);
        };
        std::vector<std::thread> pool;
        for (int i = 1; i < std::min(threads, tasks); ++i)
            pool.emplace_back(work, i);
        work(0);
        for (std::thread& t : pool)
            t.join();
        threadNum() = 0;
    }
    int getThreadNum() const CV_OVERRIDE { return threadNum(); }
    int getNumThreads() const CV_OVERRIDE { return threads; }
    int setNumThreads(int n) CV_OVERRIDE
    {
        const int old = threads;
        threads = n > 0 ? n : 4;
        return old;
    }
    const char* getName() const CV_OVERRIDE { return "std::thread (xcam_test_threads)"; }

private:
    static int& threadNum()
    {
        thread_local int num = 0;
        return num;
    }
    int threads = 4;
};
#endif

/** Same size, type and bytes (NaN-safe, unlike a norm). */
bool identical(const Mat& a, const Mat& b)
{
    if (a.size != b.size || a.type() != b.type())
        return false;
    const Mat ca = a.isContinuous() ? a : a.clone(), cb = b.isContinuous() ? b : b.clone();
    return std::memcmp(ca.data, cb.data, ca.total() * ca.elemSize()) == 0;
}

/** What one thread computes; the shared inputs are only read. */
struct Inputs
{
    std::vector<Mat> images;   // 28x28 grey, the model's inputs
    Mat picture, map;          // an odd-sized BGR picture and a 7x7 map for the overlays
    Mat features, weights;     // a feature blob and FC weights for computeCAM
    std::vector<int> methods;  // the CAMMethods explain() runs on this model
};

struct ImageResult
{
    Mat scores;
    std::vector<Mat> topMaps;              // classify's maps of the top 3
    std::vector<std::vector<Mat>> maps;    // per method of Inputs::methods: classes {top1, 0, 9}
};

struct Results
{
    Mat seed, blend, cam;
    std::vector<ImageResult> images;       // by image index; empty where not computed
};

xcam::CAMMethodParams methodParams()
{
    xcam::CAMMethodParams p;
    p.numMasks = 16;  // RISE: a few masks are enough to compare threads
    p.batchSize = 8;
    return p;
}

Ptr<xcam::CAMModel> openModel()
{
    Ptr<xcam::CAMModel> model = xcam::CAMModel::create(data("fashion_gapfc.onnx"));
    model->setInputParams(1.0 / 255.0, Size(28, 28));  // x / 255, mean 0, no swapRB
    return model;
}

void overlays(const Inputs& in, Results& out)
{
    xcam::CAMOverlayParams p;
    xcam::applyCAMOverlay(in.picture, in.map, out.seed, p);
    p.style = xcam::CAM_OVERLAY_BLEND;
    p.alpha = 0.4f;
    p.colormap = COLORMAP_TURBO;
    xcam::applyCAMOverlay(in.picture, in.map, out.blend, p);
    xcam::computeCAM(in.features, in.weights, 3, out.cam);
}

ImageResult explainImage(xcam::CAMModel& model, const Inputs& in, int image)
{
    ImageResult r;
    std::vector<int> ids;
    std::vector<float> probs;
    model.classify(in.images[image], 3, ids, probs, r.topMaps);
    r.scores = model.getScores().clone();
    for (int method : in.methods)
    {
        std::vector<Mat> maps;
        model.explain(in.images[image], method, {ids[0], 0, 9}, maps, methodParams());
        r.maps.push_back(maps);
    }
    return r;
}

/** "" when `got` equals `want` for the images `got` has, else what differs first. */
std::string compare(const Results& got, const Results& want, const std::vector<int>& methods)
{
    if (!identical(got.seed, want.seed))
        return "seed overlay";
    if (!identical(got.blend, want.blend))
        return "blend overlay";
    if (!identical(got.cam, want.cam))
        return "computeCAM";
    for (size_t i = 0; i < got.images.size(); ++i)
    {
        const ImageResult &g = got.images[i], &w = want.images[i];
        if (g.scores.empty())
            continue;
        const std::string where = std::string(" of ") + kImages[i];
        if (!identical(g.scores, w.scores))
            return "scores" + where;
        if (g.topMaps.size() != w.topMaps.size() || g.maps.size() != w.maps.size())
            return "map count" + where;
        for (size_t k = 0; k < g.topMaps.size(); ++k)
            if (!identical(g.topMaps[k], w.topMaps[k]))
                return "classify map " + std::to_string(k) + where;
        for (size_t m = 0; m < g.maps.size(); ++m)
        {
            bool same = g.maps[m].size() == w.maps[m].size();
            for (size_t k = 0; same && k < g.maps[m].size(); ++k)
                same = identical(g.maps[m][k], w.maps[m][k]);
            if (!same)
                return "explain " + xcam::getCAMMethodName(methods[m]) + where;
        }
    }
    return std::string();
}

TEST(Threads, SharedInputsGiveSingleThreadResults)
{
#ifdef XCAM_TSAN
    parallel::setParallelForBackend(std::make_shared<StdThreadBackend>(), false);
    ASSERT_EQ(getNumThreads(), 4);  // the backend's own count, without resizing TBB's
#endif
    Inputs in;
    for (const char* stem : kImages)
    {
        in.images.push_back(imread(data(std::string("images/") + stem + ".png"), IMREAD_GRAYSCALE));
        ASSERT_FALSE(in.images.back().empty()) << stem;
    }

    // Single-thread reference; the methods are those the model supports, skipping those that
    // are not implemented yet.
    Ptr<xcam::CAMModel> model = openModel();
    model->forward(in.images[0]);
    in.features = model->getFeatures().clone();
    in.weights = model->getFCWeights().clone();
    model->getCAM(0, in.map);
    cvtColor(in.images[0], in.picture, COLOR_GRAY2BGR);
    resize(in.picture, in.picture, Size(101, 77), 0, 0, INTER_LINEAR);  // odd width on purpose
    std::string methodNames;
    for (const xcam::CAMMethodInfo& info : xcam::getCAMMethods())
    {
        const int m = info.method;
        if (!model->supportsMethod(m))
            continue;
        try
        {
            std::vector<Mat> maps;
            model->explain(in.images[0], m, {0}, maps, methodParams());
        }
        catch (const cv::Exception& e)
        {
            if (e.code == Error::StsNotImplemented)
                continue;
            throw;
        }
        in.methods.push_back(m);
        methodNames += " " + xcam::getCAMMethodName(m);
    }
    std::cout << "explain methods compared:" << methodNames << std::endl;
    ASSERT_FALSE(in.methods.empty());
    EXPECT_EQ(in.methods[0], xcam::CAM_METHOD_CAM);

    Results want;
    overlays(in, want);
    for (int i = 0; i < kNumImages; ++i)
        want.images.push_back(explainImage(*model, in, i));

    // 8 threads, each with its own model on the same file and its own outputs.
    std::vector<std::string> errors(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            try
            {
                Results got;
                overlays(in, got);
                Ptr<xcam::CAMModel> own = openModel();
                got.images.resize(kNumImages);
                for (int k = 0; k < kImagesPerThread; ++k)
                {
                    const int i = (t + k) % kNumImages;
                    got.images[i] = explainImage(*own, in, i);
                }
                overlays(in, got);  // again, while other threads run their models
                errors[t] = compare(got, want, in.methods);
            }
            catch (const std::exception& e)
            {
                errors[t] = std::string("exception: ") + e.what();
            }
        });
    for (std::thread& th : threads)
        th.join();
    for (int t = 0; t < kThreads; ++t)
        EXPECT_EQ(errors[t], "") << "thread " << t << " differs from the single-thread result";
}

} // namespace
