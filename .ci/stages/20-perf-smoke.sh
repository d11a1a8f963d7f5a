# The perf suite (built by the test command) builds and runs; its numbers are not judged here.
build/bin/xcam_perf --benchmark_min_time=0.01 --benchmark_filter=-BM_Long 2>&1 | tail -n 45
