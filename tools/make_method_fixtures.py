#!/usr/bin/python3
"""Write the oracle fixtures of the CAM method family (samples/data/oracle/methods/*.yml) that
test/test_method_oracle.cpp checks CAMModel::explain against.

    apt-get install -y python3-torch python3-onnx python3-numpy python3-opencv
    /usr/bin/python3 tools/make_method_fixtures.py

Nothing is trained: each model's PyTorch twin (the architecture of tools/train_demo_model.py or
tools/train_vgg_demo.py, BatchNorm already folded) is given the weights of the committed ONNX file
(onnx.numpy_helper) and run in float64. Every map comes from PyTorch (autograd, real masking, real
re-runs of the head or of the whole net) or numpy (SVD); cv2 is used only for file I/O (the PNGs,
cv::FileStorage YAML) and to cross-check the twins' logits against cv::dnn and the existing oracle
files. All maps are RAW (no ReLU, no normalization). With y_c the logit of class c, A the feature
blob (C x H x W) and g = d y_c / d A:

  gradcam            sum_k mean_ij(g_k) A_k
  gradcamplusplus    alpha = g^2 / (2 g^2 + sum_ij(A_k) g^3 + 1e-6), 0 where g == 0;
                     sum_k (sum_ij alpha ReLU(g_k)) A_k
  xgradcam           sum_k (sum_ij g_k A_k / (sum_ij A_k + 1e-7)) A_k
  hirescam           sum_k g_k * A_k;    layercam   sum_k ReLU(g_k) * A_k
  eigencam           X = A as (H W) x C, columns centred; X v1 (v1 = first right singular vector),
                     H x W; the sign is arbitrary.   eigengradcam: the same on g * A
  ablationcam        sum_k (y_c - y_c^(k)) / y_c A_k, y_c^(k) = head(A with channel k zeroed)
  reciprocam         map(i,j) = y_c(head(A * M_ij)), M_ij one-hot at (i,j)
  reciprocam_gaussian  the same with M_ij the 3x3 kernel [1 2 1; 2 4 2; 1 2 1]/16 centred at (i,j),
                     clipped at the borders (not renormalized)
  scorecam           (GAP->FC model, top-1 class, SCORECAM_IMAGES) sum_k w_k A_k, w_k = softmax
                     probability of c for the input times A_k upsampled to 28x28 (bilinear,
                     align_corners=False) and scaled to [0, 1] by its min and max (w_k = 0 when
                     max == min)
  scorecam_channel_softmax  pytorch-grad-cam's ScoreCAM: upsampling with align_corners=True,
                     (x - min) / (max - min + 1e-8), logits y_c of the masked inputs, w = softmax over k

One file per model and image: <model>_<image stem>.yml with model, feature_layer (the name
CAMModel::setLayers takes), image, class_ids (top-1, top-2, lowest probability), logits (1x10),
feature_shape (1x4), for each class c of class_ids every map above as <method>_<c> (H x W, float32),
and in the Score-CAM files scorecam_class_ids and scorecam_<c>, scorecam_channel_softmax_<c>.
"""
import argparse
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper

import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_demo_model as tdm  # noqa: E402
import train_vgg_demo as vgg  # noqa: E402

IMAGES = ["0_ankle_boot", "2_trouser", "4_shirt", "6_coat"]
SCORECAM_IMAGES = ["0_ankle_boot", "4_shirt"]
INPUT_SIZE = (28, 28)
MODELS = {  # name: (ONNX file, feature layer, twin with the folded architecture)
    "gapfc": ("fashion_gapfc.onnx", "features/relu",
              lambda: tdm.fold_batchnorm(tdm.CAMNet("gapfc"))),
    "vgg": (vgg.FILE, vgg.FEATURE, lambda: vgg.VGGNet(batchnorm=False)),
}
GAUSS = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], np.float64) / 16


# ----------------------------------------------------------------------------------------- twins
def load_twin(onnx_path, make):
    """make()'s Conv2d and Linear modules, in order, get the weights of the ONNX Conv and Gemm
    nodes, in order (shapes checked); the twin runs in float64, in eval mode."""
    graph = onnx.load(onnx_path).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    nodes = [n for n in graph.node if n.op_type in ("Conv", "Gemm")]
    model = make().eval()
    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    if len(layers) != len(nodes):
        raise RuntimeError(f"{onnx_path}: {len(nodes)} Conv/Gemm nodes, twin has {len(layers)}")
    with torch.no_grad():
        for layer, node in zip(layers, nodes):
            for param, name in zip((layer.weight, layer.bias), node.input[1:]):
                value = torch.from_numpy(inits[name].copy())
                if value.shape != param.shape:
                    raise RuntimeError(f"{node.name}: {name} {value.shape} vs {param.shape}")
                param.copy_(value)
    return model.double()


