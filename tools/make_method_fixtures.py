#!/usr/bin/python3
"""Write the oracle fixtures of the CAM method family (samples/data/oracle/methods/*.yml.gz) that
test/test_method_oracle.cpp checks CAMModel::explain against.

    apt-get install -y python3-torch python3-onnx python3-numpy python3-opencv python3-sklearn
    /usr/bin/python3 tools/make_method_fixtures.py

Nothing is trained. Three models, each with a PyTorch twin run in float64:
  gapfc    samples/data/fashion_gapfc.onnx (tools/train_demo_model.py): GAP -> FC head
  vgg      samples/data/fashion_vgg.onnx (tools/train_vgg_demo.py): MaxPool -> flatten -> FC ->
           ReLU -> FC head
  avgpool  samples/data/oracle/methods/avgpool_head.onnx, written here from random weights (seed
           AVGPOOL_SEED) when missing: AvgPool(2, stride 1) -> flatten -> FC -> Tanh -> FC head, a
           non-GAP head whose gradient varies inside each channel, so that Grad-CAM, HiRes-CAM,
           XGrad-CAM, ... all differ (on GAP->FC heads several coincide)
The twins get the weights of the committed ONNX files (onnx.numpy_helper). Every map comes from
PyTorch (autograd, real masking, real re-runs of the head or of the whole net), numpy (SVD) or
scikit-learn (KernelPCA); cv2 is used only for file I/O (PNGs, cv::FileStorage) and to cross-check
the twins' logits against cv::dnn. All maps are RAW (no ReLU, no normalization). With y_c the
logit of class c, A the feature blob (C x H x W), g = d y_c / d A and p = softmax(y):

  cam                sum_k W[c,k] A_k (GAP->FC model only: the others have no CAM head)
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
  scorecam           sum_k w_k A_k, w_k = p_c of the input times A_k upsampled to 28x28 (bilinear,
                     align_corners=False) and scaled to [0, 1] by its min and max (0 when constant)
  scorecam_channel_softmax  pytorch-grad-cam's ScoreCAM: align_corners=True upsampling,
                     (x - min) / (max - min + 1e-8), w = softmax over k of the masked inputs' y_c
  finercam           pytorch-grad-cam's FinerCAM: J = the 3 classes whose logits are nearest to
                     y_c (stable order), T = sum_J p_j (y_c - alpha y_j) / (sum_J p_j + 1e-9), by
                     autograd through p too; Grad-CAM of T (alpha 1; variant: alpha 0.6, 2 classes)
  kpcacam            sklearn KernelPCA(n_components=1, kernel, gamma, coef0=1).fit_transform of
                     the (H W) x C matrix with centred columns (pytorch-grad-cam's KPCA_CAM);
                     kernels sigmoid (default), linear, rbf, poly, cosine
  occlusion          (input resolution) windows of the documented border rule (starts 0, stride,
                     ... below 28 - patch, then 28 - patch), the blob zeroed inside; each pixel
                     the mean of p_c(clean) - p_c(occluded) over the windows covering it, else 0
  rise               (input resolution) masks from this file's own RISE generator (cv::RNG's
                     multiply-with-carry reimplemented, torch bilinear upsampling, crop at the
                     shift), sum_i p_c(I * M_i) M_i / (N p)

One file per model and image: <model>_<image stem>.yml.gz with model, feature_layer (the name
CAMModel::setLayers takes), image, class_ids (top-1, top-2, lowest probability), logits (1x10),
feature_shape (1x4), `variants` (a list of maps: key, method (the CLI name), the CAMMethodParams
fields that differ from the defaults, and up_to_sign), for each variant and each class c the map
<key>_<c>, and for RISE a few masks mask_<key>_<index> with their indices mask_indices_<key>. The
input-resolution methods are written for the first image of the two demo models only.
"""
import argparse
import math
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper
from sklearn.decomposition import KernelPCA

import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_demo_model as tdm  # noqa: E402
import train_vgg_demo as vgg  # noqa: E402

