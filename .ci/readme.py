#!/usr/bin/python3
"""What CI reads from README.md, so that the README and CI's checks cannot drift apart.

  readme.py command NAME              the first ```sh block after the line <!-- NAME -->
  readme.py check-test-command        the test command runs the whole CTest suite: prints its
                                      build folder (ctest --test-dir), or fails saying why
  readme.py check-main-output OUT ERR the main command printed what README says it prints
"""
import os
import re
import shlex
import sys

README = "README.md"

# ctest options that do not change which tests run (NAME: takes a value).
CTEST_OPTIONS = {"--test-dir": True, "--output-on-failure": False, "--no-tests=error": False,
                 "-j": True, "--parallel": True, "--timeout": True, "-V": False, "-VV": False,
                 "--verbose": False, "--extra-verbose": False, "--progress": False}


def fail(message):
    sys.exit("CI: README.md: " + message)


def text():
    with open(README, encoding="utf-8") as f:
        return f.read()


def command_and_rest(name):
    """The command of the ```sh block after <!-- name -->, and the README text after that block."""
    m = re.search(r"^<!-- %s -->\n```sh\n(.*?)\n```\n(.*)" % re.escape(name), text(), re.M | re.S)
    if not m:
        fail("no ```sh block right after <!-- %s -->" % name)
    return m.group(1).strip(), m.group(2)


def segments(command):
    """The simple commands of `a && b && c`; anything but && between them is refused (a `|| true`
    or `; true` would hide a failure)."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    parts, current = [], []
    for token in lexer:
        if token == "&&":
            parts.append(current)
            current = []
        elif token in ("||", ";", "|", "&", ";;", "(", ")", ">", ">>", "<"):
            fail("the test command may only chain commands with &&, not %r" % token)
        else:
            current.append(token)
    parts.append(current)
    for words in parts:
        if not words:
            fail("an empty command in %r" % command)
        if words[0] in ("env", "export") or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
            fail("the test command sets environment variables (%s): they can filter tests"
                 % " ".join(words))
    return parts


def check_ctest_options(args):
    """Returns --test-dir's value; fails on any option that could leave tests out."""
    test_dir, i = None, 0
    while i < len(args):
        name, _, value = args[i].partition("=")
        if args[i] == "--no-tests=error":
            name = args[i]
        elif re.match(r"^-j[0-9]+$", args[i]):
            name, value = "-j", args[i][2:]
        if name not in CTEST_OPTIONS:
            fail("the test command gives ctest %r; CI accepts only %s (no -R, -E, -L, -LE, -I, -U, "
                 "-N...: the whole suite must run)" % (args[i], ", ".join(sorted(CTEST_OPTIONS))))
        if CTEST_OPTIONS[name] and not value:
            i += 1
            if i == len(args):
                fail("ctest's %s has no value" % name)
            value = args[i]
        if name == "--test-dir":
            test_dir = value
        i += 1
    if "--no-tests=error" not in args:
        fail("the test command's ctest lacks --no-tests=error")
    if not test_dir:
        fail("the test command's ctest lacks --test-dir")
    return test_dir


def check_test_command():
    parts = segments(command_and_rest("test-command")[0])
    runs = [i for i, words in enumerate(parts) if os.path.basename(words[0]) == "ctest"]
    if runs != [len(parts) - 1]:
        fail("the test command must end with its one ctest run")
    print(check_ctest_options(parts[-1][1:]))


def promised_output():
    """README's sentence after the main command: prints `FIRST` ... (N lines) and `LAST`."""
    rest = command_and_rest("main-command")[1]
    m = re.match(r"prints `([^`]+)`.*?\((\d+) lines\)\s+and\s+`([^`]+)`", rest, re.S)
    if not m:
        fail("the main command is not followed by: prints `<first line>` ... (N lines) and "
             "`<last line>`")
    return m.group(1), int(m.group(2)), m.group(3)


def check_main_output(out_path, err_path):
    first, count, last = promised_output()
    with open(out_path, encoding="utf-8", errors="replace") as f:
        out = f.read().splitlines()
    with open(err_path, encoding="utf-8", errors="replace") as f:
        err = f.read().splitlines()
    result = re.compile(r"^[^\t]+\t\d+ \d+ .+ \d+\.\d{4}$")  # file<TAB>rank id label probability
    results = [line for line in out if result.match(line)]
    if len(results) != count or out[-count:] != results:
        fail("README says the main command prints %d result lines; it printed %d:\n%s"
             % (count, len(results), "\n".join(out[-count - 2:])))
    if results[0] != first:
        fail("README says the first line is %r; it is %r" % (first, results[0]))
    if last not in out + err:
        fail("README says the main command prints %r; it did not:\n%s" % (last, "\n".join(err)))
    m = re.search(r"wrote montage (\S+) ", last)
    if m:
        with open(m.group(1), "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                fail("%s is not a PNG" % m.group(1))
    print("CI: main command printed README's %d result lines (first: %s) and %r"
          % (count, first.replace("\t", " "), last))


def main(argv):
    if len(argv) == 3 and argv[1] == "command":
        print(command_and_rest(argv[2])[0])
    elif argv[1:] == ["check-test-command"]:
        check_test_command()
    elif len(argv) == 4 and argv[1] == "check-main-output":
        check_main_output(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
