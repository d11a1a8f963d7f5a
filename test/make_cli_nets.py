#!/usr/bin/env python3
"""Write the nets only the CLI tests load: a two-class GAP->FC net (fewer classes than the
samples' top-3), the feature block of tools/make_test_nets.py with its FC's first two rows.

Usage: make_cli_nets.py OUT_DIR
"""
import os
import sys

import numpy as np
from onnx import TensorProto, checker, helper, numpy_helper, save

H, W = 5, 7
FEAT_W = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, -1, 0.5]], np.float32).reshape(4, 3, 1, 1)
FEAT_B = np.array([0.0, 0.5, -0.25, 0.1], np.float32)
FC_W = np.array([[1.0, -0.5, 0.25, 0.0], [-1.0, 2.0, 0.0, 0.5]], np.float32)
FC_B = np.array([0.1, -0.2], np.float32)


def main():
    nodes = [helper.make_node("Conv", ["data", "conv_W", "conv_B"], ["features/conv"],
                              name="features/conv", kernel_shape=[1, 1]),
             helper.make_node("Relu", ["features/conv"], ["features/relu"], name="features/relu"),
             helper.make_node("GlobalAveragePool", ["features/relu"], ["pool"], name="pool"),
             helper.make_node("Flatten", ["pool"], ["flatten"], name="flatten", axis=1),
             helper.make_node("Gemm", ["flatten", "fc_W", "fc_B"], ["fc"], name="fc", transB=1),
             helper.make_node("Softmax", ["fc"], ["prob"], name="prob", axis=1)]
    inits = [numpy_helper.from_array(a, n) for a, n in
             [(FEAT_W, "conv_W"), (FEAT_B, "conv_B"), (FC_W, "fc_W"), (FC_B, "fc_B")]]
    graph = helper.make_graph(nodes, "two_class",
                              [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, H, W])],
                              [helper.make_tensor_value_info("prob", TensorProto.FLOAT, [1, 2])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)],
                              producer_name="xcam make_cli_nets.py")
    checker.check_model(model)
    save(model, os.path.join(sys.argv[1], "two_class.onnx"))


if __name__ == "__main__":
    main()
