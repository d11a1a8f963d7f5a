"""Class Activation Maps for cv::dnn classifiers and explanations of detectors (OpenCV's xcam module): the same names as cv2.xcam, numpy arrays in and out."""
import cv2
import numpy
import numpy.typing
from typing import Callable, overload

__version__: str

CAM_BIAS_IGNORE: int
"""The bias is left out, as in Zhou et al. [zhou2016cam], so that
CAM_c = Σ_k w_{c,k} A_k. Normalized maps do not depend on it."""

CAM_BIAS_SPREAD: int
"""The bias is spread over the cells: each cell's share of the logit,
CAM_c(y,x)/(H · W), gets b_c/(H · W), so the map (in its own scale)
is Σ_k w_{c,k} A_k + b_c and its mean equals the class's logit."""

CAM_KERNEL_COSINE: int
"""x^T y / (\|x\| \|y\|)."""

CAM_KERNEL_LINEAR: int
"""x^T y: Eigen-CAM's map up to the sign."""

CAM_KERNEL_POLY: int
"""(γ x^T y + 1)^3."""

CAM_KERNEL_RBF: int
"""exp(-γ \|x - y\|^2)."""

CAM_KERNEL_SIGMOID: int
"""tanh(γ x^T y + 1) (KPCA_CAM's default)."""

CAM_METHOD_ABLATIONCAM: int
"""Ablation-CAM [desai2020ablationcam]; w_k = (y_c - y_c^{(k)}) / y_c with
y_c^{(k)} the logit when channel k of A is zeroed (closed form on GAP→FC heads,
batched head re-evaluation otherwise); when y_c = 0 the difference is used unscaled."""

CAM_METHOD_CAM: int
"""CAM [zhou2016cam]; Σ_k w_{c,k} A_k, GAP→FC and class-map heads only."""

CAM_METHOD_EIGENCAM: int
"""Eigen-CAM [muhammad2020eigencam]; the centred (H W) × C activation matrix
projected on its first right singular vector (class-agnostic, any head). The SVD's sign is
arbitrary: xcam picks the one whose map correlates positively with Σ_k A_k."""

CAM_METHOD_EIGENGRADCAM: int
"""Eigen-Grad-CAM: Eigen-CAM of g ⊙ A (pytorch-grad-cam's EigenGradCAM)."""

CAM_METHOD_FINERCAM: int
"""Finer-CAM [zhang2025finercam], as pytorch-grad-cam's FinerCAM with its defaults
(Grad-CAM base): for class c, J = the CAMMethodParams.finerClasses classes whose logits
are nearest to y_c (ties: lower id), p = softmax of all logits, target
T = Σ_{j ∈ J} p_j (y_c - α y_j) / (Σ_{j ∈ J} p_j + 10^{-9})
(α = CAMMethodParams.finerAlpha), differentiated through p as well; map = the
Grad-CAM map of T. Needs at least 2 classes."""

CAM_METHOD_GRADCAM: int
"""Grad-CAM [selvaraju2017gradcam]; w_k = mean_{ij}  g_k(i,j), map
Σ_k w_k A_k. On a GAP→FC head it equals CAM/(H·W)."""

CAM_METHOD_GRADCAM_PLUSPLUS: int
"""Grad-CAM++ [chattopadhay2018gradcampp], pytorch-grad-cam's form:
α = g^2 / (2g^2 + (Σ_{ij} A_k) g^3 + 10^{-6}) (0 where g = 0 or the
denominator vanishes), w_k = Σ_{ij} α ReLU(g), map Σ_k w_k A_k."""

CAM_METHOD_HIRESCAM: int
"""HiRes-CAM [draelos2020hirescam]; Σ_k g_k ⊙ A_k (element-wise)."""

CAM_METHOD_KPCACAM: int
"""KPCA-CAM [karmani2024kpcacam], as pytorch-grad-cam's KPCA_CAM with its defaults: the
(H W) × C activation matrix with centred columns, scikit-learn's
KernelPCA(n_components=1, kernel, gamma, coef0=1) (kernel matrix centred): the map is the
first component v_1 √{λ_1} (0 when λ_1 ≤ 0), signed so that
its cell of largest |value| (the first one) is positive. Kernel and gamma:
CAMMethodParams.kpcaKernel and CAMMethodParams.kpcaGamma. Class-agnostic, any head."""

CAM_METHOD_LAYERCAM: int
"""LayerCAM [jiang2021layercam]; Σ_k ReLU(g_k) ⊙ A_k."""

CAM_METHOD_OCCLUSION: int
"""Occlusion sensitivity [zeiler2014visualizing] (as MATLAB's occlusionSensitivity), at
the blob's resolution: a square patch of the blob's zero (the mean colour after
preprocessing) slid with a stride; each pixel's value is p_c(I) - p_c(I_{occluded})
(softmax probabilities) averaged over the windows covering it, 0 where none does. Border
rule: along each axis of size n the windows start at 0, stride, 2·stride, … while
start < n − patch, then at n − patch (the last window touches the border; no start
repeats); every pair of an x start and a y start is a window, y major. Sizes:
CAMMethodParams.patchSize, CAMMethodParams.stride."""

CAM_METHOD_RECIPROCAM: int
"""Recipro-CAM [byun2022reciprocam]; map(i,j) = y_c(head(A ⊙ M_{ij}))
with M_{ij} one-hot at cell (i,j), or the paper's 3×3 Gaussian spread
(CAMMethodParams.reciproGaussian); H·W head re-evaluations, closed form on GAP→FC."""

CAM_METHOD_RISE: int
"""RISE [petsiuk2018rise], at the blob's resolution: CAMMethodParams.numMasks random
binary grids of s × s cells (s = CAMMethodParams.gridSize), each cell kept with
probability p (CAMMethodParams.keepProbability), upsampled bilinearly (cv::resize
INTER_LINEAR) to (s+1)· cell with cell = ⌈ size/s ⌉ per axis,
shifted by a random offset in [0, cell) and cropped to the blob; map
Σ_i p_c(I ⊙ M_i) M_i / (N p) (RISE's formula), one GEMM per batch; for p = 0.5
masks come in antithetic pairs (see CAMMethodParams.numMasks). cv::RNG seeded with
CAMMethodParams.seed draws the masks in order, so maps do not depend on the batch size
(generateRISEMasks gives them)."""

