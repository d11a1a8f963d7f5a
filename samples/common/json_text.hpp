// JSON text (RFC 8259) for the files other programs read: strings escaped so that every line is
// valid JSON whatever bytes a file name holds, one-line objects built key by key, and a strict
// reader of such objects (to check that a file is ours before appending to it).
#ifndef XCAM_SAMPLES_JSON_TEXT_HPP
#define XCAM_SAMPLES_JSON_TEXT_HPP

#include <string>
#include <utility>
#include <vector>

namespace xcam_samples {

/** Whether `text` is valid UTF-8 (no overlong forms, surrogates or code points > U+10FFFF). */
bool isValidUtf8(const std::string& text);

/** `text` as a JSON string literal, quotes included: `"` and `\\` escaped, control characters as
    \\u00XX, valid UTF-8 as it is, and every byte that is not part of valid UTF-8 as \\u00XX (a
    reader then sees U+0080..U+00FF: the raw bytes are in JsonObject's `<key>_bytes_hex`). */
std::string jsonString(const std::string& text);

/** `bytes` as lower-case hexadecimal, two digits a byte. */
std::string hexBytes(const std::string& bytes);

/** A JSON number for `value` (%.15g: what people type survives; a non-finite value, which xcam never writes, as null). */
std::string jsonNumber(double value);

/** One JSON object on one line, its keys in the order added. */
class JsonObject
{
public:
    /** `key`: `json`, already JSON text (a number, an array, an object, null, ...). */
    JsonObject& raw(const std::string& key, const std::string& json);
    /** `key`: a string; when `value` is not valid UTF-8 also `<key>_bytes_hex`: its raw bytes. */
    JsonObject& str(const std::string& key, const std::string& value);
    /** A string, or null when `value` is empty. */
    JsonObject& strOrNull(const std::string& key, const std::string& value);
    JsonObject& num(const std::string& key, double value) { return raw(key, jsonNumber(value)); }
    JsonObject& flag(const std::string& key, bool value) { return raw(key, value ? "true" : "false"); }
    /** "{...}" without a newline. */
    std::string text() const { return "{" + body_ + "}"; }

private:
    std::string body_;
};

/** The members of a JSON object, each value as its JSON text (e.g. `"cam"`, `[1, 2]`). */
typedef std::vector<std::pair<std::string, std::string>> JsonMembers;

/** Parses `text` as exactly one JSON object (RFC 8259, strict: no trailing commas, no NaN, no
    control characters in strings, nothing after it but blanks). Returns false if it is not one;
    else fills `members` with the top-level members (keys decoded). */
bool parseJsonObject(const std::string& text, JsonMembers& members);

/** The value of `key` in `members` (JSON text), or nullptr. */
const std::string* findMember(const JsonMembers& members, const std::string& key);

/** The string of member `key`: from `<key>_bytes_hex` when present (the raw bytes), else the
    decoded JSON string. False when the member is missing or not a string. */
bool stringMember(const JsonMembers& members, const std::string& key, std::string& value);

} // namespace xcam_samples

#endif
