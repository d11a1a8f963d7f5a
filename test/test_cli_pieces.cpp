// The samples' pieces in process: JSON text (checked against Python's json), output names,
// the argv check, the output plan.
#include "cli_runner.hpp"

#include "common/argv_check.hpp"
#include "common/json_text.hpp"
#include "common/output_names.hpp"
#include "common/output_plan.hpp"

#include <filesystem>
#include <fstream>

using namespace xcam_test;
using namespace xcam_samples;
namespace fs = std::filesystem;

TEST(XcamSamplesJson, StringsAreValidJsonWhateverTheBytes)
{
    EXPECT_TRUE(isValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    for (const char* bad : {"\xff", "caf\xe9", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"})
        EXPECT_FALSE(isValidUtf8(bad)) << bad;
    EXPECT_EQ(jsonString("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\u000a\\u0001\"");
    EXPECT_EQ(jsonString("caf\xe9\xc3\xa9"), "\"caf\\u00e9\xc3\xa9\"");
    EXPECT_EQ(JsonObject().str("path", "\xff").num("n", 0.25).text(),
              "{\"path\": \"\\u00ff\", \"path_bytes_hex\": \"ff\", \"n\": 0.25}");
    // Python's json reads what we write; we read back the bytes.
    const std::string file = scratch("_strings.jsonl");
    const std::vector<std::string> samples = {"plain", "caf\xe9", "\xff\xfe\x80", "\x01\x7f\"\\", "\xe2\x82\xac"};
    {
        std::ofstream out(file, std::ios::binary);
        for (const std::string& s : samples)
            out << JsonObject().str("s", s).text() << "\n";
    }
    EXPECT_EQ(runPython("import json, sys\n"
                        "for line in open(sys.argv[1], 'rb').read().decode('utf-8').splitlines():\n"
                        "    r = json.loads(line)\n"
                        "    raw = bytes.fromhex(r['s_bytes_hex']) if 's_bytes_hex' in r else r['s'].encode()\n"
                        "    assert len(raw) > 0\n",
                        file), 0);
    for (const std::string& s : samples)
    {
        JsonMembers members;
        ASSERT_TRUE(parseJsonObject(JsonObject().str("s", s).text(), members)) << s;
        std::string back;
        ASSERT_TRUE(stringMember(members, "s", back));
        EXPECT_EQ(back, s);
    }
}

TEST(XcamSamplesJson, TheReaderIsStrict)
{
    JsonMembers m;
    ASSERT_TRUE(parseJsonObject(" {\"a\": [1, -2.5e3, true, null, {\"b\": \"\\ud83d\\ude00\"}], \"c\": {}} ", m));
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0].second, "[1, -2.5e3, true, null, {\"b\": \"\\ud83d\\ude00\"}]");
    for (const char* bad : {"", "{", "{\"a\": 1,}", "{\"a\": NaN}", "{\"a\": 01}", "{\"a\": \"x\ny\"}",
                            "{\"a\": 1} x", "[1]", "{'a': 1}", "{\"a\": \"\\ud800\"}", "{\"a\": \"\xff\"}",
                            "{\"a\": 1.}", "{\"a\" 1}"})
        EXPECT_FALSE(parseJsonObject(bad, m)) << bad;
}

TEST(XcamSamplesOutputNames, UniqueByConstructionWithTheDocumentedRule)
{
    EXPECT_EQ(outputNames({"d/a.jpg", "d/b.bmp"}, false), (std::vector<std::string>{"a.png", "b.png"}));
    EXPECT_EQ(outputNames({"d/a.bmp", "d/a.jpg", "d/a.png"}, false),
              (std::vector<std::string>{"a.bmp.png", "a.jpg.png", "a.png.png"}));
    // a.jpg.gif would be "a.jpg.png", which a.jpg (sharing a stem with a.bmp) takes: it keeps its own.
    EXPECT_EQ(outputNames({"a.jpg", "a.bmp", "a.jpg.gif"}, false),
              (std::vector<std::string>{"a.jpg.png", "a.bmp.png", "a.jpg.gif.png"}));
    EXPECT_EQ(outputNames({"a.png", "a.png.jpg"}, false), (std::vector<std::string>{"a.png", "a.png.png"}));
    EXPECT_EQ(outputNames({"../src/x.png", "src/x.png", "./src/y.jpg", "/abs/z.png", "@a.png", "@up/x.png"}, true),
              (std::vector<std::string>{"@up/src/x.png", "src/x.png", "src/y.png", "@root/abs/z.png", "@@a.png",
                                        "@@up/x.png"}));
    EXPECT_EQ(outputNames({"s/x.jpg", "s/x.bmp", "t/x.gif", "s/../s/x.jpg"}, true),
              (std::vector<std::string>{"s/x.jpg.png", "s/x.bmp.png", "t/x.png", "s/x.jpg.png"}));
    // Never outside the folder, never two sources on one name, for many awkward paths.
    std::vector<std::string> paths;
    for (const char* a : {"", "..", "../..", ".", "@up", "@@", "/"})
        for (const char* b : {"x.png", "x.jpg", "x.png.jpg", "@x.png", "..x.png"})
            paths.push_back(std::string(a) + (*a ? "/" : "") + b);
    const std::vector<std::string> names = outputNames(paths, true);
    std::map<std::string, std::string> owner;
    for (size_t i = 0; i < names.size(); ++i)
    {
        for (const fs::path& part : fs::path(names[i]))
            EXPECT_NE(part, "..") << names[i];
        EXPECT_FALSE(fs::path(names[i]).is_absolute()) << names[i];
        const std::string source = fs::path(paths[i]).lexically_normal().string();
        EXPECT_TRUE(owner.emplace(names[i], source).first->second == source) << names[i] << " <- " << paths[i];
    }
}

TEST(XcamSamplesArgvCheck, KeysDistancesAndMessages)
{
    EXPECT_EQ(keyNames("{ input i | | x }{ output o | | y }{ @pos | | }"),
              (std::vector<std::vector<std::string>>{{"input", "i"}, {"output", "o"}, {"@pos"}}));
    EXPECT_EQ(editDistance("ouput", "output"), 1u);
    EXPECT_EQ(editDistance("methods", "method"), 1u);
    EXPECT_EQ(editDistance("", "abc"), 3u);
    const ArgumentRules rules{"{help h||}{input i||}{output o||}{rgb||}", {"help", "rgb"}, "input"};
    auto check = [&](std::vector<const char*> argv) {
        argv.insert(argv.begin(), "tool");
        std::string error;
        return checkArguments((int)argv.size(), argv.data(), rules, error) ? std::string("ok") : error;
    };
    EXPECT_EQ(check({"--input=a", "-o=b", "--rgb", "-h"}), "ok");
    EXPECT_EQ(check({"--inptu=a"}), "unknown option --inptu (did you mean --input?)");
    EXPECT_EQ(check({"--xyzzy=a"}), "unknown option --xyzzy (see --help)");
    EXPECT_EQ(check({"--output", "b.png"}), "--output b.png: write --output=b.png (options are written --name=value)");
    EXPECT_EQ(check({"--output"}), "--output needs a value: write --output=VALUE");
    EXPECT_EQ(check({"a.png"}), "'a.png' is not an option: write --input=a.png (options are written --name=value)");
    EXPECT_EQ(check({"--input=a", "-i=b"}), "--input is given twice");
    EXPECT_EQ(check({"-"}), "'-' is not an option: write --input=- (options are written --name=value)");
    EXPECT_EQ(check({"--in\nput=a"}), "unknown option --in\\nput (did you mean --input?)");
}

TEST(XcamSamplesOutputPlan, CollisionsAreFoundByInodeAndCanonicalPath)
{
    const std::string dir = freshDir("_dir");
    std::ofstream(dir + "/in.png") << "x";
    std::ofstream(dir + "/other.txt") << "y";
    auto refused = [&](const std::function<void(OutputPlan&)>& fill, const std::string& message) {
        OutputPlan plan;
        plan.addInput("--input", dir + "/in.png");
        plan.addInput("--missing", dir + "/none.png");  // nothing to overwrite: not recorded
        fill(plan);
        EXPECT_CV_ERROR(plan.check(), message);
    };
    refused([&](OutputPlan& p) { p.addOutput("--output", dir + "/sub/../in.png"); },
            "--output '" + dir + "/sub/../in.png' is the same file as --input '" + dir + "/in.png'");
    refused([&](OutputPlan& p) {
        p.addOutput("--a", dir + "/new.png");
        p.addOutput("--b", dir + "//new.png");
    }, "--b '" + dir + "//new.png' and --a '" + dir + "/new.png' are the same file");
    refused([&](OutputPlan& p) {
        p.addOutputFolder("--output", dir + "/out", {"x/y.png"}, {"y.jpg"});
        p.addOutput("--montage", dir + "/out/x/./y.png");
    }, "are the same file");
    refused([&](OutputPlan& p) { p.addOutputFolder("--output", dir + "/other.txt", {}, {}); }, "is not a folder");
    refused([&](OutputPlan& p) {  // the writer would create "missing", then write into dir itself
        p.addInputFolder("--input", dir);
        p.addOutputFolder("--output", dir + "/missing/..", {}, {});
    }, "--output '" + dir + "/missing/..' is the --input '" + dir + "' folder");
    OutputPlan fine;
    fine.addInput("--input", dir + "/in.png");
    fine.addOutput("--output", dir + "/none.png");
    fine.addOutputFolder("--output", dir + "/out", {"in.png"}, {"in.jpg"});
    EXPECT_NO_THROW(fine.check());
}
