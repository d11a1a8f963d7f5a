#!/usr/bin/env bash
# Builds Debian bookworm's OpenCV 4.6 from its Debian source package with xcam as an extra module
# (-DOPENCV_EXTRA_MODULES_PATH=<repo>/modules), Python bindings included, then imports cv2 from
# THAT build and lists what cv2.xcam exposes. Checks the module's in-OpenCV mode
# (ocv_define_module ... WRAP python); installs nothing of OpenCV system-wide.
#
# Usage: scripts/build_opencv_with_xcam.sh [WORKDIR]
#   WORKDIR: first argument, else $XCAM_OPENCV_WORKDIR, else <repo>/build-opencv (git-ignored).
#   It holds src/<Debian version>/ (apt-get source opencv), build/ (CMake + Ninja), ccache/ and
#   xcam-standalone/ (a few of this repository's C++ tests against that build); all are reused on
#   re-runs, so a second run only rebuilds what changed.
# Environment:
#   XCAM_OPENCV_SRC_CACHE=DIR        unpacked sources in DIR/<Debian version>/ instead of
#                                    WORKDIR/src (CI keeps them outside its clone)
#   CCACHE_DIR=DIR                   ccache's folder (default WORKDIR/ccache)
#   XCAM_OPENCV_BUILD_TESTS=ON|OFF   OpenCV's BUILD_TESTS (default OFF; ON adds ts to the
#                                    BUILD_LIST and builds any modules/xcam/test as opencv_test_xcam)
#   XCAM_OPENCV_TARGETS="..."        ninja targets (default: opencv_xcam opencv_python3, plus
#                                    opencv_ts and opencv_test_xcam when they exist; "all" builds
#                                    everything, the tests of core, imgproc, dnn... included)
#   XCAM_OPENCV_JOBS=N               ninja -j (default 2)
#   XCAM_OPENCV_EXTRA_MODULES=DIR    OPENCV_EXTRA_MODULES_PATH (default <repo>/modules)
#   XCAM_REQUIRE_SHARED=1            a Python test that skips (real models not found) fails
#                                    instead, as in the C++ suite (CI sets it)
# Needs root (or sudo) for apt-get: it adds /etc/apt/sources.list.d/xcam-deb-src.sources.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workdir="${1:-${XCAM_OPENCV_WORKDIR:-$repo/build-opencv}}"
mkdir -p "$workdir"
workdir="$(cd "$workdir" && pwd)"
src_cache="${XCAM_OPENCV_SRC_CACHE:-$workdir/src}"
builddir="$workdir/build"
jobs="${XCAM_OPENCV_JOBS:-2}"
build_tests="${XCAM_OPENCV_BUILD_TESTS:-OFF}"
extra_modules="${XCAM_OPENCV_EXTRA_MODULES:-$repo/modules}"
py=/usr/bin/python3            # Debian's Python (python3-dev, python3-numpy), not a pyenv one
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # no pyenv shims
export DEBIAN_FRONTEND=noninteractive
export CCACHE_DIR="${CCACHE_DIR:-$workdir/ccache}"
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { echo "[build_opencv_with_xcam] $*"; }
stage_names=()
stage_secs=()
stage_start=0
stage_name=""
stage_begin() { stage_name="$1"; stage_start=$(date +%s); log "=== stage: $1 ($(date '+%H:%M:%S'))"; }
stage_end() {
  local t=$(( $(date +%s) - stage_start ))
  stage_names+=("$stage_name"); stage_secs+=("$t")
  log "=== stage: $stage_name done in ${t} s"
}
print_times() {
  log "wall time per stage:"
  local i
  for i in "${!stage_names[@]}"; do
    printf '[build_opencv_with_xcam]   %-16s %5d s\n' "${stage_names[$i]}" "${stage_secs[$i]}"
  done
}
on_exit() {
  local rc=$?
  [ "$rc" -eq 0 ] && return
  # the failing stage has not been recorded yet: record it with its time so far
  if [ -n "$stage_name" ] && [ "${stage_names[${#stage_names[@]}-1]:-}" != "$stage_name" ]; then
    stage_names+=("$stage_name (FAILED)"); stage_secs+=("$(( $(date +%s) - stage_start ))")
  fi
  log "FAILED in stage \"$stage_name\" (exit $rc)"
  print_times
}
trap on_exit EXIT

log "repo:    $repo"
log "workdir: $workdir"
log "extra modules: $extra_modules"

