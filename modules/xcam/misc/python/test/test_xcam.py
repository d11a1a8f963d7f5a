#!/usr/bin/env python
"""cv2.xcam through the Python bindings (run by OpenCV's python test runner, or directly with
tests_common on sys.path). Real-model checks read XCAM_SHARED (default: ../shared beside the
repository) and skip without it."""
import os
import unittest

import numpy as np
import cv2 as cv

from tests_common import NewOpenCVTests

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("XCAM_SHARED", os.path.join(HERE, "..", "..", "..", "..", "..", "..", "shared"))
MOBILENET = os.path.join(SHARED, "models", "mobilenet_v2_1.0_224_imagenet")
BLAZEFACE = os.path.join(SHARED, "models", "blazeface_front_128", "blazeface_front_128.onnx")
DATA = os.path.join(HERE, "..", "..", "..", "..", "..", "samples", "data")  # the repository's demo data


def mobilenet_and_chelsea():
    """The real MobileNetV2 with its README's preprocessing, and chelsea.png."""
    onnx = os.path.join(MOBILENET, "mobilenet_v2_1.0_224.onnx")
    model = cv.xcam.CAMModel_create(onnx)
    model.setInputParams(1 / 127.5, (224, 224), (127.5, 127.5, 127.5), True, False)
    return onnx, cv.imread(os.path.join(SHARED, "images", "chelsea.png")), model


