"""xcam beside Debian's cv2 in one process: the same OpenCV libraries, cv2.imread -> xcam ->
cv2.imwrite, and cv2.dnn.Net objects passed both ways (a shared network handle)."""
import os

import cv2
import numpy as np
import xcam
from conftest import DATA


def mapped_libraries(name):
    with open("/proc/self/maps") as f:
        return {line.split()[-1] for line in f if name in line.split()[-1]}


def test_one_opencv_in_the_process():
    cv2.setNumThreads(cv2.getNumThreads())  # cv2 loaded and used
    xcam.getCAMMethodName(0)  # xcam loaded
    for library in ("libopencv_core.so", "libopencv_dnn.so", "libopencv_imgproc.so"):
        files = mapped_libraries(library)
        assert len(files) == 1, files  # one copy, shared by cv2 and xcam
    extension = [f for f in mapped_libraries("_xcam.") if f.endswith(".so")]
    assert len(extension) == 1
    assert not mapped_libraries("libopencv_xcam")  # the C++ library is inside the extension


def test_imread_explain_overlay_imwrite(tmp_path):
    image = cv2.imread(os.path.join(DATA, "images", "9_sneaker.png"))  # BGR, HxWx3 uint8
    model = xcam.CAMModel.create(os.path.join(DATA, "fashion_gapfc.onnx"))
    model.setInputParams(1 / 255.0, (28, 28), (0, 0, 0), False, False)
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    ids, probs, maps = model.classify(grey, 3)
    assert ids[0] == 7 and probs[0] > 0.5  # 7: Sneaker
    overlay = xcam.applyCAMOverlay(cv2.resize(image, (112, 112)), maps[0])
    path = str(tmp_path / "overlay.png")
    assert cv2.imwrite(path, overlay)
    np.testing.assert_array_equal(cv2.imread(path), overlay)


def test_cv2_net_in_and_out():
    path = os.path.join(DATA, "fashion_gapfc.onnx")
    image = cv2.imread(os.path.join(DATA, "images", "0_ankle_boot.png"), cv2.IMREAD_GRAYSCALE)
    net = cv2.dnn.readNet(path)
    from_net, from_path = xcam.CAMModel.create(net), xcam.CAMModel.create(path)
    for model in (from_net, from_path):
        model.setInputParams(1 / 255.0, (28, 28), (0, 0, 0), False, False)
    a, b = from_net.classify(image, 2), from_path.classify(image, 2)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[2][0], b[2][0])
    shared = from_net.getNet()
    assert isinstance(shared, cv2.dnn.Net)
    assert from_net.getFeatureLayer() in shared.getLayerNames()
    # One network: a layer output cv2 computes through the handle xcam returns is the blob xcam
    # keeps, and the handle cv2 gave xcam is that same network.
    shared.setInput(from_net.getInputBlob())
    features = shared.forward(from_net.getFeatureLayer())
    np.testing.assert_allclose(features, from_net.getFeatures(), rtol=0, atol=1e-6)
    net.setInput(np.zeros_like(from_net.getInputBlob()))
    zeros = shared.forward(from_net.getFeatureLayer())  # the input set through `net`
    assert not np.allclose(zeros, features)