CAM_METHOD_SCORECAM: int
"""Score-CAM [wang2020scorecam], at feature resolution: one forward pass per channel k
of the input blob multiplied (every colour channel) by A_k upsampled to the blob
(cv::resize INTER_LINEAR) and min-max scaled to [0, 1]; w_k = softmax probability of
class c for that input; map Σ_k w_k A_k. Channels constant at feature resolution
get w_k = 0 (no forward). CAMMethodParams.channelSoftmax gives pytorch-grad-cam's
ScoreCAM exactly; CAMMethodParams.maxChannels gives Faster Score-CAM."""

CAM_METHOD_XGRADCAM: int
"""XGrad-CAM [fu2020xgradcam]; w_k = Σ_{ij} g_k A_k / (Σ_{ij} A_k + 10^{-7})
(0 where the denominator vanishes)."""

CAM_NEEDS_CAM_HEAD: int
"""A GAP→FC or class-map head (CAM)."""

CAM_NEEDS_DIFFERENTIABLE_HEAD: int
"""A head xcam can differentiate and re-evaluate (gradient and re-evaluation methods)."""

CAM_NEEDS_FEATURES: int
"""The feature layer only, on any net (Eigen-CAM, KPCA-CAM; Score-CAM with forward passes)."""

CAM_NEEDS_FORWARD_ONLY: int
"""Forward passes of the whole net only (occlusion, RISE)."""

CAM_OVERLAY_BLEND: int
"""`(1 - alpha) * image + alpha * colormap(map)`, as pytorch-grad-cam's
`show_cam_on_image`."""

CAM_OVERLAY_SEED: int
"""The seed's figure (the blog's `CAMshow`): a colour ramp whose brightness rises
with the activation, added to the image's grey level halved, then stretched to [0, 255]."""

DETECTION_SSD: int
"""SSD's `DetectionOutput` (Caffe, TensorFlow Object Detection API in OpenCV): the first
output is 1 × 1 × N × 7 rows of image id, class, score, x1, y1, x2, y2
with corners normalized to [0, 1]; rows with a negative image id or class, or a score
≤ 0 (padding), are skipped. objectness = score; classProbs stays empty: a row
carries only its class, and detectionSimilarity compares such classes as one-hot vectors.
DetectionOutput merges a batch into one list, so such nets run one masked input at a
time in explain()."""

DETECTION_YOLOV5: int
"""YOLOv5 (and v3/v7-style exports): the first output is 1 × N × (5 + C)
rows of cx, cy, w, h in network-input pixels, objectness, C class probabilities;
score = objectness × best class probability (YOLOv5's `non_max_suppression`), classProbs
the C probabilities."""

DETECTION_YOLOV8: int
"""YOLOv8 (and later Ultralytics exports): the first output is 1 × (4 + C) × N
(one column per proposal): cx, cy, w, h in network-input pixels, C class scores;
objectness 1, score = best class score, classProbs the C scores."""

class error(RuntimeError):
    """An OpenCV error (cv::Exception) raised by xcam; str() is OpenCV's message."""
    code: int
    err: str
    func: str
    file: str
    line: int
    msg: str

class CAMMethodInfo:
    """One method's facts, a row of the method table (getCAMMethods)."""
    def __init__(self) -> None: ...
    method: int
    """The CAMMethod."""
    name: str
    """Its name as the CLI takes it (`--method`), e.g. `gradcam++`."""
    aliases: list[str]
    """Other names parseCAMMethod accepts (e.g. pytorch-grad-cam's class name)."""
    family: str
    """Its family: `cam`, `gradient` (channel weights or element-wise weights from
    ∂ y / ∂ A), `eigen` (a projection of A, class-agnostic),
    `reevaluation` (the head re-run on modified features) or `perturbation` (forward passes
    of modified inputs)."""
    needs: int
    """What it needs from the net: a CAMMethodNeeds."""
    manyForwards: bool
    """Whether it runs many forward passes of the whole net (seconds, with progress reports)
    instead of one."""
    detectors: bool
    """Whether it also explains detectors (Eigen-CAM, occlusion, RISE as D-RISE)."""
    description: str
    """One line of help, as the CLI prints it."""

class CAMMethodParams:
    """Parameters of CAMModel.explain. Defaults are set by the constructor."""
    def __init__(self) -> None: ...
    batchSize: int
    """Masked inputs or head re-evaluations per batch (≥ 1, default 32): the forward passes of
    Score-CAM, occlusion and RISE run this many blobs at a time (CAMModel.forwardBatch);
    maps do not depend on it."""
    maxChannels: int
    """Score-CAM: only the N channels of highest spatial variance get a forward pass and a weight
    (Faster Score-CAM; ties: lower channel first), the others weight 0; 0 = all (default 0,
    ≥ 0). With channelSoftmax the softmax runs over those N channels."""
    channelSoftmax: bool
    """Score-CAM: false (default) = the paper's weights, the masked inputs' softmax probability of
    the class; true = pytorch-grad-cam's ScoreCAM exactly: masks upsampled with align_corners
    sampling (PyTorch's UpsamplingBilinear2d) and scaled by (x - min)/(max - min + 1e-8), no
    channel skipped, weights = softmax over the channels of the masked inputs' logits."""
    patchSize: int
    """Occlusion: side of the square patch in blob pixels (≥ 0, at most the blob's height and
    width); 0 = automatic, ⌈ min(H, W)/7 ⌉ (32 at 224×224, about one cell of
    a stride-32 net's 7×7 grid) (default 0)."""
    stride: int
    """Occlusion: step between patches in blob pixels (≥ 0); 0 = automatic,
    ⌈ patch/2 ⌉ (half-overlapping windows: 13×13 = 169 forwards at 224×224)
    (default 0). A stride larger than the patch leaves pixels no window covers (value 0)."""
    numMasks: int
    """RISE: number of random masks (≥ 1, default 4000, RISE's own range). With p = 0.5 the
    masks are drawn in antithetic pairs (a grid, then its complement with the same shift):
    each mask still has RISE's distribution and the expected map is unchanged, but every
    pixel is kept exactly half the time, which removes most seed-to-seed noise. Pearson
    correlation of two seeds' maps on MobileNetV2's top-1 class (gridSize 8): 0.957
    (chelsea.png, the hardest) and 0.951 (bird.bmp) at 2000 masks, against 0.67 and 0.92 with
    independent masks. Time is proportional to numMasks."""
    gridSize: int
    """RISE: cells per side of the random grid (≥ 1), or 0 (the default): automatic, 8 on a
    classifier, 16 for D-RISE on a DetectorModel (the D-RISE paper's grid)."""
    keepProbability: float
    """RISE: probability that a grid cell is kept, in [1e-6, 1] (default 0.5)."""
    seed: int
    """RISE: seed of cv::RNG (default 0)."""
    reciproGaussian: bool
    """Recipro-CAM: spread each cell's mask with the paper's 3×3 Gaussian instead of a one-hot
    cell (default false)."""
    closedForm: bool
    """Use the closed forms of GAP→FC and class-map heads for gradients, Ablation-CAM and
    Recipro-CAM (default true); false re-evaluates and differentiates the head layer by layer
    (the same maps, slower: for checking)."""
    finerAlpha: float
    """Finer-CAM: comparison strength α (finite, default 1)."""
    finerClasses: int
    """Finer-CAM: how many of the nearest classes are compared (≥ 1, default 3: pytorch-grad-cam's
    comparison_categories [1, 2, 3]); at most the class count − 1 are used."""
    kpcaKernel: int
    """KPCA-CAM: a CAMKernel (default CAM_KERNEL_SIGMOID)."""
    kpcaGamma: float
    """KPCA-CAM: γ of the sigmoid, RBF and polynomial kernels (≥ 0, finite); 0 = 1/C,
    scikit-learn's default (default 0)."""

