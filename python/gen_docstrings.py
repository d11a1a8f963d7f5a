#!/usr/bin/env python3
"""Reads the wrapped API of the xcam headers (CV_EXPORTS_W functions and classes, CV_WRAP
methods, CV_PROP_RW and CV_PROP fields, enum values) with their Doxygen comments, and writes them
as C++ string constants for the Python module's docstrings:

    python3 gen_docstrings.py --output docstrings.hpp modules/xcam/include/opencv2/xcam/*.hpp

Constants are named `xcam_py::doc::<name>` or `<Class>_<name>`; a second overload of a name gets
`_2`. Standard library only: the build runs it with the interpreter that builds the module. The
tests import `parse_headers` to check that every wrapped name is bound."""
import argparse
import os
import re
import textwrap
from collections import namedtuple

# kind: function class method field enum value; outputs: the parameters C++ writes (Python returns)
# value: an enum value's number as written
Entry = namedtuple("Entry", "kind scope name doc outputs value", defaults=((), ""))

DECLARATIONS = [
    ("class", re.compile(r"\b(?:class|struct)\s+CV_EXPORTS_W\w*\s+(\w+)")),
    ("function", re.compile(r"\bCV_EXPORTS_W\s+[^;{()]*?\b(\w+)\s*\(")),
    ("method", re.compile(r"\bCV_WRAP\s+[^;{()]*?\b(\w+)\s*\(")),
    ("field", re.compile(r"\bCV_PROP(?:_RW)?\s+[^;{()]*?\b(\w+)\s*;")),
    ("enum", re.compile(r"\benum\s+(\w+)\s*\{")),
]
ENUM_VALUE = re.compile(r"\b([A-Z][A-Z0-9_]*)\s*=\s*([^,}]+)")


