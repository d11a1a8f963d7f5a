// Every file a run reads and writes, collected before it starts and checked for collisions, so
// that no output can replace an input or another output of the same run: an output may not be
// (the same device and inode, or the same canonical path as) an input file or another output (an
// output is identified by its canonical path: "a/missing/.." is "a", since writing creates the
// missing folders), an
// existing directory, or an existing file this user may not write (read-only by its mode counts,
// also for root); an output folder may not be an input folder. Shared by the samples' CLIs: each
// adds what it reads and writes, then calls check() before any computation.
#ifndef XCAM_SAMPLES_OUTPUT_PLAN_HPP
#define XCAM_SAMPLES_OUTPUT_PLAN_HPP

#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace xcam_samples {

class OutputPlan
{
public:
    /** A file the run reads; `what` names it in messages ("--input", "--boxes", "the listed
        image"). A file that does not exist is not recorded (it cannot be overwritten). */
    void addInput(const std::string& what, const std::string& path);
    /** A folder the run reads images from. */
    void addInputFolder(const std::string& what, const std::string& folder);
    /** A file the run writes (replaces or appends to). */
    void addOutput(const std::string& what, const std::string& path);
    /** A folder the run writes into, and the files it writes there (`names`, relative to it),
        each made from `sources[i]` (named in messages). */
    void addOutputFolder(const std::string& what, const std::string& folder,
                         const std::vector<std::string>& names,
                         const std::vector<std::string>& sources);

    /** Throws cv::Exception with one line naming both files of the first collision found, or
        the output that cannot be written. */
    void check() const;

private:
    struct File
    {
        std::string what, path, canonical;
        bool exists = false, directory = false;
        dev_t dev = 0;
        ino_t ino = 0;
    };
    /** `path` identified by stat(2) of `canonical` when given (outputs: where the path will
        lead once its folders exist, "a/missing/.." is "a"), else of `path` (inputs). */
    static File identify(const std::string& what, const std::string& path, const std::string& canonical);
    void checkOutput(const File& out) const;

    std::map<std::pair<dev_t, ino_t>, File> inputs_;
    std::vector<File> inputFolders_, outputs_, outputFolders_;
};

} // namespace xcam_samples

#endif