class CAMModel:
    """A classifier wrapped for Class Activation Maps: preprocessing, the feature and
    fully-connected layers, one forward pass, top-k classes and their maps.

    Two heads are handled:
    - GAP→FC (MobileNet, ResNet, GoogLeNet): the feature layer (the ReLU after the last convolution)
      feeds a global average pooling whose output feeds a fully-connected layer (Caffe `InnerProduct`,
      ONNX `Gemm` or `MatMul`, or a 1×1 convolution). The map of class c is
      Σ_k w_{c,k} A_k with the FC weights w (see xcam.computeCAM and CAMBiasMode).
    - class-map (SqueezeNet, mini-Xception): the feature layer has one channel per class and is pooled
      straight into the class scores; the map of class c is channel c.

    Layers are given by name (setLayers) or found automatically at the first forward(): the global
    average pooling nearest the output (a `Pooling` layer with global pooling, or an average pooling
    whose kernel covers its whole input, like bvlc GoogLeNet's `pool5/7x7_s1`), the layer feeding it as
    the feature layer (pass-through layers such as Dropout, Identity, Flatten or Reshape skipped) and
    the first fully-connected layer after it; with none, class-map mode when the pooled channel count
    equals the number of outputs. Names are resolved as users write them: the exact layer name, else
    the `onnx_node!<name>` and `onnx_node_output_0!<name>` spellings of OpenCV 4.6's ONNX importer; a
    name that matches nothing raises an error listing the nearest layer names.

    Any other head (VGG/AlexNet-style flatten → FC → ReLU → FC, global MAX pooling, …) works with the
    other methods of explain(): the feature layer is then the last 4-D output with spatial size > 1
    before the logits, and classify() and getCAM(s) give the maps of getDefaultMethod() (Grad-CAM, or
    Eigen-CAM on a head xcam cannot differentiate).

    Threads: a CAMModel keeps the state of its last forward pass (and the cv::dnn::Net it wraps is not
    reentrant), so use one CAMModel per thread, or serialize calls to a shared one. The free functions
    (computeCAM, applyCAMOverlay, the metrics on separate models) are reentrant.

    Probabilities are the softmax of the class scores (the input of the net's own Softmax, or the FC
    output when there is none), so they equal the net's Softmax output and are never a softmax of
    probabilities.

    Ptr<xcam::CAMModel> model = xcam::CAMModel.create("mobilenet_v2.onnx");
    model->setInputParams(1.0 / 127.5, Size(224, 224), Scalar::all(127.5), true, false);
    std::vector<int> ids; std::vector<float> probs; std::vector<Mat> maps;
    model->classify(image, 3, ids, probs, maps);   // one forward pass, three 7x7 CV_32F maps"""
    @overload
    @staticmethod
    def create(model: str, config: str = ...) -> CAMModel:
        """Reads a network with cv::dnn::readNet.

        Parameters:
            model: binary weights (`*.onnx`, `*.caffemodel`, `*.pb`, …);
            config: text description (`*.prototxt`, …) when the format needs one.

        Returns:
            the new model, with default preprocessing and auto-detected layers."""
    @overload
    @staticmethod
    def create(net: cv2.dnn.Net) -> CAMModel:
        """Wraps an already loaded network (shared, not copied).

        Parameters:
            net: the network; cv::dnn::Net is a shared handle, so backend and target settings made
                on it later apply to the model too.

        Returns:
            the new model, with default preprocessing and auto-detected layers."""
    def setInputParams(self, scale: float = ..., size: tuple[int, int] = ..., mean: tuple[float, ...] = ..., swapRB: bool = ..., crop: bool = ...) -> None:
        """Preprocessing, as cv::dnn::blobFromImage takes it.

        Parameters:
            scale: multiplier applied after the mean is subtracted;
            size: network input size; an empty size keeps the image size;
            mean: subtracted from each channel, in the network's channel order (R, G, B for a BGR
                image with swapRB), as cv::dnn::blobFromImage takes it;
            swapRB: swap the first and last channels (BGR image, RGB-trained net);
            crop: resize keeping the aspect ratio and crop the centre, instead of stretching."""
    def setLayers(self, featureLayer: str = ..., fcLayer: str = ...) -> None:
        """Sets the feature layer and the fully-connected layer by name.

        An empty name means "find it": give the feature layer alone for a class-map head or to pick
        the map, the FC layer alone to let its pooling tell the feature layer, or neither.
        Unknown names and layers of the wrong kind raise xcam.error (cv::Exception) at the next forward().

        Parameters:
            featureLayer: the layer whose output is the feature blob A (e.g. the ReLU after the last
                convolution), or empty;
            fcLayer: the final fully-connected layer, or empty."""
    def setBiasMode(self, mode: int) -> None:
        """Sets how the FC bias enters the maps.

        Parameters:
            mode: a CAMBiasMode (default CAM_BIAS_IGNORE)."""
    def setLabels(self, labels: list[str]) -> None:
        """Sets the class names.

        Parameters:
            labels: one name per class, in output order (see readClassLabels); their number must
                match the class count."""
    def getBiasMode(self) -> int:
        """How the FC bias enters the maps.

        Returns:
            the CAMBiasMode set by setBiasMode()."""
    def getNet(self) -> cv2.dnn.Net:
        """The wrapped network.

        Returns:
            a shared handle to it: set backends and targets on it."""
    def forward(self, image: numpy.ndarray) -> None:
        """Runs one forward pass that keeps both the feature blob and the class scores.

        Parameters:
            image: CV_8U or CV_32F image with 1, 3 or 4 channels, preprocessed as setInputParams
                says; or an already made 4-D 1 × C × H × W CV_32F blob, used as is."""
    def classify(self, image: numpy.ndarray, topK: int) -> tuple[numpy.typing.NDArray[numpy.int32], numpy.typing.NDArray[numpy.float32], list[numpy.ndarray]]:
        """forward(), then the top-k classes and all their maps from that one pass.

        Parameters:
            image: as in forward();
            topK: how many classes (clipped to the class count);

        Returns:
            classIds: the most likely classes, most likely first;
            probs: their probabilities;
            cams: their raw maps, H × W CV_32F at feature resolution."""
    def explain(self, image: numpy.ndarray, method: int, classIds: list[int] = ..., params: CAMMethodParams = ...) -> list[numpy.ndarray]:
        """Explains the classes of one image with a method: one forward pass (more only
        where the method needs them, batched), then one raw CV_32F map per class, in order.

        What a method needs is its CAMMethodInfo.needs (getCAMMethods). Gradient methods (Grad-CAM
        family, Eigen-Grad-CAM, Finer-CAM), Ablation-CAM and Recipro-CAM run on any head xcam can
        differentiate and re-evaluate: the layers between the feature layer and the logits made of
        pooling (AVE, MAX), Flatten/Reshape/Identity/Dropout, InnerProduct (Caffe `InnerProduct`, ONNX
        `Gemm`/`MatMul`, 1×1 convolution), ReLU/ReLU6/LeakyReLU/Sigmoid/TanH and BatchNorm/Scale. A
        head with any other layer raises xcam.error (cv::Exception) naming the layer and the methods that run on the
        net (Eigen-CAM, KPCA-CAM, Score-CAM, occlusion, RISE). CAM needs a GAP→FC or class-map head.
        Maps are at feature resolution, except occlusion and RISE (input resolution).

        Parameters:
            image: as in forward();
            method: a CAMMethod;
            classIds: the classes, each in [0, K); empty: the top-1 class;
            params: the methods' parameters.

        Returns:
            maps: one raw map per class;"""
    def forwardBatch(self, blobs: numpy.ndarray, batchSize: int = ...) -> numpy.ndarray:
        """Class scores (logits) of many input blobs, `batchSize` per forward pass.

        A net that cannot take a batch larger than 1 (a fixed batch in a Reshape, …) is detected on
        the first batch: it then runs one blob at a time, said once in the log.

        Parameters:
            blobs: an N×C×H×W CV_32F blob, each image preprocessed as getInputBlob();
            batchSize: blobs per forward pass (≥ 1).

        Returns:
            logits: output N×K CV_32F scores;"""
    def getTopK(self, k: int) -> tuple[numpy.typing.NDArray[numpy.int32], numpy.typing.NDArray[numpy.float32]]:
        """The k most likely classes of the last forward(), most likely first (ties: lower id).

        Parameters:
            k: how many classes (clipped to the class count);

        Returns:
            classIds: the class ids;
            probs: their probabilities."""
    def getCAM(self, classId: int) -> numpy.ndarray:
        """Raw map of one class from the last forward().

        xcam.computeCAM of the kept feature blob, plus the bias when CAM_BIAS_SPREAD.

        Parameters:
            classId: the class, in [0, K);

        Returns:
            cam: output H × W CV_32F map."""
    def getCAMs(self, classIds: list[int]) -> list[numpy.ndarray]:
        """Raw maps of several classes from the last forward(), with one matrix product.

        Parameters:
            classIds: the classes, each in [0, K);

        Returns:
            cams: one H × W CV_32F map per class, in the order of `classIds`."""
    def getLabel(self, classId: int) -> str:
        """Label of a class.

        Parameters:
            classId: the class, in [0, K).

        Returns:
            its label, or an empty string when no labels were set."""
    def supportsMethod(self, method: int) -> bool:
        """Whether explain() can run a method on this net's head (known after forward()).

        Parameters:
            method: a CAMMethod.

        Returns:
            whether the head gives what the method's CAMMethodInfo.needs: false for CAM on a head
                that is not GAP→FC or class-map, and for the head-based methods on a head with a
                layer xcam cannot differentiate."""
    def getScores(self) -> numpy.ndarray:
        """Class scores (logits) of the last forward().

        Returns:
            a 1×K CV_32F row."""
    def getProbabilities(self) -> numpy.ndarray:
        """Class probabilities of the last forward(): the softmax of getScores().

        Returns:
            a 1×K CV_32F row."""
    def getFeatures(self) -> numpy.ndarray:
        """The feature blob of the last forward().

        Returns:
            a 1×C×H×W CV_32F blob."""
    def getFCWeights(self) -> numpy.ndarray | None:
        """Weights of the fully-connected layer; known after forward().

        Returns:
            a K×C CV_32F matrix (row c belongs to class c), empty in class-map mode."""
    def getFCBias(self) -> numpy.ndarray | None:
        """Bias of the fully-connected layer; known after forward().

        Returns:
            a 1×K CV_32F row, empty in class-map mode."""
    def getInputBlob(self) -> numpy.ndarray:
        """The preprocessed input blob of the last forward().

        Returns:
            a 1×C×H×W CV_32F blob."""
    def getNumClasses(self) -> int:
        """Number of classes; known after forward().

        Returns:
            K, the number of class scores."""
    def getFeatureLayer(self) -> str:
        """The resolved feature layer.

        Returns:
            its name as the net lists it (e.g. `onnx_node!Conv_1/Relu6`); empty before the first
                forward() when auto-detecting."""
    def getFCLayer(self) -> str:
        """The resolved fully-connected layer.

        Returns:
            its name as the net lists it, or an empty string in class-map mode (and before the first
                forward() when auto-detecting)."""
    def getScoreLayer(self) -> str:
        """The layer whose output is taken as the class scores.

        Returns:
            its name: the input of the net's own Softmax, or, when there is none, the FC layer (the
                global pooling in class-map mode)."""
    def isClassMapMode(self) -> bool:
        """Whether the head is a class-map head.

        Returns:
            true when there is no FC layer: the map of a class is its channel of the feature blob."""
    def getDefaultMethod(self) -> int:
        """The method of classify() and getCAM(s): the first method of getCAMMethods() that
        the head allows, i.e. CAM, else Grad-CAM, else Eigen-CAM (known after forward()).

        Returns:
            a CAMMethod."""
    def getHeadLayers(self) -> list[str]:
        """The head's layers, from the one after the feature layer to the score layer.

        Returns:
            their names; empty before the first forward()."""

