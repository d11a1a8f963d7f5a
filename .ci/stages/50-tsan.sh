# ThreadSanitizer: the library and xcam_test_threads only (build-tsan). Debian's OpenCV runs
# cv::parallel_for_ on TBB, which is not instrumented: TSan cannot see its synchronisation and
# would report false races. Under TSan the test swaps in a parallel_for_ backend on std::thread
# (see test/test_threads.cpp), so the loop bodies still run in parallel and TSan sees it all.
# (Measured: the same test on TBB gives over 100 reports, every one a TBB worker's write against
# the caller's read; cv::setNumThreads(1) would be clean too, but would not run loops in parallel.)
# Suppressions (.ci/tsan.supp) name system libraries only.
cmake_build build-tsan xcam_test_threads -- -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DXCAM_BUILD_PERF=OFF -DCMAKE_CXX_FLAGS="-fsanitize=thread" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread"
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$(pwd)/.ci/tsan.supp" \
  build-tsan/bin/xcam_test_threads