def mask_comments(text):
    """The text with every comment blanked (same offsets), so declarations are searched in code."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r"/\*.*?\*/|//[^\n]*", blank, text, flags=re.S)


def comment_before(text, pos):
    """The Doxygen comment that ends right before `pos` (only white space between), or ''."""
    head = text[:pos].rstrip()
    if head.endswith("*/"):
        start = head.rfind("/**")
        return head[start + 3:-2] if start >= 0 else ""
    lines = []
    for line in reversed(head.split("\n")):
        stripped = line.strip()
        if not stripped.startswith("//!"):
            break
        lines.insert(0, stripped[3:])
    return "\n".join(lines)


def closing(code, start):
    """The index of the bracket that closes the one at `start`."""
    pair = {"{": "}", "(": ")"}[code[start]]
    depth = 0
    for i in range(start, len(code)):
        depth += {code[start]: 1, pair: -1}.get(code[i], 0)
        if depth == 0:
            return i
    raise ValueError("unbalanced %s at %d" % (code[start], start))


def class_bodies(code):
    """(name, start, end) of each wrapped class body in the masked code."""
    bodies = []
    for m in DECLARATIONS[0][1].finditer(code):
        open_brace = code.find("{", m.end())
        bodies.append((m.group(1), open_brace, closing(code, open_brace)))
    return bodies


def scope_of(bodies, pos):
    for name, start, end in bodies:
        if start < pos < end:
            return name
    return ""


def output_parameters(code, open_paren):
    """Names of the output parameters (OutputArray, CV_OUT, non-const references) of the
    parameter list that starts at `open_paren`."""
    i = closing(code, open_paren)
    outputs, depth, start = [], 0, open_paren + 1
    for j in range(open_paren + 1, i + 1):
        depth += {"(": 1, "<": 1, ")": -1, ">": -1}.get(code[j], 0)
        if (code[j] == "," and depth == 0) or j == i:
            param = code[start:j].split("=")[0].strip()
            start = j + 1
            if re.search(r"\bOutputArray|\bCV_OUT\b", param) or \
                    ("&" in param and not re.search(r"\bconst\b", param)):
                outputs.append(re.findall(r"\w+", param)[-1])
    return tuple(outputs)


def parse_header(text):
    code = mask_comments(text)
    bodies = class_bodies(code)
    entries = []
    for kind, pattern in DECLARATIONS:
        for m in pattern.finditer(code):
            scope = scope_of(bodies, m.start()) if kind in ("method", "field") else ""
            if kind == "method" and m.group(1) == scope:
                continue  # a constructor: the class's entry covers it
            outputs = output_parameters(code, m.end() - 1) if kind in ("function", "method") else ()
            entries.append((m.start(), Entry(kind, scope, m.group(1),
                                             comment_before(text, m.start()), outputs)))
            if kind == "enum":
                body_end = code.find("}", m.end())
                for v in ENUM_VALUE.finditer(code, m.end(), body_end):
                    entries.append((v.start(), Entry("value", "", v.group(1),
                                                      comment_before(text, v.start()), (),
                                                      v.group(2).strip())))
    return [e for _, e in sorted(entries, key=lambda pe: pe[0])]


def parse_headers(paths):
    entries = []
    for path in sorted(paths):
        with open(path, encoding="utf-8") as f:
            entries += parse_header(f.read())
    return entries


TEX = {"times": "×", "cdot": "·", "sum": "Σ", "odot": "⊙", "alpha": "α", "partial": "∂",
       "lceil": "⌈", "rceil": "⌉", "max": "max", "min": "min", "gamma": "γ", "lambda": "λ",
       "sqrt": "√", "in": "∈", "le": "≤", "exp": "exp", "tanh": "tanh", "cos": "cos"}


def plain(text):
    """Doxygen markup as plain text for Python readers."""
    text = re.sub(r"\\f\$(.*?)\\f\$", r"\1", text, flags=re.S)
    text = re.sub(r"\\f\[(.*?)\\f\]", lambda m: "\n    " + " ".join(m.group(1).split()) + "\n",
                  text, flags=re.S)
    text = re.sub(r"\\mathrm\{(\w+)\}", r"\1", text).replace("\\,", " ")
    text = re.sub(r"\\([a-z]+)(?![A-Za-z])", lambda m: TEX.get(m.group(1), m.group(0)), text)
    text = re.sub(r"@cite\s+(\w+)", r"[\1]", text)
    text = re.sub(r"@ref\s+", "", text)
    text = re.sub(r"\b(CAM\w*)::", r"\1.", text.replace("cv::xcam::", "xcam."))
    text = text.replace("cv::Exception", "xcam.error (cv::Exception)")
    text = text.replace("@code", "").replace("@endcode", "")
    return re.sub(r"\n{3,}", "\n\n", text)


def param_line(words):
    """'name text' (or 'a, b text') as 'name: text'."""
    return re.sub(r"^(\w+(?:,\s*\w+)*)\s+", r"\1: ", " ".join(words))


def docstring(comment, outputs=()):
    """Description, then 'Parameters:' and 'Returns:' sections, from a Doxygen comment; the
    output parameters (returned in Python) go to 'Returns:'."""
    first, *rest = [l.rstrip() for l in comment.split("\n")]
    lines = [first.strip()] + textwrap.dedent("\n".join(rest)).split("\n")
    body, params, returns, current = [], [], [], None
    for line in lines:
        stripped = line.strip()
        tag = re.match(r"@(param|return)\s*(.*)", stripped)
        if tag:
            current = [tag.group(2)]
            is_output = tag.group(1) == "param" and tag.group(2).split(" ")[0] in outputs
            (params if tag.group(1) == "param" and not is_output else returns).append(current)
        elif current is not None and stripped:
            current.append(stripped)
        else:
            current = None
            body.append(re.sub(r"^\s*@brief\s+", "", line))
    out = plain("\n".join(body)).strip()
    names = set(outputs) | {p[0].split(" ")[0] for p in params}
    for title, items in (("Parameters", params), ("Returns", returns)):
        if items:
            text = "\n".join(textwrap.fill(plain(param_line(i) if i[0].split(" ")[0] in names
                                                  else " ".join(i)), 92, initial_indent="    ",
                                           subsequent_indent="        ") for i in items)
            out += "\n\n%s:\n%s" % (title, text)
    return out.strip()


def constant_names(entries):
    """C++ constant name of each entry: <name> or <Class>_<name>, `_2`... for overloads."""
    seen, names = {}, []
    for e in entries:
        base = (e.scope + "_" if e.scope else "") + e.name
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else "%s_%d" % (base, seen[base]))
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", required=True)
    parser.add_argument("headers", nargs="+")
    args = parser.parse_args()
    entries = parse_headers(args.headers)
    lines = ["// Generated by python/gen_docstrings.py from the xcam headers: do not edit.",
             "#pragma once", "namespace xcam_py { namespace doc {"]
    for name, e in zip(constant_names(entries), entries):
        lines.append('static const char* const %s = R"xcamdoc(%s)xcamdoc";'
                     % (name, docstring(e.doc, e.outputs)))
    lines.append("}} // namespace xcam_py::doc")
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
