#include "output_plan.hpp"

#include "input_source.hpp"
#include "numbers.hpp"
#include "pending_files.hpp"

#include <opencv2/core.hpp>

#include <filesystem>
#include <set>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace xcam_samples {

namespace {

std::string quoted(const std::string& what, const std::string& path)
{
    return what + " '" + printable(path) + "'";
}

[[noreturn]] void refuse(const std::string& message)
{
    CV_Error(cv::Error::StsBadArg, message);
}

} // namespace

OutputPlan::File OutputPlan::identify(const std::string& what, const std::string& path,
                                      const std::string& canonical)
{
    File f;
    f.what = what;
    f.path = path;
    f.canonical = canonical;
    struct stat st;
    f.exists = stat(canonical.empty() ? path.c_str() : canonical.c_str(), &st) == 0;
    if (f.exists)
    {
        f.directory = S_ISDIR(st.st_mode);
        f.dev = st.st_dev;
        f.ino = st.st_ino;
    }
    return f;
}

void OutputPlan::addInput(const std::string& what, const std::string& path)
{
    const File f = identify(what, path, "");
    if (f.exists && !f.directory)
        inputs_.emplace(std::make_pair(f.dev, f.ino), f);
}

void OutputPlan::addInputFolder(const std::string& what, const std::string& folder)
{
    const File f = identify(what, folder, "");
    if (f.exists)
        inputFolders_.push_back(f);
}

void OutputPlan::addOutput(const std::string& what, const std::string& path)
{
    outputs_.push_back(identify(what, path, canonicalPath(path)));
}

void OutputPlan::addOutputFolder(const std::string& what, const std::string& folder,
                                 const std::vector<std::string>& names,
                                 const std::vector<std::string>& sources)
{
    const File dir = identify(what, folder, canonicalPath(folder));
    outputFolders_.push_back(dir);
    for (size_t i = 0; i < names.size(); ++i)
        outputs_.push_back(identify(what + " (the overlay of '" + printable(sources[i]) + "')",
                                    (fs::path(folder) / names[i]).string(),
                                    (fs::path(dir.canonical) / names[i]).lexically_normal().string()));
}

void OutputPlan::checkOutput(const File& out) const
{
    if (out.directory)
        refuse(quoted(out.what, out.path) + " is a directory: give a file name");
    const std::string reason = unwritableReason(out.canonical);
    if (!reason.empty())
        refuse(quoted(out.what, out.path) + " " + reason + ": refusing to replace it");
    const auto in = out.exists ? inputs_.find({out.dev, out.ino}) : inputs_.end();
    if (in != inputs_.end())
        refuse(quoted(out.what, out.path) + " is the same file as " +
               quoted(in->second.what, in->second.path) + ": refusing to overwrite an input");
}

void OutputPlan::check() const
{
    for (const File& dir : outputFolders_)
    {
        if (dir.exists && !dir.directory)
            refuse(quoted(dir.what, dir.path) + " is not a folder: the overlays of a folder or "
                                                "list input go into a folder");
        for (const File& in : inputFolders_)
            if (dir.exists && dir.dev == in.dev && dir.ino == in.ino)
                refuse(quoted(dir.what, dir.path) + " is the " + quoted(in.what, in.path) +
                       " folder: write the overlays into another folder");
    }
    std::map<std::string, const File*> byPath;
    std::map<std::pair<dev_t, ino_t>, const File*> byInode;
    for (const File& out : outputs_)
    {
        checkOutput(out);
        const File* other = byPath.emplace(out.canonical, &out).first->second;
        if (other == &out && out.exists)
            other = byInode.emplace(std::make_pair(out.dev, out.ino), &out).first->second;
        if (other != &out)
            refuse(quoted(out.what, out.path) + " and " + quoted(other->what, other->path) +
                   " are the same file: give each output its own name");
    }
}

} // namespace xcam_samples
