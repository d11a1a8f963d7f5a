#!/usr/bin/python3
"""Scenes for the demo detector: Fashion-MNIST items placed on a larger, mildly textured canvas,
with the tight box of every item's visible pixels. Deterministic from a seed.

Dependencies (Debian bookworm, nothing from pip):

    apt-get install -y python3-numpy python3-opencv dataset-fashion-mnist

    /usr/bin/python3 tools/make_detector_scenes.py          # the 16 held-out scenes of samples/data/detector
    /usr/bin/python3 tools/make_detector_scenes.py --split train --count 100 --seed 7 --out /tmp/scenes

A scene (SIZE x SIZE grey, uint8):
  background  a smooth random field (4x4 normal values upsampled bilinearly; mean 40, +-12) plus
              per-pixel noise (sigma 4): "empty" is neither black nor flat;
  items       MIN_ITEMS..MAX_ITEMS Fashion-MNIST images of the chosen split, each resized from 28x28 to
              side SCALE_RANGE x 28 px (aspect ratio jittered by ASPECT_JITTER), placed at a random
              position without overlapping another item's box (MARGIN px apart); alpha = v / ALPHA_FULL
              clipped to [0, 1] (v the resized item's grey value: the item's black surround is
              transparent, its body opaque), composite = (1 - alpha) bg + alpha v;
  boxes       the tight box of the item's visible pixels (alpha >= 0.5), in scene pixels:
              x, y (top-left, inclusive), w, h, class (the Fashion-MNIST label 0..9).

Train scenes come from the train split, held-out scenes from the test split (another seed), so the
detector never sees a held-out item. The committed scenes (samples/data/detector) are the first 16
of the held-out set that tools/train_demo_detector.py evaluates on (TEST_SEED).

Output (--out): scene_<i>.png (i zero-padded to 3 digits) and boxes.csv, `image,x,y,w,h,class` as
samples/data/shared_images_boxes.csv (read by cv::xcam::readBoxes and xcam_eval --boxes).
"""
import argparse
import gzip
import os
import sys

import numpy as np

import cv2

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = "/usr/share/datasets/fashion-mnist"
LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SIZE = 128
MIN_ITEMS, MAX_ITEMS = 2, 5
SCALE_RANGE = (1.0, 2.0)       # item side = 28 * scale (before the aspect jitter)
ASPECT_JITTER = 0.15           # width and height scaled by exp(+-u), u <= jitter / 2
MARGIN = 2                     # pixels between item boxes
ALPHA_FULL = 10.0              # grey value from which an item pixel is opaque
TRAIN_SEED = 1001
TEST_SEED = 2002
COMMITTED = 16                 # scenes written to samples/data/detector