class xcam_test(NewOpenCVTests):

    def test_computeCAM_known_answer(self):
        # Two 2x3 channels, A0 = [1 2 3; 4 5 6], A1 = [0 1 0; 1 0 1]; class 1 weighs them (2, -3).
        a = np.array([1, 2, 3, 4, 5, 6, 0, 1, 0, 1, 0, 1], np.float32).reshape(1, 2, 2, 3)
        w = np.array([[1, 1], [2, -3]], np.float32)
        cam = cv.xcam.computeCAM(a, w, 1)
        self.assertEqual(cam.shape, (2, 3))
        np.testing.assert_array_equal(cam, np.array([[2, 1, 6], [5, 10, 9]], np.float32))
        np.testing.assert_array_equal(cv.xcam.computeCAM(a, None, 1), a[0, 1])  # class-map mode
        with self.assertRaises(cv.error):
            cv.xcam.computeCAM(a, w, 2)

    def test_overlay_params_and_shape(self):
        p = cv.xcam.CAMOverlayParams()
        self.assertEqual(p.style, cv.xcam.CAM_OVERLAY_SEED)
        self.assertAlmostEqual(p.threshold, 0.2, places=6)
        image = np.full((48, 64, 3), 100, np.uint8)
        cam = np.random.RandomState(0).rand(7, 7).astype(np.float32)
        out = cv.xcam.applyCAMOverlay(image, cam)
        self.assertEqual(out.shape, (48, 64, 3))
        self.assertEqual(out.dtype, np.uint8)
        p.style = cv.xcam.CAM_OVERLAY_BLEND
        p.alpha = 0.0
        np.testing.assert_array_equal(cv.xcam.applyCAMOverlay(image, cam, params=p), image)
        with self.assertRaises(cv.error):
            cv.xcam.applyCAMOverlay(image.astype(np.float32), cam)

    @unittest.skipUnless(os.path.isdir(MOBILENET), "real models not found (set XCAM_SHARED)")
    def test_real_model_identity_and_top1(self):
        onnx, image, model = mobilenet_and_chelsea()
        model.setLabels(cv.xcam.readClassLabels(os.path.join(MOBILENET, "labels.txt")))
        ids, probs, maps = model.classify(image, 3)
        self.assertEqual(list(ids), [286, 283, 282])
        self.assertEqual(model.getLabel(ids[0]), "Egyptian cat")
        self.assertEqual(model.getFeatureLayer(), "onnx_node!Conv_1/Relu6")
        # The identity: mean(CAM_c) + b_c equals the logit OpenCV's own FC computed.
        net = cv.dnn.readNet(onnx)
        net.setInput(cv.dnn.blobFromImage(image, 1 / 127.5, (224, 224), (127.5,) * 3, True, False))
        feats, logits = net.forward(["onnx_node!Conv_1/Relu6", "onnx_node!logits"])
        w, b = net.getParam("onnx_node!logits", 0), net.getParam("onnx_node!logits", 1)
        for c in ids:
            cam = cv.xcam.computeCAM(feats, w, int(c))
            self.assertEqual(cam.shape, (7, 7))
            self.assertLess(abs(cam.mean() + b.ravel()[c] - logits.ravel()[c]),
                            1e-4 * max(1.0, abs(logits.ravel()[c])))
            np.testing.assert_allclose(maps[list(ids).index(c)], cam, rtol=1e-5, atol=1e-5)
        overlay = cv.xcam.applyCAMOverlay(image, maps[0])
        self.assertEqual(overlay.shape, image.shape)
        # A Net object works too.
        self.assertEqual(cv.xcam.CAMModel_create(net).getFeatureLayer(), "")

    def test_method_names_and_params(self):
        self.assertEqual(cv.xcam.getCAMMethodName(cv.xcam.CAM_METHOD_GRADCAM_PLUSPLUS), "gradcam++")
        self.assertEqual(cv.xcam.parseCAMMethod("Grad-CAM"), cv.xcam.CAM_METHOD_GRADCAM)
        with self.assertRaises(cv.error):
            cv.xcam.parseCAMMethod("nope")
        p = cv.xcam.CAMMethodParams()
        self.assertEqual(p.batchSize, 32)
        self.assertTrue(p.closedForm)
        self.assertEqual((p.finerAlpha, p.finerClasses, p.kpcaKernel), (1.0, 3, cv.xcam.CAM_KERNEL_SIGMOID))
        p.batchSize = 4
        self.assertEqual(p.batchSize, 4)

    def test_method_table(self):
        methods = cv.xcam.getCAMMethods()
        self.assertEqual([m.method for m in methods], list(range(len(methods))))
        self.assertEqual(methods[cv.xcam.CAM_METHOD_KPCACAM].name, "kpcacam")
        self.assertEqual(cv.xcam.parseCAMMethod("finercam"), cv.xcam.CAM_METHOD_FINERCAM)
        rise = cv.xcam.getCAMMethodInfo(cv.xcam.CAM_METHOD_RISE)
        self.assertEqual((rise.family, rise.needs, rise.manyForwards, rise.detectors),
                         ("perturbation", cv.xcam.CAM_NEEDS_FORWARD_ONLY, True, True))
        self.assertIn("gradcamplusplus", list(methods[cv.xcam.CAM_METHOD_GRADCAM_PLUSPLUS].aliases))
        self.assertTrue(all(m.description for m in methods))
        p = cv.xcam.CAMMethodParams()
        p.numMasks, p.gridSize = 6, 2
        masks = cv.xcam.generateRISEMasks((5, 4), p, 0, 6)
        self.assertEqual(masks.shape, (6, 20))
        np.testing.assert_allclose(masks[0] + masks[1], 1, atol=1e-6)   # antithetic pair
        np.testing.assert_array_equal(cv.xcam.generateRISEMasks((5, 4), p, 3, 2), masks[3:5])

    @unittest.skipUnless(os.path.isdir(MOBILENET), "real models not found (set XCAM_SHARED)")
    def test_real_model_explain(self):
        _, image, model = mobilenet_and_chelsea()
        ids, probs, cams = model.classify(image, 2)
        maps = model.explain(image, cv.xcam.CAM_METHOD_GRADCAM, list(ids))
        self.assertEqual(len(maps), 2)
        for cam, grad in zip(cams, maps):  # Grad-CAM on a GAP->FC head is CAM / (H*W)
            np.testing.assert_allclose(grad, cam / 49.0, rtol=1e-4, atol=1e-6)
        params = cv.xcam.CAMMethodParams()
        params.closedForm = False
        ablation = model.explain(image, cv.xcam.CAM_METHOD_ABLATIONCAM, [int(ids[0])], params=params)
        closed = model.explain(image, cv.xcam.CAM_METHOD_ABLATIONCAM, [int(ids[0])])
        np.testing.assert_allclose(ablation[0], closed[0], rtol=1e-3, atol=1e-4 * abs(closed[0]).max())
        self.assertTrue(model.supportsMethod(cv.xcam.CAM_METHOD_CAM))
        self.assertEqual(model.getDefaultMethod(), cv.xcam.CAM_METHOD_CAM)


    def test_detection_struct_formats_and_similarity(self):
        d = cv.xcam.Detection()
        self.assertEqual((d.classId, d.score, d.objectness), (-1, 0.0, 1.0))
        self.assertEqual(len(d.classProbs), 0)
        t = cv.xcam.Detection()
        t.box = (0, 0, 10, 10)
        d.box = (5, 0, 10, 10)  # IoU 1/3
        d.objectness = 0.5
        self.assertAlmostEqual(cv.xcam.detectionSimilarity(t, d), 0.5 / 3, places=6)
        self.assertEqual(cv.xcam.getDetectionFormatName(cv.xcam.DETECTION_SSD), "ssd")
        self.assertEqual(cv.xcam.parseDetectionFormat("YOLOv5"), cv.xcam.DETECTION_YOLOV5)
        with self.assertRaises(cv.error):
            cv.xcam.parseDetectionFormat("yolo")

    @unittest.skipUnless(os.path.isfile(BLAZEFACE), "real models not found (set XCAM_SHARED)")
    def test_detector_model_eigencam_and_errors(self):
        model = cv.xcam.DetectorModel_create(BLAZEFACE)
        model.setInputParams(1 / 127.5, (128, 128), (127.5, 127.5, 127.5), True)
        model.setInputNHWC(True)
        model.setFormat(cv.xcam.DETECTION_YOLOV5)  # not BlazeFace's layout (its decoder is C++)
        image = cv.imread(os.path.join(SHARED, "images", "astronaut.png"))
        with self.assertRaises(cv.error):
            model.detect(image)
        face = cv.xcam.Detection()
        face.box = (179, 82, 93, 93)
        face.classId = 0
        maps = model.explain(image, [face, face], cv.xcam.CAM_METHOD_EIGENCAM)
        self.assertEqual(len(maps), 2)
        self.assertEqual(maps[0].shape, image.shape[:2])
        self.assertEqual(maps[0].dtype, np.float32)
        self.assertIn("re_lu_15", model.getFeatureLayer())
        with self.assertRaises(cv.error):
            model.explain(image, [face], cv.xcam.CAM_METHOD_GRADCAM)
        self.assertEqual(len(model.getLastDetections()), 0)

    def test_pointing_game(self):
        cam = np.zeros((7, 7), np.float32)
        cam[3, 5] = 1  # the centre of cell (3, 5) in a 224x224 image: (175.5, 111.5)
        self.assertTrue(cv.xcam.pointingGame(cam, (224, 224), (170, 100, 10, 20), 0))
        self.assertFalse(cv.xcam.pointingGame(cam, (224, 224), (176, 100, 10, 20), 0))
        self.assertTrue(cv.xcam.pointingGame(cam, (224, 224), (176, 100, 10, 20)))  # tolerance 15
        with self.assertRaises(cv.error):
            cv.xcam.pointingGame(np.full((2, 2), np.nan, np.float32), (10, 10), (0, 0, 5, 5))

    def test_faithfulness_metrics_on_demo_model(self):
        model = cv.xcam.CAMModel_create(os.path.join(DATA, "fashion_gapfc.onnx"))
        model.setInputParams(1 / 255.0, (28, 28), (0, 0, 0), False, False)
        image = cv.imread(os.path.join(DATA, "images", "0_ankle_boot.png"), cv.IMREAD_GRAYSCALE)
        self.assertIsNotNone(image)
        ids, probs, maps = model.classify(image, 1)
        c, cam = int(ids[0]), maps[0]
        deletion = cv.xcam.deletionAUC(model, image, cam, c)
        insertion = cv.xcam.insertionAUC(model, image, cam, c)
        for auc in (deletion, insertion):
            self.assertTrue(0 <= auc <= 1, auc)
        # The class's own CAM beats its reverse ranking on both curves.
        self.assertLess(deletion, cv.xcam.deletionAUC(model, image, -cam, c))
        self.assertGreater(insertion, cv.xcam.insertionAUC(model, image, -cam, c))
        drop, increase = cv.xcam.confidenceChange(model, image, cam, c)
        self.assertTrue(0 <= drop <= 1, drop)
        self.assertIn(bool(increase), (True, False))
        with self.assertRaises(cv.error):
            cv.xcam.deletionAUC(model, image, cam, c, 0)  # steps < 1
        with self.assertRaises(cv.error):
            cv.xcam.insertionAUC(model, image, cam, 10)  # 10 classes: 0..9
        bad = cam.copy()
        bad[0, 0] = np.nan
        with self.assertRaises(cv.error):
            cv.xcam.deletionAUC(model, image, bad, c)


if __name__ == '__main__':
    NewOpenCVTests.bootstrap()