def image_blob(stem, data_dir):
    img = cv2.imread(os.path.join(data_dir, "images", stem + ".png"), cv2.IMREAD_GRAYSCALE)
    if img is None or img.shape != INPUT_SIZE:
        raise RuntimeError(f"cannot read images/{stem}.png as 28x28 grey")
    return tdm.to_input(img[None]).double()                     # 1 x 1 x 28 x 28, x / 255


# -------------------------------------------------------------------------------- gradient family
def gradient_maps(a, g):
    """The maps of one class from the feature blob a and the gradient g (both 1 x C x H x W)."""
    sum_a = a.sum((2, 3), keepdim=True)
    g2, g3 = g ** 2, g ** 3
    alpha = torch.where(g != 0, g2 / (2 * g2 + sum_a * g3 + 1e-6), torch.zeros_like(g))
    weights = {
        "gradcam": g.mean((2, 3), keepdim=True),
        "gradcamplusplus": (alpha * F.relu(g)).sum((2, 3), keepdim=True),
        "xgradcam": (g * a).sum((2, 3), keepdim=True) / (sum_a + 1e-7),
    }
    maps = {name: (w * a).sum(1)[0] for name, w in weights.items()}
    maps["hirescam"] = (g * a).sum(1)[0]
    maps["layercam"] = (F.relu(g) * a).sum(1)[0]
    maps["eigencam"] = eigen_projection(a)
    maps["eigengradcam"] = eigen_projection(g * a)
    return maps


def eigen_projection(blob):
    """Centred (H W) x C matrix projected on its first right singular vector (numpy SVD)."""
    _, c, h, w = blob.shape
    x = blob[0].detach().numpy().reshape(c, h * w).T
    x = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(x, full_matrices=False)
    if len(s) > 1 and s[1] > 0.99 * s[0]:
        print(f"    warning: first singular values {s[0]:.4g} and {s[1]:.4g} are close")
    return torch.from_numpy((x @ vt[0]).reshape(h, w))


# ------------------------------------------------------------------------------ perturbation family
def ablation_map(head, a, c):
    """sum_k (y_c - y_c^(k)) / y_c A_k, each y_c^(k) from the head run on A with channel k zeroed."""
    channels = a.shape[1]
    ablated = a.repeat(channels, 1, 1, 1)
    ablated[torch.arange(channels), torch.arange(channels)] = 0
    y = head(a)[0, c]
    y_k = head(ablated)[:, c]
    w = (y - y_k) / y
    return (w[:, None, None] * a[0]).sum(0)


def recipro_masks(h, w, gaussian):
    """H W masks of H x W: one-hot at each cell, or the 3x3 kernel there, clipped at the borders."""
    masks = np.zeros((h * w, h, w))
    for i in range(h):
        for j in range(w):
            if not gaussian:
                masks[i * w + j, i, j] = 1
                continue
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    if 0 <= i + di < h and 0 <= j + dj < w:
                        masks[i * w + j, i + di, j + dj] = GAUSS[di + 1, dj + 1]
    return torch.from_numpy(masks)


def recipro_map(head, a, c, gaussian):
    _, _, h, w = a.shape
    masked = a * recipro_masks(h, w, gaussian)[:, None]        # H W x C x H x W
    return head(masked)[:, c].reshape(h, w)


def score_maps(model, x, a, c):
    """Score-CAM, the paper's weights and pytorch-grad-cam's (channel softmax), all in torch."""
    up = F.interpolate(a, size=INPUT_SIZE, mode="bilinear", align_corners=False)[0]
    lo, hi = up.amin((1, 2)), up.amax((1, 2))
    keep = hi > lo
    norm = (up - lo[:, None, None]) / torch.where(keep, hi - lo, torch.ones_like(hi))[:, None, None]
    probs = F.softmax(model(x * norm[:, None]), dim=1)[:, c]
    w_paper = torch.where(keep, probs, torch.zeros_like(probs))

    up = nn.UpsamplingBilinear2d(size=INPUT_SIZE)(a)[0]       # align_corners=True
    lo, hi = up.amin((1, 2)), up.amax((1, 2))
    norm = (up - lo[:, None, None]) / (hi - lo + 1e-8)[:, None, None]
    w_soft = F.softmax(model(x * norm[:, None])[:, c], dim=0)
    return {"scorecam": (w_paper[:, None, None] * a[0]).sum(0),
            "scorecam_channel_softmax": (w_soft[:, None, None] * a[0]).sum(0)}


