#!/usr/bin/python3
"""Train the demo object detector of samples/data/detector: a small single-stage, YOLO-like net on
scenes of Fashion-MNIST items (tools/make_detector_scenes.py), exported to ONNX in the YOLOv5 layout
(detector_yolov5.onnx) and, with the same weights, in the YOLOv8 layout (detector_yolov8.onnx).

Dependencies (Debian bookworm, nothing from pip):

    apt-get install -y python3-torch python3-onnx python3-numpy python3-opencv dataset-fashion-mnist
    /usr/bin/python3 tools/train_demo_detector.py        # writes samples/data/detector/*.onnx
    /usr/bin/python3 tools/make_detector_scenes.py       # the 16 committed held-out scenes + boxes.csv

Net (input 1x3x128x128 = the grey scene replicated, / 255; BatchNorm folded before the export):

    conv1 3x3/2 3->16, relu1                                           16 x 64 x 64
    conv2 3x3 16->32, relu2, pool2 (max 2x2)                           32 x 32 x 32
    conv3 3x3 32->48, relu3, pool3 (max 2x2)                           48 x 16 x 16
    conv4 3x3 48->56, relu4, conv5 3x3 dilation 2 56->56, relu5        56 x 16 x 16
    features/conv 3x3 56->56, features/relu                            56 x 16 x 16  <- Eigen-CAM layer
    head/conv 1x1 56->15                                               15 x 16 x 16 raw
    decode (in the graph, as YOLOv5's Detect): s = sigmoid(raw); per cell (gx, gy), stride 8,
      cx = (2 s0 - 0.5 + gx) * 8, cy = (2 s1 - 0.5 + gy) * 8, w = (2 s2)^2 * 32, h = (2 s3)^2 * 32
      (input pixels), objectness s4, class probabilities s5..s14 (independent sigmoids).
    YOLOv5 layout  output0 1 x 256 x 15: rows = cells (row-major, gy * 16 + gx), columns
                   cx, cy, w, h, objectness, 10 class probabilities.
    YOLOv8 layout  output0 1 x 14 x 256: cx, cy, w, h, then the 10 class scores objectness x class
                   probability (YOLOv8 has no objectness), columns = cells.

Training: each GT box is assigned to the cell holding its centre and the two neighbour cells nearest
to the centre (YOLOv5's rule); loss = 1 - GIoU on those cells + BCE of the objectness against the
detached IoU (0 elsewhere) + BCE of the one-hot class; AdamW with a one-cycle schedule; fresh scenes
every epoch (train split, seed TRAIN_SEED + epoch). Fixed seeds, 2 threads, deterministic algorithms.

Evaluation: mAP@0.5 over the 10 classes, VOC all-point AP, on EVAL_SCENES held-out scenes (test
split, make_detector_scenes.TEST_SEED; the first 16 are the committed ones): proposals scored
objectness x best class probability, score >= 0.001, class-wise NMS at IoU 0.5, a detection is a
true positive when it overlaps an unmatched GT box of its class by IoU >= 0.5, best score first.
Measured with PyTorch and with cv2.dnn running detector_yolov5.onnx.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import cv2
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_detector_scenes as scenes  # noqa: E402
from train_demo_model import fold_batchnorm  # noqa: E402  (folds the Sequentials body and feature)

NUM_CLASSES = len(scenes.LABELS)
SIZE, STRIDE, ANCHOR = scenes.SIZE, 8, 32.0
GRID = SIZE // STRIDE
SEED = 20240618
THREADS = 2
EPOCHS, SCENES_PER_EPOCH, BATCH, LR = 7, 12800, 64, 3e-3
EVAL_SCENES = 1000
OUT = os.path.join(scenes.REPO, "samples", "data", "detector")
FILES = {"yolov5": "detector_yolov5.onnx", "yolov8": "detector_yolov8.onnx"}
FEATURE = "features/relu"

BACKBONE_NAMES = ["conv1", "relu1", "conv2", "relu2", "pool2", "conv3", "relu3", "pool3",
                  "conv4", "relu4", "conv5", "relu5", "features/conv", FEATURE, "head/conv"]
BACKBONE_OPS = ["Conv", "Relu", "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool",
                "Conv", "Relu", "Conv", "Relu", "Conv", "Relu", "Conv"]
DECODE = {   # node names and op types of the decoding, per layout
    "yolov5": [("decode/sigmoid", "Sigmoid"), ("decode/xy", "Slice"), ("decode/xy_scale", "Mul"),
               ("decode/xy_grid", "Add"), ("decode/wh", "Slice"), ("decode/wh_square", "Mul"),
               ("decode/wh_scale", "Mul"), ("decode/conf", "Slice"), ("decode/concat", "Concat"),
               ("decode/reshape", "Reshape"), ("decode/transpose", "Transpose")],
    "yolov8": [("decode/sigmoid", "Sigmoid"), ("decode/xy", "Slice"), ("decode/xy_scale", "Mul"),
               ("decode/xy_grid", "Add"), ("decode/wh", "Slice"), ("decode/wh_square", "Mul"),
               ("decode/wh_scale", "Mul"), ("decode/obj", "Slice"), ("decode/cls", "Slice"),
               ("decode/obj_repeat", "Concat"), ("decode/scores", "Mul"),
               ("decode/concat", "Concat"), ("decode/reshape", "Reshape")],
}


def log(msg):
    print(msg, flush=True)
    if log.file:
        with open(log.file, "a") as f:
            f.write(msg + "\n")


log.file = None


# ------------------------------------------------------------------------------------------ model
def conv_bn_relu(cin, cout, stride=1, dilation=1):
    return [nn.Conv2d(cin, cout, 3, stride, padding=dilation, dilation=dilation, bias=False),
            nn.BatchNorm2d(cout), nn.ReLU()]


class TinyDetector(nn.Module):
    """backbone -> features (Eigen-CAM layer) -> head: raw B x 15 x 16 x 16."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            *conv_bn_relu(3, 16, stride=2),                                       # 16 x 64 x 64
            *conv_bn_relu(16, 32), nn.MaxPool2d(2),                               # 32 x 32 x 32
            *conv_bn_relu(32, 48), nn.MaxPool2d(2),                               # 48 x 16 x 16
            *conv_bn_relu(48, 56), *conv_bn_relu(56, 56, dilation=2))             # 56 x 16 x 16
        self.feature = nn.Sequential(*conv_bn_relu(56, 56))                      # 56 x 16 x 16
        self.head = nn.Conv2d(56, 5 + NUM_CLASSES, 1)

    def forward(self, x):
        return self.head(self.feature(self.body(x)))