IMAGES = ["0_ankle_boot", "2_trouser", "4_shirt", "6_coat"]
# Occlusion and RISE (784 values a map): one image of each demo model. Not on avgpool: its random
# weights barely notice occlusion (drops of 0.2 % of the probability), which float32 noise of
# cv::dnn's forward moves by up to 5e-5 of the map's maximum.
INPUT_RES_IMAGES = ["0_ankle_boot"]
INPUT_RES_MODELS = ["gapfc", "vgg"]
INPUT_SIZE = (28, 28)
GAUSS = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], np.float64) / 16
AVGPOOL_FILE = os.path.join("oracle", "methods", "avgpool_head.onnx")
AVGPOOL_SEED = 17
KERNELS = ["sigmoid", "linear", "rbf", "poly", "cosine"]   # CAMKernel order


# ------------------------------------------------------------------------------- the third model
class AvgPoolHeadNet(nn.Module):
    """conv blocks -> A (16 x 7 x 7, a ReLU) -> AvgPool(2, stride 1) -> flatten -> FC -> Tanh -> FC."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 16, 3, padding=1), nn.ReLU())
        self.classifier = nn.Sequential(nn.AvgPool2d(2, stride=1, count_include_pad=False),
                                        nn.Flatten(),
                                        nn.Linear(16 * 6 * 6, 24), nn.Tanh(),
                                        nn.Linear(24, tdm.NUM_CLASSES))

    def features(self, x):
        return self.body(x)

    def head(self, a):
        return self.classifier(a)

    def forward(self, x):
        return self.head(self.features(x))


AVGPOOL_OPS = ["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Conv", "Relu",
               "AveragePool", "Flatten", "Gemm", "Tanh", "Gemm", "Softmax"]
AVGPOOL_NAMES = ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "conv3", "features/relu",
                 "head/pool", "flatten", "fc1", "fc1/tanh", "fc2", "prob"]


def write_avgpool_model(path):
    torch.manual_seed(AVGPOOL_SEED)
    model = AvgPoolHeadNet().eval()
    with torch.no_grad():       # logits a few units apart, as a trained net's: no near-ties
        model.classifier[-1].weight *= 20
        model.classifier[-1].bias *= 20
    tdm.export_named_onnx(model, path, AVGPOOL_OPS, AVGPOOL_NAMES,
                          "xcam method fixtures: random weights (seed %d), a head with average "
                          "pooling inside, not a classifier" % AVGPOOL_SEED)
    print(f"  wrote {path} ({os.path.getsize(path)} bytes)")


MODELS = {  # name: (file under samples/data, feature layer, score layer, twin)
    "gapfc": ("fashion_gapfc.onnx", "features/relu", "fc",
              lambda: tdm.fold_batchnorm(tdm.CAMNet("gapfc"))),
    "vgg": (vgg.FILE, vgg.FEATURE, "fc2", lambda: vgg.VGGNet(batchnorm=False)),
    "avgpool": (AVGPOOL_FILE, "features/relu", "fc2", AvgPoolHeadNet),
}


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


def batched(model, inputs, size=500):
    """model(inputs) in batches (N x 10 logits)."""
    return torch.cat([model(inputs[i:i + size]) for i in range(0, len(inputs), size)])


# -------------------------------------------------------------------------------- gradient family
def gradient_maps(a, g):
    """The maps of one target from the feature blob a and the gradient g (both 1 x C x H x W)."""
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
    maps["eigengradcam"] = eigen_projection(g * a)
    return maps


def finer_target(logits, c, alpha, count):
    """pytorch-grad-cam's FinerWeightedTarget for class c: the `count` classes nearest to y_c."""
    y = logits[0]
    dist = np.abs(y.detach().numpy() - float(y[c]))
    ranked = [j for j in np.argsort(dist, kind="stable") if j != c]
    if count < len(ranked) and dist[ranked[count]] - dist[ranked[count - 1]] < 1e-3:
        raise RuntimeError(f"class {c}: nearest classes {ranked} tie at rank {count}")
    order = ranked[:count]
    p = torch.softmax(y, dim=0)
    num = sum(p[j] * (y[c] - alpha * y[j]) for j in order)
    return num / (sum(p[j] for j in order) + 1e-9)


def eigen_projection(blob):
    """Centred (H W) x C matrix projected on its first right singular vector (numpy SVD)."""
    _, c, h, w = blob.shape
    x = blob[0].detach().numpy().reshape(c, h * w).T
    x = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(x, full_matrices=False)
    if len(s) > 1 and s[1] > 0.99 * s[0]:
        raise RuntimeError(f"first singular values {s[0]:.4g} and {s[1]:.4g} are too close")
    return torch.from_numpy((x @ vt[0]).reshape(h, w))


