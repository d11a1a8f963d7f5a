// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// CAM (CAM_METHOD_CAM): the FC weights of a GAP->FC head times the feature maps, or a class-map
// head's own channel.

#include "method_table.hpp"

namespace cv {
namespace xcam {
namespace detail {

void camMethod(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps)
{
    const CAMLayers& layers = *ctx.layers;
    const int k = (int)classes.size();
    Mat rows(k, ctx.features.cols, CV_32F);
    if (layers.classMap)
    {
        for (int i = 0; i < k; ++i)
            ctx.features.row(classes[i]).copyTo(rows.row(i));
    }
    else
    {
        Mat weights(k, ctx.features.rows, CV_32F);
        for (int i = 0; i < k; ++i)
            layers.weights.row(classes[i]).copyTo(weights.row(i));
        weightedSum(weights, ctx.features, rows);
        // logit_c = mean(CAM_c) + b_c: each cell's share of the logit is CAM_c/(H*W) plus
        // b_c/(H*W), so in the map's own scale every cell gets b_c.
        if (ctx.biasMode == CAM_BIAS_SPREAD && !layers.bias.empty())
            for (int i = 0; i < k; ++i)
                rows.row(i) += layers.bias.at<float>(classes[i]);
    }
    checkFinite(rows, "feature blob");  // NaN or infinity in the features used
    splitRows(rows, ctx.height, maps);
}

}}} // namespace cv::xcam::detail
