#!/usr/bin/python3
"""Independent numpy D-RISE and detector occlusion, exactly as xcam defines them for detectors (the
definition below), over nets run by Debian's cv2.dnn: the oracle for cv::xcam::DetectorModel.

D-RISE: Petsiuk et al., "Black-box Explanation of Object Detectors via Saliency Maps", CVPR 2021
(MATLAB's `drise` where the paper is silent). For a target t (box B_t, class vector P_t, objectness):
  masks   N RISE masks at the network input resolution H x W: an s x s grid of cells kept with
          probability p (numpy's RNG), upsampled bilinearly (cv::resize INTER_LINEAR semantics,
          written here as interpolation matrices) to (s+1)*cell, cell = ceil(size/s) per axis,
          shifted by a random offset in [0, cell) per axis, cropped to H x W; antithetic pairs
          (a grid, then its complement with the same shift) when asked;
  input   blob * M_i (every channel; NHWC: per pixel across the last axis): masked pixels take the
          blob's zero, the mean colour after preprocessing;
  weight  w_i = max over ALL proposals d of the masked input (no threshold, no NMS) of
          IoU(B_t, B_d) * cos(P_t, P_d) * O_d (cos = 1 without class vector; O_d = 1 without
          objectness), 0 without proposals;
  map     S = sum_i w_i M_i / (N p) at H x W, resized to the image with cv2.resize INTER_LINEAR.
  Variant "centred" (not xcam's definition; measured here): sum_i (w_i - mean w) M_i / (N p).
Occlusion: s_0 = max_d s(t, d) unoccluded; a square patch of the blob's zero at 0, stride, 2 stride,
..., the last touching the border; window value s_0 - max_d s(t, d_occluded); each pixel averages
the windows covering it; resized to the image size (INTER_LINEAR). Patch ceil(min(H, W)/7), stride
ceil(patch/2) (xcam's defaults).

Detectors:
  demo       samples/data/detector/detector_yolov5.onnx, input 1x3x128x128 = image / 255 (grey
             replicated: cv2.imread(IMREAD_COLOR) of the grey PNG), YOLOv5 layout 1 x 256 x 15.
  blazeface  $XCAM_SHARED/models/blazeface_front_128 (default <repo>/../shared): NHWC 1x128x128x3,
             (RGB - 127.5) / 127.5, decoding of its README (896 anchors, sigmoid score, one class,
             objectness = score, no class vector).

Commands (Debian's python3 with numpy and cv2 4.6; torch too, as the YOLOv5 decoding, IoU and NMS
come from tools/train_demo_detector.py):
  /usr/bin/python3 tools/drise_reference.py fixtures     # samples/data/detector/oracle/*.yml.gz
  /usr/bin/python3 tools/drise_reference.py variance     # seed-to-seed correlation vs mask count
  /usr/bin/python3 tools/drise_reference.py pointing     # pointing game on held-out demo scenes
"""
import argparse
import json
import os
import sys
import time

import numpy as np

import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_detector_scenes as scenes  # noqa: E402
from train_demo_detector import box_iou, decode_yolov5, nms  # noqa: E402

REPO = scenes.REPO
DETDIR = os.path.join(REPO, "samples", "data", "detector")
SHARED = os.environ.get("XCAM_SHARED", os.path.join(os.path.dirname(REPO), "shared"))
GRID, KEEP = 16, 0.5
FIXTURE_SIZE = (32, 32)          # maps stored after cv2.resize(..., INTER_AREA) to this size


# ------------------------------------------------------------------------------------ small maths
def pearson(a, b):
    a, b = a.ravel().astype(np.float64), b.ravel().astype(np.float64)
    a, b = a - a.mean(), b - b.mean()
    den = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / den) if den > 0 else 0.0


def iou_one(box, boxes):
    """IoU of one x, y, w, h box with N boxes."""
    return box_iou(np.asarray(box)[None], boxes)[0]


def linear_matrix(n_in, n_out):
    """n_out x n_in matrix of cv::resize INTER_LINEAR along one axis (half-pixel centres, the
    source index clamped to the border)."""
    m = np.zeros((n_out, n_in))
    for i in range(n_out):
        f = (i + 0.5) * n_in / n_out - 0.5
        k = int(np.floor(f))
        t = f - k
        if k < 0:
            k, t = 0, 0.0
        if k >= n_in - 1:
            k, t = n_in - 1, 0.0
        m[i, k] += 1 - t
        if t > 0:
            m[i, k + 1] += t
    return m


