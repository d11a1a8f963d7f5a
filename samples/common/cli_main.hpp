// main()'s frame for the samples' CLIs: --help, strict option parsing, then the run with one
// "<program>: error: ..." line and exit 1 for any failure.
#ifndef XCAM_SAMPLES_CLI_MAIN_HPP
#define XCAM_SAMPLES_CLI_MAIN_HPP

#include "argv_check.hpp"
#include "numbers.hpp"
#include "progress.hpp"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>

#include <functional>
#include <iostream>
#include <string>

namespace xcam_samples {

/** Without arguments prints the help and returns 2, with --help prints it and returns 0; else
    the words of argv are checked against `rules` (checkArguments: unknown options, values
    without '=', stray words), `parse` fills the options (false: its error, exit 1) and `run`
    gives the exit status, with OpenCV's log silenced (its lines would only repeat ours); an
    exception is one error line and exit 1 (control characters, e.g. a newline in a file name,
    printed as \\n, \\xNN). Progress lines are prefixed with `program`. */
inline int cliMain(const std::string& program, int argc, const char* const* argv,
                   const cv::CommandLineParser& parser, const ArgumentRules& rules,
                   const std::function<bool(std::string& error)>& parse,
                   const std::function<int()>& run)
{
    if (argc == 1 || parser.has("help"))
    {
        parser.printMessage();
        return argc == 1 ? 2 : 0;
    }
    setProgramName(program);
    std::string error;
    try
    {
        if (!checkArguments(argc, argv, rules, error) || !parse(error))
        {
            std::cerr << program << ": error: " << printable(error) << std::endl;
            return 1;
        }
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        return run();
    }
    catch (const cv::Exception& e)
    {
        error = e.err;
    }
    catch (const std::exception& e)
    {
        error = e.what();
    }
    std::cerr << program << ": error: " << printable(error) << std::endl;
    return 1;
}

} // namespace xcam_samples

#endif
