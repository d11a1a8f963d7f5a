"""The detector API (detection.hpp) against the C++ library's own answers (reference program,
--detector, making the same calls): raw outputs decoded, detect, getFeatureLayer, explain with
Eigen-CAM, occlusion and D-RISE (few masks), explain with no targets, getLastDetections, the
detector deletionAUC and insertionAUC (metrics.hpp), detectionSimilarity and the format names, on the demo detector (samples/data/detector, YOLOv5 and
YOLOv8 layouts) and on BlazeFace of ../shared, decoded by a Python decoder (numpy, after
samples/blazeface_decoder.hpp) that must give the C++ sample decoder's proposals. Then the bad
calls (same code, text and function as C++) and the Python decoder's errors."""
import os

import cv2
import numpy as np
import pytest
import xcam
from conftest import DATA, assert_close, need_shared, run_reference
from test_reference import PARAMS, with_fields

DETECTOR = os.path.join(DATA, "detector")
METHODS = [xcam.CAM_METHOD_EIGENCAM, xcam.CAM_METHOD_OCCLUSION, xcam.CAM_METHOD_RISE]
FIELDS = ("box", "classId", "score", "objectness", "classProbs")


def demo_detector_case(model="detector_yolov5.onnx", image="scene_000.png", **changes):
    case = dict(model=os.path.join(DETECTOR, model), scale=1 / 255.0, width=128, height=128,
                mean=[0, 0, 0], swapRB=0, nhwc=0, format="yolov5", scoreThreshold=0.25,
                nmsThreshold=0.45, feature="", image=os.path.join(DETECTOR, image), targets=3,
                methods=METHODS, params=dict(PARAMS, numMasks=48, gridSize=16, batchSize=8,
                                             patchSize=32, stride=16))
    case.update(changes)
    return case


def blazeface_case():
    onnx = need_shared("models", "blazeface_front_128", "blazeface_front_128.onnx")
    return demo_detector_case(onnx, need_shared("images", "astronaut.png"), scale=1 / 127.5,
                              mean=[127.5] * 3, swapRB=1, nhwc=1, format="blazeface",
                              scoreThreshold=0.5, nmsThreshold=0.3, targets=1,
                              params=dict(PARAMS, numMasks=24, gridSize=16, batchSize=4,
                                          patchSize=64, stride=32))


DETECTOR_CASES = {
    "detector_yolov5": demo_detector_case,
    "detector_yolov8": lambda: demo_detector_case("detector_yolov8.onnx", "scene_001.png",
                                                  format="YOLOv8", feature="features/relu",
                                                  targets=2),
    "blazeface": blazeface_case,
}


def blazeface_anchors():
    """Anchor centres as samples/blazeface_decoder.hpp: 16x16 cells x 2, then 8x8 cells x 6."""
    centres = []
    for cells, per_cell in ((16, 2), (8, 6)):
        y, x = np.mgrid[0:cells, 0:cells]
        cell = np.stack([(x + 0.5) / cells, (y + 0.5) / cells], -1).reshape(-1, 1, 2)
        centres.append(np.repeat(cell, per_cell, axis=1).reshape(-1, 2))
    return np.concatenate(centres).astype(np.float32)


ANCHORS = blazeface_anchors()


def blazeface_decoder(outputs, image_size):
    """BlazeFace's raw outputs -> every proposal, in float32 as the C++ sample decoder."""
    assert len(outputs) == 4 and all(o.dtype == np.float32 for o in outputs)
    logits = np.concatenate([outputs[0].reshape(-1), outputs[1].reshape(-1)])
    r = np.concatenate([outputs[2].reshape(-1, 16), outputs[3].reshape(-1, 16)])
    side = np.float32(128)
    cx, cy = ANCHORS[:, 0] + r[:, 0] / side, ANCHORS[:, 1] + r[:, 1] / side
    bw, bh = r[:, 2] / side, r[:, 3] / side
    w, h = np.float32(image_size[0]), np.float32(image_size[1])
    x0, y0 = (cx - bw / np.float32(2)) * w, (cy - bh / np.float32(2)) * h
    with np.errstate(over="ignore"):  # exp(large) = inf: score 0, as in C++
        score = np.float32(1) / (np.float32(1) + np.exp(-logits))
    return [xcam.Detection(box=(x0[i], y0[i], bw[i] * w, bh[i] * h), classId=0, score=score[i],
                           objectness=score[i]) for i in range(len(logits))]


