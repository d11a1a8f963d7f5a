"""Every wrapped call against the C++ library's own answers (reference/xcam_reference.cpp, which
makes the same calls in C++) on the three demo models of samples/data and the MobileNetV2 of
../shared: the same classes, probabilities, maps, metrics and overlays (maps to 1e-6). The
detector calls: test_detector.py (the call-tracing test below runs both)."""
import contextlib
import os
import sys

import cv2
import numpy as np
import pytest
import xcam
from conftest import DATA, MOBILENET, assert_close, header_api, need_shared, run_reference

METHODS = [m.method for m in xcam.getCAMMethods()]  # every method of the table, as in C++
PARAMS = dict(batchSize=16, maxChannels=0, channelSoftmax=0, patchSize=0, stride=0, numMasks=64,
              gridSize=4, keepProbability=0.5, seed=3, reciproGaussian=0, closedForm=1,
              finerAlpha=0.8, finerClasses=2, kpcaKernel=xcam.CAM_KERNEL_SIGMOID, kpcaGamma=0.0)
INFO = ("method", "name", "aliases", "family", "needs", "manyForwards", "detectors", "description")
OVERLAY = dict(style=xcam.CAM_OVERLAY_BLEND, interpolation=cv2.INTER_LINEAR, threshold=0.1,
               alpha=0.3, colormap=cv2.COLORMAP_TURBO)


def demo_case(model, image, **changes):
    labels = os.path.join(DATA, "fashion_labels.txt")
    case = dict(model=os.path.join(DATA, model), config="", labels=labels, scale=1 / 255.0,
                width=28, height=28, mean=[0, 0, 0], swapRB=0, crop=0, feature="", fc="", bias=0,
                image=os.path.join(DATA, "images", image), grey=1, topK=3, classIds=[9, 5],
                params=dict(PARAMS), steps=8, box=[10, 10, 8, 8], tolerance=2,
                overlay=dict(OVERLAY),
                labelFile=labels)
    case.update(changes)
    return case


def mobilenet_case():
    onnx = need_shared("models", "mobilenet_v2_1.0_224_imagenet", "mobilenet_v2_1.0_224.onnx")
    labels = os.path.join(MOBILENET, "labels.txt")
    return demo_case(onnx, need_shared("images", "chelsea.png"), labels=labels, labelFile=labels,
                     scale=1 / 127.5, width=224, height=224, mean=[127.5] * 3, swapRB=1,
                     feature="Conv_1/Relu6", fc="logits", grey=0, classIds=[286, 283], steps=5,
                     box=[100, 60, 200, 200], tolerance=15,
                     params=dict(PARAMS, maxChannels=6, patchSize=74, stride=75, numMasks=16,
                                 gridSize=7, closedForm=0),
                     overlay=dict(OVERLAY, style=xcam.CAM_OVERLAY_SEED))


CASES = {
    "fashion_gapfc": lambda: demo_case("fashion_gapfc.onnx", "0_ankle_boot.png",
                                       bias=xcam.CAM_BIAS_SPREAD),
    "fashion_vgg": lambda: demo_case("fashion_vgg.onnx", "13_dress.png",
                                     params=dict(PARAMS, closedForm=0, reciproGaussian=1,
                                                 kpcaKernel=xcam.CAM_KERNEL_RBF, kpcaGamma=0.01,
                                                 keepProbability=0.3)),
    "fashion_classmap": lambda: demo_case("fashion_classmap.onnx", "8_sandal.png", crop=1,
                                          params=dict(PARAMS, channelSoftmax=1),
                                          overlay=dict(OVERLAY, style=xcam.CAM_OVERLAY_SEED,
                                                       interpolation=cv2.INTER_NEAREST)),
    "mobilenetv2": mobilenet_case,
}


def make_model(case):
    model = xcam.CAMModel.create(case["model"], case["config"])
    model.setInputParams(case["scale"], (case["width"], case["height"]), tuple(case["mean"]),
                         bool(case["swapRB"]), bool(case["crop"]))
    model.setLayers(case["feature"], case["fc"])
    model.setBiasMode(case["bias"])
    model.setLabels(xcam.readClassLabels(case["labels"]))
    return model