# --- 1. packages -----------------------------------------------------------------------------
stage_begin deps
packages=(
  build-essential cmake pkg-config dpkg-dev ninja-build ccache
  libprotobuf-dev protobuf-compiler
  python3-dev python3-numpy
  libpng-dev libjpeg-dev libtiff-dev libwebp-dev zlib1g-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
apt_updated=0
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  apt_updated=1
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "all ${#packages[@]} packages already installed"
fi
stage_end

# --- 2. Debian's OpenCV source ---------------------------------------------------------------
stage_begin source
# Kept unpacked in $src_cache/<Debian source version>/, so a cache shared between clones (CI's)
# is keyed by what it holds. The version is that of the installed libopencv-dev (the OpenCV the
# repository builds against), else the newest the deb-src entry offers.
find_srcdir() {
  local d
  for d in "$1"/opencv-*/; do
    [ -f "$d/CMakeLists.txt" ] && [ -f "$d/cmake/OpenCVModule.cmake" ] && { echo "${d%/}"; return 0; }
  done
  return 1
}
enable_deb_src() {
  local debsrc=/etc/apt/sources.list.d/xcam-deb-src.sources
  local main_sources=/etc/apt/sources.list.d/debian.sources want
  [ -f "$main_sources" ] || { log "$main_sources not found"; exit 1; }
  # Same URIs / Suites / Components / Signed-By as the binary entries, Types: deb-src.
  want="$(printf '# Added by xcam scripts/build_opencv_with_xcam.sh: source packages for the suites of %s\n' "$main_sources";
          sed -E 's/^Types:.*/Types: deb-src/' "$main_sources")"
  if [ ! -f "$debsrc" ] || [ "$(cat "$debsrc")" != "$want" ]; then
    log "writing $debsrc"
    printf '%s\n' "$want" | $SUDO tee "$debsrc" >/dev/null
    apt_updated=0
  fi
  if [ "$apt_updated" -eq 0 ] || ! apt-cache showsrc opencv >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
}
# Unpacks opencv=$1 into $src_cache/$1 (a temporary folder renamed at the end: never half there).
fetch_source() {
  local tmp="$src_cache/.incoming.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # apt-get source runs dpkg-source -x, which also applies Debian's patches.
  (cd "$tmp" && apt-get source -q "opencv=$1")
  rm -f "$tmp"/*.dsc "$tmp"/*.tar.*
  mv -T "$tmp" "$src_cache/$1" 2>/dev/null || rm -rf "$tmp"  # another run was faster: keep its
}
version="$(dpkg-query -W -f='${source:Version}' libopencv-dev 2>/dev/null || true)"
if [ -z "$version" ]; then
  enable_deb_src
  version="$(apt-cache showsrc opencv | sed -n 's/^Version: //p' | sort -V | tail -n 1)"
fi
if srcdir="$(find_srcdir "$src_cache/$version")"; then
  log "reusing source tree $srcdir"
else
  enable_deb_src
  fetch_source "$version"
  srcdir="$(find_srcdir "$src_cache/$version")" || { log "no OpenCV source tree under $src_cache/$version"; exit 1; }
fi
log "OpenCV source: $srcdir ($(sed -n '1s/^\([^ ]*\) (\([^)]*\)).*/\1 \2/p' "$srcdir/debian/changelog" 2>/dev/null))"
stage_end

# --- 3. configure ----------------------------------------------------------------------------
stage_begin configure
numpy_inc="$($py -c 'import numpy; print(numpy.get_include())')"
py_inc="$($py -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
py_lib="$($py -c 'import sysconfig, os; print(os.path.join(sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("MULTIARCH") or "", sysconfig.get_config_var("LDLIBRARY")))')"
[ -f "$py_lib" ] || py_lib="$($py -c 'import sysconfig, os; print(os.path.join(sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("LDLIBRARY")))')"
# videoio and highgui: the repository's samples, which its tests' CMake project needs; ts only
# for OpenCV-style tests (modules/xcam/test; none today).
build_list=core,imgproc,imgcodecs,videoio,highgui,dnn,xcam,python3
[ "$build_tests" = ON ] && build_list+=,ts
cmake_args=(
  -S "$srcdir" -B "$builddir" -G Ninja
  -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_INSTALL_PREFIX="$workdir/install"       # never installed: nothing goes to /usr
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
  -DOPENCV_EXTRA_MODULES_PATH="$extra_modules"
  -DBUILD_LIST="$build_list"
  -DBUILD_TESTS="$build_tests" -DBUILD_PERF_TESTS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_opencv_apps=OFF
  -DBUILD_DOCS=OFF -DBUILD_JAVA=OFF -DBUILD_opencv_python2=OFF -DBUILD_opencv_python3=ON
  -DOPENCV_GENERATE_PKGCONFIG=OFF
  # The Debian (+dfsg) source has no 3rdparty/: system libraries everywhere.
  -DBUILD_PROTOBUF=OFF -DPROTOBUF_UPDATE_FILES=ON -DWITH_PROTOBUF=ON
  -DBUILD_ZLIB=OFF -DBUILD_PNG=OFF -DBUILD_JPEG=OFF -DBUILD_TIFF=OFF -DBUILD_WEBP=OFF
  -DBUILD_OPENJPEG=OFF -DBUILD_JASPER=OFF -DBUILD_OPENEXR=OFF -DBUILD_TBB=OFF
  -DBUILD_IPP_IW=OFF -DBUILD_ITT=OFF
  -DWITH_IPP=OFF -DWITH_ITT=OFF -DWITH_TBB=OFF -DWITH_OPENMP=OFF
  -DWITH_OPENJPEG=OFF -DWITH_JASPER=OFF -DWITH_OPENEXR=OFF -DWITH_GDAL=OFF -DWITH_GDCM=OFF
  -DWITH_PNG=ON -DWITH_JPEG=ON -DWITH_TIFF=ON -DWITH_WEBP=ON
  -DWITH_FFMPEG=OFF -DWITH_GSTREAMER=OFF -DWITH_1394=OFF -DWITH_V4L=ON
  -DWITH_GTK=OFF -DWITH_QT=OFF -DWITH_VTK=OFF -DWITH_OPENGL=OFF
  -DWITH_OPENCL=OFF -DWITH_VA=OFF -DWITH_VA_INTEL=OFF -DWITH_CUDA=OFF -DWITH_VULKAN=OFF
  -DWITH_LAPACK=OFF -DWITH_EIGEN=OFF -DWITH_ADE=OFF -DWITH_IMGCODEC_HDR=ON
  -DWITH_QUIRC=OFF -DWITH_CAROTENE=OFF -DWITH_NGRAPH=OFF -DWITH_OPENVINO=OFF -DWITH_INF_ENGINE=OFF
  -DOPENCV_DNN_OPENCL=OFF
  -DOPENCV_DOWNLOAD_TRIES_LIST=                   # no network: never try to download 3rdparty files
  # Debian's /usr/bin/python3 for the bindings and the generator scripts.
  -DPYTHON_DEFAULT_EXECUTABLE="$py" -DPYTHON3_EXECUTABLE="$py"
  -DPYTHON3_INCLUDE_DIR="$py_inc" -DPYTHON3_LIBRARY="$py_lib"
  -DPYTHON3_NUMPY_INCLUDE_DIRS="$numpy_inc"
)
[ -f "$builddir/CMakeCache.txt" ] && log "reusing build dir $builddir"
cmake "${cmake_args[@]}" 2>&1 | tee "$workdir/configure.log"
grep -E "^--   OpenCV modules:" -A 6 "$workdir/configure.log" || true
known_targets="$(ninja -C "$builddir" -t targets all 2>/dev/null | cut -d: -f1)"  # no grep -q in a pipe: SIGPIPE + pipefail
if ! grep -qx opencv_xcam <<<"$known_targets"; then
  log "OpenCV's configure made no opencv_xcam target (see $workdir/configure.log)"
  exit 1
fi
stage_end

# --- 4. build --------------------------------------------------------------------------------
stage_begin build
[ "$CCACHE_DIR" = "$workdir/ccache" ] && ccache -M 5G >/dev/null
ccache_counts() {  # "hits misses" so far
  ccache --print-stats | awk -F'\t' '$1 ~ /^(direct|preprocessed)_cache_hit$/ { h += $2 }
    $1 == "cache_miss" { m = $2 } END { print h + 0, m + 0 }'
}
read -r hits0 misses0 < <(ccache_counts)
if [ -n "${XCAM_OPENCV_TARGETS:-}" ]; then
  read -r -a targets <<<"$XCAM_OPENCV_TARGETS"
else
  targets=(opencv_xcam opencv_python3)
  for t in opencv_ts opencv_test_xcam; do
    grep -qx "$t" <<<"$known_targets" && targets+=("$t")
  done
fi
log "ninja -j$jobs ${targets[*]}"
ninja -C "$builddir" -j"$jobs" "${targets[@]}"
read -r hits misses < <(ccache_counts)
log "ccache: $(( hits - hits0 )) hits, $(( misses - misses0 )) misses"
stage_end

# --- 5. smoke test ---------------------------------------------------------------------------
stage_begin smoke
PYTHONPATH="$builddir/lib/python3" "$py" - "$builddir" <<'EOF'
import os, sys
build = os.path.realpath(sys.argv[1])
import cv2
import numpy as np

print("cv2", cv2.__version__, "from", cv2.__file__)
assert os.path.realpath(cv2.__file__).startswith(build), "cv2 was not imported from the build"
libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "libopencv_" in l})
print("OpenCV libraries loaded:", *libs, sep="\n  ")
assert all(os.path.realpath(l).startswith(build) for l in libs), "system OpenCV libraries loaded"
assert hasattr(cv2, "xcam"), "cv2.xcam is missing"
names = [n for n in dir(cv2.xcam) if not n.startswith("__")]
print("dir(cv2.xcam):", names)
print("cv2.xcam.computeCAM:", cv2.xcam.computeCAM)
print("cv2.xcam.computeCAM.__doc__:", (cv2.xcam.computeCAM.__doc__ or "").strip().splitlines()[:1])
create = getattr(cv2.xcam, "CAMModel_create", None) or cv2.xcam.CAMModel.create
print("CAMModel create:", create)
print("cv2.xcam.CAMModel:", cv2.xcam.CAMModel, [n for n in dir(cv2.xcam.CAMModel) if not n.startswith("__")])
for n in ("readClassLabels", "CAM_BIAS_IGNORE", "CAM_BIAS_SPREAD"):
    print(f"cv2.xcam.{n}:", getattr(cv2.xcam, n))