def detection_rows(detections):
    """Detections as the reference program writes them: x, y, w, h, classId, score,
    objectness, classProbs..."""
    return np.array([list(d.box) + [d.classId, d.score, d.objectness] + list(d.classProbs)
                     for d in detections], np.float32)


def make_detector(case):
    model = xcam.DetectorModel.create(case["model"])
    model.setInputParams(case["scale"], (case["width"], case["height"]), tuple(case["mean"]),
                         bool(case["swapRB"]))
    model.setInputNHWC(bool(case["nhwc"]))
    if case["format"] == "blazeface":
        model.setDecoder(blazeface_decoder)
    else:
        model.setFormat(xcam.parseDetectionFormat(case["format"]))
    model.setThresholds(case["scoreThreshold"], case["nmsThreshold"])
    model.setFeatureLayer(case["feature"])
    return model


def raw_proposals(case, model, image):
    """The net's outputs for the image (cv2's blob, the shared cv2.dnn.Net), decoded."""
    size = (case["width"], case["height"])
    blob = cv2.dnn.blobFromImage(image, case["scale"], size, tuple(case["mean"]),
                                 bool(case["swapRB"]), False)
    if case["nhwc"]:
        blob = np.ascontiguousarray(blob.transpose(0, 2, 3, 1))
    net = model.getNet()
    net.setInput(blob)
    outs = list(net.forward(net.getUnconnectedOutLayersNames()))
    image_size = (image.shape[1], image.shape[0])
    if case["format"] == "blazeface":
        return blazeface_decoder(outs, image_size)
    return xcam.decodeDetections(outs, xcam.parseDetectionFormat(case["format"]), size,
                                 image_size)


def check_maps(maps, expected, image, what):
    assert len(maps) == len(expected), what
    for m, r in zip(maps, expected):
        assert m.dtype == np.float32 and m.shape == image.shape[:2], what
        assert_close(m, r, what)


def check_detector_case(case, ref):
    model = make_detector(case)
    image = cv2.imread(case["image"], cv2.IMREAD_COLOR)
    assert_close(detection_rows(raw_proposals(case, model, image)), ref["proposals"],
                 "proposals")
    assert model.getFeatureLayer() == ref["featureLayerBefore"]
    detections = model.detect(image)
    assert_close(detection_rows(detections), ref["detections"], "detect")
    assert model.getFeatureLayer() == ref["featureLayer"]
    targets = detections[:case["targets"]]
    params = with_fields(xcam.CAMMethodParams(), case["params"])
    for method in case["methods"]:
        key = "explain_%d" % method
        check_maps(model.explain(image, targets, method, params), ref[key], image, key)
    maps = model.explain(image, [], xcam.CAM_METHOD_EIGENCAM)
    check_maps(maps, ref["explain_auto"], image, "explain with no targets")
    last = model.getLastDetections()
    assert_close(detection_rows(last), ref["lastDetections"], "getLastDetections")
    assert_close(xcam.deletionAUC(model, image, maps[0], last[0], 5, 4), ref["deletionAUC"],
                 "detector deletionAUC")
    assert_close(xcam.insertionAUC(model, image, maps[0], target=last[0], steps=5, batchSize=4),
                 ref["insertionAUC"], "detector insertionAUC")
    similarity = [[xcam.detectionSimilarity(t, p) for p in targets] for t in targets]
    assert_close(np.array(similarity, np.float32).reshape(len(targets), -1),
                 ref["detectionSimilarity"], "detectionSimilarity")
    formats = (xcam.DETECTION_YOLOV5, xcam.DETECTION_YOLOV8, xcam.DETECTION_SSD)
    assert [xcam.getDetectionFormatName(f) for f in formats] == ref["getDetectionFormatName"]
    assert [xcam.parseDetectionFormat(n) for n in ("YOLOv5", "yolov8", "SSD")] == \
        ref["parseDetectionFormat"]


@pytest.mark.parametrize("name", sorted(DETECTOR_CASES))
def test_detector_matches_cpp(name, reference_exe, tmp_path):
    case = DETECTOR_CASES[name]()
    check_detector_case(case, run_reference(reference_exe, case, tmp_path, mode="--detector"))


