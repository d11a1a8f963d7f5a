#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds and runs a tiny external app against
# it twice: with CMake (find_package(xcam) -> xcam::xcam) and with pkg-config.
# Usage: install_test.sh <build dir> <source dir>
set -euo pipefail
build=$1
src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
test -f "$prefix/include/opencv4/opencv2/xcam.hpp"
test -f "$prefix/include/opencv4/opencv2/xcam/overlay.hpp"

# The library folder: lib, lib64 or Debian's lib/<multiarch> (a build configured for /usr).
pcdir=$(dirname "$(find "$prefix" -name xcam.pc | head -n 1)")
LD_LIBRARY_PATH="$(dirname "$pcdir")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH

echo "-- CMake: find_package(xcam)"
cmake -S "$src/test/external_app" -B "$prefix/app" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/app" >/dev/null
"$prefix/app/external_app"

echo "-- pkg-config xcam"
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs xcam)
# shellcheck disable=SC2086
g++ -std=c++11 "$src/test/external_app/main.cpp" -o "$prefix/app_pc" $flags
"$prefix/app_pc"