def kpca_map(a, kernel, gamma):
    """pytorch-grad-cam's get_2d_projection_kernel: sklearn KernelPCA on the centred matrix."""
    _, c, h, w = a.shape
    x = a[0].detach().numpy().reshape(c, h * w).T
    x = x - x.mean(axis=0)
    kpca = KernelPCA(n_components=1, kernel=kernel, gamma=gamma or None)
    proj = kpca.fit_transform(x)[:, 0]
    check = KernelPCA(n_components=2, kernel=kernel, gamma=gamma or None).fit(x).eigenvalues_
    if len(check) > 1 and check[1] > 0.99 * check[0]:
        raise RuntimeError(f"kpca {kernel}: first eigenvalues {check} are too close")
    return torch.from_numpy(proj.reshape(h, w))


# ---------------------------------------------------------------------- re-evaluation family
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


# ------------------------------------------------------------------------ perturbation family
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


class CvRNG:
    """cv::RNG: multiply-with-carry, state = (uint32)state * 4164903690 + (state >> 32)."""

    def __init__(self, seed):                     # RNG((uint64)(int64)seed); 0 becomes 0xffffffff
        s = seed & 0xFFFFFFFFFFFFFFFF
        self.state = s if s else 0xFFFFFFFF

    def next(self):
        self.state = ((self.state & 0xFFFFFFFF) * 4164903690 + (self.state >> 32)) & (2 ** 64 - 1)
        return self.state & 0xFFFFFFFF

    def uniform_float(self):                      # uniform(0.f, 1.f): float(next) * 2^-32 in float
        return float(np.float32(self.next()) * np.float32(2.3283064365386962890625e-10))

    def uniform_int(self, a, b):                  # uniform(a, b): a + next % (b - a)
        return a if a == b else self.next() % (b - a) + a


def rise_masks(n, s, p, seed):
    """RISE's masks as generateRISEMasks documents them (N x 28 x 28, float64)."""
    h, w = INPUT_SIZE
    cell_h, cell_w = math.ceil(h / s), math.ceil(w / s)
    rng = CvRNG(seed)
    out = []
    for i in range(n):
        if p == 0.5 and i % 2 == 1:                             # antithetic twin of mask i - 1
            grid = 1 - grid
        else:
            grid = torch.tensor([[1.0 if rng.uniform_float() < p else 0.0 for _ in range(s)]
                                 for _ in range(s)], dtype=torch.float64)
            dx, dy = rng.uniform_int(0, cell_w), rng.uniform_int(0, cell_h)
        big = F.interpolate(grid[None, None], size=((s + 1) * cell_h, (s + 1) * cell_w),
                            mode="bilinear", align_corners=False)[0, 0]
        out.append(big[dy:dy + h, dx:dx + w])
    return torch.stack(out)


def rise_maps(model, x, classes, masks, p):
    """{c: sum_i p_c(I * M_i) M_i / (N p)} from one run over the masks."""
    probs = F.softmax(batched(model, x * masks[:, None]), dim=1)
    return {c: (probs[:, c, None, None] * masks).sum(0) / (len(masks) * p) for c in classes}


def window_starts(size, patch, stride):
    return list(range(0, size - patch, stride)) + [size - patch]


def occlusion_maps(model, x, classes, patch, stride):
    """{c: each pixel's mean of p_c(clean) - p_c(occluded) over the windows covering it}."""
    h, w = INPUT_SIZE
    windows = [(y0, x0) for y0 in window_starts(h, patch, stride)
               for x0 in window_starts(w, patch, stride)]
    masks = torch.ones(len(windows), h, w, dtype=torch.float64)
    for i, (y0, x0) in enumerate(windows):
        masks[i, y0:y0 + patch, x0:x0 + patch] = 0
    drops = F.softmax(model(x), dim=1) - F.softmax(batched(model, x * masks[:, None]), dim=1)
    covered = (1 - masks).sum(0)
    out = {}
    for c in classes:
        acc = (drops[:, c, None, None] * (1 - masks)).sum(0)
        out[c] = torch.where(covered > 0, acc / covered.clamp(min=1), torch.zeros_like(acc))
    return out


