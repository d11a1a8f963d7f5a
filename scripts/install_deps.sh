#!/usr/bin/env bash
# Installs everything xcam needs to build, test and benchmark, from Debian bookworm's packages.
# Safe to run again. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache        # ccache: CI shares compilations between runs
  libopencv-dev                                  # OpenCV 4.6: core, imgproc, dnn, imgcodecs, videoio, highgui
  libgtest-dev libbenchmark-dev                  # tests and perf suite
  xvfb xauth fonts-dejavu-core                   # the CLI's window mode under xvfb-run (xauth: only recommended)
  python3 python3-numpy python3-onnx python3-protobuf protobuf-compiler tiny-dnn  # test-net generator
  clang libclang-rt-14-dev                       # fuzz/ (libFuzzer and sanitizer runtimes: only recommended)
  python3-dev pybind11-dev python3-pip python3-venv python3-build  # the Python package (pyproject.toml)
  python3-pytest python3-opencv git dpkg-dev     # its tests, the .deb (dpkg-shlibdeps): scripts/test_python_package.sh
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install_deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install_deps: done"
