// The model of the options: files checked, preprocessing, layers, labels, backend; and a check
// that the images' channel count is what the net declares.
#ifndef XCAM_SAMPLES_MODEL_SETUP_HPP
#define XCAM_SAMPLES_MODEL_SETUP_HPP

#include "options.hpp"

namespace xcam_samples {

/** Throws cv::Exception "cannot read <what> '<path>'" unless `path` is empty or a non-empty
    regular file. */
void requireFile(const std::string& path, const char* what);

/** `M`::create(model, config) (a CAMModel or DetectorModel); a file cv::dnn cannot read is one
    line, "cannot read model '<file>': not a model cv::dnn reads (...)". */
template <typename M>
cv::Ptr<M> loadModel(const ModelOptions& o)
{
    try
    {
        return M::create(o.model, o.config);
    }
    catch (const cv::Exception& e)
    {
        CV_Error(cv::Error::StsBadArg, "cannot read model '" + o.model +
                                           "': not a model cv::dnn reads (" + e.err + ")");
    }
}

/** The model's files checked (requireFile: --model, --config and the labels file, named `labels`
    in messages), `M`::create, the backend and target set. */
template <typename M>
cv::Ptr<M> openModel(const ModelOptions& o, const char* labels)
{
    requireFile(o.model, "model");
    requireFile(o.config, "config");
    requireFile(o.classes, labels);
    cv::Ptr<M> model = loadModel<M>(o);
    model->getNet().setPreferableBackend(o.backend);
    model->getNet().setPreferableTarget(o.target);
    return model;
}

/** Creates the CAMModel of `options`; throws cv::Exception with a one-line message in the
    user's words (missing or empty file, not a model, bad label file, ...). */
cv::Ptr<cv::xcam::CAMModel> createModel(const ModelOptions& options);

/** The input channels the net's first convolution takes (1 or 3), or 0 when it cannot tell. */
int declaredInputChannels(const cv::dnn::Net& net);

/** Throws when the net declares 1 input channel and --gray is off, or 3 and --gray is on. */
void checkInputChannels(const cv::dnn::Net& net, bool gray);

} // namespace xcam_samples

#endif
