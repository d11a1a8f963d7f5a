#include "json_text.hpp"

#include <cmath>
#include <cstdio>

namespace xcam_samples {

namespace {

/** Length of the valid UTF-8 sequence starting at text[i], 0 if none. */
size_t utf8Length(const std::string& text, size_t i)
{
    const unsigned char c = (unsigned char)text[i];
    if (c < 0x80)
        return 1;
    size_t n = 0;
    unsigned code = 0, min = 0;
    if ((c & 0xE0) == 0xC0)
        n = 2, code = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        n = 3, code = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        n = 4, code = c & 0x07, min = 0x10000;
    else
        return 0;
    if (i + n > text.size())
        return 0;
    for (size_t k = 1; k < n; ++k)
    {
        const unsigned char d = (unsigned char)text[i + k];
        if ((d & 0xC0) != 0x80)
            return 0;
        code = (code << 6) | (d & 0x3F);
    }
    const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
    return code < min || code > 0x10FFFF || surrogate ? 0 : n;
}

std::string escapedByte(unsigned char c)
{
    char buf[8];
    std::snprintf(buf, sizeof(buf), "\\u%04x", c);
    return buf;
}

} // namespace

bool isValidUtf8(const std::string& text)
{
    for (size_t i = 0, n = 0; i < text.size(); i += n)
        if ((n = utf8Length(text, i)) == 0)
            return false;
    return true;
}

std::string jsonString(const std::string& text)
{
    std::string out = "\"";
    for (size_t i = 0; i < text.size();)
    {
        const unsigned char c = (unsigned char)text[i];
        const size_t n = utf8Length(text, i);
        if (c == '"' || c == '\\')
            out += std::string("\\") + (char)c;
        else if (c < 0x20 || n == 0)
            out += escapedByte(c);
        else
            out.append(text, i, n);
        i += n == 0 ? 1 : n;
    }
    return out + "\"";
}

std::string hexBytes(const std::string& bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes)
        out += std::string(1, digits[c >> 4]) + digits[c & 15];
    return out;
}

std::string jsonNumber(double value)
{
    if (!std::isfinite(value))
        return "null";
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.15g", value);
    return buf;
}

JsonObject& JsonObject::raw(const std::string& key, const std::string& json)
{
    body_ += (body_.empty() ? "" : ", ") + jsonString(key) + ": " + json;
    return *this;
}

JsonObject& JsonObject::str(const std::string& key, const std::string& value)
{
    raw(key, jsonString(value));
    if (!isValidUtf8(value))
        raw(key + "_bytes_hex", jsonString(hexBytes(value)));
    return *this;
}

JsonObject& JsonObject::strOrNull(const std::string& key, const std::string& value)
{
    return value.empty() ? raw(key, "null") : str(key, value);
}

namespace {

/** A strict recursive-descent reader of RFC 8259 text. */
struct Reader
{
    const std::string& s;
    size_t i = 0;
    int depth = 0;

