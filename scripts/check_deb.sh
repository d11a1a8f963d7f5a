#!/usr/bin/env bash
# Checks the xcam .deb (scripts/test_python_package.sh runs it after building it):
#   check_deb.sh DEB APP_DIR WORKDIR
#       contents (dpkg-deb -c), dependencies (dpkg-deb -I; apt-get install --simulate resolves
#       them), then the package unpacked into WORKDIR/root: APP_DIR (test/external_app) built with
#       find_package(xcam) and with pkg-config xcam and run, xcam_cam --help, the man pages;
#   check_deb.sh --system DEB APP_DIR WORKDIR   (root)
#       apt-get install DEB on this machine, the same checks with no paths given, then apt-get
#       remove and a check that nothing is left: no file or folder of it, no dpkg record (no
#       config-files state: the package has no conffiles or maintainer scripts). A trap purges
#       it on failure too. It changes /usr while it runs: not beside other builds or CTest runs.
set -euo pipefail
system=0
if [ "$1" = "--system" ]; then system=1; shift; fi
deb=$(readlink -f "$1")
app=$(readlink -f "$2")
work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "check_deb: $*" >&2; exit 1; }

# Contents: the library, headers, CMake package, pkg-config file, tools and man pages.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/contents"
for pattern in /usr/bin/xcam_cam /usr/bin/xcam_detect /usr/bin/xcam_eval /usr/bin/cam_webcam \
    /usr/include/opencv4/opencv2/xcam.hpp /usr/include/opencv4/opencv2/xcam/model.hpp \
    '/usr/lib/.*libopencv_xcam\.so\.0' '/usr/lib/.*/cmake/xcam/xcamConfig\.cmake' \
    '/usr/lib/.*/pkgconfig/xcam\.pc' /usr/share/man/man1/xcam_cam.1.gz \
    /usr/share/man/man1/xcam_detect.1.gz; do
  grep -qx "$pattern" "$work/contents" || fail "$pattern is not in the package"
done
echo "   contents: $(grep -vc '/$' "$work/contents") files: library, headers, CMake package," \
     "pkg-config file, 4 tools, 4 man pages"

# Dependencies: Debian's OpenCV runtime packages (dpkg-shlibdeps) and libopencv-dev.
depends=$(dpkg-deb -f "$deb" Depends)
for package in libopencv-dev libopencv-core406 libopencv-dnn406 libopencv-imgproc406; do
  [[ ", $depends," == *", $package "* ]] || fail "Depends lacks $package: $depends"
done
echo "   Depends: $depends"
[[ "$(apt-get install --simulate "$deb" 2>&1)" == *$'\nInst xcam '* ]] \
  || fail "apt-get cannot resolve the dependencies of $deb"

# The external app, both ways, and the CLI; $1: prefix for CMake, $2: pkg-config folder,
# $3: library folder, $4: bin folder (all empty on the system).
check_installed() {
  local prefix_args=() env_args=()
  [ -z "$1" ] || prefix_args=(-DCMAKE_PREFIX_PATH="$1")
  [ -z "$3" ] || env_args=(LD_LIBRARY_PATH="$3")
  if ! { cmake -S "$app" -B "$work/app" "${prefix_args[@]}" && cmake --build "$work/app"; } \
      >"$work/app.log" 2>&1; then
    tail -n 30 "$work/app.log"
    fail "find_package(xcam) app"
  fi
  [ "$(env "${env_args[@]}" "$work/app/external_app")" = OK ] || fail "find_package(xcam) app: not OK"
  # shellcheck disable=SC2046
  g++ -std=c++11 "$app/main.cpp" -o "$work/app_pc" \
    $(PKG_CONFIG_PATH="$2" pkg-config --cflags --libs xcam) || fail "pkg-config xcam app"
  [ "$(env "${env_args[@]}" "$work/app_pc")" = OK ] || fail "pkg-config app did not print OK"
  [[ "$(env "${env_args[@]}" "${4:+$4/}xcam_cam" --help)" == *"Usage: xcam_cam"* ]] \
    || fail "xcam_cam --help"
  echo "   find_package(xcam) app OK, pkg-config xcam app OK, xcam_cam --help OK"
}

if [ "$system" = 0 ]; then
  dpkg -x "$deb" "$work/root"
  libdir=$(dirname "$(find "$work/root" -name 'libopencv_xcam.so.0')")
  check_installed "$work/root/usr" "$libdir/pkgconfig" "$libdir" "$work/root/usr/bin"
  if command -v man >/dev/null; then
    [[ "$(man -l "$work/root/usr/share/man/man1/xcam_cam.1.gz" 2>/dev/null)" == *"Usage: xcam_cam"* ]] \
      || fail "man page of xcam_cam"
  fi
  exit 0
fi

[ "$(id -u)" -eq 0 ] || fail "--system needs root"
if dpkg-query -W -f='${Status}' xcam 2>/dev/null | grep -q "install ok installed"; then
  fail "xcam is already installed: not touching it"
fi
purge() { apt-get purge -y -qq xcam >/dev/null 2>&1 || true; }
trap purge EXIT
apt_get() {  # another process may hold the dpkg lock for a while: retry
  for _ in $(seq 60); do
    if DEBIAN_FRONTEND=noninteractive apt-get "$@" >"$work/apt.log" 2>&1; then return 0; fi
    grep -q "Could not get lock" "$work/apt.log" || { cat "$work/apt.log"; return 1; }
    sleep 10
  done
  return 1
}
apt_get install -y "$deb" || fail "apt-get install $deb"
check_installed "" "" "" ""
man -w xcam_cam >/dev/null 2>&1 || ! command -v man >/dev/null || fail "man xcam_cam"
apt_get remove -y xcam || fail "apt-get remove xcam"
trap - EXIT
if dpkg-query -W -f='${Status}' xcam >/dev/null 2>&1; then
  purge
  fail "apt-get remove left xcam in dpkg's database: $(dpkg-query -W -f='${Status}' xcam)"
fi
left=0
while read -r path; do
  case "$path" in
    */) case "$path" in *xcam*) [ ! -d "$path" ] || { echo "left: $path"; left=1; } ;; esac ;;
    *) if [ -e "$path" ] || [ -L "$path" ]; then echo "left: $path"; left=1; fi ;;
  esac
done <"$work/contents"
[ "$left" = 0 ] || fail "apt-get remove left files behind"
echo "   apt-get remove: no dpkg record, none of its $(grep -vc '/$' "$work/contents") files," \
     "no xcam folder left"
