# Fuzzing: the libFuzzer targets of fuzz/ (clang, ASan+UBSan), two at a time (one core each), each
# for 30 s from the seed corpus in the repository (new inputs go to build-fuzz/corpus, not into
# the repository), after replaying the inputs that once failed (fuzz/crashes/<target>/, also
# regression tests). Every run stops an input after 10 s and at 2 GB of memory.
# fuzz_onnx fuzzes without its fork-per-input screen (XCAM_FUZZ_ONNX_SCREEN=0), in libFuzzer's
# fork mode, where a crash (of OpenCV's importer, say) ends one job and not the run: about 15
# times the executions. Every input that then crashed, timed out or ran out of memory is replayed
# with the screen on: one that kills OpenCV alone is skipped (and counted), any other fails CI.
quietly fuzz/build.sh "$(pwd)/build-fuzz"
export LSAN_OPTIONS="suppressions=$(pwd)/.ci/lsan.supp"
limits=(-timeout=10 -rss_limit_mb=2048)

fuzz_one() {  # TARGET: replays and fuzzing; the last line says OK or what failed
  local target=$1 fuzzer="build-fuzz/fuzz_$1" mode=() status=0 found
  local artifacts="build-fuzz/artifacts/$target"
  mkdir -p "build-fuzz/corpus/$target" "$artifacts"
  if compgen -G "fuzz/crashes/$target/*" >/dev/null; then
    "$fuzzer" "${limits[@]}" "fuzz/crashes/$target"/* || { echo "FAILED: replay"; return 1; }
  fi
  [ "$target" = onnx ] && mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  XCAM_FUZZ_ONNX_SCREEN=0 "$fuzzer" "${limits[@]}" "${mode[@]}" -max_total_time=30 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "build-fuzz/corpus/$target" \
    "fuzz/corpus/$target" || status=$?
  found=$(find "$artifacts" -type f | wc -l)
  if [ "$status" -ne 0 ] && { [ "$target" != onnx ] || [ "$found" -eq 0 ]; }; then
    echo "FAILED: fuzzing (exit $status; inputs in $artifacts)"
    return 1
  fi
  if [ "$found" -gt 0 ]; then  # fuzz_onnx's, replayed with the screen on
    "$fuzzer" "${limits[@]}" "$artifacts"/* || { echo "FAILED: xcam crashed on one of $artifacts"; return 1; }
  fi
  echo "OK: $(grep -E '^Done [0-9]+ runs|^#[0-9]+: cov' "build-fuzz/$target.log" | tail -n 1)" \
       "$([ "$target" != onnx ] || echo "($found inputs crashed OpenCV alone: skipped)")"
}

targets=(onnx explain cli_options compute_cam overlay)
running=0
for target in "${targets[@]}"; do
  if [ "$running" -eq 2 ]; then wait -n || true; running=$(( running - 1 )); fi
  fuzz_one "$target" >"build-fuzz/$target.log" 2>&1 &
  running=$(( running + 1 ))
done
wait
failed=0
for target in "${targets[@]}"; do
  result="$(tail -n 1 "build-fuzz/$target.log")"
  echo "-- fuzz_$target: $result"
  if [[ "$result" != OK:* ]]; then
    tail -n 60 "build-fuzz/$target.log"
    failed=1
  fi
done
[ "$failed" -eq 0 ]
