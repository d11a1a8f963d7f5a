// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

// The method table: one row per CAMMethod binding its public facts (getCAMMethods) to its
// function, and what CAMModel's routing reads from it.
#ifndef OPENCV_XCAM_METHOD_TABLE_HPP
#define OPENCV_XCAM_METHOD_TABLE_HPP

#include "engine.hpp"
#include "head.hpp"

namespace cv {
namespace xcam {
namespace detail {

/** What a method gets from CAMModel::explain: the one forward pass, and the engines for more. */
struct MethodContext
{
    Mat features;                      //!< A as C x (H*W) CV_32F
    int height = 0, width = 0;         //!< A's spatial size
    Mat logits;                        //!< 1 x K CV_32F
    const CAMLayers* layers = nullptr; //!< camHead, classMap, FC weights and bias
    const Head* head = nullptr;        //!< null when xcam cannot differentiate the head
    String headError;                  //!< why `head` is null
    std::vector<Mat> headValues;       //!< the Head's values from the same forward (empty: none)
    int biasMode = CAM_BIAS_IGNORE;
    CAMMethodParams params;
    Engine engine;                     //!< masked forwards of the input blob, scored by logits
};

/** One method: a raw map per class of `classes`, in order. */
typedef void (*MethodFunction)(const MethodContext& ctx, const std::vector<int>& classes,
                               std::vector<Mat>& maps);

/** A row of the method table. */
struct MethodRow
{
    int method;               //!< its CAMMethod: row i holds method i
    const char* name;
    const char* aliases;      //!< comma-separated, or ""
    const char* family;
    int needs;                //!< a CAMMethodNeeds
    bool manyForwards;
    bool detectors;
    const char* description;
    MethodFunction run;
};

/** The row of `method`; throws StsOutOfRange for an unknown one. */
const MethodRow& methodRow(int method);
/** How many methods the table has. */
int methodCount();

/** Whether the forward pass behind `ctx` (and its params) gives what `row` needs. */
bool supports(const MethodContext& ctx, const MethodRow& row);
/** Throws StsNotImplemented unless supports(): what is missing (`head` describes the head's
    layers) and the methods that do run on this net. */
void requireSupport(const MethodContext& ctx, const MethodRow& row, const String& head);
/** The first method of the table that `ctx` supports. */
int defaultMethod(const MethodContext& ctx);

// The method functions, one per row, by family.
void camMethod(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);

void gradCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);
void gradCAMPlusPlus(const MethodContext& ctx, const std::vector<int>& classes,
                     std::vector<Mat>& maps);
void xGradCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);
void hiResCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);
void layerCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);
void eigenGradCAM(const MethodContext& ctx, const std::vector<int>& classes,
                  std::vector<Mat>& maps);
void finerCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);

void eigenCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);
void kpcaCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);

void ablationCAM(const MethodContext& ctx, const std::vector<int>& classes,
                 std::vector<Mat>& maps);
void reciproCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);

void scoreCAM(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);
void occlusionMethod(const MethodContext& ctx, const std::vector<int>& classes,
                     std::vector<Mat>& maps);
void riseMethod(const MethodContext& ctx, const std::vector<int>& classes, std::vector<Mat>& maps);

}}} // namespace cv::xcam::detail

#endif
