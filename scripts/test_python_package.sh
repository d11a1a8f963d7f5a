#!/usr/bin/env bash
# The packages users install, built from a clean clone of this repository's HEAD and checked:
#
#  Python  1. the pinned command `python3 -m pip install --no-build-isolation --no-deps --target
#             DIR .` with Debian's /usr/bin/python3, and again with the `python3` on PATH when
#             that is another interpreter (import smoke test: it may lack numpy);
#          2. `python3 -m build --no-isolation --wheel` (wheel contents and RECORD hashes), and
#             README's install line in a venv with --system-site-packages (Debian's cv2, numpy);
#          3. pytest python/tests with Debian's python3 against DIR (the C++ reference program is
#             built on the way); with XCAM_REQUIRE_SHARED=1 a skipped test fails the script.
#  Debian  4. `cmake --build build --target package`: the .deb's contents and dependencies,
#             `apt-get install --simulate`, then the package unpacked into a scratch root: an
#             external app built with find_package(xcam) and with pkg-config xcam, xcam_cam --help.
#          5. only with --system: `apt-get install ./xcam_*.deb` for real, the same checks with no
#             paths given, then `apt-get purge` and a check that none of its files is left. This
#             changes the machine (restored by a trap, also on failure): do not run it while
#             other builds or CTest runs use the machine.
#
# Usage: scripts/test_python_package.sh [--system] [WORKDIR]   (root for --system; WORKDIR is
# kept when given, else a temporary folder is removed). Packages: scripts/install_deps.sh.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
system=0
if [ "${1:-}" = "--system" ]; then system=1; shift; fi
if [ -n "${1:-}" ]; then
  work=$(mkdir -p "$1" && cd "$1" && pwd)
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
export XCAM_SHARED="${XCAM_SHARED:-$(cd "$repo/.." && pwd)/shared}"
debian_python=/usr/bin/python3
step() { echo "== test_python_package: $*"; }
fail() { echo "test_python_package: $*" >&2; exit 1; }
logged() {  # LOG COMMAND...: runs it with its output in LOG (shown when it fails), says how long
  local log=$1 start=$SECONDS
  shift
  "$@" >"$log" 2>&1 || { tail -n 40 "$log"; fail "failed: $*"; }
  echo "   took $(( SECONDS - start )) s (output: $log)"
}

"$repo/scripts/install_deps.sh"
rm -rf "$work/src" && git clone --quiet "$repo" "$work/src"
dirty=$(git -C "$repo" diff --quiet HEAD || echo " (uncommitted changes are NOT in it)")
step "clean clone of $(git -C "$work/src" rev-parse --short HEAD)$dirty"

pip_target() (  # interpreter, target folder: the pinned command, from the clone
  rm -rf "$2"
  cd "$work/src" && "$1" -m pip install --no-build-isolation --no-deps --target "$2" .
)

step "1. pip install --target with $debian_python"
logged "$work/site.log" pip_target "$debian_python" "$work/site"
path_python=$(command -v python3)
if [ "$(readlink -f "$path_python")" != "$(readlink -f "$debian_python")" ]; then
  step "1. pip install --target with $path_python ($("$path_python" --version))"
  logged "$work/site-path-python.log" pip_target "$path_python" "$work/site-path-python"
  PYTHONPATH="$work/site-path-python" "$path_python" -c 'import xcam
assert xcam.parseCAMMethod("gradcam++") == xcam.CAM_METHOD_GRADCAM_PLUSPLUS
print("   import xcam", xcam.__version__, "OK")'
fi

step "2. python3 -m build --no-isolation --wheel, and README's install line in a venv"
logged "$work/build.log" "$debian_python" -m build --no-isolation --wheel --outdir "$work/dist" \
  -C build-dir="$work/wheel-build" "$work/src"
wheel=$(ls "$work"/dist/xcam-*.whl)
"$debian_python" - "$wheel" <<'EOF'
import base64, csv, hashlib, io, os, sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
names = set(wheel.namelist())
record = [n for n in names if n.endswith(".dist-info/RECORD")][0]
for row in csv.reader(io.TextIOWrapper(wheel.open(record))):
    if row[0] == record:
        continue
    data = wheel.read(row[0])
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert row[1] == "sha256=" + digest and int(row[2]) == len(data), row[0]
    names.discard(row[0])
assert names == {record}, names
package = sorted(n for n in wheel.namelist() if n.startswith("xcam/"))
assert [n.split("/")[1].split(".")[0] for n in package] == ["__init__", "__init__", "_xcam", "py"]
print("   %s: %d bytes, RECORD verified; %s" % (os.path.basename(sys.argv[1]),
                                                os.path.getsize(sys.argv[1]), ", ".join(package)))
EOF
"$debian_python" -m venv --system-site-packages "$work/venv"
venv_install() ( cd "$work/src" && "$work/venv/bin/pip" install --no-build-isolation "$@" . )
logged "$work/venv.log" venv_install --config-settings build-dir="$work/wheel-build"
(cd "$work" && "$work/venv/bin/python" -c 'import cv2, xcam
print("   venv: import cv2", cv2.__version__, "and xcam", xcam.__version__, "OK")')

step "3. pytest python/tests with $debian_python against $work/site"
log="$work/pytest.log"
set +e
(cd "$work" && XCAM_REFERENCE_BUILD="$work/reference" PYTHONPATH="$work/site" \
   "$debian_python" -m pytest -p no:cacheprovider -v -rsP "$repo/python/tests") 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || fail "pytest failed (exit $status)"
if [ "${XCAM_REQUIRE_SHARED:-0}" = 1 ] && grep -qiE "^SKIPPED|[0-9]+ skipped" "$log"; then
  fail "tests were skipped with XCAM_REQUIRE_SHARED=1"
fi

step "4. the .deb: cmake --build --target package"
deb_build="$work/deb-build"
logged "$work/deb-configure.log" cmake -S "$work/src" -B "$deb_build" -DCMAKE_INSTALL_PREFIX=/usr \
  -DXCAM_BUILD_TESTS=OFF -DXCAM_BUILD_PERF=OFF
logged "$work/deb.log" cmake --build "$deb_build" --target package -j"$(nproc)"
deb=$(ls "$deb_build"/xcam_*.deb)
echo "   $(basename "$deb"): $(stat -c %s "$deb") bytes"
"$repo/scripts/check_deb.sh" "$deb" "$repo/test/external_app" "$work/deb-check"

if [ "$system" = 1 ]; then
  step "5. apt-get install $(basename "$deb") on this machine, then apt-get remove"
  "$repo/scripts/check_deb.sh" --system "$deb" "$repo/test/external_app" "$work/deb-system"
fi
step "green"