class CAMOverlayParams:
    """Parameters of applyCAMOverlay."""
    def __init__(self) -> None: ...
    style: int
    """A CAMOverlayStyle (default CAM_OVERLAY_SEED)."""
    interpolation: int
    """How the map is resized to the image: INTER_NEAREST, INTER_LINEAR, INTER_CUBIC or
    INTER_LANCZOS4, with cv::resize's sampling and replicated borders."""
    threshold: float
    """Normalized map values below it are set to 0 (in [0, 1])."""
    alpha: float
    """Weight of the colour in the blend style (in [0, 1])."""
    colormap: int
    """A cv::ColormapTypes for the colour ramp (both styles)."""

class Detection:
    """One detection (or one raw proposal) of an object detector, boxes in image pixels.

    The constructor sets an empty box, classId -1 (no class), score 0, objectness 1 and no class
    vector."""
    def __init__(self, box: tuple[float, float, float, float] = ..., classId: int = ..., score: float = ..., objectness: float = ..., classProbs: list[float] = ...) -> None: ...
    box: tuple[float, float, float, float]
    """The box in image pixels (x, y of the top-left corner, width, height), not clipped."""
    classId: int
    """The class, in [0, C); -1 means "any class" in a target (see detectionSimilarity)."""
    score: float
    """The detector's confidence (YOLOv5: objectness × best class probability)."""
    objectness: float
    """The objectness O of D-RISE; 1 where the detector has none (YOLOv8 layout)."""
    classProbs: list[float]
    """Per-class probabilities P (C values); may be empty (one-class detectors, SSD's
    DetectionOutput, which gives only the winning class of each row)."""