missing = [n for n in ("computeCAM", "CAMModel", "readClassLabels") if not hasattr(cv2.xcam, n)]
assert not missing, f"cv2.xcam lacks {missing}"

# One call through the binding: CAM = sum_k w[c,k] A_k on a 1x2x2x3 blob.
A = np.arange(12, dtype=np.float32).reshape(1, 2, 2, 3)
W = np.array([[1, 0], [0.5, -1]], dtype=np.float32)
cam = cv2.xcam.computeCAM(A, W, 1)
expect = 0.5 * A[0, 0] - A[0, 1]
print("computeCAM(A, W, 1) =", cam.tolist())
assert cam.shape == (2, 3) and np.allclose(cam, expect), "computeCAM through Python: wrong result"
try:
    cv2.xcam.computeCAM(A, W, 5)
    raise AssertionError("computeCAM accepted an out-of-range classId")
except cv2.error as e:
    print("out-of-range classId raises cv2.error:", str(e).strip().splitlines()[-1])
print("smoke test: OK")
EOF
# The module's Python tests (opencv_contrib layout), with OpenCV's tests_common on the path. With
# XCAM_REQUIRE_SHARED=1 a skipped test fails the run, as in the C++ suite.
XCAM_SHARED="${XCAM_SHARED:-$(cd "$repo/.." && pwd)/shared}" \
PYTHONPATH="$builddir/lib/python3:$srcdir/modules/python/test" \
  "$py" - "$extra_modules/xcam/misc/python/test" <<'EOF'