# ------------------------------------------------------------------------------------------ masks
class MaskSource:
    """RISE masks of drise.md drawn with numpy's RNG, `count` at a time (H x W float32 each)."""

    def __init__(self, seed, height, width, grid=GRID, keep=KEEP, antithetic=True):
        self.rng = np.random.default_rng(seed)
        self.h, self.w, self.s, self.p, self.anti = height, width, grid, keep, antithetic
        self.ch, self.cw = -(-height // grid), -(-width // grid)
        self.ry = linear_matrix(grid, (grid + 1) * self.ch).astype(np.float32)
        self.rx = linear_matrix(grid, (grid + 1) * self.cw).astype(np.float32)
        self.pending = None                      # the complement still owed by an antithetic pair

    def _draw(self):
        if self.pending is not None:
            grid, shift, self.pending = self.pending[0], self.pending[1], None
            return grid, shift
        grid = (self.rng.random((self.s, self.s)) < self.p).astype(np.float32)
        shift = (int(self.rng.integers(self.cw)), int(self.rng.integers(self.ch)))
        if self.anti:
            self.pending = (1 - grid, shift)
        return grid, shift

    def next(self, count):
        out = np.empty((count, self.h, self.w), np.float32)
        for i in range(count):
            grid, (sx, sy) = self._draw()
            out[i] = self.ry[sy:sy + self.h] @ grid @ self.rx[sx:sx + self.w].T
        return out


def check_masks_against_cv2():
    """The interpolation matrices give cv2.resize INTER_LINEAR's upsampling."""
    rng = np.random.default_rng(0)
    worst = 0.0
    for s, size in ((16, 128), (7, 100), (8, 224)):
        g = (rng.random((s, s)) < 0.5).astype(np.float32)
        cell = -(-size // s)
        want = cv2.resize(g, ((s + 1) * cell, (s + 1) * cell), interpolation=cv2.INTER_LINEAR)
        r = linear_matrix(s, (s + 1) * cell)
        worst = max(worst, float(np.abs(r @ g @ r.T - want).max()))
    if worst > 1e-5:
        raise RuntimeError(f"mask upsampling differs from cv2.resize by {worst}")
    return worst


# -------------------------------------------------------------------------------------- detectors
class DemoDetector:
    """The demo detector (YOLOv5 layout), batched forwards."""
    name, nms_threshold, batch = "demo", 0.5, 100
    input_size = (scenes.SIZE, scenes.SIZE)
    preprocessing = dict(scale=1 / 255.0, mean=0.0, swap_rb=0, nhwc=0)

    def __init__(self, path=os.path.join(DETDIR, "detector_yolov5.onnx")):
        self.path, self.net = path, cv2.dnn.readNet(path)

    def blob(self, image):
        return cv2.dnn.blobFromImage(image, 1 / 255.0, self.input_size, 0, swapRB=False)

    def masked(self, blob, masks):
        return blob * masks[:, None]                           # N x 3 x H x W

    def forward(self, blobs, image_size):
        self.net.setInput(np.ascontiguousarray(blobs, np.float32))
        out = self.net.forward().astype(np.float64)
        scale = (image_size[0] / self.input_size[0], image_size[1] / self.input_size[1])
        return [decode_yolov5(o, scale) for o in out]


def blazeface_anchors():
    """896 anchor centres (x, y), units of the input: 16x16 cells x 2, then 8x8 cells x 6."""
    rows = []
    for cells, per in ((16, 2), (8, 6)):
        for y in range(cells):
            for x in range(cells):
                rows += [((x + 0.5) / cells, (y + 0.5) / cells)] * per
    return np.array(rows)


class BlazeFace:
    """MediaPipe BlazeFace of ../shared (NHWC, one blob per forward: OpenCV 4.6 runs batch 1 only)."""
    name, nms_threshold, batch = "blazeface", 0.3, 1
    input_size = (128, 128)
    preprocessing = dict(scale=1 / 127.5, mean=127.5, swap_rb=1, nhwc=1)
    outputs = ["Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"]

    def __init__(self, path=os.path.join(SHARED, "models", "blazeface_front_128",
                                         "blazeface_front_128.onnx")):
        self.path, self.net = path, cv2.dnn.readNet(path)
        self.anchors = blazeface_anchors()

    def blob(self, image):
        b = cv2.dnn.blobFromImage(image, 1 / 127.5, self.input_size, (127.5,) * 3, swapRB=True)
        return np.ascontiguousarray(b.transpose(0, 2, 3, 1))  # 1 x 128 x 128 x 3

    def masked(self, blob, masks):
        return blob * masks[..., None]                         # N x H x W x 3

    def decode(self, outs, image_size):
        logits = np.concatenate([outs[0][0, :, 0], outs[1][0, :, 0]]).astype(np.float64)
        r = np.concatenate([outs[2][0], outs[3][0]]).astype(np.float64)
        iw, ih = image_size
        w, h = r[:, 2] / 128 * iw, r[:, 3] / 128 * ih
        cx = (self.anchors[:, 0] + r[:, 0] / 128) * iw
        cy = (self.anchors[:, 1] + r[:, 1] / 128) * ih
        score = 1 / (1 + np.exp(-logits))
        return dict(boxes=np.stack([cx - w / 2, cy - h / 2, w, h], 1), objectness=score, probs=None)

    def forward(self, blobs, image_size):
        props = []
        for b in blobs:
            self.net.setInput(np.ascontiguousarray(b[None], np.float32))
            props.append(self.decode(self.net.forward(self.outputs), image_size))
        return props


def detections(det, image, threshold):
    """Targets of the unmasked image: score >= threshold, class-wise NMS (the detector's IoU).
    Each: box, cls, score (objectness x best probability, or the face score), objectness, probs."""
    size = (image.shape[1], image.shape[0])
    p = det.forward(det.blob(image), size)[0]
    if p["probs"] is None:
        cls, score = np.zeros(len(p["boxes"]), int), p["objectness"]
    else:
        cls = p["probs"].argmax(1)
        score = p["objectness"] * p["probs"][np.arange(len(cls)), cls]
    found = []
    for c in np.unique(cls):
        idx = np.nonzero((cls == c) & (score >= threshold))[0]
        for k in idx[nms(p["boxes"][idx], score[idx], det.nms_threshold)]:
            found.append(dict(box=p["boxes"][k], cls=int(c), score=float(score[k]),
                              objectness=float(p["objectness"][k]),
                              probs=None if p["probs"] is None else p["probs"][k]))
    return sorted(found, key=lambda t: -t["score"])


def max_similarity(target, props):
    """max over the proposals of IoU x cos(class vectors) x objectness (0 without proposals)."""
    if len(props["boxes"]) == 0:
        return 0.0
    s = iou_one(target["box"], props["boxes"]) * props["objectness"]
    if target["probs"] is not None:
        pt, pd = target["probs"], props["probs"]
        norms = np.linalg.norm(pd, axis=1) * np.linalg.norm(pt)
        s = s * np.where(norms > 0, pd @ pt / np.maximum(norms, 1e-300), 0.0)
    return float(s.max())


# ----------------------------------------------------------------------------- D-RISE, occlusion
def drise(det, image, targets, counts, seed, antithetic=True):
    """{n: (plain, centred)} for each n of `counts` (the first n masks of one stream): per target,
    the D-RISE map at the image size; `centred` subtracts the mean weight (not xcam's definition)."""
    blob = det.blob(image)
    w_in, h_in = det.input_size
    size = (image.shape[1], image.shape[0])
    src = MaskSource(seed, h_in, w_in, antithetic=antithetic)
    sum_wm = np.zeros((len(targets), h_in * w_in))
    sum_m, sum_w = np.zeros(h_in * w_in), np.zeros(len(targets))
    done, results = 0, {}
    for goal in sorted(counts):
        while done < goal:
            k = min(det.batch if det.batch > 1 else 50, goal - done)
            masks = src.next(k)
            props = det.forward(det.masked(blob, masks), size)
            w = np.array([[max_similarity(t, p) for t in targets] for p in props])   # k x T
            flat = masks.reshape(k, -1).astype(np.float64)
            sum_wm += w.T @ flat
            sum_m += flat.sum(0)
            sum_w += w.sum(0)
            done += k
        plain = sum_wm / (done * KEEP)
        centred = (sum_wm - (sum_w / done)[:, None] * sum_m[None]) / (done * KEEP)
        results[goal] = tuple([to_image(m.reshape(h_in, w_in), size) for m in maps]
                              for maps in (plain, centred))
    return results


def to_image(m, size):
    return cv2.resize(m.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)


def window_starts(size, patch, stride):
    starts = list(range(0, size - patch, stride))
    return starts + [size - patch]


def occlusion_params(det):
    patch = -(-min(det.input_size) // 7)
    return patch, -(-patch // 2)


def occlusion(det, image, targets):
    """Per target, the occlusion map at the image size (patch ceil(min(H, W)/7), stride ceil(patch/2),
    xcam's defaults)."""
    blob = det.blob(image)
    w_in, h_in = det.input_size
    size = (image.shape[1], image.shape[0])
    patch, stride = occlusion_params(det)
    windows = [(x, y) for y in window_starts(h_in, patch, stride)
               for x in window_starts(w_in, patch, stride)]
    props0 = det.forward(blob, size)[0]
    s0 = np.array([max_similarity(t, props0) for t in targets])
    acc, counts = np.zeros((len(targets), h_in, w_in)), np.zeros((h_in, w_in))
    for start in range(0, len(windows), 50):
        part = windows[start:start + 50]
        masks = np.ones((len(part), h_in, w_in), np.float32)
        for m, (x, y) in zip(masks, part):
            m[y:y + patch, x:x + patch] = 0
        props = det.forward(det.masked(blob, masks), size)
        for (x, y), p in zip(part, props):
            counts[y:y + patch, x:x + patch] += 1
            for j, t in enumerate(targets):
                acc[j, y:y + patch, x:x + patch] += s0[j] - max_similarity(t, p)
    return [to_image(a / np.maximum(counts, 1), size) for a in acc], s0


# --------------------------------------------------------------------------------------- fixtures
DEMO_FIXTURE_SCENES = [0, 1, 2, 3]
THRESHOLDS = {"demo": 0.3, "blazeface": 0.5}     # targets: detections at this score or above
FACE_IMAGES = ["astronaut.png", "grace_hopper.bmp"]
SEEDS = (1, 2)


def read_image(path):
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"drise_reference: error: cannot read {path}")
    return image


def cases(which):
    """(detector, root, relative image path, image) for 'demo' scenes or 'faces'."""
    if which == "demo":
        det = DemoDetector()
        for i in DEMO_FIXTURE_SCENES:
            rel = f"samples/data/detector/{scenes.scene_name(i)}"
            yield det, "repo", rel, read_image(os.path.join(REPO, rel))
    else:
        det = BlazeFace()
        for name in FACE_IMAGES:
            yield det, "shared", f"images/{name}", read_image(os.path.join(SHARED, "images", name))


def small(m):
    return cv2.resize(m, FIXTURE_SIZE, interpolation=cv2.INTER_AREA)


def write_fixture(path, det, root, rel_image, image, targets, n):
    """One image's targets, numpy D-RISE (seed SEEDS[0], n antithetic masks) and occlusion maps."""
    maps = [drise(det, image, targets, [n], s)[n][0] for s in SEEDS]
    occ, s0 = occlusion(det, image, targets)
    tmp = path[:-len(".yml.gz")] + ".tmp.yml.gz"
    fs = cv2.FileStorage(tmp, cv2.FILE_STORAGE_WRITE)
    model = os.path.relpath(det.path, REPO if root == "repo" else SHARED)
    for key, value in (("detector", det.name), ("root", root), ("model", model),
                       ("image", rel_image), ("image_width", image.shape[1]),
                       ("image_height", image.shape[0]), ("input_width", det.input_size[0]),
                       ("input_height", det.input_size[1]), ("grid_size", GRID),
                       ("keep_probability", KEEP), ("num_masks", n), ("antithetic", 1),
                       ("occlusion_patch", occlusion_params(det)[0]),
                       ("occlusion_stride", occlusion_params(det)[1]),
                       ("map_width", FIXTURE_SIZE[0]), ("map_height", FIXTURE_SIZE[1]),
                       ("num_targets", len(targets))) + tuple(det.preprocessing.items()):
        fs.write(key, value)
    summary = []
    for k, t in enumerate(targets):
        fs.write(f"target_{k}_box", np.array([t["box"]], np.float32))
        fs.write(f"target_{k}_class", t["cls"])
        fs.write(f"target_{k}_score", t["score"])
        fs.write(f"target_{k}_objectness", t["objectness"])
        if t["probs"] is not None:
            fs.write(f"target_{k}_class_probs", np.array([t["probs"]], np.float32))
        corr = pearson(small(maps[0][k]), small(maps[1][k]))
        fs.write(f"drise_{k}", small(maps[0][k]))
        fs.write(f"drise_seed_corr_{k}", corr)
        fs.write(f"drise_seed_corr_full_{k}", pearson(maps[0][k], maps[1][k]))
        fs.write(f"occlusion_{k}", small(occ[k]))
        fs.write(f"occlusion_s0_{k}", float(s0[k]))
        summary.append(f"target {k}: class {t['cls']} score {t['score']:.3f} box "
                       f"{np.round(t['box'], 1).tolist()} seed corr {corr:.3f}")
    fs.release()
    os.replace(tmp, path)
    return summary


def cmd_fixtures(args):
    out = os.path.join(DETDIR, "oracle")
    os.makedirs(out, exist_ok=True)
    for which, n in (("demo", args.demo_masks), ("faces", args.face_masks)):
        for det, root, rel, image in cases(which):
            targets = detections(det, image, THRESHOLDS[det.name])
            stem = os.path.splitext(os.path.basename(rel))[0]
            path = os.path.join(out, f"drise_{det.name}_{stem}.yml.gz")
            t0 = time.time()
            lines = write_fixture(path, det, root, rel, image, targets, n)
            print(f"{os.path.relpath(path, REPO)} ({os.path.getsize(path)} bytes, "
                  f"{time.time() - t0:.0f} s):\n  " + "\n  ".join(lines), flush=True)


# --------------------------------------------------------------------------------------- variance
def peak_in(m, box, tolerance=0):
    """Pointing game hit: the peak pixel lies in the box grown by `tolerance` pixels per side."""
    y, x = np.unravel_index(int(np.argmax(m)), m.shape)
    return bool(box[0] - tolerance <= x < box[0] + box[2] + tolerance and
                box[1] - tolerance <= y < box[1] + box[3] + tolerance)


def variance_rows(det, image, targets, counts):
    """Per mask mode and count: seed-to-seed Pearson (image size) and peak-in-box of each target."""
    rows = []
    for mode, anti in (("antithetic", True), ("independent", False)):
        runs = [drise(det, image, targets, counts, s, antithetic=anti) for s in SEEDS]
        for n in counts:
            for variant, v in (("plain", 0), ("centred", 1)):
                if anti and variant == "centred":
                    continue       # antithetic: sum_i M_i = N/2 everywhere, centring adds a constant
                for k, t in enumerate(targets):
                    a, b = runs[0][n][v][k], runs[1][n][v][k]
                    rows.append(dict(mode=mode if variant == "plain" else "independent, centred",
                                     masks=n, target=k, corr=pearson(a, b),
                                     peak_in_box=[peak_in(a, t["box"]), peak_in(b, t["box"])]))
    return rows


def cmd_variance(args):
    counts = [int(c) for c in args.counts.split(",")]
    report = []
    for which in args.which.split(","):
        for det, root, rel, image in cases(which):
            if which == "demo" and rel[-7:-4] not in args.scenes.split(","):
                continue
            targets = detections(det, image, THRESHOLDS[det.name])
            t0 = time.time()
            rows = variance_rows(det, image, targets, counts)
            for r in rows:
                r.update(image=os.path.basename(rel), detector=det.name)
                print(json.dumps(r), flush=True)
            report += rows
            print(f"# {rel}: {len(targets)} targets, {time.time() - t0:.0f} s", flush=True)
    print(markdown_table(report, counts))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=0)


def markdown_table(rows, counts):
    """Seed-to-seed Pearson per image/target and mode against the mask count; the first count
    reaching 0.9; peaks in the target's box (both seeds, every count)."""
    lines = ["| image (target) | estimator \\ masks | " + " | ".join(map(str, counts)) + " | >= 0.9 from | peak in box |",
             "|---|---|" + "---:|" * len(counts) + "---:|---:|"]
    keys = sorted({(r["image"], r["target"], r["mode"]) for r in rows},
                  key=lambda k: (k[0], k[1], ["antithetic", "independent",
                                              "independent, centred"].index(k[2])))
    for image, target, mode in keys:
        sel = {r["masks"]: r for r in rows if (r["image"], r["target"], r["mode"]) == (image, target, mode)}
        corr = [sel[n]["corr"] for n in counts]
        first = next((str(n) for n, c in zip(counts, corr) if c >= 0.9), f"> {counts[-1]}")
        peaks = [p for n in counts for p in sel[n]["peak_in_box"]]
        lines.append(f"| {image} ({target}) | {mode} | " + " | ".join(f"{c:.3f}" for c in corr)
                     + f" | {first} | {sum(peaks)}/{len(peaks)} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------- pointing
def item_targets(det, image, gts, threshold):
    """For each GT item, the highest-scoring detection overlapping it by IoU >= 0.5 (or None)."""
    found = detections(det, image, threshold)
    out = []
    for g in gts:
        match = [t for t in found if iou_one(np.array(g[:4], float), t["box"][None])[0] >= 0.5]
        out.append(match[0] if match else None)
    return out


def cmd_pointing(args):
    det = DemoDetector()
    imgs, boxes = scenes.make_scenes("test", args.count, scenes.TEST_SEED)
    tolerances = (0, 2, 4, 8)
    hits = {(m, tol): 0 for m in ("drise", "occlusion") for tol in tolerances}
    items = matched = 0
    for i, (grey, gts) in enumerate(zip(imgs, boxes)):
        image = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
        targets = item_targets(det, image, gts, args.threshold)
        pairs = [(g, t) for g, t in zip(gts, targets) if t is not None]
        items, matched = items + len(gts), matched + len(pairs)
        if not pairs:
            continue
        tg = [t for _, t in pairs]
        maps = {"drise": drise(det, image, tg, [args.masks], SEEDS[0])[args.masks][0],
                "occlusion": occlusion(det, image, tg)[0]}
        for (name, tol) in hits:
            hits[name, tol] += sum(peak_in(m, g[:4], tol) for m, (g, _) in zip(maps[name], pairs))
        print(f"scene {i}: {len(gts)} items, {len(pairs)} detected; strict hits so far D-RISE "
              f"{hits['drise', 0]}/{matched}, occlusion {hits['occlusion', 0]}/{matched}", flush=True)
    print(f"pointing game on {args.count} held-out scenes ({items} items, {matched} with a detection "
          f"of score >= {args.threshold} and IoU >= 0.5); D-RISE: {args.masks} antithetic masks, grid "
          f"{GRID}; occlusion: patch {occlusion_params(det)[0]}, stride {occlusion_params(det)[1]}")
    for tol in tolerances:
        print(f"  tolerance {tol} px: " + ", ".join(
            f"{name} {hits[name, tol]}/{matched} = {hits[name, tol] / max(matched, 1):.3f}"
            for name in ("drise", "occlusion")))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fixtures", help="write samples/data/detector/oracle/*.yml.gz")
    f.add_argument("--demo-masks", type=int, default=8000)
    f.add_argument("--face-masks", type=int, default=8000)
    v = sub.add_parser("variance", help="seed-to-seed correlation against the mask count")
    v.add_argument("--which", default="faces,demo")
    v.add_argument("--scenes", default="000,001", help="demo scenes (3-digit indices)")
    v.add_argument("--counts", default="250,500,1000,2000,4000,8000")
    v.add_argument("--json", default="")
    p = sub.add_parser("pointing", help="pointing game on held-out demo scenes")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--masks", type=int, default=2000)
    p.add_argument("--threshold", type=float, default=0.25)
    args = ap.parse_args()
    check_masks_against_cv2()
    {"fixtures": cmd_fixtures, "variance": cmd_variance, "pointing": cmd_pointing}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
