#include "run_plan.hpp"

namespace xcam_samples {

void planModelInputs(OutputPlan& plan, const ModelOptions& model)
{
    plan.addInput("--model", model.model);
    plan.addInput("--config", model.config);
    plan.addInput("--classes", model.classes);
}

void planSourceInputs(OutputPlan& plan, const InputSource& source)
{
    if (source.kind() == InputKind::FOLDER)
        plan.addInputFolder("--input", source.input());
    else if (source.kind() != InputKind::CAMERA)
        plan.addInput("--input", source.input());
    if (source.kind() != InputKind::FOLDER && source.kind() != InputKind::LIST)
        return;
    for (const auto& file : source.filesToRead())
        plan.addInput(source.kind() == InputKind::LIST ? "the listed image" : "the input image", file.second);
}

void planOverlayFolder(OutputPlan& plan, const std::string& what, const std::string& folder,
                       const InputSource& source, const std::vector<std::string>& names)
{
    std::vector<std::string> mine, sources;
    for (const auto& file : source.filesToRead())
    {
        mine.push_back(names[file.first]);
        sources.push_back(source.allPaths()[file.first]);
    }
    plan.addOutputFolder(what, folder, mine, sources);
}

} // namespace xcam_samples
