# README's main command, verbatim: it must print what README says it prints (the result lines,
# their count, the first of them and the montage line, all read from README.md).
main_cmd="$(readme_command main-command)"
echo "$main_cmd"
out="$(mktemp)"
err="$(mktemp)"
bash -c "$main_cmd" >"$out" 2>"$err" || { cat "$out" "$err"; exit 1; }
cat "$out"
cat "$err"
/usr/bin/python3 .ci/readme.py check-main-output "$out" "$err"
rm -f "$out" "$err"
