// The command line checked word by word against the keys a tool declares, before
// cv::CommandLineParser reads it: cv::CommandLineParser ignores unknown options, takes
// "--output x.png" as --output=true plus a stray word, and keeps the last of repeated options.
#ifndef XCAM_SAMPLES_ARGV_CHECK_HPP
#define XCAM_SAMPLES_ARGV_CHECK_HPP

#include <set>
#include <string>
#include <vector>

namespace xcam_samples {

/** What a tool accepts: its cv::CommandLineParser key string, the keys that are flags (may be
    given bare, "--rgb"; every other key needs "=value"), and the option a lone word would be
    meant for ("input": "x.png" -> "write --input=x.png"). */
struct ArgumentRules
{
    std::string keys;
    std::set<std::string> flags;
    std::string positionalFor;
};

/** The option names of a cv::CommandLineParser key string, in order; aliases ("input i") are
    grouped: names()[k] holds every name of the k-th key. */
std::vector<std::vector<std::string>> keyNames(const std::string& keys);

/** The Levenshtein distance of `a` and `b` (insertions, deletions, substitutions). */
size_t editDistance(const std::string& a, const std::string& b);

/** Checks `argv[1..argc)`: every word is "--name=value" or "-name=value" of a known key (a flag
    also bare), no key twice. False with one line in `error`: "unknown option --ouput (did you
    mean --output?)", "--output x.png: write --output=x.png", "--method needs a value: write
    --method=VALUE", "'cat.png' is not an option: write --input=cat.png", "--model is given
    twice". */
bool checkArguments(int argc, const char* const* argv, const ArgumentRules& rules,
                    std::string& error);

} // namespace xcam_samples

#endif
