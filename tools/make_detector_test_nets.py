#!/usr/bin/env python3
"""Write the small known-output detector nets the DetectorModel tests load.

Usage: make_detector_test_nets.py OUT_DIR [CAFFE_PROTO]

Needs Debian's python3-onnx (numpy, protobuf) and, for the SSD Caffe net, protoc and a
caffe.proto (Debian's tiny-dnn: /usr/include/tiny_dnn/io/caffe/caffe.proto). The values below are
repeated, as literals, in test/test_detector_nets.hpp: the tests derive every expected box, score
and map by hand from them.

Known-output nets take a 1x3x16x24 input (H=16 != W=24) and compute every output value as
W x + b over the flattened input (Flatten -> Gemm -> Reshape): the bias holds the constant values
and W the two input-dependent ones, so each output is a known function of the input.
  m = mean of channel 0 over the region REGION (rows 5..8, columns 10..13 of the input)
  det_yolov5.onnx        1 x 5 x 8  rows cx, cy, w, h (input pixels), objectness, 3 class probs
                         (PROPOSALS); objectness of proposal 0 = m, of proposal 2 = 0.9 m
  det_yolov5_fixed.onnx  the same with a fixed batch of 1 in its Reshape: a batch is refused
  det_yolov5_nhwc.onnx   the same on a 1 x 16 x 24 x 3 (NHWC) input
  det_yolov8.onnx        1 x 7 x 5  the same boxes, one column per proposal, class scores =
                         objectness x class probs (proposal 0: 0.8 m for class 1, 0 for the
                         others; proposal 2: all 0)
  det_ssd.onnx           1 x 1 x 6 x 7  DetectionOutput rows (SSD_ROWS), score of row 0 = 0.9 m
Caffe SSD (det_ssd.prototxt + det_ssd.caffemodel): a real DetectionOutput layer on a 1x3x32x48
input: AVE pooling 16x16 -> 2x3 cells; 1x1 convolutions with zero weights and biases SSD_LOC_B
(box deltas) and SSD_CONF_B (3 class logits, background 0); PriorBox min_size 16 (one 16x16 prior
per cell, variances 0.1 0.1 0.2 0.2); DetectionOutput CENTER_SIZE, NMS 0.45, threshold 0.01.
Eigen-CAM net (det_conv.onnx, 1x3x16x24, random weights of seed 7): conv 3x3 -> ReLU
`backbone/relu` (16x24) -> MaxPool 2 -> conv 1x1 -> ReLU `features/relu` (8x12); two head
convolutions, one on each, reshaped to YOLOv5 layout outputs `out_a` (1x96x8) and `out_b`
(1x384x8). The auto-detected feature layer is `features/relu` (computed last).
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

H, W = 16, 24
REGION = (5, 9, 10, 14)  # rows [5, 9), columns [10, 14)
# cx, cy, w, h, objectness, p0, p1, p2 (objectness of rows 0 and 2 come from the input)
PROPOSALS = np.array([[12.0, 7.0, 8.0, 6.0, 0.0, 0.1, 0.8, 0.1],
                      [13.0, 7.5, 8.0, 6.0, 0.5, 0.1, 0.1, 0.8],
                      [12.5, 7.0, 8.0, 6.0, 0.0, 0.2, 0.7, 0.1],
                      [5.0, 4.0, 6.0, 4.0, 0.6, 0.9, 0.05, 0.05],
                      [18.0, 12.0, 6.0, 6.0, 0.3, 0.1, 0.1, 0.8]], np.float32)
DYNAMIC_OBJECTNESS = {0: 1.0, 2: 0.9}  # proposal -> factor of m
# image id, class, score, x1, y1, x2, y2 (normalized); row 0's score = 0.9 m
SSD_ROWS = np.array([[0, 1, 0.0, 0.25, 0.25, 0.6, 0.6],
                     [0, 2, 0.5, 0.3, 0.2, 0.7, 0.55],
                     [0, 1, 0.3, 0.05, 0.1, 0.3, 0.4],
                     [-1, 1, 0.7, 0.1, 0.1, 0.2, 0.2],
                     [0, -1, 0.7, 0.1, 0.1, 0.2, 0.2],
                     [0, 0, 0.0, 0.0, 0.0, 0.0, 0.0]], np.float32)
SSD_H, SSD_W = 32, 48
SSD_LOC_B = np.array([0.5, -0.5, 0.2, 0.1], np.float32)
SSD_CONF_B = np.array([0.0, 1.0, -1.0], np.float32)


def region_weights(factor, nhwc):
    """Flattened 3 x H x W (or H x W x 3) weights of factor * mean(channel 0 over REGION)."""
    w = np.zeros((3, H, W), np.float32)
    r0, r1, c0, c1 = REGION
    w[0, r0:r1, c0:c1] = factor / ((r1 - r0) * (c1 - c0))
    return (w.transpose(1, 2, 0) if nhwc else w).ravel()


def linear_net(path, values, dynamic, out_shape, nhwc=False):
    """Output = reshape(W x + b, out_shape): b = values (flattened), W rows from `dynamic`
    ({flat index: factor of m}); `nhwc`: the input is 1 x H x W x 3."""
    bias = values.astype(np.float32).ravel()
    weights = np.zeros((bias.size, 3 * H * W), np.float32)
    for index, factor in dynamic.items():
        weights[index] = region_weights(factor, nhwc)
    nodes = [helper.make_node("Flatten", ["data"], ["flat"], name="flat", axis=1),
             helper.make_node("Gemm", ["flat", "W", "B"], ["values"], name="values", transB=1),
             helper.make_node("Reshape", ["values", "shape"], ["out"], name="out")]
    inits = [numpy_helper.from_array(weights, "W"), numpy_helper.from_array(bias, "B"),
             numpy_helper.from_array(np.array(out_shape, np.int64), "shape")]
    save(path, nodes, inits, {"out": [1] + list(out_shape[1:])},
         (1, H, W, 3) if nhwc else (1, 3, H, W))


def save(path, nodes, inits, outputs, in_dims=(1, 3, H, W)):
    """`outputs`: {name: shape}."""
    graph = helper.make_graph(
        nodes, os.path.basename(path)[:-5],
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, list(in_dims))],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, s) for o, s in outputs.items()],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)],
                              producer_name="xcam make_detector_test_nets.py")
    onnx.checker.check_model(model)
    onnx.save(model, path)


def known_output_nets(out):
    n, k = PROPOSALS.shape
    dyn5 = {i * k + 4: f for i, f in DYNAMIC_OBJECTNESS.items()}
    linear_net(os.path.join(out, "det_yolov5.onnx"), PROPOSALS, dyn5, [-1, n, k])
    linear_net(os.path.join(out, "det_yolov5_fixed.onnx"), PROPOSALS, dyn5, [1, n, k])
    linear_net(os.path.join(out, "det_yolov5_nhwc.onnx"), PROPOSALS, dyn5, [-1, n, k], nhwc=True)
    # YOLOv8: (4 + C) x N, class scores = objectness x probabilities; proposal 0's is dynamic
    v8 = np.concatenate([PROPOSALS[:, :4], PROPOSALS[:, 5:] * PROPOSALS[:, 4:5]], axis=1).T
    v8[4 + 1, 0] = 0.0
    dyn8 = {(4 + 1) * n + 0: 0.8}
    linear_net(os.path.join(out, "det_yolov8.onnx"), v8, dyn8, [-1, 4 + 3, n])
    linear_net(os.path.join(out, "det_ssd.onnx"), SSD_ROWS, {2: 0.9},
               [-1, 1, SSD_ROWS.shape[0], 7])


def conv(name, x, y, w, b, pads=0):
    inits = [numpy_helper.from_array(w, name + "_W"), numpy_helper.from_array(b, name + "_B")]
    return helper.make_node("Conv", [x, name + "_W", name + "_B"], [y], name=name,
                            kernel_shape=list(w.shape[2:]), pads=[pads] * 4), inits


def head(name, x, channels, cells, rng):
    """1x1 conv to 8 values per cell, reshaped to YOLOv5's 1 x cells x 8."""
    node, inits = conv(name + "/conv", x, name + "/conv",
                       rng.normal(0, 0.5, (8, channels, 1, 1)).astype(np.float32),
                       rng.normal(0, 0.5, 8).astype(np.float32))
    inits.append(numpy_helper.from_array(np.array([-1, 8, cells], np.int64), name + "/shape"))
    return [node,
            helper.make_node("Reshape", [name + "/conv", name + "/shape"], [name + "/flat"],
                             name=name + "/flat"),
            helper.make_node("Transpose", [name + "/flat"], [name], name=name, perm=[0, 2, 1])
            ], inits


