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

}  // namespace
}  // namespace gapbundle::json_text
