// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// What several parts of the module share: blob views, the map GEMM, softmax and the argument,
// batch-size and cancel checks.
#ifndef OPENCV_XCAM_UTIL_HPP
#define OPENCV_XCAM_UTIL_HPP

#include "precomp.hpp"

// XCAM_VECTOR_CLONES builds a kernel twice, for AVX2+FMA (x86-64-v3) and for the baseline, and
// the loader picks the right one (GCC/Clang ifunc): the gradient of a VGG-style head goes through
// an FC of about a million weights, Eigen-CAM's Gram matrix through 60,000 activations. Clones
// are named by feature level, not by CPU: GCC picks an "arch=haswell" clone only on a CPU that
// identifies as Haswell (never on a later Xeon); Clang 14 checks "arch=x86-64-v3" the same way,
// so it gets AVX2 alone. Not under ThreadSanitizer: the ifunc resolver runs before TSan's
// runtime is up and crashes the process at load time.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define XCAM_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define XCAM_TSAN 1
#endif
#if defined(__GNUC__) && defined(__x86_64__) && defined(__linux__) && !defined(XCAM_TSAN)
#if defined(__clang__)
#define XCAM_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define XCAM_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
#else
#define XCAM_VECTOR_CLONES
#endif

namespace cv {
namespace xcam {
namespace detail {

/** The C x (H*W) view of a 1xCxHxW or CxHxW CV_32F blob (a header, no copy, when the blob is
    continuous); throws naming `argName` for anything else. */
Mat featureRows(const Mat& activations, int& height, int& width, const char* argName);

/** maps (k x H*W) = weightRows (k x C) * features (C x H*W): the one product behind every map
    (multiplyTransposed). */
void weightedSum(const Mat& weightRows, const Mat& features, Mat& maps);

/** dst (m x c) = a^T b for a (K x m) and b (K x c), CV_32F: the rows of b whose row of a is all
    zero are skipped (one-hot or ReLU-masked gradients), each other row of b is read once per four
    columns of a. Vectorized (AVX2+FMA where the CPU has it). */
CV_EXPORTS void multiplyTransposed(const Mat& a, const Mat& b, Mat& dst);

/** dst (m x c) = g b for g (m x K) and b (K x c), CV_32F: multiplyTransposed(g^T, b) without
    forming g^T. */
CV_EXPORTS void multiplyRows(const Mat& g, const Mat& b, Mat& dst);

/** dst (m x m) = a^T a for a (K x m) CV_32F, as multiplyTransposed(a, a) but computing each
    pair of symmetric entries once. */
CV_EXPORTS void gramMatrix(const Mat& a, Mat& dst);

/** x[0] + ... + x[n-1] in float, eight partial sums (vectorized). */
float sumOf(const float* x, int n);

/** x . y over n floats, eight partial sums (vectorized). */
float dotOf(const float* x, const float* y, int n);

/** Throws StsBadArg naming `argName` when `m` holds NaN or an infinity. */
void checkFinite(const Mat& m, const char* argName);

/** Row-wise softmax of N x K CV_32F scores (in double, shifted by each row's maximum: no
    overflow for large scores), CV_32F. */
void softmaxRows(const Mat& scores, Mat& probs);

/** Throws StsOutOfRange unless every id is in [0, numClasses). */
void checkClassIds(const std::vector<int>& classIds, int numClasses);

/** Throws StsOutOfRange naming `argName` unless batchSize >= 1. */
void checkBatchSize(int batchSize, const char* argName);

/** Reports (done, total) to `progress` (may be empty); throws StsError when it cancels. */
void reportProgress(const CAMProgressCallback& progress, int done, int total);

/** The rows of `rows` (k x H*W) as k H x W maps (views of `rows`: the callers copy them out). */
void splitRows(const Mat& rows, int height, std::vector<Mat>& maps);

}}} // namespace cv::xcam::detail

#endif