def grid_offsets():
    """2 x G x G: (gx - 0.5) * stride, (gy - 0.5) * stride. No batch axis: OpenCV 4.6 imports an
    Add of a constant of lower rank as a broadcasting Scale layer, which takes any batch."""
    gy, gx = torch.meshgrid(torch.arange(GRID), torch.arange(GRID), indexing="ij")
    return (torch.stack([gx, gy]).float() - 0.5) * STRIDE


class Exported(nn.Module):
    """The net with YOLOv5's decoding, in the YOLOv5 or the YOLOv8 layout."""

    def __init__(self, net, layout):
        super().__init__()
        self.net, self.layout = net, layout
        self.register_buffer("grid", grid_offsets())

    def forward(self, x):
        s = torch.sigmoid(self.net(x))
        xy = s[:, 0:2] * (2 * STRIDE) + self.grid
        wh = s[:, 2:4] * s[:, 2:4] * (4 * ANCHOR)
        if self.layout == "yolov5":
            out = torch.cat([xy, wh, s[:, 4:]], 1)
            return out.reshape(-1, 5 + NUM_CLASSES, GRID * GRID).transpose(1, 2)
        # The objectness repeated by a Concat: OpenCV 4.6's Eltwise does not broadcast channels.
        scores = s[:, 5:] * torch.cat([s[:, 4:5]] * NUM_CLASSES, 1)
        return torch.cat([xy, wh, scores], 1).reshape(-1, 4 + NUM_CLASSES, GRID * GRID)


# ------------------------------------------------------------------------------------- numpy side
def to_blob(images_u8):
    """N x 3 x 128 x 128 float32: the grey scenes replicated, / 255 (blobFromImage(img, 1/255.))."""
    x = images_u8.astype(np.float32) / 255.0
    return np.ascontiguousarray(np.repeat(x[:, None], 3, axis=1))


