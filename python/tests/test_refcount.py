"""No leak across 10,000 rounds of calls: the process's resident memory stays flat (each round
makes arrays in and out, a 4-D blob the model keeps, and an exception; a detector round: a
Python decoder set, called and replaced, and one that raises)."""
import gc
import os
import resource
import sys

import cv2
import numpy as np
import xcam
from conftest import DATA

ROUNDS = 10000


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024


def rss_growth_kib(one_round):
    """How much the resident memory grows over ROUNDS calls of one_round (after a warm-up)."""
    for _ in range(1000):  # warm-up: allocator pools, OpenCV's and numpy's caches
        one_round()
    gc.collect()
    start = rss_kib()
    for _ in range(ROUNDS):
        one_round()
    gc.collect()
    end = rss_kib()
    print("\nRSS after 1,000 warm-up rounds: %d KiB; after %d more: %d KiB (%+d KiB, %.1f bytes "
          "per round)" % (start, ROUNDS, end, end - start, (end - start) * 1024.0 / ROUNDS))
    return end - start


def test_rss_flat_over_10000_rounds():
    model = xcam.CAMModel.create(os.path.join(DATA, "fashion_gapfc.onnx"))
    model.setInputParams(1 / 255.0, (28, 28), (0, 0, 0), False, False)
    image = cv2.imread(os.path.join(DATA, "images", "0_ankle_boot.png"), cv2.IMREAD_GRAYSCALE)
    model.forward(image)
    blob = model.getInputBlob()
    params = xcam.CAMOverlayParams()

    def one_round():
        ids, probs, maps = model.classify(image, 3)
        model.explain(image, xcam.CAM_METHOD_GRADCAM, [int(ids[0])])
        xcam.applyCAMOverlay(image, maps[0], params=params)
        model.forward(blob)  # the model holds the array until the next forward
        model.getFeatures()
        try:
            model.getCAM(99)
        except xcam.error:
            pass

    # A leaked 7x7 map, input reference or exception would be >= 200 bytes a round: >= 2 MB.
    assert rss_growth_kib(one_round) < 1024


def test_python_decoder_released():
    """The model holds one reference to its Python decoder, dropped when the decoder is replaced
    (inside a call that released the GIL) or the model goes; the arrays it got are its own."""
    model = xcam.DetectorModel.create(os.path.join(DATA, "detector", "detector_yolov5.onnx"))
    model.setInputParams(1 / 255.0, (128, 128))
    image = cv2.imread(os.path.join(DATA, "detector", "scene_000.png"))
    kept = []

    def decoder(outputs, image_size):
        kept.append(outputs[0])
        return xcam.decodeDetections(outputs, xcam.DETECTION_YOLOV5, (128, 128), image_size)
    before = sys.getrefcount(decoder)
    model.setDecoder(decoder)
    assert sys.getrefcount(decoder) == before + 1
    model.detect(image)
    model.detect(image)
    assert kept[0] is not kept[1] and np.array_equal(kept[0], kept[1])  # copies, not the net's
    model.setFormat(xcam.DETECTION_YOLOV5)
    assert sys.getrefcount(decoder) == before
    model.setDecoder(decoder)
    del model
    gc.collect()
    assert sys.getrefcount(decoder) == before


def test_rss_flat_over_10000_detector_rounds():
    model = xcam.DetectorModel.create(os.path.join(DATA, "detector", "detector_yolov5.onnx"))
    model.setInputParams(1 / 255.0, (128, 128))
    image = cv2.imread(os.path.join(DATA, "detector", "scene_000.png"))

    def decoder(outputs, image_size):
        return xcam.decodeDetections(outputs, xcam.DETECTION_YOLOV5, (128, 128), image_size)

    def failing(outputs, image_size):
        raise ValueError("on purpose")

    def one_round():
        model.setDecoder(decoder)  # a new C++ decoder each round; the last one dropped
        detections = model.detect(image)
        xcam.detectionSimilarity(detections[0], detections[1])
        model.setDecoder(failing)
        try:
            model.detect(image)
        except ValueError:
            pass

    # A leaked output array (15 KB), decoder, exception or Detection list: >= 1 MB.
    assert rss_growth_kib(one_round) < 1024