class DetectorModel:
    """An object detector wrapped for explanations: preprocessing, one forward pass, a decoder
    (built-in formats or any user function), class-wise NMS, and D-RISE, occlusion and Eigen-CAM maps
    of its detections.

    Ptr<xcam::DetectorModel> model = xcam::DetectorModel::create("yolov5s.onnx");
    model->setInputParams(1 / 255.0, Size(640, 640), Scalar(), true);
    model->setFormat(xcam::DETECTION_YOLOV5);
    std::vector<xcam::Detection> dets;
    model->detect(image, dets);                                  // boxes in image pixels
    std::vector<Mat> maps;
    model->explain(image, dets, xcam::CAM_METHOD_RISE, maps);    // D-RISE, one map per detection

    Threads: one DetectorModel per thread (the cv::dnn::Net it wraps is not reentrant)."""
    @overload
    @staticmethod
    def create(model: str, config: str = ...) -> DetectorModel:
        """Reads a network with cv::dnn::readNet.

        Parameters:
            model: binary weights (`*.onnx`, `*.caffemodel`, `*.pb`, …);
            config: text description (`*.prototxt`, …) when the format needs one.

        Returns:
            the model, with no format or decoder set yet (setFormat or setDecoder)."""
    @overload
    @staticmethod
    def create(net: cv2.dnn.Net) -> DetectorModel:
        """Wraps an already loaded network (shared, not copied: backends and targets set on it
        apply to the model).

        Parameters:
            net: the network.

        Returns:
            the model."""
    def setInputParams(self, scale: float = ..., size: tuple[int, int] = ..., mean: tuple[float, ...] = ..., swapRB: bool = ...) -> None:
        """Preprocessing, as cv::dnn::blobFromImage takes it (no crop: the blob is the image
        stretched to `size`, so boxes map back to the image by scaling each axis).

        Parameters:
            scale: multiplier applied after the mean is subtracted;
            size: network input size; empty keeps the image's size;
            mean: subtracted from each channel, in the network's channel order;
            swapRB: swap the first and last channels (BGR image, RGB-trained net)."""
    def setInputNHWC(self, nhwc: bool) -> None:
        """Feed the net a 1 × H × W × C blob (the
        1 × C × H × W blob of blobFromImage transposed) instead of NCHW: nets
        converted from TensorFlow / TFLite such as MediaPipe's BlazeFace take only that.

        Parameters:
            nhwc: true for NHWC (default false)."""
    def setFormat(self, format: int) -> None:
        """Selects a built-in decoder.

        Parameters:
            format: a DetectionFormat; replaces any decoder given to setDecoder."""
    def setDecoder(self, decoder: Callable[[list[numpy.ndarray], tuple[int, int]], list[Detection]]) -> None:
        """Sets the decoder of any other detector: a Python callable in place of C++'s DetectionDecoder; replaces the format.

        It runs with the GIL taken, once per forward pass of one image (explain's D-RISE and occlusion: once per masked input), and an exception it raises propagates out of detect() or explain() unchanged (with a note).

        Parameters:
            decoder: decoder(outputs, imageSize) -> list[Detection], with outputs the raw outputs of one image (numpy arrays in getUnconnectedOutLayersNames order, batch dimension 1; copies it may keep) and imageSize the image's (width, height); it returns EVERY proposal, boxes in image pixels, no score threshold and no NMS."""
    def setThresholds(self, scoreThreshold: float, nmsThreshold: float) -> None:
        """Thresholds of detect().

        Parameters:
            scoreThreshold: proposals with score above it are kept (in [0, 1], default 0.25, as
                YOLOv5's detect.py);
            nmsThreshold: IoU above which cv::dnn::NMSBoxes suppresses a box of the same class (in
                [0, 1], default 0.45)."""
    def setFeatureLayer(self, name: str) -> None:
        """The layer whose output Eigen-CAM projects.

        Empty (default) = auto-detected from the net: the detection head's convolutions are those
        whose output reaches a net output without passing through another convolution; the feature
        layer is, among their inputs (pass-through layers such as Identity skipped back), the one
        computed last whose output is an image-like map: 4-D, height and width > 1, the input divided
        by the same stride on both axes (within 10 %). On YOLOv5 exports that is the last C3 block
        before `Detect` (`model[-2]`, pytorch-grad-cam's YOLO recipe); on BlazeFace the 8×8 block
        feeding the second head. A net with no such layer raises an error asking for a name.

        Parameters:
            name: the layer, as cv::dnn names it or as the ONNX node is named (`onnx_node!` prefixes
                optional); an unknown name fails at the next Eigen-CAM explain() listing the nearest
                names."""
    def detect(self, image: numpy.ndarray) -> list[Detection]:
        """Preprocessing, one forward pass of every unconnected output, the decoder, then a
        class-wise cv::dnn::NMSBoxes (score threshold, NMS threshold).

        Parameters:
            image: CV_8U or CV_32F image with 1, 3 or 4 channels;

        Returns:
            detections: the kept detections, highest score first, boxes in image pixels."""
    def explain(self, image: numpy.ndarray, targets: list[Detection], method: int, params: CAMMethodParams = ...) -> list[numpy.ndarray]:
        """Explains detections: one CV_32F map per target, at the image's size.

        Methods on a detector:
        - CAM_METHOD_RISE is D-RISE [petsiuk2021drise]: RISE masks (CAMMethodParams gridSize,
          keepProbability, seed; antithetic pairs at p = 0.5, as RISE here) at the network input's
          resolution; each masked blob's proposals (all of them: no threshold, no NMS) are scored
          against the target with detectionSimilarity; mask i weighs
          w_i = max_d s(t, d) and the map is Σ_i w_i M_i / (N p), resized to the image
          (INTER_LINEAR). `gridSize` 0 (CAMMethodParams' default: automatic) is the paper's
          16 × 16 grid on a detector (any other value is used as given); `numMasks` keeps its
          default, 4000.
        - CAM_METHOD_OCCLUSION: s_0 - max_d s(t, d_{occluded}) per occluding patch
          (CAMMethodParams patchSize, stride; xcam's window and averaging rule), with
          s_0 = max_d s(t, d) on the unoccluded input.
        - CAM_METHOD_EIGENCAM: Eigen-CAM [muhammad2020eigencam] of the feature layer
          (setFeatureLayer) from one forward pass, resized to the image; class-agnostic, so every
          target gets the same map (pytorch-grad-cam's YOLO recipe).

        Any other method raises StsNotImplemented naming these three. Forward passes of masked blobs
        run CAMMethodParams.batchSize at a time; a net that refuses a batch (or merges it, like
        DetectionOutput) runs one at a time from then on.

        Parameters:
            image: as in detect();
            targets: the detections to explain (boxes in image pixels, e.g. from detect()); empty:
                the detections detect() finds on this image, from the same forward pass (see
                getLastDetections);
            method: CAM_METHOD_RISE, CAM_METHOD_OCCLUSION or CAM_METHOD_EIGENCAM;
            params: the methods' parameters.

        Returns:
            maps: one raw map per target, image-sized CV_32F;"""
    def getLastDetections(self) -> list[Detection]:
        """The detections of the last detect(), or of the last explain() with no targets.

        Returns:
            detections: as detect() gives them."""
    def getFeatureLayer(self) -> str:
        """The Eigen-CAM feature layer: the name set, or the auto-detected one once the input
        size is known (after the first detect() or explain()).

        Returns:
            the layer's name as cv::dnn lists it; empty when it cannot be known yet."""
    def getNet(self) -> cv2.dnn.Net:
        """The wrapped network.

        Returns:
            a shared handle to it: set backends and targets on it."""

