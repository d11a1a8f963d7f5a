#include "numbers.hpp"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace xcam_samples {

namespace {

std::string quoted(const std::string& name, const std::string& text)
{
    return "--" + name + " '" + printable(text) + "'";
}

// strtod/strtol skip leading blanks; a value with blanks around it is not a number here.
bool hasBlankEnds(const std::string& text)
{
    return text.empty() || std::isspace((unsigned char)text.front()) ||
           std::isspace((unsigned char)text.back());
}

} // namespace

bool parseDouble(const std::string& name, const std::string& text, double minValue,
                 double maxValue, double& value, std::string& error)
{
    char* end = nullptr;
    errno = 0;
    const double v = hasBlankEnds(text) ? 0.0 : std::strtod(text.c_str(), &end);
    if (hasBlankEnds(text) || end != text.c_str() + text.size() || errno == ERANGE ||
        !std::isfinite(v))
    {
        error = quoted(name, text) + " is not a finite number";
        return false;
    }
    if (v < minValue || v > maxValue)
    {
        std::ostringstream range;
        range << quoted(name, text) << " must be in [" << minValue << ", " << maxValue << "]";
        error = range.str();
        return false;
    }
    value = v;
    return true;
}

bool parseInt(const std::string& name, const std::string& text, int minValue, int maxValue,
              int& value, std::string& error)
{
    char* end = nullptr;
    errno = 0;
    const long v = hasBlankEnds(text) ? 0 : std::strtol(text.c_str(), &end, 10);
    if (hasBlankEnds(text) || end != text.c_str() + text.size() || errno == ERANGE)
    {
        error = quoted(name, text) + " is not an integer";
        return false;
    }
    if (v < minValue || v > maxValue)
    {
        error = quoted(name, text) + " must be in [" + std::to_string(minValue) + ", " +
                std::to_string(maxValue) + "]";
        return false;
    }
    value = (int)v;
    return true;
}

bool parseBool(const std::string& name, const std::string& text, bool& value, std::string& error)
{
    const std::string t = toLower(text);
    if (t == "true" || t == "1" || t == "yes" || t == "on")
        value = true;
    else if (t == "false" || t == "0" || t == "no" || t == "off")
        value = false;
    else
    {
        error = quoted(name, text) + " is not true or false";
        return false;
    }
    return true;
}

bool parseScalar(const std::string& name, const std::string& text, cv::Scalar& value,
                 std::string& error, int* count)
{
    std::istringstream words(text);
    cv::Scalar s;
    int n = 0;
    for (std::string word; words >> word; ++n)
    {
        double v = 0;
        if (n == 4 || !parseDouble(name, word, -1e30, 1e30, v, error))
        {
            error = quoted(name, text) + " must be one to four space-separated finite numbers";
            return false;
        }
        s[n] = v;
    }
    if (n == 0)
    {
        error = quoted(name, text) + " must be one to four space-separated finite numbers";
        return false;
    }
    value = s;
    if (count)
        *count = n;
    return true;
}

bool parseByteSize(const std::string& name, const std::string& text, double& bytes,
                   std::string& error)
{
    static const std::string units = "KMGT";
    const size_t unit = text.empty() ? std::string::npos : units.find((char)std::toupper((unsigned char)text.back()));
    const std::string number = unit == std::string::npos ? text : text.substr(0, text.size() - 1);
    const double scale = unit == std::string::npos ? 1024.0 * 1024.0 : std::pow(1024.0, (double)unit + 1);
    double v = 0;
    if (!parseDouble(name, number, 0, 1e30, v, error) || v * scale < 1024.0 * 1024.0 ||
        v * scale > std::pow(1024.0, 5))
    {
        error = quoted(name, text) + " must be a memory size in [1M, 1024T]: MiB, or a number "
                                     "with K, M, G or T (e.g. 4096, 1.5G)";
        return false;
    }
    bytes = v * scale;
    return true;
}

std::string formatBytes(double bytes)
{
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (bytes >= 1024.0 && u < 5)
        bytes /= 1024.0, ++u;
    char buf[32];
    std::snprintf(buf, sizeof(buf), bytes < 10 && u > 0 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
    return buf;
}

std::string printable(const std::string& text)
{
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (char ch : text)
    {
        const unsigned char c = (unsigned char)ch;
        if (c >= 0x20 && c != 0x7f)
            out += ch;
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else
            out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
    }
    return out;
}

std::string toLower(const std::string& text)
{
    std::string lower = text;
    for (char& c : lower)
        c = (char)std::tolower((unsigned char)c);
    return lower;
}

bool isDigits(const std::string& text)
{
    if (text.empty())
        return false;
    for (char c : text)
        if (!std::isdigit((unsigned char)c))
            return false;
    return true;
}

} // namespace xcam_samples