def with_fields(params, values):
    for key, value in values.items():
        setattr(params, key, type(getattr(params, key))(value))
    return params


def check_classify(case, model, image, ref):
    ids, probs, maps = model.classify(image, case["topK"])
    assert ids.dtype == np.int32 and probs.dtype == np.float32
    assert list(ids) == ref["ids"]
    assert_close(probs, ref["probs"], "probs")
    assert len(maps) == len(ref["maps"])
    for i, (m, r) in enumerate(zip(maps, ref["maps"])):
        assert m.dtype == np.float32
        assert_close(m, r, "classify map %d" % i)
    for getter in ("getScores", "getProbabilities", "getFeatures", "getFCWeights", "getFCBias",
                   "getInputBlob"):
        value, expected = getattr(model, getter)(), ref[getter]
        if expected is None:
            assert value is None, getter
        else:
            assert_close(value, expected, getter)
    for getter in ("getNumClasses", "getFeatureLayer", "getFCLayer", "getScoreLayer",
                   "getDefaultMethod", "getBiasMode"):
        assert getattr(model, getter)() == ref[getter], getter
    assert model.isClassMapMode() == bool(ref["isClassMapMode"])
    assert model.getLabel(int(ids[0])) == ref["getLabel"]
    assert model.getHeadLayers() == (ref["getHeadLayers"] or [])
    top_ids, top_probs = model.getTopK(2)
    assert list(top_ids) == ref["topKIds"]
    assert_close(top_probs, ref["topKProbs"], "getTopK")
    assert_close(model.getCAM(int(ids[-1])), ref["getCAM"], "getCAM")
    for m, r in zip(model.getCAMs(list(ids)), ref["getCAMs"]):
        assert_close(m, r, "getCAMs")
    assert [int(model.supportsMethod(m)) for m in METHODS] == ref["supports"]


def check_explain(case, model, image, ref):
    params = with_fields(xcam.CAMMethodParams(), case["params"])
    model.forward(image)
    explained = set()
    for method in METHODS:
        if not model.supportsMethod(method):
            continue
        key = "explain_%d" % method
        maps = model.explain(image, method, case["classIds"], params)
        assert len(maps) == len(ref[key]) == len(case["classIds"])
        for m, r in zip(maps, ref[key]):
            assert_close(m, r, key)
        explained.add(key)
    assert explained == {k for k in ref if k.startswith("explain_") and k != "explain_default"}
    assert_close(model.explain(image, xcam.CAM_METHOD_EIGENCAM)[0], ref["explain_default"][0],
                 "explain with the default classes and params")


def check_method_table(case, ref):
    methods = xcam.getCAMMethods()
    assert [xcam.getCAMMethodName(m) for m in METHODS] == ref["getCAMMethodName"]
    assert [m.name for m in methods] == ref["getCAMMethodName"]
    assert [m.family for m in methods] == ref["families"]
    assert [m.description for m in methods] == ref["descriptions"]
    assert [m.aliases[0] if m.aliases else "" for m in methods] == ref["firstAliases"]
    assert [m.needs for m in methods] == ref["needs"]
    assert [int(m.manyForwards) for m in methods] == ref["manyForwards"]
    assert [int(m.detectors) for m in methods] == ref["detectors"]
    assert xcam.getCAMMethodInfo(xcam.CAM_METHOD_RISE).name == ref["riseInfoName"]
    assert [xcam.parseCAMMethod(n) for n in ("Grad-CAM++", "gradcampp", "SCORE_CAM", "rise",
                                              "KPCA_CAM")] == ref["parseCAMMethod"]
    params = with_fields(xcam.CAMMethodParams(), case["params"])
    np.testing.assert_array_equal(xcam.generateRISEMasks((9, 7), params, 3, 5),
                                  ref["generateRISEMasks"])