def applyCAMOverlay(image: numpy.ndarray, cam: numpy.ndarray, dst: numpy.ndarray | None = ..., params: CAMOverlayParams = ...) -> numpy.ndarray:
    """Draws a raw Class Activation Map over an image, in one fused parallel pass.

    The map is resized to the image (`params.interpolation`), min-max normalized over the whole map (a
    constant map becomes all zeros, never NaN), and values below `params.threshold` set to 0; let `m`
    be the result and idx = round(255 m). Then, with `LUT` the colormap
    `params.colormap` (BGR, as cv::applyColorMap):
    - CAM_OVERLAY_SEED (default): s = gray(image)/2 + LUT(idx) · idx/255 per channel (gray by
      COLOR_BGR2GRAY; a grey image is used as is), and
      dst = round(255 (s - min s) / (max s - min s)) with the minimum and maximum taken
      over all pixels and channels;
    - CAM_OVERLAY_BLEND: dst = (1 - α)  image + α  LUT(idx).

    Interpolation weights are computed once per output row and column, colours come from a 256-entry
    table, and once `dst` has the right size no image-sized buffer is allocated.

    Parameters:
        image: CV_8UC3 (BGR), CV_8UC1 (grey) or CV_8UC4 (BGRA, alpha ignored).
        cam: raw map, CV_32FC1 of any size (typically the feature resolution, e.g. 7x7), finite.
        params: style and its parameters.

    Returns:
        dst: CV_8UC3 picture of the image's size; may be `image` itself."""

