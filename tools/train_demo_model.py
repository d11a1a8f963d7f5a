#!/usr/bin/python3
"""Train the two small CAM-ready Fashion-MNIST classifiers of samples/data and write the oracle
fixtures test/test_oracle.cpp checks xcam against.

Dependencies (Debian bookworm, nothing from pip):

    apt-get install -y python3-torch python3-onnx python3-numpy python3-opencv dataset-fashion-mnist

Run it with Debian's Python (it needs Debian's torch, onnx and cv2), from anywhere:

    /usr/bin/python3 tools/train_demo_model.py            # writes samples/data/ of this repository
    /usr/bin/python3 tools/train_demo_model.py --help     # dataset folder, output folder, epochs

It takes 6 to 10 minutes on 2 CPU cores: about 45 s per epoch and model on an idle machine (4 epochs
each, ~6 min of training); the run that wrote samples/data, with compile jobs competing for the
cores, trained for 525 s and took 10 min in all (export, cv2.dnn checks and fixtures included).

What it writes (into --out, default <repo>/samples/data):
  fashion_gapfc.onnx     conv blocks -> last conv -> ReLU ("features/relu", 64x7x7)
                         -> GlobalAveragePool ("gap") -> Flatten -> Gemm ("fc", 64->10) -> Softmax ("prob")
  fashion_classmap.onnx  conv blocks -> 1x1 conv to 10 channels -> ReLU ("classmap/relu", 10x7x7)
                         -> GlobalAveragePool ("gap") -> Flatten -> Softmax ("prob")
  fashion_labels.txt     the 10 class names, in output order
  images/<index>_<class>.png   8 Fashion-MNIST TEST images (28x28 grey): the first image of each of the
                         first 8 distinct classes met in test-set order
  oracle/<model>_<image>.yml   cv::FileStorage YAML per model and image, computed by PyTorch on
                         img.astype(float32)/255 (the blob cv::dnn::blobFromImage(img, 1/255.) makes):
                         logits (1x10, pre-softmax), probs (1x10), label (ground truth), pred (argmax),
                         feature_shape (1x4: N, C, H, W), and for every class c in 0..9
                           cam_<c>      the raw CAM, sum_k W[c,k] A_k without bias (GAP->FC), or the
                                        class-map channel c itself (class-map model);
                           gradcam_<c>  Grad-CAM by autograd: alpha_k = spatial mean of
                                        d logit_c / d A_k, ReLU(sum_k alpha_k A_k), NOT normalized.
The input is 1x1x28x28, x/255: cv::dnn scale 1/255, mean 0, no swapRB (xcam_cam options
--width=28 --height=28 --scale=0.00392156862745098).

Reproducibility: fixed seeds, torch.set_num_threads(2), torch.use_deterministic_algorithms(True), a
seeded generator for the batch order and the flips. Identical reruns on the same machine give the same
weights; another CPU (other oneDNN/BLAS kernels) may give slightly different ones.

BatchNorm is folded into the preceding convolutions in PyTorch (torch.nn.utils.fusion) before the
export and before the fixtures are computed, so the ONNX weights are exactly the weights of the
PyTorch model the fixtures come from.
"""
import argparse
import copy
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import cv2
import onnx

LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
NUM_CLASSES = len(LABELS)
SEED = 20240604
THREADS = 2
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Per model: user-facing node names and the recipe.
MODELS = {
    "gapfc": dict(file="fashion_gapfc.onnx", feature="features/relu", epochs=4, lr=3e-3),
    "classmap": dict(file="fashion_classmap.onnx", feature="classmap/relu", epochs=4, lr=3e-3),
}


# ------------------------------------------------------------------------------------------ data
def read_idx(path, header):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=header)


def load_fashion_mnist(folder):
    def images(name):
        return read_idx(os.path.join(folder, name), 16).reshape(-1, 28, 28)

    def labels(name):
        return read_idx(os.path.join(folder, name), 8).astype(np.int64)

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def to_input(images_u8):
    """The blob OpenCV builds with blobFromImage(img, 1/255.): N x 1 x 28 x 28, x / 255."""
    return torch.from_numpy(images_u8.astype(np.float32) / 255.0).unsqueeze(1)


