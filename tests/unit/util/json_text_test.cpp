#include <gapbundle/util/json_text.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gapbundle::json_text {
namespace {

std::string nlohmann_text(const std::string& value)
{
    return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string appended(const std::string& value)
{
    std::string out = "x";  // appended to, not assigned
    append_string(out, value);
    return out.substr(1);
}

TEST(JsonTextTest, EveryByteAloneIsWrittenAsNlohmannWritesIt)
{
    for (int byte = 0; byte < 256; ++byte) {
        const std::string value(1, static_cast<char>(byte));
        EXPECT_EQ(appended(value), nlohmann_text(value)) << "byte " << byte;
    }
}

TEST(JsonTextTest, PathsDigestsAndOddTextAreWrittenAsNlohmannWritesThem)
{
    const std::vector<std::string> values = {
        "",
        "files/model/weights-00001.safetensors",
        std::string(64, 'a'),
        "pkg:generic/a%20b.txt?checksum=sha256:00",
        "say \"hi\"",
        "back\\slash",
        "tab\there\nnewline",
        "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",  // é € 😀: kept as UTF-8
        "bad \xff\xfe byte",                          // not UTF-8: replaced
        "cut \xe2\x82",                               // a truncated sequence
        "del \x7f",
    };
    for (const auto& value : values) EXPECT_EQ(appended(value), nlohmann_text(value)) << value;
}

std::string indented(const std::string& compact, int depth)
{
    std::string out;
    std::size_t pieces = 0;
    write_indented(compact, depth, [&](std::string_view piece) {
        EXPECT_LE(piece.size(), (64u << 10) + 256) << "a piece of " << piece.size() << " bytes";
        out += piece;
        ++pieces;
    });
    if (compact.size() > (1u << 20)) {
        EXPECT_GT(pieces, 16u);
    }
    return out;
}

TEST(JsonTextTest, CompactTextIsIndentedAsDumpTwoPrintsIt)
{
    nlohmann::json big = nlohmann::json::array();
    for (int i = 0; i < 30000; ++i) big.push_back({{"path", "files/f" + std::to_string(i) + ".bin"}, {"size", i}});
    const std::vector<nlohmann::json> documents = {
        nlohmann::json::object(),
        nlohmann::json::array(),
        42,
        "text",
        nlohmann::json::parse(R"({"a":[],"b":{},"c":[1,[2,[]],{"d":{}}],"e":null,"f":true,"g":-1.5})"),
        // What looks like structure inside strings is text: quotes, escapes, brackets, colons, commas.
        nlohmann::json::parse(R"({"s":"a \"quoted\" {b}: [c], d\\","t":"\\","u":"\u0001\n\t","v":"caf\u00e9 \ud83d\ude00"})"),
        {{"entries", big}, {"name", "demo"}},
    };
    for (const auto& document : documents) {
        const std::string compact = document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        EXPECT_EQ(indented(compact, 0), document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace))
            << compact.substr(0, 200);
        // One level down, as a member's value: the whole nested in an object prints the same.
        const std::string outer = nlohmann::json{{"k", document}}.dump(2);
        EXPECT_EQ("{\n  \"k\": " + indented(compact, 1) + "\n}", outer) << compact.substr(0, 200);
    }
}

}  // namespace
}  // namespace gapbundle::json_text
