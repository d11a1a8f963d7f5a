#include "argv_check.hpp"

#include "numbers.hpp"

#include <algorithm>
#include <sstream>

namespace xcam_samples {

std::vector<std::vector<std::string>> keyNames(const std::string& keys)
{
    std::vector<std::vector<std::string>> names;
    for (size_t open = keys.find('{'); open != std::string::npos; open = keys.find('{', open + 1))
    {
        const size_t bar = keys.find('|', open);
        if (bar == std::string::npos)
            break;
        std::istringstream words(keys.substr(open + 1, bar - open - 1));
        std::vector<std::string> aliases;
        for (std::string w; words >> w;)
            aliases.push_back(w);
        if (!aliases.empty())
            names.push_back(aliases);
    }
    return names;
}

size_t editDistance(const std::string& a, const std::string& b)
{
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
    {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
        {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

namespace {

/** One word of argv taken apart: "--name=value" -> name, value, hasValue. */
struct Word
{
    std::string text, name, value;
    bool option = false, hasValue = false;

    explicit Word(const std::string& w) : text(w)
    {
        option = w.size() > 1 && w[0] == '-';
        if (!option)
            return;
        name = w.substr(w.size() > 2 && w[1] == '-' ? 2 : 1);
        const size_t eq = name.find('=');
        hasValue = eq != std::string::npos;
        if (hasValue)
        {
            value = name.substr(eq + 1);
            name.resize(eq);
        }
    }
};

/** The index of the key that has `name`, -1 if none. */
int findKey(const std::vector<std::vector<std::string>>& keys, const std::string& name)
{
    for (size_t k = 0; k < keys.size(); ++k)
        if (std::find(keys[k].begin(), keys[k].end(), name) != keys[k].end())
            return (int)k;
    return -1;
}

/** "unknown option --x", with the nearest long name when it is close. */
std::string unknownOption(const std::vector<std::vector<std::string>>& keys, const std::string& name)
{
    std::string best;
    size_t bestDistance = std::string::npos;
    for (const auto& aliases : keys)
    {
        const size_t d = editDistance(name, aliases[0]);
        if (d < bestDistance)
            best = aliases[0], bestDistance = d;
    }
    const size_t close = std::max<size_t>(2, std::min(name.size(), best.size()) / 3);
    return "unknown option --" + printable(name) +
           (bestDistance <= close ? " (did you mean --" + best + "?)" : " (see --help)");
}

bool fail(std::string& error, const std::string& message)
{
    error = message;
    return false;
}

} // namespace

bool checkArguments(int argc, const char* const* argv, const ArgumentRules& rules,
                    std::string& error)
{
    const std::vector<std::vector<std::string>> keys = keyNames(rules.keys);
    std::vector<bool> seen(keys.size(), false);
    for (int i = 1; i < argc; ++i)
    {
        const Word w(argv[i] ? argv[i] : "");
        if (!w.option)
            return fail(error, "'" + printable(w.text) + "' is not an option: write --" +
                                   rules.positionalFor + "=" + printable(w.text) +
                                   " (options are written --name=value)");
        const int key = findKey(keys, w.name);
        if (key < 0)
            return fail(error, unknownOption(keys, w.name));
        const std::string name = "--" + keys[key][0];
        if (seen[key])
            return fail(error, name + " is given twice");
        seen[key] = true;
        if (w.hasValue || rules.flags.count(keys[key][0]))
            continue;
        const Word next(i + 1 < argc && argv[i + 1] ? argv[i + 1] : "");
        if (i + 1 < argc && !next.option)
            return fail(error, name + " " + printable(next.text) + ": write " + name + "=" +
                                   printable(next.text) + " (options are written --name=value)");
        return fail(error, name + " needs a value: write " + name + "=VALUE");
    }
    return true;
}

} // namespace xcam_samples