# ------------------------------------------------------------------------------------- variants
# key, CLI method name, CAMMethodParams fields that differ from the defaults, compared up to sign.
HEAD_VARIANTS = [
    ("cam", "cam", {}, False), ("gradcam", "gradcam", {}, False),
    ("gradcamplusplus", "gradcam++", {}, False), ("xgradcam", "xgradcam", {}, False),
    ("hirescam", "hirescam", {}, False), ("layercam", "layercam", {}, False),
    ("eigencam", "eigencam", {}, True), ("eigengradcam", "eigengradcam", {}, True),
    ("ablationcam", "ablationcam", {}, False), ("reciprocam", "reciprocam", {}, False),
    ("reciprocam_gaussian", "reciprocam", {"reciproGaussian": 1}, False),
    ("scorecam", "scorecam", {}, False),
    ("scorecam_channel_softmax", "scorecam", {"channelSoftmax": 1}, False),
    ("finercam", "finercam", {}, False),
    ("finercam_alpha06_2", "finercam", {"finerAlpha": 0.6, "finerClasses": 2}, False),
    ("kpcacam", "kpcacam", {}, False),
    ("kpcacam_linear", "kpcacam", {"kpcaKernel": 1}, False),
    ("kpcacam_rbf", "kpcacam", {"kpcaKernel": 2, "kpcaGamma": 0.002}, False),
    ("kpcacam_poly", "kpcacam", {"kpcaKernel": 3}, False),
    ("kpcacam_cosine", "kpcacam", {"kpcaKernel": 4}, False),
]
INPUT_RES_VARIANTS = [
    ("occlusion", "occlusion", {}, False),                      # patch 4, stride 2
    ("occlusion_5_3", "occlusion", {"patchSize": 5, "stride": 3}, False),
    ("occlusion_gaps", "occlusion", {"patchSize": 3, "stride": 5}, False),
    ("rise", "rise", {}, False),                                # 4000 masks, grid 8, p 0.5, seed 0
    ("rise_p03", "rise", {"numMasks": 40, "gridSize": 5, "keepProbability": 0.3, "seed": 7}, False),
]
RISE_DEFAULTS = {"numMasks": 4000, "gridSize": 8, "keepProbability": 0.5, "seed": 0}
RISE_MASKS_KEPT = {"rise": [0, 1, 2, 3999], "rise_p03": [0, 1, 39]}


def head_variant_maps(model, x, a, logits, c, has_cam):
    """Every head variant's map of class c (those the model supports)."""
    out = {}
    g, = torch.autograd.grad(logits[0, c], a, retain_graph=True)
    for key, (alpha, count) in {"finercam": (1.0, 3), "finercam_alpha06_2": (0.6, 2)}.items():
        gt, = torch.autograd.grad(finer_target(logits, c, alpha, count), a, retain_graph=True)
        out[key] = (gt.mean((2, 3), keepdim=True) * a).sum(1)[0].detach()
    with torch.no_grad():
        out.update(gradient_maps(a, g))
        out["eigencam"] = eigen_projection(a)
        out["ablationcam"] = ablation_map(model.head, a, c)
        out["reciprocam"] = recipro_map(model.head, a, c, gaussian=False)
        out["reciprocam_gaussian"] = recipro_map(model.head, a, c, gaussian=True)
        out.update(score_maps(model, x, a, c))
        for key, _, params, _ in HEAD_VARIANTS:
            if key.startswith("kpcacam"):
                out[key] = kpca_map(a, KERNELS[params.get("kpcaKernel", 0)],
                                    params.get("kpcaGamma", 0))
        if has_cam:
            w = [m for m in model.modules() if isinstance(m, nn.Linear)][-1].weight
            out["cam"] = (w[c][None, :, None, None] * a).sum(1)[0]
    return out


def input_variant_maps(model, x, classes, masks):
    """{key: {c: map}} of the input-resolution variants."""
    out = {}
    with torch.no_grad():
        for key, _, params, _ in INPUT_RES_VARIANTS:
            if key.startswith("occlusion"):
                out[key] = occlusion_maps(model, x, classes, params.get("patchSize", 4),
                                          params.get("stride", 2))
            else:
                p = {**RISE_DEFAULTS, **params}["keepProbability"]
                out[key] = rise_maps(model, x, classes, masks[key], p)
    return out


