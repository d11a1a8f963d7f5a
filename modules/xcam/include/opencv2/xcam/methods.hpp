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
        (softmax probabilities) averaged over the windows covering it, 0 where none does. Border
        rule: along each axis of size n the windows start at 0, stride, 2·stride, … while
        start < n − patch, then at n − patch (the last window touches the border; no start
        repeats); every pair of an x start and a y start is a window, y major. Sizes:
        CAMMethodParams::patchSize, CAMMethodParams::stride. */
    CAM_METHOD_OCCLUSION = 11,
    /** RISE @cite petsiuk2018rise, at the blob's resolution: CAMMethodParams::numMasks random
        binary grids of \f$s \times s\f$ cells (s = CAMMethodParams::gridSize), each cell kept with
        probability p (CAMMethodParams::keepProbability), upsampled bilinearly (cv::resize
        INTER_LINEAR) to \f$(s+1)\cdot cell\f$ with \f$cell = \lceil size/s \rceil\f$ per axis,
        shifted by a random offset in \f$[0, cell)\f$ and cropped to the blob; map
        \f$\sum_i p_c(I \odot M_i) M_i / (N p)\f$ (RISE's formula), one GEMM per batch; for p = 0.5
        masks come in antithetic pairs (see CAMMethodParams::numMasks). cv::RNG seeded with
        CAMMethodParams::seed draws the masks in order, so maps do not depend on the batch size
        (generateRISEMasks gives them). */
    CAM_METHOD_RISE = 12,
    /** Finer-CAM @cite zhang2025finercam, as pytorch-grad-cam's FinerCAM with its defaults
        (Grad-CAM base): for class c, J = the CAMMethodParams::finerClasses classes whose logits
        are nearest to \f$y_c\f$ (ties: lower id), p = softmax of all logits, target
        \f$T = \sum_{j \in J} p_j (y_c - \alpha y_j) / (\sum_{j \in J} p_j + 10^{-9})\f$
        (\f$\alpha\f$ = CAMMethodParams::finerAlpha), differentiated through p as well; map = the
        Grad-CAM map of T. Needs at least 2 classes. */
    CAM_METHOD_FINERCAM = 13,
    /** KPCA-CAM @cite karmani2024kpcacam, as pytorch-grad-cam's KPCA_CAM with its defaults: the
        \f$(H W) \times C\f$ activation matrix with centred columns, scikit-learn's
        KernelPCA(n_components=1, kernel, gamma, coef0=1) (kernel matrix centred): the map is the
        first component \f$v_1 \sqrt{\lambda_1}\f$ (0 when \f$\lambda_1 \le 0\f$), signed so that
        its cell of largest |value| (the first one) is positive. Kernel and gamma:
        CAMMethodParams::kpcaKernel and CAMMethodParams::kpcaGamma. Class-agnostic, any head. */
    CAM_METHOD_KPCACAM = 14
};

/** @brief What a method needs from the net (CAMMethodInfo::needs). */
enum CAMMethodNeeds
{
    /** A GAP→FC or class-map head (CAM). */
    CAM_NEEDS_CAM_HEAD = 0,
    /** A head xcam can differentiate and re-evaluate (gradient and re-evaluation methods). */
    CAM_NEEDS_DIFFERENTIABLE_HEAD = 1,
    /** The feature layer only, on any net (Eigen-CAM, KPCA-CAM; Score-CAM with forward passes). */
    CAM_NEEDS_FEATURES = 2,
    /** Forward passes of the whole net only (occlusion, RISE). */
    CAM_NEEDS_FORWARD_ONLY = 3
};

/** @brief Kernels k(x, y) of KPCA-CAM (CAMMethodParams::kpcaKernel) between two cells' activation
    vectors, scikit-learn's definitions with coef0 = 1 and degree 3 (cosine: 0 for a zero vector). */
enum CAMKernel
{
    /** \f$\tanh(\gamma x^T y + 1)\f$ (KPCA_CAM's default). */
    CAM_KERNEL_SIGMOID = 0,
    /** \f$x^T y\f$: Eigen-CAM's map up to the sign. */
    CAM_KERNEL_LINEAR = 1,
    /** \f$\exp(-\gamma \|x - y\|^2)\f$. */
    CAM_KERNEL_RBF = 2,
    /** \f$(\gamma x^T y + 1)^3\f$. */
    CAM_KERNEL_POLY = 3,
    /** \f$x^T y / (\|x\| \|y\|)\f$. */
    CAM_KERNEL_COSINE = 4
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
    /** RISE: cells per side of the random grid (≥ 1), or 0 (the default): automatic, 8 on a
        classifier, 16 for D-RISE on a DetectorModel (the D-RISE paper's grid). */
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
    /** Finer-CAM: comparison strength \f$\alpha\f$ (finite, default 1). */
    CV_PROP_RW double finerAlpha;
    /** Finer-CAM: how many of the nearest classes are compared (≥ 1, default 3: pytorch-grad-cam's
        comparison_categories [1, 2, 3]); at most the class count − 1 are used. */
    CV_PROP_RW int finerClasses;
    /** KPCA-CAM: a CAMKernel (default CAM_KERNEL_SIGMOID). */
    CV_PROP_RW int kpcaKernel;
    /** KPCA-CAM: \f$\gamma\f$ of the sigmoid, RBF and polynomial kernels (≥ 0, finite); 0 = 1/C,
        scikit-learn's default (default 0). */
    CV_PROP_RW double kpcaGamma;
};

