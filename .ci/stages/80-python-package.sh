# The packages users install (issue 19): the Python package `xcam` built from a clean clone with
# pip and python3 -m build, its pytest suite (no test may skip: XCAM_REQUIRE_SHARED is set by
# .ci/run), and the .deb: built, its contents checked, installed for real with apt-get, used by
# an external app, purged (--system: CI's stages run one at a time, so nothing else uses the
# machine meanwhile). scripts/test_python_package.sh says each step's time.
mkdir -p build-package
ci_on_exit() { tail -n 40 build-package/run.log; }
scripts/test_python_package.sh --system "$(pwd)/build-package" 2>&1 | tee build-package/run.log |
  grep --line-buffered -E '^(== test_python_package|   took)|[0-9]+ passed'