def box_iou(a, b):
    """IoU of boxes a (N x 4) and b (M x 4), x, y, w, h -> N x M."""
    ax2, ay2, bx2, by2 = a[:, 0] + a[:, 2], a[:, 1] + a[:, 3], b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    iw = np.minimum(ax2[:, None], bx2[None]) - np.maximum(a[:, None, 0], b[None, :, 0])
    ih = np.minimum(ay2[:, None], by2[None]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.clip(iw, 0, None) * np.clip(ih, 0, None)
    union = (a[:, 2] * a[:, 3])[:, None] + (b[:, 2] * b[:, 3])[None] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)


def nms(boxes, scores, threshold):
    """Greedy NMS (indices kept, best first) of x, y, w, h boxes."""
    order = np.argsort(-scores, kind="stable")
    keep = []
    while len(order):
        i = order[0]
        keep.append(i)
        rest = order[1:]
        order = rest[box_iou(boxes[i:i + 1], boxes[rest])[0] <= threshold]
    return np.array(keep, np.int64)


def decode_yolov5(out, scale=(1.0, 1.0)):
    """One image's N x (5 + C) YOLOv5 output -> boxes (x, y, w, h; input pixels times scale),
    objectness, class probabilities, classId (argmax), score (objectness x best probability)."""
    sx, sy = scale
    cx, cy, w, h = out[:, 0] * sx, out[:, 1] * sy, out[:, 2] * sx, out[:, 3] * sy
    boxes = np.stack([cx - w / 2, cy - h / 2, w, h], 1)
    probs = out[:, 5:]
    cls = probs.argmax(1)
    return dict(boxes=boxes, objectness=out[:, 4], probs=probs, cls=cls,
                score=out[:, 4] * probs[np.arange(len(out)), cls])


def detect(out, score_threshold, nms_threshold=0.5):
    """Decoded YOLOv5 proposals -> detections after a score threshold and class-wise NMS:
    list of (box, class, score), best first."""
    d = decode_yolov5(out)
    dets = []
    for c in range(NUM_CLASSES):
        idx = np.nonzero((d["cls"] == c) & (d["score"] >= score_threshold))[0]
        for k in idx[nms(d["boxes"][idx], d["score"][idx], nms_threshold)]:
            dets.append((d["boxes"][k], c, float(d["score"][k])))
    return sorted(dets, key=lambda t: -t[2])


def average_precision(recall, precision):
    """VOC all-point interpolated AP."""
    r = np.concatenate([[0.0], recall, [1.0]])
    p = np.concatenate([[0.0], precision, [0.0]])
    p = np.maximum.accumulate(p[::-1])[::-1]
    i = np.nonzero(r[1:] != r[:-1])[0]
    return float(np.sum((r[i + 1] - r[i]) * p[i + 1]))


def mean_ap(outputs, gt_boxes, iou_threshold=0.5):
    """mAP@iou over the classes; outputs: per image the N x 15 YOLOv5 output, gt_boxes: per image
    the (x, y, w, h, class) list. Returns (mAP, per-class AP)."""
    per_class = {c: [] for c in range(NUM_CLASSES)}       # (score, true positive)
    counts = np.zeros(NUM_CLASSES, np.int64)
    for out, gts in zip(outputs, gt_boxes):
        gts = np.array(gts, np.float64).reshape(-1, 5)
        for c in range(NUM_CLASSES):
            counts[c] += int((gts[:, 4] == c).sum())
        used = np.zeros(len(gts), bool)
        for box, c, score in detect(out, 0.001):
            cand = np.nonzero((gts[:, 4] == c) & ~used)[0]
            hit = False
            if len(cand):
                ious = box_iou(box[None], gts[cand, :4])[0]
                j = int(ious.argmax())
                if ious[j] >= iou_threshold:
                    used[cand[j]] = hit = True
            per_class[c].append((score, hit))
    aps = []
    for c in range(NUM_CLASSES):
        rows = sorted(per_class[c], key=lambda t: -t[0])
        tp = np.cumsum([h for _, h in rows]) if rows else np.zeros(0)
        fp = np.cumsum([not h for _, h in rows]) if rows else np.zeros(0)
        aps.append(average_precision(tp / max(counts[c], 1), tp / np.maximum(tp + fp, 1e-12)))
    return float(np.mean(aps)), aps


