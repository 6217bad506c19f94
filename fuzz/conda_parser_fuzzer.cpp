// libFuzzer target: conda's parsers. The first byte picks one: a MatchSpec (then matched against
// a fixed record), a pair of versions separated by '\n' (compared both ways), or a repodata.json.
// Invariants: no crash or escaped exception; version order is antisymmetric and a version equals
// itself; every record parse_repodata keeps has a name and a filename ending in .conda or .tar.bz2.

#include <gapbundle/sources/conda/match_spec.hpp>
#include <gapbundle/sources/conda/repodata.hpp>
#include <gapbundle/sources/conda/version.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using namespace gapbundle::sources::conda;

[[noreturn]] void violated(const char* what, std::string_view detail)
{
    std::fprintf(stderr, "conda_parser_fuzzer: invariant broken: %s: %.*s\n", what, static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

void match_spec(std::string_view text)
{
    auto spec = MatchSpec::parse(text);
    if (!spec) return;
    static const auto version = VersionOrder::parse("1.26.4");
    RepodataRecord record{.name = "numpy", .version = *version, .build = "py311h64a7726_0"};
    record.subdir = "linux-64";
    record.filename = "numpy-1.26.4-py311h64a7726_0.conda";
    record.channel = "conda-forge";
    (void)spec->matches(record);
    (void)spec->text();
}

void versions(std::string_view text)
{
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) {
        auto one = VersionOrder::parse(text);
        if (one && !(*one == *one)) violated("a version differs from itself", text);
        return;
    }
    auto a = VersionOrder::parse(text.substr(0, newline));
    auto b = VersionOrder::parse(text.substr(newline + 1));
    if (!a || !b) return;
    const auto ab = *a <=> *b;
    const auto ba = *b <=> *a;
    if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0)) violated("version order is not antisymmetric", text);
}

void repodata(std::string_view text)
{
    auto parsed = parse_repodata(text, "fuzz");
    if (!parsed) return;
    for (const auto& record : parsed->records) {
        if (record.name.empty()) violated("a record without a name was kept", record.filename);
        if (!record.filename.ends_with(".conda") && !record.filename.ends_with(".tar.bz2"))
            violated("a record that is not a package file was kept", record.filename);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 3) {
        case 0: match_spec(text); break;
        case 1: versions(text); break;
        default: repodata(text); break;
    }
    return 0;
}
