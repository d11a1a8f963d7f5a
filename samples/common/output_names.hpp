// The names of the per-image outputs of a folder or list input (--output=DIR), unique within a
// run by construction:
//   - a folder's image keeps its file name; a list's line keeps its folders, lexically normalized,
//     with ".." written "@up", a leading "/" as "@root", and a name starting with '@' given one
//     more '@' ("@x" -> "@@x"), so that "../src/x.png" (@up/src/x.png) and "src/x.png" differ
//     and nothing is written outside the output folder;
//   - the extension becomes `extension` (".png": a.jpg -> a.png); when that name would be taken
//     twice in one folder (a.jpg and a.bmp), those sources keep their own extension before it
//     (a.jpg.png, a.bmp.png), and so on until every name is unique (a.jpg.gif, whose a.jpg.png
//     is then taken, becomes a.jpg.gif.png).
// Names depend on every path of the input, not on --shard or --resume, so that shards and resumed
// runs agree.
#ifndef XCAM_SAMPLES_OUTPUT_NAMES_HPP
#define XCAM_SAMPLES_OUTPUT_NAMES_HPP

#include <string>
#include <vector>

namespace xcam_samples {

/** `path` below the output folder before the extension is chosen: the file name, or with
    `keepFolders` the mirrored folders (see above). */
std::string mirroredPath(const std::string& path, bool keepFolders);

/** One relative output name per entry of `paths` (the same path twice gets the same name). */
std::vector<std::string> outputNames(const std::vector<std::string>& paths, bool keepFolders,
                                     const std::string& extension = ".png");

} // namespace xcam_samples

#endif
