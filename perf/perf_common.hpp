// Shared by the benchmarks: paired timing against a baseline, the real-model path, and a count
// of heap allocations.
#ifndef XCAM_PERF_COMMON_HPP
#define XCAM_PERF_COMMON_HPP

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

namespace xcam_perf {

/** Runs `baseline` and `candidate` alternately each iteration and reports their mean times and
    ratio (candidate / baseline) as counters: both see the same machine state, so the ratio holds
    on a shared, noisy machine where absolute times do not. median_ratio is the median of the
    iterations' own ratios: a pair that a hiccup of the machine hit moves it less. */
template <typename Baseline, typename Candidate>
void comparePaired(benchmark::State& state, Baseline baseline, Candidate candidate)
{
    using clock = std::chrono::steady_clock;
    double baseTotal = 0, candTotal = 0;
    bool candidateFirst = false;
    std::vector<double> ratios;
    auto timeOf = [](auto& fn) {
        const auto t0 = clock::now();
        fn();
        return std::chrono::duration<double>(clock::now() - t0).count();
    };
    baseline();  // warm-up, untimed: first-call set-up (net allocation, layer detection, caches)
    candidate();
    for (auto _ : state)
    {
        double base, cand;
        if (candidateFirst)
        {
            cand = timeOf(candidate);
            base = timeOf(baseline);
        }
        else
        {
            base = timeOf(baseline);
            cand = timeOf(candidate);
        }
        candidateFirst = !candidateFirst;
        baseTotal += base;
        candTotal += cand;
        ratios.push_back(cand / base);
        state.SetIterationTime(cand);  // the Time column is xcam's (register with UseManualTime)
    }
    const double n = (double)state.iterations();
    state.counters["baseline_ms"] = baseTotal / n * 1e3;
    state.counters["xcam_ms"] = candTotal / n * 1e3;
    state.counters["ratio"] = candTotal / baseTotal;      // xcam / baseline: targets "<= X"
    state.counters["speedup"] = baseTotal / candTotal;    // baseline / xcam: targets ">= X faster"
    if (!ratios.empty())
    {
        std::nth_element(ratios.begin(), ratios.begin() + ratios.size() / 2, ratios.end());
        state.counters["median_ratio"] = ratios[ratios.size() / 2];
    }
}

/** The folder with the real models (env XCAM_SHARED, default ../shared beside the sources). */
inline std::string shared(const std::string& relative)
{
    const char* env = std::getenv("XCAM_SHARED");
    return std::string(env && *env ? env : XCAM_SHARED_DIR) + "/" + relative;
}

/** Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made by
    any code in the process since the counter was last read; see allocation_counter.cpp. */
long allocationsSince(long& mark);

} // namespace xcam_perf

#endif
