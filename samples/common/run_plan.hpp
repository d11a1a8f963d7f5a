// The inputs every tool of samples/ adds to its OutputPlan: the model's files and what an
// InputSource reads (the input file or folder and every image of it).
#ifndef XCAM_SAMPLES_RUN_PLAN_HPP
#define XCAM_SAMPLES_RUN_PLAN_HPP

#include "input_source.hpp"
#include "options.hpp"
#include "output_plan.hpp"

namespace xcam_samples {

/** --model, --config and --classes as inputs. */
void planModelInputs(OutputPlan& plan, const ModelOptions& model);

/** --input (the image, video or list file, or the folder) and every image this run reads. */
void planSourceInputs(OutputPlan& plan, const InputSource& source);

/** The overlays of a folder or list input under `folder` (`names`: outputNames() of every path
    of the input), for the files this run reads. */
void planOverlayFolder(OutputPlan& plan, const std::string& what, const std::string& folder,
                       const InputSource& source, const std::vector<std::string>& names);

} // namespace xcam_samples

#endif
