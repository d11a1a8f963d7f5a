"""The README's Python examples run as printed: the classifier's (MobileNetV2 of ../shared,
chelsea.png) prints the top-3 the README quotes and writes the picture the README shows
(doc/images/chelsea_python.jpg is that picture scaled to 2/3); the detector's (the demo detector of
samples/data/detector) prints the detections the README quotes and writes one D-RISE overlay per
detection, each map peaking inside its box."""
import os
import re
import subprocess
import sys

import cv2
import numpy as np
from conftest import MOBILENET, REPO, need_shared


def readme_example(marker="python-example"):
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        text = f.read()
    block = re.search(r"<!-- %s -->\n```python\n(.*?)```\nprints `(.*?)`" % marker, text, re.S)
    return block.group(1), block.group(2)


def test_readme_example(tmp_path):
    need_shared("models", "mobilenet_v2_1.0_224_imagenet", "mobilenet_v2_1.0_224.onnx")
    for name, path in (("mobilenet_v2_1.0_224.onnx", MOBILENET), ("labels.txt", MOBILENET),
                       ("chelsea.png", need_shared("images"))):
        os.symlink(os.path.join(path, name), str(tmp_path / name))
    code, printed = readme_example()
    (tmp_path / "example.py").write_text(code)
    run = subprocess.run([sys.executable, "example.py"], cwd=str(tmp_path), check=True,
                         capture_output=True, text=True)
    assert run.stdout.strip() == printed
    picture = cv2.imread(str(tmp_path / "chelsea_xcam.jpg"))
    shown = cv2.imread(os.path.join(REPO, "doc", "images", "chelsea_python.jpg"))
    assert picture.shape == (300, 3 * 451, 3)
    scaled = cv2.resize(picture, (shown.shape[1], shown.shape[0]), interpolation=cv2.INTER_AREA)
    assert np.abs(scaled.astype(int) - shown).mean() < 3  # the same picture, JPEG apart


def test_readme_detector_example(tmp_path):
    os.symlink(os.path.join(REPO, "samples"), str(tmp_path / "samples"))
    code, printed = readme_example("python-detector-example")
    keep = "\nimport numpy\nnumpy.save('maps.npy', maps)\nnumpy.save('boxes.npy', " \
           "[d.box for d in detections])\n"  # what the example computed, to check it
    (tmp_path / "example.py").write_text(code + keep)
    run = subprocess.run([sys.executable, "example.py"], cwd=str(tmp_path), check=True,
                         capture_output=True, text=True)
    assert run.stdout.strip() == printed
    maps, boxes = np.load(str(tmp_path / "maps.npy")), np.load(str(tmp_path / "boxes.npy"))
    assert maps.shape == (len(boxes), 128, 128) and len(boxes) > 0
    picture = cv2.imread(str(tmp_path / "scene_drise.png"))
    assert picture.shape == (128, 128 * len(boxes), 3)
    for m, (x, y, w, h) in zip(maps, boxes):
        py, px = np.unravel_index(np.argmax(m), m.shape)
        assert x <= px <= x + w and y <= py <= y + h  # D-RISE points at the detection
