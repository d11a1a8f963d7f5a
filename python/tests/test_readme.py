"""The README's Python example runs as printed (MobileNetV2 of ../shared, chelsea.png), prints
the top-3 the README quotes, and writes the picture the README shows (doc/images/
chelsea_python.jpg is that picture scaled to 2/3)."""
import os
import re
import subprocess
import sys

import cv2
import numpy as np
from conftest import MOBILENET, REPO, need_shared


def readme_example():
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        text = f.read()
    block = re.search(r"<!-- python-example -->\n```python\n(.*?)```\nprints `(.*?)`", text, re.S)
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
