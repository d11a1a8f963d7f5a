// Instruction counts of perf_detector.cpp's ratios, for valgrind --tool=callgrind (they do not
// depend on the machine's load, unlike its times), on one thread (cv::setNumThreads(1): with
// worker threads callgrind's dumps lose part of their cost). Each phase runs once untimed (first-call
// set-up), then its counted calls, and is dumped as its own part:
//   valgrind --tool=callgrind --callgrind-out-file=cg.out \
//       build/bin/xcam_count_detector blazeface|demo [calls=8] [masks=64]
//   grep -H totals: cg.out.*    # parts 1-4: detect, eigencam (calls each), forwards, drise
#include "detector_cases.hpp"

#include <valgrind/callgrind.h>

#include <cstdlib>
#include <iostream>

using namespace cv;
using namespace xcam_perf;

namespace {

template <typename Fn>
void phase(const char* name, int calls, Fn fn)
{
    fn();  // untimed: net allocation for this set of outputs, layer detection
    CALLGRIND_ZERO_STATS;
    for (int i = 0; i < calls; ++i)
        fn();
    CALLGRIND_DUMP_STATS_AT(name);
    std::cout << name << ": " << calls << " calls" << std::endl;
}

} // namespace

int main(int argc, char** argv)
{
    const std::string which = argc > 1 ? argv[1] : "blazeface";
    const int calls = argc > 2 ? std::atoi(argv[2]) : 8;
    xcam::CAMMethodParams p;
    p.numMasks = argc > 3 ? std::atoi(argv[3]) : 64;
    if (which != "blazeface" && which != "demo")
    {
        std::cerr << "usage: xcam_count_detector blazeface|demo [calls] [masks]" << std::endl;
        return 2;
    }
    setNumThreads(1);
    DetectorCase c = which == "demo" ? demoCase() : faceCase("astronaut.png");
    std::vector<xcam::Detection> dets;
    std::vector<Mat> maps;
    phase("detect", calls, [&] { c.model->detect(c.image, dets); });
    phase("eigencam", calls,
          [&] { c.model->explain(c.image, c.targets, xcam::CAM_METHOD_EIGENCAM, maps); });
    phase("forwards", 1, [&] { plainForwards(c, p.numMasks); });
    phase("drise", 1, [&] { c.model->explain(c.image, c.targets, xcam::CAM_METHOD_RISE, maps, p); });
    return 0;
}
