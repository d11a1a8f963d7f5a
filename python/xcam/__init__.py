"""xcam: Class Activation Maps for cv::dnn classifiers, beside the system's OpenCV and cv2.

The names are those of cv2.xcam (OpenCV built with the xcam module): numpy arrays in and out
(HxW / HxWxC images, float32 maps), errors raised as xcam.error with OpenCV's message.

    import cv2, xcam
    model = xcam.CAMModel.create("mobilenet_v2_1.0_224.onnx")
    model.setInputParams(1 / 127.5, (224, 224), (127.5, 127.5, 127.5), True, False)
    ids, probs, maps = model.classify(cv2.imread("chelsea.png"), 3)
"""
from ._xcam import *  # noqa: F401,F403
from ._xcam import __version__  # noqa: F401
