#!/usr/bin/env python3
"""Write the small known-weight nets the xcam tests load, in ONNX and Caffe form.

Usage: make_test_nets.py OUT_DIR [CAFFE_PROTO]

Needs Debian's python3-onnx (numpy, protobuf) and, for the Caffe nets, protoc and a caffe.proto
(Debian's tiny-dnn ships /usr/include/tiny_dnn/io/caffe/caffe.proto). The weights below are
repeated, as literals, in test/test_nets.hpp: the tests derive the expected maps by hand from them.

Every net takes a 1x3x5x7 input (H=5 != W=7 catches transposed maps) and has the same feature
block: a 1x1 convolution 3->4 with weights FEAT_W, bias FEAT_B, then ReLU. GAP->FC nets end with
global average pooling and a 4->5 fully-connected layer FC_W, FC_B; class-map nets pool the
4-channel feature map directly (4 classes).

The VGG-like head nets (vgg_head.onnx, vgg_head.caffemodel) take a 1x3x2x2 input: a 1x1 convolution
3->4 (HEAD_FEAT_W, HEAD_FEAT_B) and ReLU give the feature map A (4x2x2, the last 4-D output with a
spatial size > 1, hence the auto-detected feature layer), then the head: MaxPool 2x2 stride 2
(4x1x1) -> Flatten (4) -> FC 4->4 (FC1_W, FC1_B) -> ReLU -> Dropout -> FC 4->3 (FC2_W, FC2_B) ->
Softmax; test/test_head_nets.cpp repeats these weights and derives d y_c / d A by hand.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

H, W = 5, 7
FEAT_W = np.array([[1.0, 0.0, 0.0],
                   [0.0, 1.0, 0.0],
                   [0.0, 0.0, 1.0],
                   [1.0, -1.0, 0.5]], np.float32)          # 4 x 3
FEAT_B = np.array([0.0, 0.5, -0.25, 0.1], np.float32)
FC_W = np.array([[1.0, -0.5, 0.25, 0.0],
                 [-1.0, 2.0, 0.0, 0.5],
                 [0.5, 0.5, -1.5, 1.0],
                 [0.0, -0.25, 1.0, -2.0],
                 [0.3, 0.7, 0.2, 0.1]], np.float32)         # 5 x 4
FC_B = np.array([0.1, -0.2, 0.3, 0.0, -0.05], np.float32)

HEAD_H, HEAD_W = 2, 2        # VGG-like head nets: A is 4 x 2 x 2, its MAX pooling 4 x 1 x 1
HEAD_FEAT_W = np.array([[1.0, -0.5, 0.25],
                        [-0.5, 1.0, 0.75],
                        [0.5, 0.25, -1.0],
                        [-0.25, 0.75, 0.5]], np.float32)     # 4 x 3
HEAD_FEAT_B = np.array([0.1, -0.2, 0.3, 0.0], np.float32)
FC1_W = np.array([[0.5, -0.25, 0.75, -1.0],
                  [-0.5, 1.0, 0.25, 0.5],
                  [1.0, 0.5, -0.75, 0.25],
                  [-0.75, -0.5, 0.25, 1.0]], np.float32)     # 4 x 4 (the 4 pooled channels)
FC1_B = np.array([0.1, -1.0, 0.05, -0.5], np.float32)
FC2_W = np.array([[1.0, -0.5, 0.5, 0.25],
                  [-0.75, 1.0, 0.25, -0.5],
                  [0.5, 0.5, -1.0, 1.0]], np.float32)        # 3 x 4
FC2_B = np.array([0.05, -0.1, 0.2], np.float32)


# ----------------------------------------------------------------------------------------- ONNX
def _conv1x1(name, x, y, w, b):
    inits = [numpy_helper.from_array(w.reshape(w.shape[0], w.shape[1], 1, 1), name + "_W"),
             numpy_helper.from_array(b, name + "_B")]
    return helper.make_node("Conv", [x, name + "_W", name + "_B"], [y], name=name,
                            kernel_shape=[1, 1]), inits


def _save_onnx(path, nodes, inits, out_name, out_dims, strip_names=False, in_dims=(1, 3, H, W)):
    if strip_names:
        for n in nodes:
            n.name = ""
    graph = helper.make_graph(
        nodes, os.path.basename(path)[:-5],
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, list(in_dims))],
        [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, out_dims)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)],
                              producer_name="xcam make_test_nets.py")
    onnx.checker.check_model(model)
    onnx.save(model, path)


def onnx_nets(out):
    conv, inits = _conv1x1("features/conv", "data", "features/conv", FEAT_W, FEAT_B)
    relu = helper.make_node("Relu", ["features/conv"], ["features/relu"], name="features/relu")
    pool = helper.make_node("GlobalAveragePool", ["features/relu"], ["pool"], name="pool")
    flat = helper.make_node("Flatten", ["pool"], ["flatten"], name="flatten", axis=1)
    fc_inits = [numpy_helper.from_array(FC_W, "fc_W"), numpy_helper.from_array(FC_B, "fc_B")]

    # GAP -> Flatten -> Gemm -> Softmax (PyTorch's Linear)
    gemm = helper.make_node("Gemm", ["flatten", "fc_W", "fc_B"], ["fc"], name="fc", transB=1)
    prob = helper.make_node("Softmax", ["fc"], ["prob"], name="prob", axis=1)
    _save_onnx(os.path.join(out, "gap_fc_gemm.onnx"), [conv, relu, pool, flat, gemm, prob],
               inits + fc_inits, "prob", [1, 5])

    # GAP -> Flatten -> Gemm, no Softmax: the net's output is the logits themselves
    gemm = helper.make_node("Gemm", ["flatten", "fc_W", "fc_B"], ["fc"], name="fc", transB=1)
    _save_onnx(os.path.join(out, "gap_fc_logits.onnx"), [conv, relu, pool, flat, gemm],
               inits + fc_inits, "fc", [1, 5])

    # GAP -> Flatten -> MatMul (weights C x K, as TensorFlow exports it) -> Softmax, no bias
    mm_inits = [numpy_helper.from_array(np.ascontiguousarray(FC_W.T), "fc_Wt")]
    matmul = helper.make_node("MatMul", ["flatten", "fc_Wt"], ["fc"], name="fc")
    prob = helper.make_node("Softmax", ["fc"], ["prob"], name="prob", axis=1)
    _save_onnx(os.path.join(out, "gap_fc_matmul.onnx"), [conv, relu, pool, flat, matmul, prob],
               inits + mm_inits, "prob", [1, 5])

    # GAP -> 1x1 Conv (the FC written as a convolution, TF-slim style) -> Flatten -> Softmax
    fc_conv, fc_conv_inits = _conv1x1("fc", "pool", "fc", FC_W, FC_B)
    flat2 = helper.make_node("Flatten", ["fc"], ["logits"], name="logits", axis=1)
    prob = helper.make_node("Softmax", ["logits"], ["prob"], name="prob", axis=1)
    _save_onnx(os.path.join(out, "gap_conv_fc.onnx"), [conv, relu, pool, fc_conv, flat2, prob],
               inits + fc_conv_inits, "prob", [1, 5])

    # Class-map head (SqueezeNet): conv10 -> relu_conv10 -> GAP -> Flatten -> Softmax
    conv10, inits10 = _conv1x1("conv10", "data", "conv10", FEAT_W, FEAT_B)
    relu10 = helper.make_node("Relu", ["conv10"], ["relu_conv10"], name="relu_conv10")
    pool10 = helper.make_node("GlobalAveragePool", ["relu_conv10"], ["pool10"], name="pool10")
    flat10 = helper.make_node("Flatten", ["pool10"], ["flatten"], name="flatten", axis=1)
    prob10 = helper.make_node("Softmax", ["flatten"], ["prob"], name="prob", axis=1)
    _save_onnx(os.path.join(out, "classmap.onnx"), [conv10, relu10, pool10, flat10, prob10],
               inits10, "prob", [1, 4])

    # Class-map head without ReLU and with unnamed nodes (OpenCV names them
    # onnx_node_output_0!<output>): a conv with one channel per class straight into GAP
    conv10, inits10 = _conv1x1("x", "data", "class_maps", FEAT_W, FEAT_B)
    pool10 = helper.make_node("GlobalAveragePool", ["class_maps"], ["pooled"])
    flat10 = helper.make_node("Flatten", ["pooled"], ["scores"], axis=1)
    prob10 = helper.make_node("Softmax", ["scores"], ["prob"], axis=1)
    _save_onnx(os.path.join(out, "classmap_unnamed.onnx"), [conv10, pool10, flat10, prob10],
               inits10, "prob", [1, 4], strip_names=True)

    # No global pooling: Flatten of the whole map into the FC (VGG-like); CAM does not apply
    flat_inits = [numpy_helper.from_array(
        np.tile(FC_W[:, :, None], (1, 1, H * W)).reshape(5, 4 * H * W) / (H * W), "fc_W"),
        numpy_helper.from_array(FC_B, "fc_B")]
    flat = helper.make_node("Flatten", ["features/relu"], ["flatten"], name="flatten", axis=1)
    gemm = helper.make_node("Gemm", ["flatten", "fc_W", "fc_B"], ["fc"], name="fc", transB=1)
    prob = helper.make_node("Softmax", ["fc"], ["prob"], name="prob", axis=1)
    _save_onnx(os.path.join(out, "flat_fc.onnx"), [conv, relu, flat, gemm, prob],
               inits + flat_inits, "prob", [1, 5])

    vgg_head_onnx(out)


def vgg_head_onnx(out):
    """conv 1x1 -> ReLU (A) -> MaxPool 2x2/2 -> Flatten -> Gemm -> ReLU -> Dropout -> Gemm -> Softmax"""
    conv, inits = _conv1x1("features/conv", "data", "features/conv", HEAD_FEAT_W, HEAD_FEAT_B)
    nodes = [conv, helper.make_node("Relu", ["features/conv"], ["features/relu"],
                                    name="features/relu"),
             helper.make_node("MaxPool", ["features/relu"], ["pool"], name="pool",
                              kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Flatten", ["pool"], ["flatten"], name="flatten", axis=1)]
    for name, bottom, w, b in (("fc1", "flatten", FC1_W, FC1_B), ("fc2", "drop", FC2_W, FC2_B)):
        inits += [numpy_helper.from_array(w, name + "_W"), numpy_helper.from_array(b, name + "_B")]
        nodes.append(helper.make_node("Gemm", [bottom, name + "_W", name + "_B"], [name],
                                      name=name, transB=1))
        if name == "fc1":
            nodes += [helper.make_node("Relu", ["fc1"], ["fc1/relu"], name="fc1/relu"),
                      helper.make_node("Dropout", ["fc1/relu"], ["drop"], name="drop", ratio=0.5)]
    nodes.append(helper.make_node("Softmax", ["fc2"], ["prob"], name="prob", axis=1))
    _save_onnx(os.path.join(out, "vgg_head.onnx"), nodes, inits, "prob", [1, 3],
               in_dims=(1, 3, HEAD_H, HEAD_W))


# ---------------------------------------------------------------------------------------- Caffe
def caffe_nets(out, proto):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.check_call(["protoc", "-I" + os.path.dirname(proto), "--python_out=" + tmp,
                               os.path.basename(proto)])
        sys.path.insert(0, tmp)
        import caffe_pb2  # noqa: E402  (generated just above)
        sys.path.pop(0)
    from google.protobuf import text_format

    def blob(a):
        b = caffe_pb2.BlobProto()
        b.shape.dim.extend(a.shape)
        b.data.extend(a.astype(np.float32).ravel().tolist())
        return b

    def layer(net, name, type_, bottoms, tops, blobs=(), **params):
        l = net.layer.add()
        l.name, l.type = name, type_
        l.bottom.extend(bottoms)
        l.top.extend(tops)
        for key, value in params.items():
            getattr(l, key).CopyFrom(value)
        for b in blobs:
            l.blobs.add().CopyFrom(blob(b))
        return l

    def input_layer(net, shape=(1, 3, H, W)):
        p = caffe_pb2.InputParameter()
        p.shape.add().dim.extend(shape)
        layer(net, "data", "Input", [], ["data"], input_param=p)

    def conv(net, name, bottom, top, w, b):
        p = caffe_pb2.ConvolutionParameter(num_output=w.shape[0], kernel_size=[1])
        layer(net, name, "Convolution", [bottom], [top], convolution_param=p,
              blobs=[w.reshape(w.shape[0], w.shape[1], 1, 1), b])

    def fc(net, name, bottom, top, w=FC_W, b=FC_B):
        p = caffe_pb2.InnerProductParameter(num_output=w.shape[0])
        layer(net, name, "InnerProduct", [bottom], [top], inner_product_param=p, blobs=[w, b])

    def save(net, stem):
        with open(os.path.join(out, stem + ".caffemodel"), "wb") as f:
            f.write(net.SerializeToString())
        for l in net.layer:                      # the prototxt carries no weights
            del l.blobs[:]
        with open(os.path.join(out, stem + ".prototxt"), "w") as f:
            f.write(text_format.MessageToString(net))

    ave = caffe_pb2.PoolingParameter.AVE

    # ResNet-like: conv1 -> relu1 (in place) -> pool (AVE, global_pooling) -> drop (in place)
    #              -> fc -> prob
    net = caffe_pb2.NetParameter(name="gap_fc")
    input_layer(net)
    conv(net, "conv1", "data", "conv1", FEAT_W, FEAT_B)
    layer(net, "relu1", "ReLU", ["conv1"], ["conv1"])
    layer(net, "pool", "Pooling", ["conv1"], ["pool"],
          pooling_param=caffe_pb2.PoolingParameter(pool=ave, global_pooling=True))
    layer(net, "drop", "Dropout", ["pool"], ["pool"])
    fc(net, "fc", "pool", "fc")
    layer(net, "prob", "Softmax", ["fc"], ["prob"])
    save(net, "gap_fc")

    # bvlc GoogLeNet-like: two conv+relu branches concatenated into inception_5b/output,
    # pool5/7x7_s1 is an AVE pooling whose kernel equals the (non-square) map, not global_pooling
    net = caffe_pb2.NetParameter(name="googlenet_like")
    input_layer(net)
    conv(net, "inception_5b/1x1", "data", "inception_5b/1x1", FEAT_W[:2], FEAT_B[:2])
    layer(net, "inception_5b/relu_1x1", "ReLU", ["inception_5b/1x1"], ["inception_5b/1x1"])
    conv(net, "inception_5b/3x3", "data", "inception_5b/3x3", FEAT_W[2:], FEAT_B[2:])
    layer(net, "inception_5b/relu_3x3", "ReLU", ["inception_5b/3x3"], ["inception_5b/3x3"])
    layer(net, "inception_5b/output", "Concat", ["inception_5b/1x1", "inception_5b/3x3"],
          ["inception_5b/output"])
    layer(net, "pool5/7x7_s1", "Pooling", ["inception_5b/output"], ["pool5/7x7_s1"],
          pooling_param=caffe_pb2.PoolingParameter(pool=ave, kernel_h=H, kernel_w=W, stride=1))
    layer(net, "pool5/drop_7x7_s1", "Dropout", ["pool5/7x7_s1"], ["pool5/7x7_s1"])
    fc(net, "loss3/classifier", "pool5/7x7_s1", "loss3/classifier")
    layer(net, "prob", "Softmax", ["loss3/classifier"], ["prob"])
    save(net, "googlenet_like")

    # Global MAX pooling before the FC: not a CAM head, auto-detection must refuse it
    net = caffe_pb2.NetParameter(name="gmp_fc")
    input_layer(net)
    conv(net, "conv1", "data", "conv1", FEAT_W, FEAT_B)
    layer(net, "relu1", "ReLU", ["conv1"], ["conv1"])
    layer(net, "pool", "Pooling", ["conv1"], ["pool"],
          pooling_param=caffe_pb2.PoolingParameter(pool=caffe_pb2.PoolingParameter.MAX,
                                                   global_pooling=True))
    fc(net, "fc", "pool", "fc")
    layer(net, "prob", "Softmax", ["fc"], ["prob"])
    save(net, "gmp_fc")

    # SqueezeNet-like class-map head: conv10 -> relu_conv10 (in place) -> pool10 -> prob
    net = caffe_pb2.NetParameter(name="squeezenet_like")
    input_layer(net)
    conv(net, "conv10", "data", "conv10", FEAT_W, FEAT_B)
    layer(net, "relu_conv10", "ReLU", ["conv10"], ["conv10"])
    layer(net, "pool10", "Pooling", ["conv10"], ["pool10"],
          pooling_param=caffe_pb2.PoolingParameter(pool=ave, global_pooling=True))
    layer(net, "prob", "Softmax", ["pool10"], ["prob"])
    save(net, "squeezenet_like")

    # VGG-like head: conv1 -> relu1 (in place) -> pool (MAX 2x2/2) -> fc1 (InnerProduct flattens)
    #                -> relu_fc1 (in place) -> drop (in place) -> fc2 -> prob
    net = caffe_pb2.NetParameter(name="vgg_head")
    input_layer(net, (1, 3, HEAD_H, HEAD_W))
    conv(net, "conv1", "data", "conv1", HEAD_FEAT_W, HEAD_FEAT_B)
    layer(net, "relu1", "ReLU", ["conv1"], ["conv1"])
    layer(net, "pool", "Pooling", ["conv1"], ["pool"],
          pooling_param=caffe_pb2.PoolingParameter(pool=caffe_pb2.PoolingParameter.MAX,
                                                   kernel_size=2, stride=2))
    fc(net, "fc1", "pool", "fc1", FC1_W, FC1_B)
    layer(net, "relu_fc1", "ReLU", ["fc1"], ["fc1"])
    layer(net, "drop", "Dropout", ["fc1"], ["fc1"])
    fc(net, "fc2", "fc1", "fc2", FC2_W, FC2_B)
    layer(net, "prob", "Softmax", ["fc2"], ["prob"])
    save(net, "vgg_head")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out = sys.argv[1]
    proto = sys.argv[2] if len(sys.argv) == 3 else "/usr/include/tiny_dnn/io/caffe/caffe.proto"
    os.makedirs(out, exist_ok=True)
    onnx_nets(out)
    caffe_nets(out, proto)


if __name__ == "__main__":
    main()
