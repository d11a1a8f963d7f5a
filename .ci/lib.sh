# Helpers for the CI stages: .ci/run sources this file into every stage (bash, set -euo pipefail,
# working directory = the repository).

ci_log="$(mktemp)"
ci_on_exit() { :; }  # a stage may redefine it: runs when the stage ends, also when it fails or is stopped
trap 'ci_on_exit; rm -f "$ci_log"' EXIT

# A command of README.md, verbatim: readme_command test-command | main-command.
readme_command() { /usr/bin/python3 .ci/readme.py command "$1"; }

# Runs a command with its output in $ci_log, shown (the end of it) only when it fails.
quietly() {
  if ! "$@" >"$ci_log" 2>&1; then
    tail -n 80 "$ci_log"
    echo "CI: failed: $*" >&2
    exit 1
  fi
}

# Fails when a ctest output (file $1) has a test that was skipped or did not run: every test
# must run in CI.
no_skipped_tests() {
  local marks='\*\*\*Skipped|\*\*\*Not Run|tests did not run|_NOT_BUILT'
  if grep -qE "$marks" "$1"; then
    grep -E "$marks" "$1" >&2 || true
    echo "CI: some tests were skipped or not run; every test must run in CI" >&2
    exit 1
  fi
}

# The number of tests a ctest output (file $1) says it ran: "... tests failed out of N".
tests_run() { sed -n 's/.* tests failed out of \([0-9][0-9]*\)$/\1/p' "$1" | tail -n 1; }

# The number of tests `ctest --test-dir DIR -N [FILTERS...]` lists.
tests_listed() {
  local dir=$1
  shift
  ctest --test-dir "$dir" -N "$@" | sed -n 's/^Total Tests: //p'
}

# Configures (Ninja, ccache through CMAKE_CXX_COMPILER_LAUNCHER) and builds with 2 jobs, quietly.
# Usage: cmake_build BUILD_DIR [TARGET...] -- [CMAKE ARGS...]
cmake_build() {
  local dir=$1 targets=()
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do targets+=(--target "$1"); shift; done
  [ $# -gt 0 ] && shift
  quietly cmake -S . -B "$dir" -G Ninja "$@"
  quietly cmake --build "$dir" -j2 "${targets[@]}"
}

# Every test name test/CMakeLists.txt labels (xcam_test_labels) is a test of BUILD_DIR ($1), so a
# renamed test does not lose its label quietly.
check_labels() {
  local pairs label listed name bad=0
  pairs="$(sed -n 's/^set(xcam_test_labels \[==\[\(.*\)\]==\])$/\1/p' "$1/test/xcam_test_labels.cmake" |
           tr ';' '\n' | paste -d' ' - -)"
  while read -r label name; do
    listed="$(ctest --test-dir "$1" -N -L "^$label\$")"
    if ! grep -qE "Test +#[0-9]+: $(sed 's/[.[\*^$/]/\\&/g' <<<"$name")( |\$)" <<<"$listed"; then
      echo "CI: test/CMakeLists.txt labels $name $label, but there is no such test" >&2
      bad=1
    fi
  done <<<"$pairs"
  [ "$bad" -eq 0 ]
}
