"""No leak across 10,000 rounds of calls: the process's resident memory stays flat (each round
makes arrays in and out, a 4-D blob the model keeps, and an exception)."""
import gc
import os
import resource

import cv2
import numpy as np
import xcam
from conftest import DATA

ROUNDS = 10000


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024


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
    # A leaked 7x7 map, input reference or exception would be >= 200 bytes a round: >= 2 MB.
    assert end - start < 1024
