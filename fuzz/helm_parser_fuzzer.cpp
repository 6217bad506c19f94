// libFuzzer target: Helm's parsers, which read what chart repositories and registries send. The
// first byte picks one: a version constraint and a version on two lines, two versions (compared
// both ways), an index.yaml (then every chart's version chosen as helm pull would), or a chart
// archive (then its images searched and its config JSON made).
// Invariants: no crash or escaped exception; SemVer order is antisymmetric and a version equals
// itself; a version select_chart picks for a constraint that is not its exact text fits it.

#include <gapbundle/sources/helm/chart.hpp>
#include <gapbundle/sources/helm/chart_images.hpp>
#include <gapbundle/sources/helm/chart_index.hpp>
#include <gapbundle/sources/helm/chart_push.hpp>
#include <gapbundle/sources/helm/semver.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using namespace gapbundle::sources::helm;

[[noreturn]] void violated(const char* what, std::string_view detail)
{
    std::fprintf(stderr, "helm_parser_fuzzer: invariant broken: %s: %.*s\n", what, static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

void constraint(std::string_view text)
{
    const auto newline = text.find('\n');
    auto parsed = SemVerConstraint::parse(text.substr(0, newline));
    if (!parsed || newline == std::string_view::npos) return;
    auto version = SemVer::parse(text.substr(newline + 1));
    if (!version) return;
    (void)parsed->matches(*version, false);
    (void)parsed->matches(*version, true);
}

void versions(std::string_view text)
{
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) {
        auto one = SemVer::parse(text);
        if (one && one->compare(*one) != 0) violated("a version differs from itself", text);
        (void)SemVer::parse_strict(text);
        return;
    }
    auto a = SemVer::parse(text.substr(0, newline));
    auto b = SemVer::parse(text.substr(newline + 1));
    if (!a || !b) return;
    const int ab = a->compare(*b);
    const int ba = b->compare(*a);
    if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0)) violated("SemVer order is not antisymmetric", text);
}

void index_yaml(std::string_view text)
{
    auto index = parse_chart_index(text, "fuzz/index.yaml");
    if (!index) return;
    for (const auto& [name, versions] : index->entries) {
        for (const char* wanted : {"", ">=1.0.0", "^0.1"}) {
            auto chosen = select_chart(*index, name, wanted);
            if (!chosen || (*chosen)->version == wanted) continue;
            auto parsed = SemVerConstraint::parse(*wanted ? wanted : "*");
            if (parsed && !parsed->matches((*chosen)->semver)) violated("select_chart chose a version that does not fit", name);
        }
        for (const auto& chart : versions)
            if (!chart.urls.empty()) (void)resolve_chart_url("https://charts.example/repo?x=1", chart.urls.front());
    }
}

void chart_archive(std::string_view bytes)
{
    auto chart = read_chart_archive(bytes, "fuzz.tgz");
    if (!chart) return;
    (void)find_chart_images(*chart);
    (void)chart_config_json(chart->chart_yaml, "fuzz.tgz");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
        case 0: constraint(text); break;
        case 1: versions(text); break;
        case 2: index_yaml(text); break;
        default: chart_archive(text); break;
    }
    return 0;
}
