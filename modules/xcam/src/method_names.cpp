// This file is part of the xcam module: Class Activation Maps for OpenCV's dnn.
// It is subject to the license terms in the LICENSE file found in the top-level directory.

#include "precomp.hpp"

#include <cctype>

namespace cv {
namespace xcam {

namespace {

const char* const kMethodNames[] = {"cam",         "gradcam",      "gradcam++",   "xgradcam",
                                    "hirescam",    "layercam",     "eigencam",    "eigengradcam",
                                    "ablationcam", "reciprocam",   "scorecam",    "occlusion",
                                    "rise"};
const int kMethodCount = (int)(sizeof(kMethodNames) / sizeof(kMethodNames[0]));

// Lower case without '-', '_' and spaces; "pp" at the end spells "++".
String canonical(const String& name)
{
    String out;
    for (char ch : name)
    {
        const unsigned char c = (unsigned char)ch;
        if (c != '-' && c != '_' && c != ' ')
            out += (char)std::tolower(c);
    }
    if (out.size() > 2 && out.compare(out.size() - 2, 2, "pp") == 0)
        out = out.substr(0, out.size() - 2) + "++";
    return out;
}

} // namespace

CAMMethodParams::CAMMethodParams()
    : batchSize(32), maxChannels(0), channelSoftmax(false), patchSize(0), stride(0),
      numMasks(4000), gridSize(8), keepProbability(0.5), seed(0), reciproGaussian(false),
      closedForm(true)
{
}

String getCAMMethodName(int method)
{
    if (method < 0 || method >= kMethodCount)
        CV_Error_(Error::StsOutOfRange, ("method %d is not a CAMMethod (0..%d)", method,
                                         kMethodCount - 1));
    return kMethodNames[method];
}

int parseCAMMethod(const String& name)
{
    const String key = canonical(name);
    String known;
    for (int m = 0; m < kMethodCount; ++m)
    {
        if (key == kMethodNames[m])
            return m;
        known += (m ? ", " : "") + String(kMethodNames[m]);
    }
    CV_Error_(Error::StsBadArg, ("method '%s' is unknown; known methods: %s", name.c_str(),
                                 known.c_str()));
}

}} // namespace cv::xcam