# --------------------------------------------------------------------------------------- training
def assign_targets(boxes_per_image):
    """Positive cells: rows (image, gy, gx, cx, cy, w, h, class), YOLOv5's three cells per box."""
    rows = []
    for b, boxes in enumerate(boxes_per_image):
        for x, y, w, h, c in boxes:
            cx, cy = x + w / 2, y + h / 2
            gx, gy = int(cx // STRIDE), int(cy // STRIDE)
            fx, fy = cx / STRIDE - gx, cy / STRIDE - gy
            cells = [(gx, gy), (gx - 1 if fx < 0.5 else gx + 1, gy),
                     (gx, gy - 1 if fy < 0.5 else gy + 1)]
            rows += [(b, j, i, cx, cy, w, h, c) for i, j in cells if 0 <= i < GRID and 0 <= j < GRID]
    return torch.tensor(rows, dtype=torch.float32)


def giou(a, b):
    """GIoU of paired cx, cy, w, h boxes (P x 4 each)."""
    a1, a2 = a[:, :2] - a[:, 2:] / 2, a[:, :2] + a[:, 2:] / 2
    b1, b2 = b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2
    inter = (torch.min(a2, b2) - torch.max(a1, b1)).clamp(min=0).prod(1)
    union = a[:, 2:].prod(1) + b[:, 2:].prod(1) - inter
    iou = inter / (union + 1e-7)
    hull = (torch.max(a2, b2) - torch.min(a1, b1)).prod(1)
    return iou - (hull - union) / (hull + 1e-7), iou


def detection_loss(raw, targets):
    """1 - GIoU + 3 x objectness BCE (target: the detached IoU) + 2 x class BCE."""
    b, j, i = (targets[:, k].long() for k in range(3))
    p = raw[b, :, j, i]                                              # P x 15
    s = torch.sigmoid(p[:, :4])
    xy = (s[:, :2] * 2 - 0.5 + torch.stack([i, j], 1).float()) * STRIDE
    wh = (s[:, 2:4] * 2) ** 2 * ANCHOR
    g, iou = giou(torch.cat([xy, wh], 1), targets[:, 3:7])
    tobj = torch.zeros_like(raw[:, 4])
    tobj[b, j, i] = iou.detach().clamp(min=0)
    onehot = F.one_hot(targets[:, 7].long(), NUM_CLASSES).float()
    lbox = (1 - g).mean()
    lobj = F.binary_cross_entropy_with_logits(raw[:, 4], tobj)
    lcls = F.binary_cross_entropy_with_logits(p[:, 5:], onehot)
    return lbox + 3 * lobj + 2 * lcls, (lbox.item(), lobj.item(), lcls.item())


@torch.no_grad()
def torch_outputs(model, images_u8, batch=250):
    """The YOLOv5-layout output of the PyTorch model: N x 256 x 15."""
    exp = Exported(model, "yolov5").eval()
    return np.concatenate([exp(torch.from_numpy(to_blob(images_u8[k:k + batch]))).numpy()
                           for k in range(0, len(images_u8), batch)])


def train(epochs, per_epoch, train_items, eval_set):
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    model = TinyDetector()
    steps = per_epoch // BATCH
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, epochs=epochs, steps_per_epoch=steps)
    start, cpu0 = time.time(), time.process_time()
    for epoch in range(epochs):
        rng = np.random.default_rng(scenes.TRAIN_SEED + epoch)
        data = [scenes.make_scene(rng, *train_items) for _ in range(per_epoch)]
        order = torch.randperm(per_epoch, generator=gen).numpy()
        model.train()
        sums = np.zeros(4)
        for s in range(steps):
            idx = order[s * BATCH:(s + 1) * BATCH]
            x = torch.from_numpy(to_blob(np.stack([data[k][0] for k in idx])))
            targets = assign_targets([data[k][1] for k in idx])
            loss, parts = detection_loss(model(x), targets)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            sums += (loss.item(),) + parts
            if (s + 1) % 50 == 0:
                log(f"  epoch {epoch + 1} step {s + 1}/{steps}: loss {sums[0] / (s + 1):.4f} "
                    f"(box {sums[1] / (s + 1):.4f}, obj {sums[2] / (s + 1):.4f}, "
                    f"cls {sums[3] / (s + 1):.4f}), {time.time() - start:.0f} s")
        model.eval()
        m, _ = mean_ap(torch_outputs(model, eval_set[0]), eval_set[1])
        log(f"epoch {epoch + 1}/{epochs}: loss {sums[0] / steps:.4f}, mAP@0.5 on {len(eval_set[0])} "
            f"held-out scenes {m:.4f}, {time.time() - start:.0f} s wall, "
            f"{time.process_time() - cpu0:.0f} s CPU")
    return model.eval(), time.time() - start, time.process_time() - cpu0


