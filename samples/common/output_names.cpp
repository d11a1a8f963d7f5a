#include "output_names.hpp"

#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace xcam_samples {

std::string mirroredPath(const std::string& path, bool keepFolders)
{
    const fs::path p = fs::path(path).lexically_normal();
    if (!keepFolders)
        return p.filename().string();
    fs::path out = p.has_root_directory() ? fs::path("@root") : fs::path();
    for (const fs::path& part : p.relative_path())
    {
        const std::string name = part.string();
        if (name == "..")
            out /= "@up";
        else if (!name.empty() && name != ".")
            out /= name[0] == '@' ? "@" + name : name;
    }
    return out.string();
}

namespace {

std::string candidate(const fs::path& source, bool full, const std::string& extension)
{
    return (source.parent_path() / (full ? source.filename() : source.stem())).string() + extension;
}

} // namespace

std::vector<std::string> outputNames(const std::vector<std::string>& paths, bool keepFolders,
                                     const std::string& extension)
{
    std::map<std::string, bool> full;  // mirrored path -> keeps its own extension
    std::vector<std::string> mirrored;
    for (const std::string& p : paths)
    {
        mirrored.push_back(mirroredPath(p, keepFolders));
        full[mirrored.back()] = false;
    }
    for (bool changed = true; changed;)  // a name taken twice: both keep their extension
    {
        std::map<std::string, int> uses;
        for (const auto& m : full)
            ++uses[candidate(m.first, m.second, extension)];
        changed = false;
        for (auto& m : full)
            if (!m.second && uses[candidate(m.first, false, extension)] > 1)
                m.second = changed = true;
    }
    std::vector<std::string> names;
    for (const std::string& m : mirrored)
        names.push_back(candidate(m, full[m], extension));
    return names;
}

} // namespace xcam_samples