# ---------------------------------------------------------------------------------------- models
def conv_bn_relu(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


class CAMNet(nn.Module):
    """body -> feature layer A (a ReLU output, 7x7) -> head.

    gapfc:    A = ReLU(BN(conv3x3 48->64)), head = GAP -> flatten -> Linear(64, 10)
    classmap: A = ReLU(conv1x1 64->10),     head = GAP -> flatten
    """

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        self.body = nn.Sequential(
            *conv_bn_relu(1, 24), nn.MaxPool2d(2),                               # 24 x 14 x 14
            *conv_bn_relu(24, 48), *conv_bn_relu(48, 48), nn.MaxPool2d(2))       # 48 x 7 x 7
        if kind == "gapfc":
            self.feature = nn.Sequential(*conv_bn_relu(48, 64))                 # 64 x 7 x 7
            self.fc = nn.Linear(64, NUM_CLASSES)
        else:
            self.feature = nn.Sequential(*conv_bn_relu(48, 64),
                                         nn.Conv2d(64, NUM_CLASSES, 1), nn.ReLU())  # 10 x 7 x 7
        self.gap = nn.AdaptiveAvgPool2d(1)

    def features(self, x):
        return self.feature(self.body(x))

    def head(self, a):
        s = torch.flatten(self.gap(a), 1)
        return self.fc(s) if self.kind == "gapfc" else s

    def forward(self, x):
        return self.head(self.features(x))


class WithSoftmax(nn.Module):
    """What is exported: the net followed by its Softmax, like released classifiers."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return F.softmax(self.net(x), dim=1)


def fold_batchnorm(model):
    """An eval-mode copy with every Conv2d+BatchNorm2d pair folded into one Conv2d."""
    from torch.nn.utils.fusion import fuse_conv_bn_eval
    model = copy.deepcopy(model).eval()
    for seq in (model.body, model.feature):
        for i in range(len(seq) - 1):
            if isinstance(seq[i], nn.Conv2d) and isinstance(seq[i + 1], nn.BatchNorm2d):
                seq[i] = fuse_conv_bn_eval(seq[i], seq[i + 1])
                seq[i + 1] = nn.Identity()
    return model


# -------------------------------------------------------------------------------------- training
def train(kind, epochs, lr, x_train, y_train, x_test, y_test, factory=CAMNet):
    """Trains factory(kind) (CAMNet by default) from fixed seeds."""
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    model = factory(kind)
    batch = 128
    steps = (len(x_train) + batch - 1) // batch
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, epochs=epochs, steps_per_epoch=steps)
    start = time.time()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        flips = torch.rand(len(x_train), generator=gen) < 0.5
        total = 0.0
        for s in range(steps):
            idx = order[s * batch:(s + 1) * batch]
            xb = x_train[idx]
            f = flips[idx]
            xb = torch.where(f[:, None, None, None], xb.flip(3), xb)    # horizontal flips
            loss = F.cross_entropy(model(xb), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        acc = accuracy(model, x_test, y_test)
        print(f"  [{kind}] epoch {epoch + 1}/{epochs}: loss {total / steps:.4f}, "
              f"test accuracy {acc * 100:.2f} %, {time.time() - start:.0f} s", flush=True)
    return model.eval(), time.time() - start


@torch.no_grad()
def predict(model, x, batch=1000):
    model.eval()
    return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)])


def accuracy(model, x, y):
    return (predict(model, x).argmax(1) == y).float().mean().item()


# ---------------------------------------------------------------------------------------- export
def export_onnx(model, kind, path):
    """Exports a CAMNet of samples/data (see export_named_onnx)."""
    expected = (["Conv", "Relu", "MaxPool", "Conv", "Relu", "Conv", "Relu", "MaxPool", "Conv", "Relu"]
                + (["GlobalAveragePool", "Flatten", "Gemm"] if kind == "gapfc"
                   else ["Conv", "Relu", "GlobalAveragePool", "Flatten"]) + ["Softmax"])
    names = ["conv1", "relu1", "pool1", "conv2", "relu2", "conv3", "relu3", "pool2"]
    names += (["features/conv", "features/relu", "gap", "flatten", "fc"] if kind == "gapfc" else
              ["conv4", "relu4", "classmap/conv", "classmap/relu", "gap", "flatten"])
    names += ["prob"]
    assert MODELS[kind]["feature"] in names
    export_named_onnx(model, path, expected, names,
                      f"Fashion-MNIST {kind} CAM demo classifier; input 1x1x28x28 = gray/255; "
                      f"output prob = softmax of 10 logits ({', '.join(LABELS)})")


def export_named_onnx(model, path, expected, names, doc):
    """torch.onnx.export of WithSoftmax(model) (opset 11), checked to have the node types
    `expected`, then clean, stable names: node i is names[i], tensors are named after their node,
    Conv/Gemm initializers `<node>/W` and `<node>/B`."""
    tmp = path + ".tmp"
    with torch.no_grad():
        # A new wrapper is in training mode, which the export restores afterwards, recursively:
        # eval() first, so that the model stays in eval mode (Dropout off) after the export.
        torch.onnx.export(WithSoftmax(model).eval(), torch.zeros(1, 1, 28, 28), tmp,
                          opset_version=11, input_names=["data"], output_names=["prob"],
                          do_constant_folding=True)
    m = onnx.load(tmp)
    os.remove(tmp)
    g = m.graph
    # The exporter shares equal constants through Identity nodes (e.g. two all-zero biases):
    # give each its own initializer again, so that every node below is a real layer.
    inits = {i.name: i for i in g.initializer}
    for node in [n for n in g.node if n.op_type == "Identity" and n.input[0] in inits]:
        copy_ = onnx.TensorProto()
        copy_.CopyFrom(inits[node.input[0]])
        copy_.name = node.output[0]
        g.initializer.append(copy_)
        g.node.remove(node)
    used = {i for n in g.node for i in n.input}
    for init in [i for i in g.initializer if i.name not in used]:
        g.initializer.remove(init)
    ops = [n.op_type for n in g.node]
    if ops != expected:
        raise RuntimeError(f"unexpected exported graph {ops}")
    rename = {}
    for node, name in zip(g.node, names):
        node.name = name
        for i, out in enumerate(node.output):       # tensors named after their node
            rename[out] = name if len(node.output) == 1 else f"{name}:{i}"
    init_names = {}
    for node in g.node:
        if node.op_type in ("Conv", "Gemm"):
            for inp, suffix in zip(node.input[1:], ("W", "B")):
                init_names[inp] = f"{node.name}/{suffix}"
    for init in g.initializer:
        init.name = init_names.get(init.name, init.name)
    for node in g.node:
        node.input[:] = [init_names.get(i, rename.get(i, i)) for i in node.input]
        node.output[:] = [rename.get(o, o) for o in node.output]
    for vi in list(g.output) + list(g.value_info):
        vi.name = rename.get(vi.name, vi.name)
    del g.value_info[:]
    g.name = os.path.basename(path)[:-5]
    m.producer_name = "xcam tools/" + os.path.basename(sys.argv[0])
    m.doc_string = doc
    onnx.checker.check_model(m)
    onnx.save(m, path)


def verify_with_opencv(path, kind, model, x_test, y_test, want=None):
    """cv2.dnn loads the file, has the expected layer names (`want`; by default those of the
    CAMNet `kind`) and matches PyTorch."""
    net = cv2.dnn.readNet(path)
    names = list(net.getLayerNames())
    if want is None:
        want = (["onnx_node!features/relu", "onnx_node!gap", "onnx_node!fc", "onnx_node!prob"]
                if kind == "gapfc" else ["onnx_node!classmap/relu", "onnx_node!gap", "onnx_node!prob"])
    missing = [w for w in want if w not in names]
    if missing:
        raise RuntimeError(f"{path}: cv2.dnn layers {names} lack {missing}")
    ref = F.softmax(predict(model, x_test), dim=1).numpy()
    out = []
    for i in range(0, len(x_test), 1000):
        net.setInput(x_test[i:i + 1000].numpy())
        out.append(net.forward())
    out = np.concatenate(out)
    err = float(np.abs(out - ref).max())
    acc = float((out.argmax(1) == y_test.numpy()).mean())
    print(f"  [{kind}] cv2.dnn {cv2.__version__}: layers {names}")
    print(f"  [{kind}] cv2.dnn vs PyTorch probabilities on the {len(x_test)} test images: max |diff| "
          f"{err:.2e}; cv2.dnn test accuracy {acc * 100:.2f} %", flush=True)
    if err > 1e-5:
        raise RuntimeError(f"{path}: cv2.dnn differs from PyTorch by {err}")
    return names, err, acc


# --------------------------------------------------------------------------------------- oracles
def stem_of(label):
    return "".join(ch if ch.isalnum() else "_" for ch in LABELS[label].lower())


def pick_images(y_test, count=8):
    """The first test image of each of the first `count` distinct classes, in test-set order."""
    picked, seen = [], set()
    for i, y in enumerate(y_test.tolist()):
        if y not in seen:
            seen.add(y)
            picked.append(i)
            if len(picked) == count:
                break
    return picked


def oracle(model, kind, img_u8):
    x = to_input(img_u8[None])                                   # 1 x 1 x 28 x 28, x / 255
    with torch.no_grad():
        a = model.features(x)
    a = a.detach().requires_grad_(True)                          # the feature layer's output A
    logits = model.head(a)
    res = dict(logits=logits.detach().numpy().astype(np.float32),
               probs=F.softmax(logits, 1).detach().numpy().astype(np.float32),
               feature_shape=np.array([list(a.shape)], np.int32))
    w = model.fc.weight.detach() if kind == "gapfc" else None
    for c in range(NUM_CLASSES):
        grad, = torch.autograd.grad(logits[0, c], a, retain_graph=True)
        alpha = grad.mean(dim=(2, 3), keepdim=True)              # 1 x C x 1 x 1
        gradcam = F.relu((alpha * a).sum(1))[0]
        cam = (w[c][:, None, None] * a[0]).sum(0) if kind == "gapfc" else a[0, c]
        res[f"cam_{c}"] = cam.detach().numpy().astype(np.float32)
        res[f"gradcam_{c}"] = gradcam.detach().numpy().astype(np.float32)
    return res


def write_yaml(path, kind, image_name, label, res):
    fs = cv2.FileStorage(path, cv2.FILE_STORAGE_WRITE)
    fs.write("model", MODELS[kind]["file"])
    fs.write("image", image_name)
    fs.write("label", int(label))
    fs.write("label_name", LABELS[label])
    fs.write("pred", int(res["logits"].argmax()))
    for key in ["logits", "probs", "feature_shape"] + [f"{p}_{c}" for c in range(NUM_CLASSES)
                                                       for p in ("cam", "gradcam")]:
        fs.write(key, res[key])
    fs.release()


def minmax(m):
    lo, hi = float(m.min()), float(m.max())
    return np.zeros_like(m) if hi - lo <= 0 else (m - lo) / (hi - lo)


def write_oracles(models, out, x_test_u8, y_test):
    img_dir, ora_dir = os.path.join(out, "images"), os.path.join(out, "oracle")
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(ora_dir, exist_ok=True)
    for i in pick_images(y_test):
        label = int(y_test[i])
        stem = f"{i}_{stem_of(label)}"
        img = np.ascontiguousarray(x_test_u8[i])
        png = os.path.join(img_dir, stem + ".png")
        cv2.imwrite(png, img)
        assert np.array_equal(cv2.imread(png, cv2.IMREAD_GRAYSCALE), img)
        for kind, model in models.items():
            res = oracle(model, kind, img)
            write_yaml(os.path.join(ora_dir, f"{kind}_{stem}.yml"), kind, stem + ".png", label, res)
            # Self-check of what the C++ test relies on: normalized ReLU(CAM) == normalized Grad-CAM.
            worst = max(float(np.abs(minmax(np.maximum(res[f"cam_{c}"], 0))
                                     - minmax(res[f"gradcam_{c}"])).max())
                        for c in range(NUM_CLASSES))
            print(f"  {kind}_{stem}.yml: label {label}, pred {int(res['logits'].argmax())}, "
                  f"max |norm ReLU(CAM) - norm Grad-CAM| {worst:.1e}")


# ------------------------------------------------------------------------------------------ main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist",
                    help="folder with the four *-idx?-ubyte.gz files (Debian dataset-fashion-mnist)")
    ap.add_argument("--out", default=os.path.join(REPO, "samples", "data"), help="output folder")
    ap.add_argument("--epochs", type=int, default=None, help="override the epochs of both models")
    args = ap.parse_args()

    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    np.random.seed(SEED)
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()

    xtr, ytr, xte, yte = load_fashion_mnist(args.data)
    x_train, y_train = to_input(xtr), torch.from_numpy(ytr)
    x_test, y_test = to_input(xte), torch.from_numpy(yte)
    print(f"Fashion-MNIST: {len(xtr)} train, {len(xte)} test images; torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads", flush=True)

    with open(os.path.join(args.out, "fashion_labels.txt"), "w") as f:
        f.write("\n".join(LABELS) + "\n")

    folded, summary, train_total = {}, [], 0.0
    for kind, cfg in MODELS.items():
        epochs = args.epochs or cfg["epochs"]
        model, seconds = train(kind, epochs, cfg["lr"], x_train, y_train, x_test, y_test)
        train_total += seconds
        fused = fold_batchnorm(model)
        acc = accuracy(fused, x_test, y_test)
        path = os.path.join(args.out, cfg["file"])
        export_onnx(fused, kind, path)
        _, err, cv_acc = verify_with_opencv(path, kind, fused, x_test, y_test)
        folded[kind] = fused
        summary.append((kind, cfg["file"], epochs, seconds, acc, cv_acc, err,
                        os.path.getsize(path), sum(p.numel() for p in fused.parameters())))

    write_oracles(folded, args.out, xte, yte)

    print("\nsummary:")
    for kind, file, epochs, seconds, acc, cv_acc, err, size, params in summary:
        print(f"  {file}: {params} parameters, {size} bytes, {epochs} epochs in {seconds:.0f} s, "
              f"test accuracy {acc * 100:.2f} % (PyTorch) / {cv_acc * 100:.2f} % (cv2.dnn), "
              f"max |prob diff| {err:.1e}")
    print(f"  training time, both models: {train_total:.0f} s; total wall time {time.time() - t0:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