    void blanks()
    {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
            ++i;
    }
    bool eat(char c)
    {
        blanks();
        if (i < s.size() && s[i] == c)
            return ++i, true;
        return false;
    }
    bool literal(const char* word)
    {
        const std::string w = word;
        if (s.compare(i, w.size(), w) != 0)
            return false;
        i += w.size();
        return true;
    }
    bool digits()
    {
        const size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        return i > start;
    }
    bool number()
    {
        if (i < s.size() && s[i] == '-')
            ++i;
        if (i < s.size() && s[i] == '0')
            ++i;
        else if (!digits())
            return false;
        if (i < s.size() && s[i] == '.' && (++i, !digits()))
            return false;
        if (i < s.size() && (s[i] == 'e' || s[i] == 'E'))
        {
            ++i;
            if (i < s.size() && (s[i] == '+' || s[i] == '-'))
                ++i;
            return digits();
        }
        return true;
    }
    bool hex4(unsigned& code)
    {
        if (i + 4 > s.size())
            return false;
        code = 0;
        for (int k = 0; k < 4; ++k)
        {
            const char c = s[i++];
            const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (v < 0)
                return false;
            code = code * 16 + (unsigned)v;
        }
        return true;
    }
    static void appendUtf8(unsigned code, std::string& out)
    {
        if (code < 0x80)
            out += (char)code;
        else if (code < 0x800)
            out += (char)(0xC0 | (code >> 6)), out += (char)(0x80 | (code & 0x3F));
        else if (code < 0x10000)
            out += (char)(0xE0 | (code >> 12)), out += (char)(0x80 | ((code >> 6) & 0x3F)),
                out += (char)(0x80 | (code & 0x3F));
        else
            out += (char)(0xF0 | (code >> 18)), out += (char)(0x80 | ((code >> 12) & 0x3F)),
                out += (char)(0x80 | ((code >> 6) & 0x3F)), out += (char)(0x80 | (code & 0x3F));
    }
    bool unicodeEscape(std::string& out)
    {
        unsigned code = 0, low = 0;
        if (!hex4(code))
            return false;
        if (code >= 0xD800 && code <= 0xDBFF && literal("\\u") && hex4(low) && low >= 0xDC00 &&
            low <= 0xDFFF)
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        else if (code >= 0xD800 && code <= 0xDFFF)
            return false;  // a lone surrogate
        appendUtf8(code, out);
        return true;
    }
    bool escape(std::string& out)
    {
        if (i >= s.size())
            return false;
        const char c = s[i++];
        const char* from = "\"\\/bfnrt";
        const char* to = "\"\\/\b\f\n\r\t";
        for (int k = 0; from[k]; ++k)
            if (c == from[k])
                return out += to[k], true;
        return c == 'u' && unicodeEscape(out);
    }
    bool string(std::string& out)
    {
        if (!eat('"'))
            return false;
        out.clear();
        while (i < s.size())
        {
            const unsigned char c = (unsigned char)s[i];
            if (c == '"')
                return ++i, true;
            if (c < 0x20)
                return false;
            if (c == '\\')
            {
                ++i;
                if (!escape(out))
                    return false;
                continue;
            }
            const size_t n = utf8Length(s, i);
            if (n == 0)
                return false;
            out.append(s, i, n);
            i += n;
        }
        return false;
    }
    bool members(JsonMembers* out)
    {
        if (eat('}'))
            return true;
        do
        {
            std::string key;
            if (!string(key) || !eat(':'))
                return false;
            blanks();
            const size_t start = i;
            if (!value())
                return false;
            if (out)
                out->push_back({key, s.substr(start, i - start)});
        } while (eat(','));
        return eat('}');
    }
    bool elements()
    {
        if (eat(']'))
            return true;
        do
            if (!value())
                return false;
        while (eat(','));
        return eat(']');
    }
    bool value()
    {
        blanks();
        if (i >= s.size() || ++depth > 64)
            return false;
        std::string ignored;
        const char c = s[i];
        bool ok = c == '{' ? (++i, members(nullptr))
                : c == '[' ? (++i, elements())
                : c == '"' ? string(ignored)
                : c == 't' ? literal("true")
                : c == 'f' ? literal("false")
                : c == 'n' ? literal("null")
                : number();
        --depth;
        return ok;
    }
};

} // namespace

bool parseJsonObject(const std::string& text, JsonMembers& members)
{
    Reader r{text};
    JsonMembers found;
    if (!r.eat('{') || !r.members(&found))
        return false;
    r.blanks();
    if (r.i != text.size())
        return false;
    members.swap(found);
    return true;
}

const std::string* findMember(const JsonMembers& members, const std::string& key)
{
    for (const auto& m : members)
        if (m.first == key)
            return &m.second;
    return nullptr;
}

bool stringMember(const JsonMembers& members, const std::string& key, std::string& value)
{
    const std::string* hex = findMember(members, key + "_bytes_hex");
    std::string text;
    if (hex)
    {
        Reader r{*hex};
        if (!r.string(text) || text.size() % 2 != 0)
            return false;
        value.clear();
        for (size_t k = 0; k < text.size(); k += 2)
        {
            const std::string digits = "00" + text.substr(k, 2);
            Reader d{digits};
            unsigned byte = 0;
            if (!d.hex4(byte))
                return false;
            value += (char)byte;
        }
        return true;
    }
    const std::string* raw = findMember(members, key);
    if (!raw)
        return false;
    Reader r{*raw};
    return r.string(value) && r.i == raw->size();
}

} // namespace xcam_samples