def check_functions(case, model, image, ref):
    ids, _, maps = model.classify(image, 1)
    c, cam = int(ids[0]), maps[0]
    assert_close(xcam.computeCAM(model.getFeatures(), model.getFCWeights(), c), ref["computeCAM"],
                 "computeCAM")
    blob = model.getInputBlob()
    assert_close(model.forwardBatch(np.concatenate([blob, blob * 0.5]), 1), ref["forwardBatch"],
                 "forwardBatch")
    assert_close(xcam.deletionAUC(model, image, cam, c, case["steps"]), ref["deletionAUC"],
                 "deletionAUC")
    assert_close(xcam.insertionAUC(model, image, cam, c, steps=case["steps"], batchSize=4),
                 ref["insertionAUC"], "insertionAUC")
    drop, increase = xcam.confidenceChange(model, image, cam, c)
    assert_close(drop, ref["drop"], "confidenceChange drop")
    assert increase == bool(ref["increase"])
    hit = xcam.pointingGame(cam, (image.shape[1], image.shape[0]), tuple(case["box"]),
                            case["tolerance"])
    assert hit == bool(ref["pointingGame"])
    assert xcam.readClassLabels(case["labelFile"]) == ref["labels"]
    check_method_table(case, ref)
    overlay = xcam.applyCAMOverlay(image, cam, params=with_fields(xcam.CAMOverlayParams(),
                                                                  case["overlay"]))
    np.testing.assert_array_equal(overlay, ref["overlay"])
    np.testing.assert_array_equal(xcam.applyCAMOverlay(image, cam), ref["overlayDefault"])


def check_case(case, ref):
    model = make_model(case)
    image = cv2.imread(case["image"], cv2.IMREAD_GRAYSCALE if case["grey"] else cv2.IMREAD_COLOR)
    check_classify(case, model, image, ref)
    check_explain(case, model, image, ref)
    check_functions(case, model, image, ref)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_cpp(name, reference_exe, tmp_path):
    case = CASES[name]()
    check_case(case, run_reference(reference_exe, case, tmp_path))


@contextlib.contextmanager
def recording_calls():
    """The names of the pybind11 functions called inside the block (sys.setprofile's c_call:
    pybind11 functions are builtins whose __self__ is their record's capsule)."""
    called = set()

    def profile(frame, event, arg):
        if event == "c_call" and type(getattr(arg, "__self__", None)).__name__ == "PyCapsule":
            called.add(arg.__name__)
    sys.setprofile(profile)
    try:
        yield called
    finally:
        sys.setprofile(None)


def test_every_wrapped_call_is_compared(reference_exe, tmp_path):
    """The demo cases (classifiers and the demo detector) call every function and method of the
    headers (so a new one fails here until the reference program and check_case or
    check_detector_case compare it), and set every parameter field."""
    from test_detector import DETECTOR_CASES, FIELDS, check_detector_case
    with recording_calls() as called:
        for name in ("fashion_gapfc", "fashion_vgg", "fashion_classmap"):
            (tmp_path / name).mkdir()
            case = CASES[name]()
            check_case(case, run_reference(reference_exe, case, tmp_path / name))
        (tmp_path / "detector").mkdir()
        case = DETECTOR_CASES["detector_yolov5"]()
        check_detector_case(case, run_reference(reference_exe, case, tmp_path / "detector",
                                                mode="--detector"))
    entries = header_api()
    calls = {e.name for e in entries if e.kind in ("function", "method")}
    calls.discard("getNet")  # returns a cv2 object: test_cv2_interop.py
    assert calls - called == set()
    fields = {e.scope: set() for e in entries if e.kind == "field"}
    for e in entries:
        if e.kind == "field":
            fields[e.scope].add(e.name)
    assert fields == {"CAMMethodParams": set(PARAMS), "CAMOverlayParams": set(OVERLAY),
                      "CAMMethodInfo": set(INFO), "Detection": set(FIELDS)}
