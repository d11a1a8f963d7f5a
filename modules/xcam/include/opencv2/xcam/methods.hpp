// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#ifndef OPENCV_XCAM_METHODS_HPP
#define OPENCV_XCAM_METHODS_HPP

#include "opencv2/core.hpp"

#include <functional>

namespace cv {
namespace xcam {

//! @addtogroup xcam
//! @{

/** @brief The explanation methods of CAMModel::explain.

Notation: \f$y_c\f$ the logit of class c, \f$A\f$ the feature blob (\f$C \times H \times W\f$),
\f$g = \partial y_c / \partial A\f$, computed exactly by xcam from the head's own parameters (no
autograd). Every map is the *raw* map, before any ReLU or normalization (applyCAMOverlay
normalizes). Where pytorch-grad-cam defines a method, its formula is followed exactly, so users
moving from it get the same maps.
*/
enum CAMMethod
{
    /** CAM @cite zhou2016cam; \f$\sum_k w_{c,k} A_k\f$, GAP→FC and class-map heads only. */
    CAM_METHOD_CAM = 0,
    /** Grad-CAM @cite selvaraju2017gradcam; \f$w_k = \mathrm{mean}_{ij}\, g_k(i,j)\f$, map
        \f$\sum_k w_k A_k\f$. On a GAP→FC head it equals CAM/(H·W). */
    CAM_METHOD_GRADCAM = 1,
    /** Grad-CAM++ @cite chattopadhay2018gradcampp, pytorch-grad-cam's form:
        \f$\alpha = g^2 / (2g^2 + (\sum_{ij} A_k) g^3 + 10^{-6})\f$ (0 where \f$g = 0\f$ or the
        denominator vanishes), \f$w_k = \sum_{ij} \alpha\,\mathrm{ReLU}(g)\f$, map \f$\sum_k w_k A_k\f$. */
    CAM_METHOD_GRADCAM_PLUSPLUS = 2,
    /** XGrad-CAM @cite fu2020xgradcam; \f$w_k = \sum_{ij} g_k A_k / (\sum_{ij} A_k + 10^{-7})\f$
        (0 where the denominator vanishes). */
    CAM_METHOD_XGRADCAM = 3,
    /** HiRes-CAM @cite draelos2020hirescam; \f$\sum_k g_k \odot A_k\f$ (element-wise). */
    CAM_METHOD_HIRESCAM = 4,
    /** LayerCAM @cite jiang2021layercam; \f$\sum_k \mathrm{ReLU}(g_k) \odot A_k\f$. */
    CAM_METHOD_LAYERCAM = 5,
    /** Eigen-CAM @cite muhammad2020eigencam; the centred \f$(H W) \times C\f$ activation matrix
        projected on its first right singular vector (class-agnostic, any head). The SVD's sign is
        arbitrary: xcam picks the one whose map correlates positively with \f$\sum_k A_k\f$. */
    CAM_METHOD_EIGENCAM = 6,
    /** Eigen-Grad-CAM: Eigen-CAM of \f$g \odot A\f$ (pytorch-grad-cam's EigenGradCAM). */
    CAM_METHOD_EIGENGRADCAM = 7,
    /** Ablation-CAM @cite desai2020ablationcam; \f$w_k = (y_c - y_c^{(k)}) / y_c\f$ with
        \f$y_c^{(k)}\f$ the logit when channel k of A is zeroed (closed form on GAP→FC heads,
        batched head re-evaluation otherwise); when \f$y_c = 0\f$ the difference is used unscaled. */
    CAM_METHOD_ABLATIONCAM = 8,
    /** Recipro-CAM @cite byun2022reciprocam; \f$map(i,j) = y_c(\mathrm{head}(A \odot M_{ij}))\f$
        with \f$M_{ij}\f$ one-hot at cell (i,j), or the paper's 3×3 Gaussian spread
        (CAMMethodParams::reciproGaussian); H·W head re-evaluations, closed form on GAP→FC. */
    CAM_METHOD_RECIPROCAM = 9,
    /** Score-CAM @cite wang2020scorecam, at feature resolution: one forward pass per channel k
        of the input blob multiplied (every colour channel) by \f$A_k\f$ upsampled to the blob
        (cv::resize INTER_LINEAR) and min-max scaled to [0, 1]; \f$w_k\f$ = softmax probability of
        class c for that input; map \f$\sum_k w_k A_k\f$. Channels constant at feature resolution
        get \f$w_k = 0\f$ (no forward). CAMMethodParams::channelSoftmax gives pytorch-grad-cam's
        ScoreCAM exactly; CAMMethodParams::maxChannels gives Faster Score-CAM. */
    CAM_METHOD_SCORECAM = 10,
    /** Occlusion sensitivity @cite zeiler2014visualizing (as MATLAB's occlusionSensitivity), at
        the blob's resolution: a square patch of the blob's zero (the mean colour after
        preprocessing) slid with a stride; each pixel's value is \f$p_c(I) - p_c(I_{occluded})\f$
        (softmax probabilities) averaged over the windows covering it, 0 where none does. Windows
        start at 0, stride, 2·stride, … and the last one touches the right/bottom border. Sizes:
        CAMMethodParams::patchSize, CAMMethodParams::stride. */
    CAM_METHOD_OCCLUSION = 11,
    /** RISE @cite petsiuk2018rise, at the blob's resolution: CAMMethodParams::numMasks random
        binary grids of \f$s \times s\f$ cells (s = CAMMethodParams::gridSize), each cell kept with
        probability p (CAMMethodParams::keepProbability), upsampled bilinearly (cv::resize
        INTER_LINEAR) to \f$(s+1)\cdot cell\f$ with \f$cell = \lceil size/s \rceil\f$ per axis,
        shifted by a random offset in \f$[0, cell)\f$ and cropped to the blob; map
        \f$\sum_i p_c(I \odot M_i) M_i / (N p)\f$ (RISE's formula), one GEMM per batch; for p = 0.5
        masks come in antithetic pairs (see CAMMethodParams::numMasks). cv::RNG seeded with
        CAMMethodParams::seed draws the masks in order, so maps do not depend on the batch size. */
    CAM_METHOD_RISE = 12
};

/** @brief Parameters of CAMModel::explain. Defaults are set by the constructor. */
struct CV_EXPORTS_W_SIMPLE CAMMethodParams
{
    CV_WRAP CAMMethodParams();
    /** Masked inputs or head re-evaluations per batch (≥ 1, default 32): the forward passes of
        Score-CAM, occlusion and RISE run this many blobs at a time (CAMModel::forwardBatch);
        maps do not depend on it. */
    CV_PROP_RW int batchSize;
    /** Score-CAM: only the N channels of highest spatial variance get a forward pass and a weight
        (Faster Score-CAM; ties: lower channel first), the others weight 0; 0 = all (default 0,
        ≥ 0). With channelSoftmax the softmax runs over those N channels. */
    CV_PROP_RW int maxChannels;
    /** Score-CAM: false (default) = the paper's weights, the masked inputs' softmax probability of
        the class; true = pytorch-grad-cam's ScoreCAM exactly: masks upsampled with align_corners
        sampling (PyTorch's UpsamplingBilinear2d) and scaled by (x - min)/(max - min + 1e-8), no
        channel skipped, weights = softmax over the channels of the masked inputs' logits. */
    CV_PROP_RW bool channelSoftmax;
    /** Occlusion: side of the square patch in blob pixels (≥ 0, at most the blob's height and
        width); 0 = automatic, \f$\lceil \min(H, W)/7 \rceil\f$ (32 at 224×224, about one cell of
        a stride-32 net's 7×7 grid) (default 0). */
    CV_PROP_RW int patchSize;
    /** Occlusion: step between patches in blob pixels (≥ 0); 0 = automatic,
        \f$\lceil patch/2 \rceil\f$ (half-overlapping windows: 13×13 = 169 forwards at 224×224)
        (default 0). A stride larger than the patch leaves pixels no window covers (value 0). */
    CV_PROP_RW int stride;
    /** RISE: number of random masks (≥ 1, default 4000, RISE's own range). With p = 0.5 the
        masks are drawn in antithetic pairs (a grid, then its complement with the same shift):
        each mask still has RISE's distribution and the expected map is unchanged, but every
        pixel is kept exactly half the time, which removes most seed-to-seed noise. Pearson
        correlation of two seeds' maps on MobileNetV2's top-1 class (gridSize 8): 0.957
        (chelsea.png, the hardest) and 0.951 (bird.bmp) at 2000 masks, against 0.67 and 0.92 with
        independent masks. Time is proportional to numMasks. */
    CV_PROP_RW int numMasks;
    /** RISE: cells per side of the random grid (≥ 1, default 8). */
    CV_PROP_RW int gridSize;
    /** RISE: probability that a grid cell is kept, in [1e-6, 1] (default 0.5). */
    CV_PROP_RW double keepProbability;
    /** RISE: seed of cv::RNG (default 0). */
    CV_PROP_RW int seed;
    /** Recipro-CAM: spread each cell's mask with the paper's 3×3 Gaussian instead of a one-hot
        cell (default false). */
    CV_PROP_RW bool reciproGaussian;
    /** Use the closed forms of GAP→FC and class-map heads for gradients, Ablation-CAM and
        Recipro-CAM (default true); false re-evaluates and differentiates the head layer by layer
        (the same maps, slower: for checking). */
    CV_PROP_RW bool closedForm;
};

/** @brief Progress of a long explain(): called with the work done and the total; returning
    false cancels it (explain then throws cv::Exception with code StsError). C++ only. */
typedef std::function<bool(int done, int total)> CAMProgressCallback;

/** @brief The name of a method as the CLI takes it (`cam`, `gradcam`, `gradcam++`, `xgradcam`,
`hirescam`, `layercam`, `eigencam`, `eigengradcam`, `ablationcam`, `reciprocam`, `scorecam`,
`occlusion`, `rise`).
@param method a CAMMethod.
@return its name; throws StsOutOfRange for an unknown method.
*/
CV_EXPORTS_W String getCAMMethodName(int method);

/** @brief The method of a name (case, '-' and '_' ignored; `grad-cam++` and `gradcampp` are
Grad-CAM++).
@param name a method name, as getCAMMethodName returns it.
@return the CAMMethod; throws StsBadArg listing the known names for anything else.
*/
CV_EXPORTS_W int parseCAMMethod(const String& name);

//! @}

}} // namespace cv::xcam

#endif // OPENCV_XCAM_METHODS_HPP
