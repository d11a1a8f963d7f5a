"""The installed package: every wrapped name of the headers is bound (constants with the headers'
values), docstrings come from the headers' comments, the type stubs are shipped and up to date,
and the extension links the system OpenCV and exports nothing of xcam's C++ symbols."""
import os
import subprocess
import sys

import xcam
from conftest import REPO, gen_docstrings, header_api

PACKAGE_DIR = os.path.dirname(os.path.abspath(xcam.__file__))


def test_every_header_name_is_bound():
    for e in header_api():
        if e.kind in ("function", "class", "value"):
            assert hasattr(xcam, e.name), e.name
        elif e.kind in ("method", "field"):
            assert hasattr(getattr(xcam, e.scope), e.name), "%s.%s" % (e.scope, e.name)
        if e.kind == "value":
            assert getattr(xcam, e.name) == int(e.value), e.name
    assert issubclass(xcam.error, RuntimeError)


def test_docstrings_from_the_headers():
    for e in header_api():
        if e.kind not in ("function", "class", "method", "field") or not e.doc:
            continue
        owner = xcam if e.kind in ("function", "class") else getattr(xcam, e.scope)
        first_line = gen_docstrings().docstring(e.doc, e.outputs).split("\n")[0]
        assert first_line in getattr(owner, e.name).__doc__, e.name


def test_stubs_shipped_and_up_to_date():
    for name in ("__init__.pyi", "py.typed"):
        assert os.path.isfile(os.path.join(PACKAGE_DIR, name)), name
    with open(os.path.join(PACKAGE_DIR, "__init__.pyi"), encoding="utf-8") as f:
        shipped = f.read()
    with open(os.path.join(REPO, "python", "xcam", "__init__.pyi"), encoding="utf-8") as f:
        assert f.read() == shipped
    env = dict(os.environ, PYTHONPATH=os.path.dirname(PACKAGE_DIR))
    subprocess.run([sys.executable, os.path.join(REPO, "python", "make_stubs.py"), "--check"],
                   check=True, env=env)


def test_extension_links_system_opencv_and_hides_xcam():
    extension = [f for f in os.listdir(PACKAGE_DIR) if f.startswith("_xcam.")][0]
    path = os.path.join(PACKAGE_DIR, extension)
    needed = subprocess.run(["ldd", path], check=True, capture_output=True, text=True).stdout
    assert "libopencv_dnn.so.4" in needed and "libopencv_xcam" not in needed
    symbols = subprocess.run(["nm", "-D", "--defined-only", path], check=True,
                             capture_output=True, text=True).stdout
    assert "PyInit__xcam" in symbols
    assert "xcam" not in symbols.replace("PyInit__xcam", "")
