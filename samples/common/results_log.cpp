#include "results_log.hpp"

#include "pending_files.hpp"

#include <opencv2/xcam.hpp>

#include <fstream>
#include <sstream>

namespace xcam_samples {

std::string jsonString(const std::string& text)
{
    std::string out = "\"";
    for (unsigned char c : text)
    {
        if (c == '"' || c == '\\')
            out += std::string("\\") + (char)c;
        else if (c < 0x20)
        {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
            out += buf;
        }
        else
            out += (char)c;
    }
    return out + "\"";
}

namespace {

template <typename T, typename F>
std::string jsonArray(const std::vector<T>& values, F format)
{
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + format(values[i]);
    return out + "]";
}

std::string number(float v)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6g", v);
    return buf;
}

/** Parses the JSON string starting at text[pos] == '"' (the escapes jsonString writes). */
bool parseJsonString(const std::string& text, size_t pos, std::string& value)
{
    if (pos >= text.size() || text[pos] != '"')
        return false;
    value.clear();
    for (size_t i = pos + 1; i < text.size(); ++i)
    {
        if (text[i] == '"')
            return true;
        if (text[i] != '\\')
            value += text[i];
        else if (i + 1 < text.size() && text[i + 1] == 'u' && i + 5 < text.size())
        {
            value += (char)std::stoi(text.substr(i + 2, 4), nullptr, 16);
            i += 5;
        }
        else if (++i < text.size())
            value += text[i];
    }
    return false;
}

} // namespace

std::string toJsonLine(const ImageResult& r)
{
    std::ostringstream line;
    line << "{\"path\": " << jsonString(r.path)
         << ", \"class_ids\": " << jsonArray(r.classIds, [](int id) { return std::to_string(id); })
         << ", \"labels\": " << jsonArray(r.labels, [](const std::string& s) {
                return s.empty() ? std::string("null") : jsonString(s); })
         << ", \"probabilities\": " << jsonArray(r.probabilities, number)
         << ", \"method\": " << jsonString(cv::xcam::getCAMMethodName(r.method))
         << ", \"feature_layer\": " << jsonString(r.featureLayer) << ", \"map_size\": ["
         << r.mapSize.width << ", " << r.mapSize.height << "], \"output\": "
         << (r.output.empty() ? std::string("null") : jsonString(r.output)) << "}";
    return line.str();
}

bool pathOfJsonLine(const std::string& line, std::string& path)
{
    const std::string key = "{\"path\": ";
    return line.size() > key.size() && line.compare(0, key.size(), key) == 0 &&
           line.back() == '}' && parseJsonString(line, key.size(), path);
}

ResultsLog::ResultsLog(const std::string& file, bool resume) : path_(file)
{
    std::string kept, text;
    if (resume)
    {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream all;
        all << in.rdbuf();
        text = all.str();
        std::istringstream lines(text);
        std::string path;
        for (std::string line; std::getline(lines, line);)
        {
            const bool complete = !lines.eof() && pathOfJsonLine(line, path);
            if (!complete)
            {
                ++dropped_;
                continue;
            }
            kept += line + "\n";
            done_.insert(path);
        }
    }
    if (dropped_ > 0)
    {
        const std::string temporary = temporaryName(file);
        std::ofstream(temporary, std::ios::binary) << kept;
        moveIntoPlace(temporary, file);
    }
    file_ = std::fopen(file.c_str(), resume ? "a" : "w");
    if (!file_)
        CV_Error(cv::Error::StsError, "cannot write --results '" + file + "'");
}

ResultsLog::~ResultsLog()
{
    if (file_)
        std::fclose(file_);
}

void ResultsLog::append(const ImageResult& result)
{
    const std::string line = toJsonLine(result) + "\n";
    if (std::fputs(line.c_str(), file_) < 0 || std::fflush(file_) != 0)
        CV_Error(cv::Error::StsError, "cannot write --results '" + path_ + "'");
}

} // namespace xcam_samples
