#include "eval_report.hpp"

#include "json_text.hpp"

#include <opencv2/xcam.hpp>

#include <cstdio>

namespace xcam_samples {

const char* const kEvalColumns[7] = {"method",       "deletion_auc",           "insertion_auc",
                                     "average_drop", "increase_in_confidence", "pointing_game",
                                     "ms_per_image"};

void MethodScores::add(const ImageScores& s, bool newImage)
{
    images += newImage;
    ++maps;
    milliseconds += s.milliseconds;
    deletion += s.deletion;
    insertion += s.insertion;
    drop += s.drop;
    increased += s.increase;
    boxed += s.boxed;
    hits += s.boxed && s.hit;
}

namespace {

std::string format(const char* spec, double value)
{
    char buf[64];
    std::snprintf(buf, sizeof(buf), spec, value);
    return buf;
}

/** The values of a row after the method name, as `spec` formats numbers; `none` for no boxes,
    and for the confidence columns of detections. */
std::vector<std::string> values(const MethodScores& s, const char* spec, const std::string& none)
{
    const bool confidence = !s.detections;
    return {format(spec, s.deletionAUC()), format(spec, s.insertionAUC()),
            confidence ? format(spec, s.averageDrop()) : none,
            confidence ? format(spec, s.increaseInConfidence()) : none,
            s.pointingGame() < 0 ? none : format(spec, s.pointingGame()),
            format(spec, s.msPerImage())};
}

} // namespace

std::string toMarkdown(const std::vector<MethodScores>& scores)
{
    std::string out = "| method | deletion AUC ↓ | insertion AUC ↑ | average drop (%) ↓ | "
                      "increase in confidence (%) ↑ | pointing game ↑ | ms per image |\n"
                      "|---|---:|---:|---:|---:|---:|---:|\n";
    for (const MethodScores& s : scores)
    {
        std::vector<std::string> v = values(s, "%.3f", "-");
        if (!s.detections)  // percentages
        {
            v[2] = format("%.1f", 100 * s.averageDrop());
            v[3] = format("%.1f", 100 * s.increaseInConfidence());
        }
        if (s.pointingGame() >= 0)
            v[4] += " (" + std::to_string(s.hits) + "/" + std::to_string(s.boxed) + ")";
        v[5] = format("%.1f", s.msPerImage());
        out += "| " + cv::xcam::getCAMMethodName(s.method);
        for (const std::string& x : v)
            out += " | " + x;
        out += " |\n";
    }
    return out;
}

std::string toJson(const std::string& model, int images, const std::vector<MethodScores>& scores)
{
    std::string out = "{\"model\": " + jsonString(model) + ", \"images\": " + std::to_string(images);
    if (!scores.empty() && scores[0].detections)
        out += ", \"targets\": " + std::to_string(scores[0].maps);
    out += ", \"methods\": [";
    for (size_t i = 0; i < scores.size(); ++i)
    {
        const std::vector<std::string> v = values(scores[i], "%.9g", "null");
        out += std::string(i ? ",\n  " : "\n  ") + "{\"method\": " +
               jsonString(cv::xcam::getCAMMethodName(scores[i].method));
        for (size_t k = 0; k < v.size(); ++k)
            out += std::string(", \"") + kEvalColumns[k + 1] + "\": " + v[k];
        out += "}";
    }
    return out + "\n]}\n";
}

std::string toCsv(const std::vector<MethodScores>& scores)
{
    std::string out;
    for (size_t k = 0; k < 7; ++k)
        out += std::string(k ? "," : "") + kEvalColumns[k];
    out += "\n";
    for (const MethodScores& s : scores)
    {
        out += cv::xcam::getCAMMethodName(s.method);
        for (const std::string& v : values(s, "%.9g", ""))
            out += "," + v;
        out += "\n";
    }
    return out;
}

} // namespace xcam_samples
