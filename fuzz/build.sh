#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined) into BUILD_DIR
# (default <repo>/build-fuzz), with the small test nets the explain and onnx targets use.
# Usage: fuzz/build.sh [BUILD_DIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/build-fuzz}
command -v clang++ >/dev/null || { echo "fuzz/build.sh: clang++ not found (apt-get install clang)" >&2; exit 1; }
mkdir -p "$out/nets"
/usr/bin/python3 "$repo/tools/make_test_nets.py" "$out/nets" >/dev/null
cmake -S "$repo/fuzz" -B "$out" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None \
      -DXCAM_FUZZ_NET="$out/nets/gap_fc_gemm.onnx" >/dev/null
cmake --build "$out" -j2