# ---------------------------------------------------------------------------------------- driver
def explain_image(model, x, with_score):
    """Everything one fixture file holds, as numpy arrays."""
    with torch.no_grad():
        a = model.features(x)
    a.requires_grad_(True)
    logits = model.head(a)
    order = torch.argsort(logits[0], descending=True).tolist()
    class_ids = [order[0], order[1], order[-1]]
    res = {"class_ids": np.array([class_ids], np.int32),
           "logits": logits.detach().numpy(),
           "feature_shape": np.array([list(a.shape)], np.int32)}
    for c in class_ids:
        g, = torch.autograd.grad(logits[0, c], a, retain_graph=True)
        with torch.no_grad():
            maps = gradient_maps(a, g)
            maps["ablationcam"] = ablation_map(model.head, a, c)
            maps["reciprocam"] = recipro_map(model.head, a, c, gaussian=False)
            maps["reciprocam_gaussian"] = recipro_map(model.head, a, c, gaussian=True)
            if with_score and c == class_ids[0]:
                maps.update(score_maps(model, x, a, c))
                res["scorecam_class_ids"] = np.array([[c]], np.int32)
        empty = [name for name, m in maps.items() if not m.abs().max() > 0]
        if empty:   # the test compares relative to the map's largest |value|
            raise RuntimeError(f"class {c}: all-zero maps {empty}; pick other images or classes")
        res.update({f"{name}_{c}": m.numpy() for name, m in maps.items()})
    return res


def write_fixture(path, header, res):
    fs = cv2.FileStorage(path, cv2.FILE_STORAGE_WRITE)
    for key, value in header.items():
        fs.write(key, value)
    for key, value in res.items():
        fs.write(key, value.astype(np.int32 if value.dtype.kind == "i" else np.float32))
    fs.release()


def cross_check(name, onnx_path, data_dir, stem, x, logits):
    """The twin's logits against cv::dnn's (input of the Softmax) and, for the GAP->FC model,
    against the existing oracle file of train_demo_model.py."""
    net = cv2.dnn.readNet(onnx_path)
    net.setInput(x.float().numpy())
    score_layer = {"gapfc": "onnx_node!fc", "vgg": "onnx_node!fc2"}[name]
    refs = {"cv::dnn": net.forward(score_layer)}
    old = os.path.join(data_dir, "oracle", f"{name}_{stem}.yml")
    if os.path.exists(old):
        fs = cv2.FileStorage(old, cv2.FILE_STORAGE_READ)
        refs["oracle/" + os.path.basename(old)] = fs.getNode("logits").mat()
        fs.release()
    errs = {k: float(np.abs(v.ravel() - logits.ravel()).max()) for k, v in refs.items()}
    if max(errs.values()) > 1e-4:
        raise RuntimeError(f"{name} {stem}: twin logits differ: {errs}")
    return errs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(tdm.REPO, "samples", "data"),
                    help="samples/data: the ONNX models, images/, oracle/")
    args = ap.parse_args()
    torch.set_num_threads(tdm.THREADS)
    out_dir = os.path.join(args.data, "oracle", "methods")
    os.makedirs(out_dir, exist_ok=True)
    for name, (file, feature, make) in MODELS.items():
        onnx_path = os.path.join(args.data, file)
        model = load_twin(onnx_path, make)
        for stem in IMAGES:
            x = image_blob(stem, args.data)
            res = explain_image(model, x, with_score=name == "gapfc" and stem in SCORECAM_IMAGES)
            errs = cross_check(name, onnx_path, args.data, stem, x, res["logits"])
            path = os.path.join(out_dir, f"{name}_{stem}.yml")
            write_fixture(path, {"model": file, "feature_layer": feature, "image": stem + ".png"},
                          res)
            ids = res["class_ids"].ravel().tolist()
            print(f"  {os.path.relpath(path, args.data)}: classes {ids}, logits "
                  f"{[round(float(res['logits'][0, c]), 3) for c in ids]}, twin vs "
                  + ", ".join(f"{k} {v:.1e}" for k, v in errs.items()), flush=True)


if __name__ == "__main__":
    sys.exit(main())
