"""Shared pieces of the xcam package's tests (pytest, run against an installed package:
scripts/test_python_package.sh installs it with pip --target and puts it on PYTHONPATH).

- XCAM_SHARED: the real models and photos (default <repo>/../shared); tests that need them skip
  with a message without them, and fail instead when XCAM_REQUIRE_SHARED=1 (CI).
- XCAM_REFERENCE_EXE: the C++ reference program (reference/xcam_reference.cpp); without it the
  session builds it with CMake into XCAM_REFERENCE_BUILD (default <repo>/build-pyref)."""
import functools
import importlib.util
import os
import subprocess

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(REPO, "samples", "data")
SHARED = os.environ.get("XCAM_SHARED") or os.path.join(REPO, "..", "shared")
MOBILENET = os.path.join(SHARED, "models", "mobilenet_v2_1.0_224_imagenet")


def pytest_report_header(config):
    import xcam
    return "xcam %s from %s" % (xcam.__version__, os.path.dirname(xcam.__file__))


@functools.lru_cache(maxsize=None)
def gen_docstrings():
    """python/gen_docstrings.py (the headers' parser) as a module."""
    spec = importlib.util.spec_from_file_location(
        "gen_docstrings", os.path.join(REPO, "python", "gen_docstrings.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def header_api():
    """The wrapped API of the headers: functions, classes, methods, fields, enum values."""
    include = os.path.join(REPO, "modules", "xcam", "include", "opencv2", "xcam")
    return gen_docstrings().parse_headers([os.path.join(include, h) for h in os.listdir(include)])


def need_shared(*parts):
    """A path under XCAM_SHARED; skips (fails with XCAM_REQUIRE_SHARED=1) when it is missing."""
    path = os.path.join(SHARED, *parts)
    if not os.path.exists(path):
        message = "%s not found (set XCAM_SHARED to the folder of the real models)" % path
        if os.environ.get("XCAM_REQUIRE_SHARED") == "1":
            pytest.fail(message + "; XCAM_REQUIRE_SHARED=1 forbids skipping")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def reference_exe():
    exe = os.environ.get("XCAM_REFERENCE_EXE")
    if exe:
        return exe
    build = os.environ.get("XCAM_REFERENCE_BUILD") or os.path.join(REPO, "build-pyref")
    subprocess.run(["cmake", "-S", os.path.join(HERE, "reference"), "-B", build,
                    "-DCMAKE_BUILD_TYPE=Release"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build, "--parallel"], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(build, "xcam_reference")


def write_case(path, case):
    """A case dict as the reference program reads it (cv2.FileStorage YAML)."""
    import cv2
    fs = cv2.FileStorage(path, cv2.FILE_STORAGE_WRITE)
    for key, value in case.items():
        if isinstance(value, dict):
            fs.startWriteStruct(key, cv2.FileNode_MAP)
            for k, v in value.items():
                fs.write(k, v)
            fs.endWriteStruct()
        elif isinstance(value, (list, tuple)):
            fs.write(key, np.array(value, np.float64 if key == "mean" else np.int32))
        else:
            fs.write(key, value)
    fs.release()


def read_node(node):
    """A FileStorage node as Python values: numbers, strings, arrays, lists of them."""
    import cv2
    if node.isSeq():
        return [read_node(node.at(i)) for i in range(node.size())]
    if node.isMap() and not node.getNode("dt").isString():  # a map, not a matrix
        return {key: read_node(node.getNode(key)) for key in node.keys()}
    if node.isString():
        return node.string()
    if node.type() == cv2.FileNode_INT:
        return int(node.real())
    if node.isReal():
        return node.real()
    return node.mat()


def run_reference(exe, case, tmp_path, errors=False, mode=None):
    """The reference program's results for a case, as {key: value} (mode: --detector)."""
    import cv2
    case_path, out_path = str(tmp_path / "case.yml"), str(tmp_path / "out.yml")
    write_case(case_path, case)
    mode = "--errors" if errors else mode
    subprocess.run([exe] + ([mode] if mode else []) + [case_path, out_path], check=True)
    fs = cv2.FileStorage(out_path, cv2.FILE_STORAGE_READ)
    root = fs.root()
    return {key: read_node(root.getNode(key)) for key in root.keys()}


def assert_close(actual, expected, what):
    """Same values to 1e-6 of the expected values' scale (at least 1e-6 absolute)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, "%s: shape %s, C++ %s" % (what, actual.shape,
                                                                      expected.shape)
    scale = max(1.0, float(np.abs(expected).max())) if expected.size else 1.0
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-6 * scale, err_msg=what)
