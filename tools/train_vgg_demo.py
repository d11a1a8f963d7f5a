#!/usr/bin/python3
"""Train the small VGG-style Fashion-MNIST classifier of samples/data (fashion_vgg.onnx): a net whose
head is NOT global pooling -> FC, for the gradient and perturbation methods of CAMModel::explain.

Dependencies (Debian bookworm, nothing from pip), as tools/train_demo_model.py, whose data loading,
training loop, BatchNorm folding, export and cv2.dnn check it reuses:

    apt-get install -y python3-torch python3-onnx python3-numpy python3-opencv dataset-fashion-mnist
    /usr/bin/python3 tools/train_vgg_demo.py           # writes samples/data/fashion_vgg.onnx

Architecture (input 1x1x28x28 = grey / 255, like the other demo models):

    conv1 3x3 1->16, relu1, pool1 (max 2x2)                              16 x 14 x 14
    conv2 3x3 16->32, relu2, conv3 3x3 32->32, relu3,
    features/pool (max 2x2)                                              32 x 7 x 7   <- feature layer A
    flatten, fc1 (Gemm 1568->128), fc1/relu, [Dropout 0.3: training only, not exported],
    fc2 (Gemm 128->10), prob (Softmax)

BatchNorm (after every convolution while training) is folded into the convolutions before the
export. cv2.dnn must give PyTorch's logits (the input of `prob`, OpenCV layer `onnx_node!fc2`) and
feature blob (`onnx_node!features/pool`) on every test image.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_demo_model as tdm  # noqa: E402

FILE = "fashion_vgg.onnx"
FEATURE = "features/pool"
HEAD = ["flatten", "fc1", "fc1/relu", "fc2"]
NODE_NAMES = ["conv1", "relu1", "pool1", "conv2", "relu2", "conv3", "relu3", FEATURE] + HEAD + ["prob"]
NODE_OPS = ["Conv", "Relu", "MaxPool", "Conv", "Relu", "Conv", "Relu", "MaxPool",
            "Flatten", "Gemm", "Relu", "Gemm", "Softmax"]
EPOCHS, LR = 4, 3e-3


class VGGNet(nn.Module):
    """body -> feature (ends in the MaxPool whose output is A, 32x7x7) -> classifier head.

    `body` and `feature` are the Sequentials tdm.fold_batchnorm folds; with batchnorm=False the
    convolutions carry biases instead (the folded form, used to load the ONNX weights back)."""

    def __init__(self, kind="vgg", batchnorm=True):
        super().__init__()
        self.kind = kind

        def block(cin, cout):
            if batchnorm:
                return tdm.conv_bn_relu(cin, cout)
            return [nn.Conv2d(cin, cout, 3, padding=1), nn.Identity(), nn.ReLU()]

        self.body = nn.Sequential(*block(1, 16), nn.MaxPool2d(2))                     # 16 x 14 x 14
        self.feature = nn.Sequential(*block(16, 32), *block(32, 32), nn.MaxPool2d(2))  # 32 x 7 x 7
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(),
                                        nn.Dropout(0.3), nn.Linear(128, tdm.NUM_CLASSES))

    def features(self, x):
        return self.feature(self.body(x))

    def head(self, a):
        return self.classifier(a)

    def forward(self, x):
        return self.head(self.features(x))


def check_logits_and_features(path, model, x_test):
    """cv2.dnn's logits (input of the Softmax) and feature blob equal PyTorch's on x_test."""
    model.eval()
    net = cv2.dnn.readNet(path)
    worst = {"logits": 0.0, "features": 0.0}
    for i in range(0, len(x_test), 1000):
        x = x_test[i:i + 1000]
        net.setInput(x.numpy())
        logits, feats = net.forward(["onnx_node!fc2", "onnx_node!" + FEATURE])
        with torch.no_grad():
            a = model.features(x)
            ref = {"logits": model.head(a).numpy(), "features": a.numpy()}
        for key, got in (("logits", logits), ("features", feats)):
            worst[key] = max(worst[key], float(np.abs(got - ref[key]).max()
                                               / max(1.0, np.abs(ref[key]).max())))
    print(f"  cv2.dnn vs PyTorch on {len(x_test)} test images: max rel. |diff| logits "
          f"{worst['logits']:.2e}, feature blob {worst['features']:.2e}", flush=True)
    if max(worst.values()) > 1e-5:
        raise RuntimeError(f"{path}: cv2.dnn differs from PyTorch: {worst}")
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist",
                    help="folder with the four *-idx?-ubyte.gz files (Debian dataset-fashion-mnist)")
    ap.add_argument("--out", default=os.path.join(tdm.REPO, "samples", "data"), help="output folder")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    args = ap.parse_args()

    torch.set_num_threads(tdm.THREADS)
    torch.use_deterministic_algorithms(True)
    np.random.seed(tdm.SEED)
    xtr, ytr, xte, yte = tdm.load_fashion_mnist(args.data)
    x_train, y_train = tdm.to_input(xtr), torch.from_numpy(ytr)
    x_test, y_test = tdm.to_input(xte), torch.from_numpy(yte)

    model, seconds = tdm.train("vgg", args.epochs, LR, x_train, y_train, x_test, y_test,
                               factory=VGGNet)
    fused = tdm.fold_batchnorm(model)
    acc = tdm.accuracy(fused, x_test, y_test)
    path = os.path.join(args.out, FILE)
    tdm.export_named_onnx(fused, path, NODE_OPS, NODE_NAMES,
                          "Fashion-MNIST VGG-style demo classifier (MaxPool -> FC -> ReLU -> FC head); "
                          "input 1x1x28x28 = gray/255; output prob = softmax of 10 logits "
                          f"({', '.join(tdm.LABELS)})")
    want = ["onnx_node!" + n for n in [FEATURE] + HEAD + ["prob"]]
    names, err, cv_acc = tdm.verify_with_opencv(path, "vgg", fused, x_test, y_test, want=want)
    check_logits_and_features(path, fused, x_test)
    params = sum(p.numel() for p in fused.parameters())
    print(f"\nsummary: {FILE}: {params} parameters, {os.path.getsize(path)} bytes, "
          f"{args.epochs} epochs in {seconds:.0f} s, test accuracy {acc * 100:.2f} % (PyTorch) / "
          f"{cv_acc * 100:.2f} % (cv2.dnn), max |prob diff| {err:.1e}\n  cv2.dnn layers: {names}")


if __name__ == "__main__":
    sys.exit(main())
