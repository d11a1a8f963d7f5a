#include "image_record.hpp"

#include "json_text.hpp"

#include <opencv2/xcam.hpp>

#include <cstdio>

namespace xcam_samples {

namespace {

template <typename T, typename F>
std::string jsonArray(const std::vector<T>& values, F format)
{
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + format(values[i]);
    return out + "]";
}

std::string probability(float v)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6g", v);
    return buf;
}

} // namespace

void addRecordKeys(JsonObject& o, const RecordBase& r)
{
    o.str("method", cv::xcam::getCAMMethodName(r.method))
        .str("feature_layer", r.featureLayer)
        .raw("map_size", "[" + std::to_string(r.mapSize.width) + ", " + std::to_string(r.mapSize.height) + "]")
        .strOrNull("output", r.output);
}

std::string closeRecord(JsonObject& o, const RecordBase& r)
{
    if (!r.canonicalPath.empty())
        o.str("canonical_path", r.canonicalPath);
    return o.text();
}

std::string toJsonLine(const ImageResult& r)
{
    JsonObject o;
    o.str("path", r.path)
        .raw("class_ids", jsonArray(r.classIds, [](int id) { return std::to_string(id); }))
        .raw("labels", jsonArray(r.labels, [](const std::string& s) {
                 return s.empty() ? std::string("null") : jsonString(s); }))
        .raw("probabilities", jsonArray(r.probabilities, probability));
    addRecordKeys(o, r);
    return closeRecord(o, r);
}

} // namespace xcam_samples
