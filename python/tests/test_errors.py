"""Bad input raises xcam.error (a RuntimeError) carrying OpenCV's own message: the same code,
text and function as the C++ library gives for the same call (reference program, --errors),
and str() formatted as cv::Exception::what(). Python-level mistakes are TypeErrors."""
import os

import cv2
import numpy as np
import pytest
import xcam
from conftest import DATA, run_reference
from test_reference import CASES, make_model


def error_cases(model, image):
    """The bad calls of errorCases() in reference/xcam_reference.cpp, by the same names."""
    activations = np.ones((1, 2, 2, 3), np.float32)
    weights = np.ones((2, 2), np.float32)
    nan_map = np.zeros((7, 7), np.float32)
    nan_map[3, 3] = np.nan
    return {
        "computeCAM_classId": lambda: xcam.computeCAM(activations, weights, 2),
        "parseCAMMethod": lambda: xcam.parseCAMMethod("nope"),
        "getCAMMethodName": lambda: xcam.getCAMMethodName(99),
        "create_missing": lambda: xcam.CAMModel.create("/nonexistent/model.onnx"),
        "getCAM_before_forward": lambda: model.getCAM(0),
        "classify_empty": lambda: model.classify(np.zeros((0, 0), np.uint8), 3),
        "explain_classId": lambda: model.explain(image, xcam.CAM_METHOD_GRADCAM, [100000]),
        "explain_method": lambda: model.explain(image, 99, []),
        "setBiasMode": lambda: model.setBiasMode(7),
        "overlay_depth": lambda: xcam.applyCAMOverlay(image.astype(np.float32), nan_map * 0),
        "overlay_nan": lambda: xcam.applyCAMOverlay(image, nan_map),
        "readClassLabels": lambda: xcam.readClassLabels("/nonexistent/labels.txt"),
        "deletionAUC_steps": lambda: xcam.deletionAUC(model, image, nan_map * 0, 0, 0),
        "forwardBatch_2d": lambda: model.forwardBatch(weights),
        "pointingGame_nan": lambda: xcam.pointingGame(nan_map, (10, 10), (0, 0, 5, 5)),
        "setLayers_unknown": lambda: (model.setLayers("no_such_layer"), model.forward(image)),
    }


def test_errors_carry_opencv_message(reference_exe, tmp_path):
    case = CASES["fashion_gapfc"]()
    expected = run_reference(reference_exe, case, tmp_path, errors=True)
    model = make_model(case)
    image = cv2.imread(case["image"], cv2.IMREAD_GRAYSCALE)
    cases = error_cases(model, image)
    assert set(cases) == set(expected)
    for name, call in cases.items():  # in the C++ program's order (getCAM before any forward)
        with pytest.raises(xcam.error) as info:
            call()
        e, ref = info.value, expected[name]
        assert isinstance(e, RuntimeError)
        assert (e.code, e.err, e.func) == (ref["code"], ref["err"], ref["func"]), name
        # str() is cv::Exception::what(): OpenCV's message, file and line included.
        assert str(e) == e.msg
        assert str(e).startswith("OpenCV(%s) %s:%d: error: (%d:" % (cv2.__version__, e.file,
                                                                     e.line, e.code)), name
        assert str(e).rstrip().endswith(") %s in function '%s'" % (e.err, e.func)), name


def test_python_mistakes_are_type_errors():
    model = xcam.CAMModel.create(os.path.join(DATA, "fashion_gapfc.onnx"))
    with pytest.raises(TypeError, match="dtype int64 are not supported"):
        model.forward(np.zeros((28, 28), np.int64))
    with pytest.raises(TypeError):
        model.setInputParams(1.0, (28,), (0, 0, 0))  # a size needs (w, h)
    with pytest.raises(TypeError):
        model.setInputParams(1.0, (28, 28), 127.5)  # cv2 would read it as (127.5, 0, 0, 0)
    with pytest.raises(TypeError):
        model.classify([[1, 2], [3, 4]], 1)  # arrays only, no lists
    with pytest.raises(TypeError, match="No constructor"):
        xcam.CAMModel()
    with pytest.raises(TypeError):
        xcam.CAMModel.create(object())  # neither a path nor a cv2.dnn.Net