def eigen_net(out):
    rng = np.random.default_rng(7)
    c1, i1 = conv("backbone/conv", "data", "backbone/conv",
                  rng.normal(0, 0.5, (4, 3, 3, 3)).astype(np.float32),
                  rng.normal(0, 0.1, 4).astype(np.float32), pads=1)
    c2, i2 = conv("features/conv", "pool", "features/conv",
                  rng.normal(0, 0.5, (6, 4, 1, 1)).astype(np.float32),
                  rng.normal(0, 0.1, 6).astype(np.float32))
    ha, ia = head("out_a", "features/relu", 6, (H // 2) * (W // 2), rng)
    hb, ib = head("out_b", "backbone/relu", 4, H * W, rng)
    nodes = [c1, helper.make_node("Relu", ["backbone/conv"], ["backbone/relu"],
                                  name="backbone/relu"),
             helper.make_node("MaxPool", ["backbone/relu"], ["pool"], name="pool",
                              kernel_shape=[2, 2], strides=[2, 2]),
             c2, helper.make_node("Relu", ["features/conv"], ["features/relu"],
                                  name="features/relu")] + ha + hb
    save(os.path.join(out, "det_conv.onnx"), nodes, i1 + i2 + ia + ib,
         {"out_a": [1, (H // 2) * (W // 2), 8], "out_b": [1, H * W, 8]})


SSD_PROTOTXT = """name: "det_ssd"
layer { name: "data" type: "Input" top: "data"
  input_param { shape { dim: 1 dim: 3 dim: %(h)d dim: %(w)d } } }
layer { name: "pool" type: "Pooling" bottom: "data" top: "pool"
  pooling_param { pool: AVE kernel_size: 16 stride: 16 } }
layer { name: "loc" type: "Convolution" bottom: "pool" top: "loc"
  convolution_param { num_output: 4 kernel_size: 1 } }
layer { name: "loc_perm" type: "Permute" bottom: "loc" top: "loc_perm"
  permute_param { order: 0 order: 2 order: 3 order: 1 } }
layer { name: "loc_flat" type: "Flatten" bottom: "loc_perm" top: "loc_flat" }
layer { name: "conf" type: "Convolution" bottom: "pool" top: "conf"
  convolution_param { num_output: 3 kernel_size: 1 } }
layer { name: "conf_perm" type: "Permute" bottom: "conf" top: "conf_perm"
  permute_param { order: 0 order: 2 order: 3 order: 1 } }
layer { name: "conf_flat" type: "Flatten" bottom: "conf_perm" top: "conf_flat" }
layer { name: "conf_reshape" type: "Reshape" bottom: "conf_flat" top: "conf_reshape"
  reshape_param { shape { dim: 0 dim: -1 dim: 3 } } }
layer { name: "conf_softmax" type: "Softmax" bottom: "conf_reshape" top: "conf_softmax"
  softmax_param { axis: 2 } }
layer { name: "conf_out" type: "Flatten" bottom: "conf_softmax" top: "conf_out" }
layer { name: "prior" type: "PriorBox" bottom: "pool" bottom: "data" top: "prior"
  prior_box_param { min_size: 16 clip: false variance: 0.1 variance: 0.1 variance: 0.2
                    variance: 0.2 offset: 0.5 } }
layer { name: "detection_out" type: "DetectionOutput" bottom: "loc_flat" bottom: "conf_out"
  bottom: "prior" top: "detection_out"
  detection_output_param { num_classes: 3 share_location: true background_label_id: 0
    nms_param { nms_threshold: 0.45 top_k: 100 } code_type: CENTER_SIZE keep_top_k: 100
    confidence_threshold: 0.01 } }
"""


def caffe_ssd(out, proto):
    """The prototxt is text (OpenCV's own caffe.proto knows PriorBox and DetectionOutput); the
    .caffemodel holds only the two convolutions' blobs, written with tiny-dnn's caffe.proto."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.check_call(["protoc", "-I" + os.path.dirname(proto), "--python_out=" + tmp,
                               os.path.basename(proto)])
        sys.path.insert(0, tmp)
        import caffe_pb2  # noqa: E402  (generated just above)
        sys.path.pop(0)
    with open(os.path.join(out, "det_ssd.prototxt"), "w") as f:
        f.write(SSD_PROTOTXT % {"h": SSD_H, "w": SSD_W})
    net = caffe_pb2.NetParameter(name="det_ssd")
    for name, bias in (("loc", SSD_LOC_B), ("conf", SSD_CONF_B)):
        layer = net.layer.add()
        layer.name, layer.type = name, "Convolution"
        for a in (np.zeros((bias.size, 3, 1, 1), np.float32), bias):
            blob = layer.blobs.add()
            blob.shape.dim.extend(a.shape)
            blob.data.extend(a.ravel().tolist())
    with open(os.path.join(out, "det_ssd.caffemodel"), "wb") as f:
        f.write(net.SerializeToString())


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    out, proto = (argv[1:] + ["/usr/include/tiny_dnn/io/caffe/caffe.proto"])[:2]
    os.makedirs(out, exist_ok=True)
    for write in (known_output_nets, eigen_net):
        write(out)
    caffe_ssd(out, proto)


if __name__ == "__main__":
    main(sys.argv)
