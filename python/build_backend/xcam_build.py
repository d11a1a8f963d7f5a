"""PEP 517 build backend of the xcam Python package, in-tree (pyproject.toml's backend-path) and
standard library only.

It configures python/CMakeLists.txt with the interpreter that runs it (Python_EXECUTABLE), so the
extension is built for that Python against the system OpenCV and pybind11, then writes the wheel
itself (zipfile + RECORD): neither setuptools nor the `wheel` package is needed, so
`pip install --no-build-isolation .` and `python3 -m build --no-isolation --wheel` work offline
with Debian's python3 as well as with a Python that has only pip.

Settings (pip: --config-settings KEY=VALUE, build: -C KEY=VALUE; or the environment):
  build-dir / XCAM_PYTHON_BUILD_DIR   keep the CMake build there (default: a temporary folder)
  CMAKE_BUILD_PARALLEL_LEVEL          compile jobs (default: the CPU count)
"""
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "python"
PACKAGE = "xcam"
PURE_FILES = ["__init__.py", "__init__.pyi", "py.typed"]


def _load_toml(path):
    try:
        import tomllib
    except ImportError:  # Python < 3.11: the tomli that pip and build vendor or need
        try:
            import tomli as tomllib
        except ImportError:
            from pip._vendor import tomli as tomllib
    with open(path, "rb") as f:
        return tomllib.load(f)


def _version():
    """The top-level CMake project's version: one version for the library and the package."""
    for line in (ROOT / "CMakeLists.txt").read_text().splitlines():
        if line.startswith("project(xcam VERSION "):
            return line.split()[2]
    raise RuntimeError("xcam_build: no 'project(xcam VERSION x.y.z' line in CMakeLists.txt")


def _metadata():
    project = _load_toml(ROOT / "pyproject.toml")["project"]
    lines = ["Metadata-Version: 2.1", "Name: " + project["name"], "Version: " + _version(),
             "Summary: " + project["description"],
             "License: " + project["license"]["text"],
             "Requires-Python: " + project["requires-python"]]
    lines += ["Requires-Dist: " + d for d in project.get("dependencies", [])]
    return "\n".join(lines) + "\n"


def _tag():
    if sys.implementation.name != "cpython":
        raise RuntimeError("xcam_build: CPython only, not " + sys.implementation.name)
    python = "cp%d%d" % sys.version_info[:2]
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return "%s-%s%s-%s" % (python, python, sys.abiflags, platform)


def _dist_info():
    return "%s-%s.dist-info" % (PACKAGE, _version())


def _wheel_file(tag):
    return ("Wheel-Version: 1.0\nGenerator: xcam_build\nRoot-Is-Purelib: false\nTag: %s\n" % tag)


def _run(command):
    print("xcam_build: " + " ".join(command), flush=True)
    subprocess.run(command, check=True)


def _build_extension(build_dir):
    """Configures and builds python/CMakeLists.txt; returns the extension module's path."""
    if not shutil.which("cmake"):
        raise RuntimeError("xcam_build: cmake not found (Debian: scripts/install_deps.sh)")
    configure = ["cmake", "-S", str(SOURCE), "-B", str(build_dir),
                 "-DPython_EXECUTABLE=" + sys.executable, "-DCMAKE_BUILD_TYPE=Release"]
    if shutil.which("ninja") and not (Path(build_dir) / "CMakeCache.txt").exists():
        configure += ["-G", "Ninja"]
    _run(configure)
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
    _run(["cmake", "--build", str(build_dir), "--parallel", jobs])
    module = Path(build_dir) / PACKAGE / ("_xcam" + sysconfig.get_config_var("EXT_SUFFIX"))
    if not module.is_file():
        raise RuntimeError("xcam_build: the build did not produce " + str(module))
    return module


def _zip_info(name, executable):
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # reproducible: 1980 default
    info = zipfile.ZipInfo(name, time.gmtime(max(epoch, 315532800))[:6])
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def _write_wheel(wheel_directory, files, tag):
    """files: {name in the wheel: (bytes, executable)}; adds the dist-info and RECORD."""
    dist_info = _dist_info()
    files = dict(files)
    files[dist_info + "/METADATA"] = (_metadata().encode(), False)
    files[dist_info + "/WHEEL"] = (_wheel_file(tag).encode(), False)
    for notice in ("LICENSE", "NOTICE"):
        files[dist_info + "/" + notice] = ((ROOT / notice).read_bytes(), False)
    record = dist_info + "/RECORD"
    lines = [_record_line(name, data) for name, (data, _) in sorted(files.items())]
    files[record] = (("\n".join(lines + [record + ",,"]) + "\n").encode(), False)
    wheel_name = "%s-%s-%s.whl" % (PACKAGE, _version(), tag)
    with zipfile.ZipFile(Path(wheel_directory) / wheel_name, "w") as wheel:
        for name in sorted(files, key=lambda n: (n == record, n)):  # RECORD last
            data, executable = files[name]
            wheel.writestr(_zip_info(name, executable), data)
    return wheel_name


def _build_dir(config_settings):
    chosen = (config_settings or {}).get("build-dir") or os.environ.get("XCAM_PYTHON_BUILD_DIR")
    if chosen:
        return Path(chosen).resolve(), False
    return Path(tempfile.mkdtemp(prefix="xcam-py-")), True


# ---- PEP 517 hooks ------------------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    dist_info = Path(metadata_directory) / _dist_info()
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(_metadata())
    (dist_info / "WHEEL").write_text(_wheel_file(_tag()))
    return dist_info.name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    build_dir, temporary = _build_dir(config_settings)
    try:
        module = _build_extension(build_dir)
        files = {"%s/%s" % (PACKAGE, name): ((SOURCE / PACKAGE / name).read_bytes(), False)
                 for name in PURE_FILES}
        files["%s/%s" % (PACKAGE, module.name)] = (module.read_bytes(), True)
        return _write_wheel(wheel_directory, files, _tag())
    finally:
        if temporary:
            shutil.rmtree(build_dir, ignore_errors=True)