# ----------------------------------------------------------------------------------------- export
def constants_to_initializers(g):
    """Constant nodes become initializers, so that every node left is a layer."""
    for node in [n for n in g.node if n.op_type == "Constant"]:
        t = onnx.TensorProto()
        t.CopyFrom(node.attribute[0].t)
        t.name = node.output[0]
        g.initializer.append(t)
        g.node.remove(node)


def export_onnx(model, layout, path):
    """torch.onnx.export (opset 11) with clean, checked node names; the output is `output0`."""
    tmp = path + ".tmp"
    with torch.no_grad():
        torch.onnx.export(Exported(model, layout).eval(), torch.zeros(1, 3, SIZE, SIZE), tmp,
                          opset_version=11, input_names=["images"], output_names=["output0"],
                          do_constant_folding=True)
    m = onnx.load(tmp)
    os.remove(tmp)
    g = m.graph
    constants_to_initializers(g)
    names = BACKBONE_NAMES + [n for n, _ in DECODE[layout]]
    ops = [n.op_type for n in g.node]
    if ops != BACKBONE_OPS + [o for _, o in DECODE[layout]]:
        raise RuntimeError(f"unexpected exported graph {ops}")
    inits = {i.name for i in g.initializer}
    rename = {}     # tensors named after their node; Conv weights <node>/W, <node>/B
    for node, name in zip(g.node, names):
        node.name = name
        for k, inp in enumerate(node.input):
            if inp in inits and inp not in rename:
                rename[inp] = f"{name}/{'WB'[k - 1]}" if node.op_type == "Conv" else f"{name}/const{k}"
        if node.output[0] != "output0":
            rename[node.output[0]] = name
    for init in g.initializer:
        init.name = rename.get(init.name, init.name)
    for node in g.node:
        node.input[:] = [rename.get(i, i) for i in node.input]
        node.output[:] = [rename.get(o, o) for o in node.output]
    del g.value_info[:]
    g.name = os.path.basename(path)[:-5]
    m.producer_name = "xcam tools/" + os.path.basename(sys.argv[0])
    m.doc_string = (f"Demo detector of Fashion-MNIST items ({', '.join(scenes.LABELS)}); input images "
                    f"1x3x128x128 = grey scene / 255; output0 in the {layout} layout (boxes cx, cy, w, h "
                    f"in input pixels)")
    onnx.checker.check_model(m)
    onnx.save(m, path)


def cv_outputs(net, images_u8, batch=100, layer=None):
    outs = []
    for k in range(0, len(images_u8), batch):
        net.setInput(to_blob(images_u8[k:k + batch]))
        outs.append(net.forward(layer) if layer else net.forward())
    return np.concatenate(outs)