import os, sys, unittest
suite = unittest.defaultTestLoader.discover(sys.argv[1], pattern="test_*.py")
result = unittest.TextTestRunner(verbosity=2).run(suite)
if result.skipped and os.environ.get("XCAM_REQUIRE_SHARED") == "1":
    sys.exit("XCAM_REQUIRE_SHARED=1, but %d Python tests were skipped" % len(result.skipped))
sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
EOF
stage_end

# --- 6. a few C++ tests against THAT build ----------------------------------------------------
# The repository's CMake project configured with OpenCV_DIR pointing at the custom build, two of
# its test executables built and run on the custom OpenCV's headers and libraries:
# xcam_test_in_opencv (computeCAM's known answers; the real models' layers, top-3 and CAM
# identity) and xcam_test_threads (every method on 8 threads, on this build's parallel_for_).
stage_begin cpp-tests
standalone="$workdir/xcam-standalone"
cmake -S "$repo" -B "$standalone" -DOpenCV_DIR="$builddir" -DXCAM_BUILD_PERF=OFF \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$standalone" -j"$jobs" --target xcam_test_in_opencv xcam_test_threads 2>&1 | tail -n 3
for t in xcam_test_in_opencv xcam_test_threads; do
  if ldd "$standalone/bin/$t" | grep libopencv_ | grep -v "=> $builddir/"; then
    log "$t loads OpenCV libraries that are not the custom build's"
    exit 1
  fi
  XCAM_SHARED="${XCAM_SHARED:-$(cd "$repo/.." && pwd)/shared}" "$standalone/bin/$t" | tail -n 3
done
stage_end

print_times
log "done: PYTHONPATH=$builddir/lib/python3 $py -c 'import cv2; cv2.xcam'"