/** @brief One method's facts, a row of the method table (getCAMMethods). */
struct CV_EXPORTS_W_SIMPLE CAMMethodInfo
{
    CV_WRAP CAMMethodInfo();
    /** The CAMMethod. */
    CV_PROP_RW int method;
    /** Its name as the CLI takes it (`--method`), e.g. `gradcam++`. */
    CV_PROP_RW String name;
    /** Other names parseCAMMethod accepts (e.g. pytorch-grad-cam's class name). */
    CV_PROP_RW std::vector<String> aliases;
    /** Its family: `cam`, `gradient` (channel weights or element-wise weights from
        \f$\partial y / \partial A\f$), `eigen` (a projection of A, class-agnostic),
        `reevaluation` (the head re-run on modified features) or `perturbation` (forward passes
        of modified inputs). */
    CV_PROP_RW String family;
    /** What it needs from the net: a CAMMethodNeeds. */
    CV_PROP_RW int needs;
    /** Whether it runs many forward passes of the whole net (seconds, with progress reports)
        instead of one. */
    CV_PROP_RW bool manyForwards;
    /** Whether it also explains detectors (Eigen-CAM, occlusion, RISE as D-RISE). */
    CV_PROP_RW bool detectors;
    /** One line of help, as the CLI prints it. */
    CV_PROP_RW String description;
};

/** @brief Progress of a long explain(): called with the work done and the total; returning
    false cancels it (explain then throws cv::Exception with code StsError). C++ only. */
typedef std::function<bool(int done, int total)> CAMProgressCallback;

/** @brief Every method's facts, in CAMMethod order (the table the CLI, xcam_eval and
CAMModel's routing read).
@return one CAMMethodInfo per CAMMethod; element i describes method i.
*/
CV_EXPORTS_W std::vector<CAMMethodInfo> getCAMMethods();

/** @brief One method's facts.
@param method a CAMMethod.
@return its row of getCAMMethods(); throws StsOutOfRange for an unknown method.
*/
CV_EXPORTS_W CAMMethodInfo getCAMMethodInfo(int method);

/** @brief The name of a method as the CLI takes it (CAMMethodInfo::name: `cam`, `gradcam`,
`gradcam++`, `xgradcam`, `hirescam`, `layercam`, `eigencam`, `eigengradcam`, `ablationcam`,
`reciprocam`, `scorecam`, `occlusion`, `rise`, `finercam`, `kpcacam`).
@param method a CAMMethod.
@return its name; throws StsOutOfRange for an unknown method.
*/
CV_EXPORTS_W String getCAMMethodName(int method);

/** @brief The method of a name or alias (case, '-', '_' and spaces ignored, a final `pp` read as
`++`: `Grad-CAM++`, `gradcampp` and `GradCAMPlusPlus` are Grad-CAM++).
@param name a method name, as getCAMMethodName returns it, or one of CAMMethodInfo::aliases.
@return the CAMMethod; throws StsBadArg listing the known names for anything else.
*/
CV_EXPORTS_W int parseCAMMethod(const String& name);

/** @brief The random masks of RISE (CAM_METHOD_RISE), exactly those CAMModel::explain uses, for
any split of the masks into batches.

Mask i of \f$N\f$ = CAMMethodParams::numMasks: with s = CAMMethodParams::gridSize, p =
CAMMethodParams::keepProbability, \f$cell = \lceil size/s \rceil\f$ per axis and cv::RNG seeded
with CAMMethodParams::seed (`RNG((uint64)(int64)seed)`), drawn in mask order: for p = 0.5 an odd
i is the complement \f$1 - g\f$ of mask i − 1's grid with its shift (antithetic pairs); any other
mask draws its s × s grid row by row, cell kept (1) when `rng.uniform(0.f, 1.f) < p`, then its
shift `dx = rng.uniform(0, cellW)`, `dy = rng.uniform(0, cellH)`. The grid is upsampled
bilinearly (cv::resize INTER_LINEAR) to \f$(s + 1) \cdot cell\f$ and cropped to `size` at
(dx, dy).
@param size the input blob's width and height;
@param params numMasks (≥ 1), gridSize (≥ 1; 0: 8, as CAMModel), keepProbability (in [1e-6, 1]) and seed;
@param start the first mask, in [0, numMasks);
@param count how many masks (≥ 1, start + count ≤ numMasks);
@param masks output count × (H·W) CV_32F, one mask a row, row-major pixels.
*/
CV_EXPORTS_W void generateRISEMasks(const Size& size, const CAMMethodParams& params, int start,
                                    int count, OutputArray masks);

//! @}

}} // namespace cv::xcam

#endif // OPENCV_XCAM_METHODS_HPP
