// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_HPP
#define OPENCV_XCAM_HPP

/**
@defgroup xcam Class Activation Maps for cv::dnn classifiers

"Which part of the image made the network decide this?" The module answers it with Class
Activation Maps (CAM) @cite zhou2016cam computed from one forward pass of a cv::dnn::Net:

- cv::xcam::computeCAM: the map of one class from a feature blob and the final fully-connected
  layer's weights, \f$CAM_c = \sum_k w_{c,k} A_k\f$ (or the class channel itself for class-map
  heads such as SqueezeNet's);
- cv::xcam::CAMModel: a classifier wrapped with its preprocessing, its feature and FC layers
  (given by name or found automatically), one forward pass that returns the top-k classes, their
  probabilities and their maps;
- cv::xcam::applyCAMOverlay: the map drawn over the image (the seed's figure, or a colormap blend),
  in one fused parallel pass;
- cv::xcam::DetectorModel: an object detector (YOLOv5, YOLOv8, SSD layouts or any decoder) with
  D-RISE @cite petsiuk2021drise, occlusion and Eigen-CAM maps of its detections.
*/

#include "opencv2/xcam/cam.hpp"
#include "opencv2/xcam/detection.hpp"
#include "opencv2/xcam/methods.hpp"
#include "opencv2/xcam/model.hpp"
#include "opencv2/xcam/metrics.hpp"
#include "opencv2/xcam/overlay.hpp"

#endif // OPENCV_XCAM_HPP
