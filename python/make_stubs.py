#!/usr/bin/env python3
"""Writes the type stubs of the xcam package (python/xcam/__init__.pyi) from the built module:
pybind11's signatures and docstrings, plus the headers' comments for the enum constants.

    PYTHONPATH=<dir with the built xcam> python3 python/make_stubs.py [--check]

--check compares instead of writing (the tests run it against the installed package)."""
import argparse
import importlib.util
import inspect
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STUB = os.path.join(HERE, "xcam", "__init__.pyi")
HEADERS = os.path.join(HERE, "..", "modules", "xcam", "include", "opencv2", "xcam")

# Where the C++ types say less than Python does: arguments that take None, results that may be
# None (an empty Mat comes back as None, as in cv2).
OVERRIDES = {
    "computeCAM": [("weights: numpy.ndarray", "weights: numpy.ndarray | None")],
    "applyCAMOverlay": [("dst: numpy.ndarray", "dst: numpy.ndarray | None")],
    "getFCWeights": [("-> numpy.ndarray", "-> numpy.ndarray | None")],
    "getFCBias": [("-> numpy.ndarray", "-> numpy.ndarray | None")],
    "setDecoder": [("decoder: function", "decoder: Callable[[list[numpy.ndarray], "
                    "tuple[int, int]], list[Detection]]")],
}

ERROR_CLASS = '''class error(RuntimeError):
    """An OpenCV error (cv::Exception) raised by xcam; str() is OpenCV's message."""
    code: int
    err: str
    func: str
    file: str
    line: int
    msg: str
'''


def without_defaults(signature):
    """Default values (reprs such as (0, 0) or <... object at 0x...>) as `...`, as stubs write
    them."""
    out, i = [], 0
    while i < len(signature):
        if signature.startswith(" = ", i):
            out.append(" = ...")
            i, depth = i + 3, 0
            while depth > 0 or signature[i] not in ",)":
                depth += {"(": 1, "[": 1, "<": 1, ")": -1, "]": -1, ">": -1}.get(signature[i], 0)
                i += 1
        else:
            out.append(signature[i])
            i += 1
    return "".join(out)


def annotation(text):
    """pybind11's type names as stub annotations."""
    text = text.replace("xcam._xcam.", "")
    text = re.sub(r"numpy\.ndarray\[(numpy\.\w+)\]", r"numpy.typing.NDArray[\1]", text)
    return without_defaults(text.replace("List[", "list[").replace("Tuple[", "tuple["))


def split_doc(doc):
    """[(signature, docstring)] of a pybind11 function's __doc__ (one per overload)."""
    if "\nOverloaded function.\n" in doc:
        parts = re.split(r"\n\d+\. (?=\w+\()", doc.split("\nOverloaded function.\n", 1)[1])
        parts = [p.strip() for p in parts if p.strip()]
    else:
        parts = [doc.strip()]
    return [tuple((p.split("\n", 1) + [""])[:2]) for p in parts]


def docstring_block(doc, indent):
    doc = doc.strip().replace('"""', "'''")
    if not doc:
        return ""
    lines = doc.split("\n")
    body = "\n".join((indent + l) if l else "" for l in lines)
    return '%s"""%s"""\n' % (indent, body.lstrip())


def function_stub(name, obj, indent, method):
    overloads = split_doc(obj.__doc__ or "")
    out = ""
    for signature, doc in overloads:
        signature = annotation(signature)
        for old, new in OVERRIDES.get(name, []):
            signature = signature.replace(old, new)
        if method:
            signature = re.sub(r"^(\w+)\(self: \w+(, )?", r"\1(self\2", signature)
        decorators = ["@overload"] if len(overloads) > 1 else []
        if method and isinstance(inspect.getattr_static(method, name), staticmethod):
            decorators.append("@staticmethod")
        out += "".join(indent + d + "\n" for d in decorators)
        block = docstring_block(doc, indent + "    ")
        out += "%sdef %s:%s\n%s" % (indent, signature, "" if block else " ...", block)
    return out


def property_stub(name, prop):
    kind = annotation(prop.fget.__doc__.split("->")[1].split("\n")[0].strip())
    return "    %s: %s\n%s" % (name, kind, docstring_block(prop.__doc__ or "", "    "))


def class_stub(name, cls):
    out = "class %s:\n%s" % (name, docstring_block(cls.__doc__ or "", "    "))
    init = (cls.__init__.__doc__ or "").split("\n")[0]
    if init.startswith("__init__("):  # bound with py::init
        out += "    def %s: ...\n" % re.sub(r"^__init__\(self: \w+(, )?", r"__init__(self\1",
                                              annotation(init))
    for attr, value in cls.__dict__.items():
        if isinstance(value, property):
            out += property_stub(attr, value)
    for attr, value in cls.__dict__.items():
        if not attr.startswith("_") and not isinstance(value, property):
            out += function_stub(attr, getattr(cls, attr), "    ", cls)
    return out


def load_gen_docstrings():
    spec = importlib.util.spec_from_file_location("gen_docstrings",
                                                  os.path.join(HERE, "gen_docstrings.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def constant_docs():
    gen_docstrings = load_gen_docstrings()
    headers = [os.path.join(HEADERS, h) for h in os.listdir(HEADERS) if h.endswith(".hpp")]
    return {e.name: gen_docstrings.docstring(e.doc)
            for e in gen_docstrings.parse_headers(headers) if e.kind == "value"}


def stubs(module):
    docs = constant_docs()
    out = ['"""%s"""' % module.__doc__, "import cv2", "import numpy", "import numpy.typing",
           "from typing import Callable, overload", "", "__version__: str", ""]
    names = sorted(n for n in dir(module) if not n.startswith("_"))
    for name in names:
        value = getattr(module, name)
        if isinstance(value, int):
            out.append("%s: int\n%s" % (name, docstring_block(docs.get(name, ""), "")))
    out.append(ERROR_CLASS)
    for name in names:
        value = getattr(module, name)
        if isinstance(value, type) and name != "error":
            out.append(class_stub(name, value))
    for name in names:
        value = getattr(module, name)
        if callable(value) and not isinstance(value, type):
            out.append(function_stub(name, value, "", None))
    return "\n".join(out).rstrip() + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    # The built package, not python/xcam beside this script.
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
    import xcam._xcam
    text = stubs(xcam._xcam)
    if args.check:
        with open(STUB, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit("make_stubs: %s is out of date: rerun python/make_stubs.py" % STUB)
        print("make_stubs: %s is up to date" % STUB)
        return
    with open(STUB, "w", encoding="utf-8") as f:
        f.write(text)
    print("make_stubs: wrote " + STUB)


if __name__ == "__main__":
    main()
