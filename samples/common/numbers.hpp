// Strict parsing of option values: the whole text must be a finite number, or it is an error
// naming the option (cv::CommandLineParser::get would silently give 0).
#ifndef XCAM_SAMPLES_NUMBERS_HPP
#define XCAM_SAMPLES_NUMBERS_HPP

#include <opencv2/core.hpp>

#include <string>

namespace xcam_samples {

/** Integer in [minValue, maxValue]; on failure `error` says what is wrong with `--name` (the
    range in full: "must be in [0, 2147483647]"). */
bool parseInt(const std::string& name, const std::string& text, int minValue, int maxValue,
              int& value, std::string& error);

/** Finite number in [minValue, maxValue]. */
bool parseDouble(const std::string& name, const std::string& text, double minValue,
                 double maxValue, double& value, std::string& error);

/** true/false (also 1/0, yes/no, on/off; a bare flag is "true"). */
bool parseBool(const std::string& name, const std::string& text, bool& value, std::string& error);

/** One to four space-separated finite numbers, e.g. "104 117 123"; `count`: how many. */
bool parseScalar(const std::string& name, const std::string& text, cv::Scalar& value,
                 std::string& error, int* count = nullptr);

/** A memory size: a number of MiB ("4096"), or with a unit K, M, G or T (binary: "1.5G"), in
    [1 MiB, 1 PiB]; `bytes` in bytes. */
bool parseByteSize(const std::string& name, const std::string& text, double& bytes,
                   std::string& error);

/** `bytes` for people: "812 MiB", "2.3 GiB". */
std::string formatBytes(double bytes);

/** `text` fit for a one-line message: control characters (bytes below 0x20, and 0x7f) as \\n,
    \\r, \\t or \\xNN; every other byte (UTF-8 too) as it is. */
std::string printable(const std::string& text);

/** ASCII lower case of `text` (bytes >= 128 unchanged). */
std::string toLower(const std::string& text);

/** Whether `text` is non-empty and all ASCII digits. */
bool isDigits(const std::string& text);

} // namespace xcam_samples

#endif
