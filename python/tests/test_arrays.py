"""numpy <-> cv::Mat: no copies where a view is possible (the owner kept alive on both sides),
strided and read-only arrays, dtypes and shapes as cv2 reads them."""
import gc
import os
import sys

import cv2
import numpy as np
import pytest
import xcam
from conftest import DATA


@pytest.fixture
def model():
    m = xcam.CAMModel.create(os.path.join(DATA, "fashion_gapfc.onnx"))
    m.setInputParams(1 / 255.0, (28, 28), (0, 0, 0), False, False)
    return m


@pytest.fixture
def image():
    return cv2.imread(os.path.join(DATA, "images", "0_ankle_boot.png"), cv2.IMREAD_GRAYSCALE)


def test_input_blob_is_viewed_and_kept_alive(model, image):
    model.forward(image)
    blob = model.getInputBlob()
    before = sys.getrefcount(blob)
    model.forward(blob)  # a 4-D blob is used as is: the model keeps a view of this array
    assert sys.getrefcount(blob) == before + 1
    expected = blob.copy()
    del blob
    gc.collect()
    np.testing.assert_array_equal(model.getInputBlob(), expected)  # the array is still alive
    model.forward(image)  # the model lets it go
    assert model.getInputBlob().shape == expected.shape


def test_input_reference_released_after_calls(model, image):
    before = sys.getrefcount(image)
    for _ in range(100):
        model.classify(image, 2)
        xcam.applyCAMOverlay(image, np.ones((3, 3), np.float32))
    assert sys.getrefcount(image) == before


def test_outputs_are_views_of_the_cpp_result(model, image):
    ids, probs, maps = model.classify(image, 2)
    for m in maps:
        assert m.dtype == np.float32 and m.shape == (7, 7)
        assert not m.flags.owndata and m.base is not None  # no copy: the base owns the cv::Mat
        assert m.flags.writeable
        m[0, 0] = 1  # writable, and only this result changes
    assert model.getScores().shape == (1, 10)
    assert model.getFeatures().ndim == 4
    assert xcam.applyCAMOverlay(image, maps[0]).shape == (28, 28, 3)


def test_overlay_dst_is_written_in_place(image):
    cam = np.random.RandomState(1).rand(7, 7).astype(np.float32)
    colour = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    expected = xcam.applyCAMOverlay(colour, cam)
    dst = np.zeros_like(colour)
    out = xcam.applyCAMOverlay(colour, cam, dst)
    assert out is dst
    np.testing.assert_array_equal(dst, expected)
    small = np.zeros((5, 5, 3), np.uint8)  # wrong size: a new array, dst untouched
    out = xcam.applyCAMOverlay(colour, cam, small)
    assert out is not small and out.shape == colour.shape and not small.any()
    np.testing.assert_array_equal(xcam.applyCAMOverlay(colour, cam, colour), expected)  # in place


@pytest.mark.parametrize("view", ["strided", "roi", "fortran", "reversed_channels", "readonly"])
def test_any_layout_gives_the_contiguous_answer(view):
    photo = cv2.imread(os.path.join(DATA, "images", "0_ankle_boot.png"))
    photo = cv2.resize(photo, (56, 56))
    cam = np.random.RandomState(2).rand(7, 7).astype(np.float32)
    arrays = {
        "strided": lambda: photo[::2, ::2],
        "roi": lambda: photo[10:50, 5:45],
        "fortran": lambda: np.asfortranarray(photo),
        "reversed_channels": lambda: photo[..., ::-1],
        "readonly": lambda: np.frombuffer(photo.tobytes(), np.uint8).reshape(photo.shape),
    }
    a = arrays[view]()
    expected = xcam.applyCAMOverlay(np.ascontiguousarray(a), np.ascontiguousarray(cam[:, ::-1]))
    np.testing.assert_array_equal(xcam.applyCAMOverlay(a, cam[:, ::-1]), expected)


def test_uint8_float32_and_channels(model, image):
    _, probs8, maps8 = model.classify(image, 3)
    _, probs32, maps32 = model.classify(image.astype(np.float32), 3)
    np.testing.assert_allclose(probs32, probs8, rtol=0, atol=1e-6)
    for a, b in zip(maps32, maps8):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6 * max(1, np.abs(b).max()))
    bgra = cv2.cvtColor(image, cv2.COLOR_GRAY2BGRA)  # HxWx4 is a 4-channel image
    assert xcam.applyCAMOverlay(bgra, maps8[0]).shape == (28, 28, 3)
    assert xcam.applyCAMOverlay(image > 128, maps8[0]).shape == (28, 28, 3)  # bool is uint8