# ---------------------------------------------------------------------------------------- driver
def explain_image(model, x, has_cam, input_res):
    """Everything one fixture file holds, as numpy arrays, and its variants."""
    with torch.no_grad():
        a = model.features(x)
    a.requires_grad_(True)
    logits = model.head(a)
    order = torch.argsort(logits[0], descending=True).tolist()
    class_ids = [order[0], order[1], order[-1]]
    res = {"class_ids": np.array([class_ids], np.int32),
           "logits": logits.detach().numpy(),
           "feature_shape": np.array([list(a.shape)], np.int32)}
    variants = [v for v in HEAD_VARIANTS if has_cam or v[0] != "cam"]
    masks = {}
    if input_res:
        variants += INPUT_RES_VARIANTS
        for key, _, params, _ in INPUT_RES_VARIANTS:
            if key.startswith("rise"):
                p = {**RISE_DEFAULTS, **params}
                masks[key] = rise_masks(p["numMasks"], p["gridSize"], p["keepProbability"],
                                        p["seed"])
                res[f"mask_indices_{key}"] = np.array([RISE_MASKS_KEPT[key]], np.int32)
                for i in RISE_MASKS_KEPT[key]:
                    res[f"mask_{key}_{i}"] = masks[key][i].numpy()
    input_maps = input_variant_maps(model, x, class_ids, masks) if input_res else {}
    for c in class_ids:
        maps = head_variant_maps(model, x, a, logits, c, has_cam)
        maps.update({key: by_class[c] for key, by_class in input_maps.items()})
        empty = [v[0] for v in variants if not maps[v[0]].abs().max() > 0]
        if empty:   # the test compares relative to the map's largest |value|
            raise RuntimeError(f"class {c}: all-zero maps {empty}; pick other images or classes")
        res.update({f"{v[0]}_{c}": maps[v[0]].detach().numpy() for v in variants})
    return res, variants


def write_fixture(path, header, res, variants):
    fs = cv2.FileStorage(path, cv2.FILE_STORAGE_WRITE)
    for key, value in header.items():
        fs.write(key, value)
    fs.startWriteStruct("variants", cv2.FileNode_SEQ)
    for key, method, params, up_to_sign in variants:
        fs.startWriteStruct("", cv2.FileNode_MAP)
        fs.write("key", key)
        fs.write("method", method)
        for name, value in params.items():
            fs.write(name, value)
        fs.write("up_to_sign", int(up_to_sign))
        fs.endWriteStruct()
    fs.endWriteStruct()
    for key, value in res.items():
        fs.write(key, value.astype(np.int32 if value.dtype.kind == "i" else np.float32))
    fs.release()


def cross_check(onnx_path, score_layer, x, logits):
    """The twin's logits against cv::dnn's (the input of the Softmax)."""
    net = cv2.dnn.readNet(onnx_path)
    net.setInput(x.float().numpy())
    err = float(np.abs(net.forward("onnx_node!" + score_layer).ravel() - logits.ravel()).max())
    if err > 1e-4:
        raise RuntimeError(f"{onnx_path}: twin logits differ from cv::dnn's by {err}")
    return err


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(tdm.REPO, "samples", "data"),
                    help="samples/data: the ONNX models, images/, oracle/")
    args = ap.parse_args()
    torch.set_num_threads(tdm.THREADS)
    out_dir = os.path.join(args.data, "oracle", "methods")
    os.makedirs(out_dir, exist_ok=True)
    if not os.path.exists(os.path.join(args.data, AVGPOOL_FILE)):
        write_avgpool_model(os.path.join(args.data, AVGPOOL_FILE))
    for name, (file, feature, score_layer, make) in MODELS.items():
        onnx_path = os.path.join(args.data, file)
        model = load_twin(onnx_path, make)
        for stem in IMAGES:
            x = image_blob(stem, args.data)
            res, variants = explain_image(
                model, x, has_cam=name == "gapfc",
                input_res=name in INPUT_RES_MODELS and stem in INPUT_RES_IMAGES)
            err = cross_check(onnx_path, score_layer, x, res["logits"])
            path = os.path.join(out_dir, f"{name}_{stem}.yml.gz")
            write_fixture(path, {"model": file, "feature_layer": feature, "image": stem + ".png"},
                          res, variants)
            ids = res["class_ids"].ravel().tolist()
            print(f"  {os.path.relpath(path, args.data)}: classes {ids}, logits "
                  f"{[round(float(res['logits'][0, c]), 3) for c in ids]}, {len(variants)} "
                  f"variants, twin vs cv::dnn {err:.1e}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