def computeCAM(activations: numpy.ndarray, weights: numpy.ndarray | None, classId: int) -> numpy.ndarray:
    """Computes the raw Class Activation Map of one class [zhou2016cam].

    The map is the feature maps weighted by the class's row of the final fully-connected layer:

        CAM_c(y,x) = Σ_{k=0}^{C-1} W(c,k) A_k(y,x)

    computed as one matrix-vector product over the C × (H · W) view of the activations.
    Nothing else is applied: no bias, no ReLU, no normalization. For a net whose head is global average
    pooling followed by the fully-connected layer, mean(CAM_c) + b_c is the class's logit.

    Throws xcam.error (cv::Exception) (StsBadArg / StsBadSize / StsOutOfRange) naming the argument for an empty or
    non-CV_32F input, wrong dimensions, `weights.cols != C`, an out-of-range `classId`, and for NaN or
    infinite values in the activations or in the class's weights.

    Parameters:
        activations: the feature layer's blob as cv::dnn::Net::forward returns it: a 4-D 1 × C ×
            H × W or 3-D C × H × W CV_32F array of finite values.
        weights: K × C CV_32F matrix, the fully-connected layer's weights as
            `net.getParam(fcLayer, 0)` returns them (row c belongs to class c). Leave it empty
            for class-map heads (SqueezeNet-like nets whose last convolution has one channel per
            class): the map is then channel `classId` of the activations itself.
        classId: the class, in [0, K) (or [0, C) when `weights` is empty).

    Returns:
        cam: output H × W CV_32F map."""

def confidenceChange(model: CAMModel, image: numpy.ndarray, map: numpy.ndarray, classId: int) -> tuple[float, bool]:
    """Average Drop and Increase in Confidence [chattopadhay2018gradcampp] for one image:
    the blob is multiplied by the min-max normalized map (resized bilinearly to the blob; a constant
    map gives zeros, i.e. an all-zero blob), and the class's softmax probability y' compared with the
    original y. Runs `model->forward(image)` (unless the last one was of the same image, as in
    deletionAUC) and one more forward.

    Parameters:
        model, image, map, classId: as in deletionAUC (same errors);

    Returns:
        drop: max(0, y - y') / y (average it over images; lower is better);
        increase: whether y' > y (its rate over images; higher is better)."""

def decodeDetections(outputs: list[numpy.ndarray], format: int, inputSize: tuple[int, int], imageSize: tuple[int, int]) -> list[Detection]:
    """Decodes raw outputs with a built-in decoder: every proposal, no threshold, no NMS.

    Parameters:
        outputs: the net's outputs for one image (getUnconnectedOutLayersNames order; the first
            is read), batch dimension 1;
        format: a DetectionFormat;
        inputSize: the network input's width and height (YOLO boxes are in its pixels);
        imageSize: the image's width and height: boxes are scaled to it (the blob is the image
            stretched to the input size);

    Returns:
        proposals: every proposal, in output order."""

@overload
def deletionAUC(model: CAMModel, image: numpy.ndarray, map: numpy.ndarray, classId: int, steps: int = ..., batchSize: int = ...) -> float:
    """Deletion AUC [petsiuk2018rise]; the most salient pixels of the input blob are set to
    the blob's zero (the mean colour) first, in `steps` equal steps, and the area under the class's
    softmax probability (trapezoids, x in [0, 1]) is returned. Lower is better.

    Runs `model->forward(image)` unless the model's last forward pass was of the same image (the
    same input blob, value for value: then its scores are taken), so that the model's last forward is
    this image's; then `steps` (deletion) or `steps + 1` (insertion) masked forwards through
    CAMModel.forwardBatch (deletion's step 0 is the clean input). Step i has the first round(i·H·W/steps) pixels of
    the ranking changed (all channels). The ranking sorts the map's values in decreasing order, ties in
    row-major pixel order, so a constant map gives a defined (if uninformative) curve.

    Parameters:
        model: a model; its preprocessing makes the blob from `image`;
        image: the image (as CAMModel.forward takes it);
        map: a raw map of any size covering the blob (e.g. from explain()); resized bilinearly
            (cv::resize INTER_LINEAR) to the blob's H×W. NaN or infinite values raise StsBadArg;
        classId: the class, in [0, K) (else StsOutOfRange);
        steps: number of steps (≥ 1, else StsOutOfRange; default 30);
        batchSize: blobs per forward pass (≥ 1).

    Returns:
        the area, in [0, 1]."""
@overload
def deletionAUC(model: DetectorModel, image: numpy.ndarray, map: numpy.ndarray, target: Detection, steps: int = ..., batchSize: int = ...) -> float:
    """Deletion AUC of a detection [petsiuk2021drise]: the classifier deletionAUC's curve
    (same pixel ranking, steps and baseline: the most salient pixels of the network input blob set to
    the blob's zero first), each step scored as the D-RISE paper scores a perturbed image: the
    maximum over ALL its proposals (no score threshold, no NMS) of detectionSimilarity(target,
    proposal), 0 when it has none. Lower is better.

    Runs one forward pass of `image` (step 0: its proposals, the clean score), then `steps` masked
    forward passes `batchSize` at a time (as DetectorModel::explain: a net that refuses a batch runs
    one blob at a time). The blob's layout (setInputNHWC) is the model's.

    Parameters:
        model: a detector from DetectorModel::create, with a format or decoder set;
        image: the image (as DetectorModel::detect takes it);
        map: a raw map of any size covering the image (e.g. from DetectorModel::explain),
            resized bilinearly (cv::resize INTER_LINEAR) to the blob's H×W; empty, multi-
            channel, NaN or infinite: StsBadArg; a constant map ranks the pixels in row-major
            order;
        target: the detection, boxes in image pixels (e.g. from detect()); a non-finite value or
            an empty box raises StsBadArg, a class that cannot be compared with the detector's
            class vectors StsOutOfRange or StsBadSize (as in explain());
        steps: number of steps (≥ 1, else StsOutOfRange; default 30);
        batchSize: masked blobs per forward pass (≥ 1).

    Returns:
        the area, in [0, 1] when the objectness is."""

def detectionSimilarity(target: Detection, proposal: Detection) -> float:
    """D-RISE's similarity of a proposal to a target [petsiuk2021drise]:
    s(t, d) = IoU(B_t, B_d) · cos(P_t, P_d) · O_d.

    The cosine is taken between class vectors; where one side has no class vector (`classProbs`
    empty) its class is the one-hot vector of its classId, and where a side's classId is -1 and it
    has no vector the cosine is 1 (a one-class detector, or a class-agnostic target). A zero vector
    gives cosine 0. Boxes with a non-positive width or height have IoU 0.

    Parameters:
        target: the detection to explain;
        proposal: a raw proposal of the detector;

    Returns:
        the similarity, in [0, 1] when the objectness is; throws StsBadArg for non-finite boxes
            or objectness and StsBadSize for class vectors of different lengths."""

