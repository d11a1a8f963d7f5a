# README's test command, verbatim, after checking that it runs the whole CTest suite (only &&
# between commands, no environment set, ctest last with --no-tests=error and no test filter), then
# checks what it ran: every test CTest lists ran, none was skipped.
test_dir="$(/usr/bin/python3 .ci/readme.py check-test-command)"
test_cmd="$(readme_command test-command)"
echo "$test_cmd"
bash -c "$test_cmd" 2>&1 | tee "$ci_log"
ran="$(tests_run "$ci_log")"
listed="$(tests_listed "$test_dir")"
echo "CI: the test command ran ${ran:-no} tests; ctest -N lists $listed"
[ -n "$ran" ] && [ "$ran" -ge "$listed" ] || { echo "CI: not every test ran" >&2; exit 1; }
no_skipped_tests "$ci_log"