def test_blazeface_python_decoder_finds_the_readme_face():
    """The face the detector README gives for astronaut.png (numpy over cv2.dnn, not xcam)."""
    model = make_detector(blazeface_case())
    faces = model.detect(cv2.imread(need_shared("images", "astronaut.png")))
    assert len(faces) == 1
    assert faces[0].classId == 0 and faces[0].classProbs == []
    assert abs(faces[0].score - 0.921) < 0.001 and faces[0].objectness == faces[0].score
    np.testing.assert_allclose(faces[0].box, (178.7, 82.3, 92.5, 92.5), atol=0.051)


def test_detection_fields():
    d = xcam.Detection()
    assert (d.box, d.classId, d.score, d.objectness, d.classProbs) == ((0, 0, 0, 0), -1, 0, 1, [])
    d.box, d.classProbs = np.array([1.5, 2, 3, 4], np.float32), np.array([0.25, 0.75], np.float32)
    assert d.box == (1.5, 2, 3, 4) and d.classProbs == [0.25, 0.75]
    d = xcam.Detection(box=(1, 2, 3, 4), classId=1, score=0.5, objectness=0.5,
                       classProbs=[0.25, 0.75])
    same = xcam.Detection((1, 2, 3, 4), 1, 0.5, 1.0, [0.5, 1.5])
    assert xcam.detectionSimilarity(d, same) == pytest.approx(1.0)  # IoU 1, cos 1, objectness 1
    with pytest.raises(TypeError):
        d.box = (1, 2, 3)


def detector_error_cases(model, image):
    """The bad calls of detectorErrorCases() in reference/detector_reference.cpp."""
    return {
        "parseDetectionFormat": lambda: xcam.parseDetectionFormat("yolov99"),
        "getDetectionFormatName": lambda: xcam.getDetectionFormatName(7),
        "setFormat": lambda: model.setFormat(9),
        "setThresholds": lambda: model.setThresholds(2, 0.5),
        "explain_method": lambda: model.explain(image, [], xcam.CAM_METHOD_GRADCAM),
        "detect_empty": lambda: model.detect(np.zeros((0, 0, 3), np.uint8)),
        "no_decoder": lambda: xcam.DetectorModel.create(model.getNet()).detect(image),
        "create_missing": lambda: xcam.DetectorModel.create("/nonexistent/detector.onnx"),
    }


def test_detector_errors_carry_opencv_message(reference_exe, tmp_path):
    case = demo_detector_case(methods=[])
    expected = run_reference(reference_exe, case, tmp_path, mode="--detector")["errors"]
    model = make_detector(case)
    cases = detector_error_cases(model, cv2.imread(case["image"]))
    assert set(cases) == set(expected)
    for name, call in cases.items():
        with pytest.raises(xcam.error) as info:
            call()
        e, ref = info.value, expected[name]
        assert (e.code, e.err, e.func) == (ref["code"], ref["err"], ref["func"]), name
    assert "eigencam, occlusion, rise" in expected["explain_method"]["err"]  # the ones that work


def test_decoder_exceptions_propagate():
    case = demo_detector_case()
    model = make_detector(case)
    image = cv2.imread(case["image"])
    expected = detection_rows(model.detect(image))
    calls = []

    def failing(outputs, image_size):
        calls.append(image_size)
        if len(calls) == 3:  # a masked input of D-RISE, not the first forward pass
            raise ValueError("decoder failed on purpose")
        return xcam.decodeDetections(outputs, xcam.DETECTION_YOLOV5, (128, 128), image_size)
    model.setDecoder(failing)
    params = xcam.CAMMethodParams()
    params.numMasks, params.batchSize = 8, 1
    with pytest.raises(ValueError, match="decoder failed on purpose") as info:
        model.explain(image, [], xcam.CAM_METHOD_RISE, params)
    assert "DetectorModel.setDecoder, during explain()" in info.value.__notes__[0]
    assert calls[0] == (128, 128)
    model.setDecoder(lambda outputs, image_size: outputs)  # arrays, not detections
    with pytest.raises(TypeError, match="list of xcam.Detection, got list"):
        model.detect(image)
    model.setDecoder(lambda outputs, image_size: None)
    with pytest.raises(TypeError, match="got NoneType"):
        model.detect(image)
    model.setDecoder(lambda outputs, image_size: [xcam.Detection((0, 0, float("nan"), 1))])
    with pytest.raises(xcam.error, match="proposals"):  # the C++ library's checks still apply
        model.detect(image)
    model.setFormat(xcam.DETECTION_YOLOV5)  # the model still works
    assert_close(detection_rows(model.detect(image)), expected, "detect after errors")