def generateRISEMasks(size: tuple[int, int], params: CAMMethodParams, start: int, count: int) -> numpy.ndarray:
    """The random masks of RISE (CAM_METHOD_RISE), exactly those CAMModel.explain uses, for
    any split of the masks into batches.

    Mask i of N = CAMMethodParams.numMasks: with s = CAMMethodParams.gridSize, p =
    CAMMethodParams.keepProbability, cell = ⌈ size/s ⌉ per axis and cv::RNG seeded
    with CAMMethodParams.seed (`RNG((uint64)(int64)seed)`), drawn in mask order: for p = 0.5 an odd
    i is the complement 1 - g of mask i − 1's grid with its shift (antithetic pairs); any other
    mask draws its s × s grid row by row, cell kept (1) when `rng.uniform(0.f, 1.f) < p`, then its
    shift `dx = rng.uniform(0, cellW)`, `dy = rng.uniform(0, cellH)`. The grid is upsampled
    bilinearly (cv::resize INTER_LINEAR) to (s + 1) · cell and cropped to `size` at
    (dx, dy).

    Parameters:
        size: the input blob's width and height;
        params: numMasks (≥ 1), gridSize (≥ 1; 0: 8, as CAMModel), keepProbability (in [1e-6,
            1]) and seed;
        start: the first mask, in [0, numMasks);
        count: how many masks (≥ 1, start + count ≤ numMasks);

    Returns:
        masks: output count × (H·W) CV_32F, one mask a row, row-major pixels."""

def getCAMMethodInfo(method: int) -> CAMMethodInfo:
    """One method's facts.

    Parameters:
        method: a CAMMethod.

    Returns:
        its row of getCAMMethods(); throws StsOutOfRange for an unknown method."""

def getCAMMethodName(method: int) -> str:
    """The name of a method as the CLI takes it (CAMMethodInfo.name: `cam`, `gradcam`,
    `gradcam++`, `xgradcam`, `hirescam`, `layercam`, `eigencam`, `eigengradcam`, `ablationcam`,
    `reciprocam`, `scorecam`, `occlusion`, `rise`, `finercam`, `kpcacam`).

    Parameters:
        method: a CAMMethod.

    Returns:
        its name; throws StsOutOfRange for an unknown method."""

def getCAMMethods() -> list[CAMMethodInfo]:
    """Every method's facts, in CAMMethod order (the table the CLI, xcam_eval and
    CAMModel's routing read).

    Returns:
        one CAMMethodInfo per CAMMethod; element i describes method i."""

def getDetectionFormatName(format: int) -> str:
    """The name of a DetectionFormat (`yolov5`, `yolov8`, `ssd`).

    Parameters:
        format: a DetectionFormat.

    Returns:
        its name; throws StsOutOfRange for anything else."""

@overload
def insertionAUC(model: CAMModel, image: numpy.ndarray, map: numpy.ndarray, classId: int, steps: int = ..., batchSize: int = ...) -> float:
    """Insertion AUC [petsiuk2018rise]; the most salient pixels are inserted first into a
    blurred copy of the blob (each channel blurred with cv::GaussianBlur, kernel 11×11, σ 5, default
    border). Higher is better. Ranking and errors as deletionAUC.

    Parameters:
        model: a model; its preprocessing makes the blob from `image`;
        image: the image (as CAMModel.forward takes it);
        map: a raw map of any size, resized bilinearly to the blob's size;
        classId: the class, in [0, K);
        steps: number of steps (≥ 1);
        batchSize: blobs per forward pass (≥ 1).

    Returns:
        the area, in [0, 1]."""
@overload
def insertionAUC(model: DetectorModel, image: numpy.ndarray, map: numpy.ndarray, target: Detection, steps: int = ..., batchSize: int = ...) -> float:
    """Insertion AUC of a detection [petsiuk2021drise]: the most salient pixels are
    inserted first into the blurred blob (as the classifier insertionAUC: each channel blurred with
    cv::GaussianBlur, 11×11, σ 5); step i scored by the best D-RISE similarity of the target among
    the perturbed image's proposals, as detector deletionAUC. Runs one clean forward pass (for the
    checks), then `steps + 1` masked ones. Higher is better.

    Parameters:
        model, image, map, target, steps, batchSize: as in the detector deletionAUC (same
            errors).

    Returns:
        the area, in [0, 1] when the objectness is."""

def parseCAMMethod(name: str) -> int:
    """The method of a name or alias (case, '-', '_' and spaces ignored, a final `pp` read as
    `++`: `Grad-CAM++`, `gradcampp` and `GradCAMPlusPlus` are Grad-CAM++).

    Parameters:
        name: a method name, as getCAMMethodName returns it, or one of CAMMethodInfo.aliases.

    Returns:
        the CAMMethod; throws StsBadArg listing the known names for anything else."""

def parseDetectionFormat(name: str) -> int:
    """The DetectionFormat of a name (case ignored), as getDetectionFormatName gives it.

    Parameters:
        name: `yolov5`, `yolov8` or `ssd`.

    Returns:
        the format; throws StsBadArg listing the known names for anything else."""

def pointingGame(map: numpy.ndarray, imageSize: tuple[int, int], box: tuple[int, int, int, int], tolerance: int = ...) -> bool:
    """Pointing game [zhang2018topdown]; whether the map's maximum, mapped to image pixels,
    falls inside the box grown by `tolerance` pixels on each side.

    The maximum is the first one in row-major order (a constant map points at its first cell); cell
    (i, j) of an h×w map is the image point ((j + 0.5)·W/w − 0.5, (i + 0.5)·H/h − 0.5), where
    cv::resize puts the cell's centre. A hit: box.x − tolerance ≤ x ≤ box.x + box.width − 1 + tolerance,
    and likewise in y.

    Parameters:
        map: a raw map of any size, covering the whole image (NaN or infinity: StsBadArg);
        imageSize: the image's size;
        box: the object's box in image pixels; for a detection, `Rect(detection.box)` (rounded);
        tolerance: pixels added on each side of the box (≥ 0, default 15).

    Returns:
        true for a hit."""

def readClassLabels(path: str) -> list[str]:
    """Reads class labels, one per line, in output order (as OpenCV's dnn samples' `--classes`).

    Trailing carriage returns are dropped; throws when the file cannot be read or is empty.

    Parameters:
        path: the text file.

    Returns:
        one label per line."""