def load_split(split, folder=DATA):
    """Fashion-MNIST images (N x 28 x 28 uint8) and labels of 'train' or 'test'."""
    stem = "train" if split == "train" else "t10k"

    def read(name, header):
        with gzip.open(os.path.join(folder, name), "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=header)

    images = read(f"{stem}-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
    labels = read(f"{stem}-labels-idx1-ubyte.gz", 8).astype(np.int64)
    return images, labels


def background(rng, size=SIZE):
    """A smooth random field plus fine noise, float32 in about [10, 70]."""
    coarse = rng.normal(0.0, 1.0, (4, 4)).astype(np.float32)
    smooth = cv2.resize(coarse, (size, size), interpolation=cv2.INTER_LINEAR)
    fine = rng.normal(0.0, 4.0, (size, size)).astype(np.float32)
    return 40.0 + 12.0 * smooth + fine


def item_layer(rng, item):
    """The item resized to its random size: grey values and alpha, float32."""
    side = 28.0 * rng.uniform(*SCALE_RANGE)
    aspect = np.exp(rng.uniform(-ASPECT_JITTER, ASPECT_JITTER) / 2)
    w, h = max(8, int(round(side * aspect))), max(8, int(round(side / aspect)))
    v = cv2.resize(item.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    v = np.clip(v, 0, 255)
    return v, np.clip(v / ALPHA_FULL, 0.0, 1.0)


def tight_box(alpha):
    """(x, y, w, h) of the pixels with alpha >= 0.5 inside the layer, or None."""
    ys, xs = np.nonzero(alpha >= 0.5)
    if len(xs) == 0:
        return None
    return xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1


def overlaps(box, boxes, margin=MARGIN):
    x, y, w, h = box
    return any(x < bx + bw + margin and bx < x + w + margin and
               y < by + bh + margin and by < y + h + margin for bx, by, bw, bh, _ in boxes)


def make_scene(rng, images, labels, size=SIZE):
    """One scene: (uint8 size x size image, list of (x, y, w, h, class))."""
    canvas = background(rng, size)
    boxes = []
    wanted = rng.integers(MIN_ITEMS, MAX_ITEMS + 1)
    for _ in range(50):                                  # placement attempts
        if len(boxes) == wanted:
            break
        k = rng.integers(len(images))
        v, alpha = item_layer(rng, images[k])
        h, w = v.shape
        if w > size or h > size:
            continue
        x0, y0 = rng.integers(0, size - w + 1), rng.integers(0, size - h + 1)
        inner = tight_box(alpha)
        if inner is None:
            continue
        box = (x0 + inner[0], y0 + inner[1], inner[2], inner[3])
        if overlaps(box, boxes):
            continue
        region = canvas[y0:y0 + h, x0:x0 + w]
        canvas[y0:y0 + h, x0:x0 + w] = (1 - alpha) * region + alpha * v
        boxes.append(tuple(int(b) for b in box) + (int(labels[k]),))
    return np.clip(np.rint(canvas), 0, 255).astype(np.uint8), boxes


def make_scenes(split, count, seed, folder=DATA):
    """count scenes from the split's items: (count x SIZE x SIZE uint8, list of box lists)."""
    images, labels = load_split(split, folder)
    rng = np.random.default_rng(seed)
    scenes = np.empty((count, SIZE, SIZE), np.uint8)
    boxes = []
    for i in range(count):
        scenes[i], b = make_scene(rng, images, labels)
        boxes.append(b)
    return scenes, boxes


def scene_name(i):
    return f"scene_{i:03d}.png"


def write_scenes(out, scenes, boxes, note):
    """PNGs and boxes.csv (image,x,y,w,h,class) into `out`."""
    os.makedirs(out, exist_ok=True)
    lines = ["image,x,y,w,h,class", f"# {note}",
             "# x, y, w, h: tight box of the item's visible pixels (scene pixels); class: Fashion-MNIST "
             "label (" + ", ".join(f"{i} {n}" for i, n in enumerate(LABELS)) + ")"]
    for i, (img, bs) in enumerate(zip(scenes, boxes)):
        path = os.path.join(out, scene_name(i))
        cv2.imwrite(path, img)
        assert np.array_equal(cv2.imread(path, cv2.IMREAD_GRAYSCALE), img)
        lines += [f"{scene_name(i)},{x},{y},{w},{h},{c}" for x, y, w, h, c in bs]
    with open(os.path.join(out, "boxes.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["train", "test"], default="test")
    ap.add_argument("--count", type=int, default=COMMITTED)
    ap.add_argument("--seed", type=int, default=None,
                    help=f"default: {TEST_SEED} for test, {TRAIN_SEED} for train")
    ap.add_argument("--data", default=DATA, help="Fashion-MNIST folder (Debian dataset-fashion-mnist)")
    ap.add_argument("--out", default=os.path.join(REPO, "samples", "data", "detector"))
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else (TEST_SEED if args.split == "test" else TRAIN_SEED)
    scenes, boxes = make_scenes(args.split, args.count, seed, args.data)
    write_scenes(args.out, scenes, boxes,
                 f"tools/make_detector_scenes.py --split {args.split} --count {args.count} --seed {seed}")
    print(f"wrote {args.count} scenes ({sum(map(len, boxes))} items) and boxes.csv to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