def verify_with_opencv(model, paths, images_u8):
    """cv2.dnn reads both files, names the layers as documented, runs batches, and gives PyTorch's
    outputs (and feature blob) within 1e-4. Returns the YOLOv5-layout outputs of cv2.dnn."""
    results = {}
    with torch.no_grad():
        x = torch.from_numpy(to_blob(images_u8))
        feats = model.feature(model.body(x)).numpy()
    for layout, path in paths.items():
        net = cv2.dnn.readNet(path)
        names = list(net.getLayerNames())
        want = ["onnx_node!" + n for n in BACKBONE_NAMES + [d for d, _ in DECODE[layout]]]
        if [w for w in want if w not in names]:
            raise RuntimeError(f"{path}: cv2.dnn layers {names} lack some of {want}")
        outs = list(net.getUnconnectedOutLayersNames())
        with torch.no_grad():
            ref = np.concatenate([Exported(model, layout)(x[k:k + 250]).numpy()
                                  for k in range(0, len(x), 250)])
        got = cv_outputs(net, images_u8)
        one = cv_outputs(net, images_u8[:3], batch=1)
        feat = cv_outputs(net, images_u8, layer="onnx_node!" + FEATURE)
        err, err1 = float(np.abs(got - ref).max()), float(np.abs(one - ref[:3]).max())
        ferr = float(np.abs(feat - feats).max())
        log(f"  {os.path.basename(path)}: cv2.dnn {cv2.__version__} output {outs} shape "
            f"{list(got.shape[1:])}, layers {names}")
        log(f"  {os.path.basename(path)}: max |cv2.dnn - PyTorch| on {len(x)} scenes: output {err:.2e} "
            f"(batch 100; batch 1: {err1:.2e}), {FEATURE} {ferr:.2e}")
        if max(err, err1, ferr) > 1e-4 or outs != ["output0"]:
            raise RuntimeError(f"{path}: cv2.dnn differs from PyTorch")
        results[layout] = got
    v5, v8 = results["yolov5"], results["yolov8"]
    same = max(float(np.abs(v8[:, :4] - v5[:, :, :4].transpose(0, 2, 1)).max()),
               float(np.abs(v8[:, 4:] - (v5[:, :, 4:5] * v5[:, :, 5:]).transpose(0, 2, 1)).max()))
    log(f"  YOLOv8 file = YOLOv5 file's boxes and objectness x class probabilities within {same:.1e}")
    if same > 1e-5:
        raise RuntimeError("the two layouts disagree")
    return v5


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=scenes.DATA, help="Fashion-MNIST folder")
    ap.add_argument("--out", default=OUT, help="output folder of the two ONNX files")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--scenes-per-epoch", type=int, default=SCENES_PER_EPOCH)
    ap.add_argument("--eval-scenes", type=int, default=EVAL_SCENES)
    ap.add_argument("--log", default=os.path.join(scenes.REPO, "build", "train_demo_detector.log"),
                    help="progress log (appended)")
    args = ap.parse_args()
    os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    log.file = args.log
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    t0 = time.time()

    train_items = scenes.load_split("train", args.data)
    eval_set = scenes.make_scenes("test", args.eval_scenes, scenes.TEST_SEED, args.data)
    log(f"train_demo_detector: torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"{args.epochs} epochs x {args.scenes_per_epoch} scenes; {len(eval_set[0])} held-out scenes "
        f"({sum(map(len, eval_set[1]))} items)")
    model, seconds, cpu = train(args.epochs, args.scenes_per_epoch, train_items,
                                (eval_set[0][:500], eval_set[1][:500]))
    fused = fold_batchnorm(model)
    paths = {layout: os.path.join(args.out, f) for layout, f in FILES.items()}
    for layout, path in paths.items():
        export_onnx(fused, layout, path)
    cv_out = verify_with_opencv(fused, paths, eval_set[0])
    m_torch, ap_torch = mean_ap(torch_outputs(fused, eval_set[0]), eval_set[1])
    m_cv, ap_cv = mean_ap(cv_out, eval_set[1])
    params = sum(p.numel() for p in fused.parameters())
    log(f"\nsummary: {params} parameters; " + ", ".join(f"{os.path.basename(p)} {os.path.getsize(p)} "
                                                         f"bytes" for p in paths.values()))
    log(f"  training {seconds:.0f} s wall, {cpu:.0f} s CPU ({args.epochs} epochs)")
    log(f"  mAP@0.5 on {len(eval_set[0])} held-out scenes: PyTorch {m_torch:.4f}, cv2.dnn {m_cv:.4f}")
    log("  AP per class (PyTorch / cv2.dnn): " + ", ".join(
        f"{scenes.LABELS[c]} {a:.3f}/{b:.3f}" for c, (a, b) in enumerate(zip(ap_torch, ap_cv))))
    log(f"  total wall time {time.time() - t0:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
