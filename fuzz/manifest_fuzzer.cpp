// libFuzzer target: the YAML manifest parser. The input is a manifest's text.
// Invariants: no crash or escaped exception, and a manifest that parses names only safe, unique
// file targets and well-formed digests.

#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string_view>

namespace {

[[noreturn]] void violated(const char* what, std::string_view detail)
{
    std::fprintf(stderr, "manifest_fuzzer: invariant broken: %s: %.*s\n", what, static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

void check(const gapbundle::manifest::Manifest& manifest)
{
    if (manifest.name.empty()) violated("a parsed manifest has no name", "");
    if (manifest.channel.empty()) violated("a parsed manifest has no channel", manifest.name);
    std::set<std::string_view> targets;
    for (const auto& file : manifest.files) {
        if (!gapbundle::fs::check_relative_path(file.target)) violated("an unsafe file target was accepted", file.target);
        if (!targets.insert(file.target).second) violated("two files share a target", file.target);
        if (file.sha256 && !gapbundle::text::is_sha256_hex(*file.sha256)) violated("a malformed sha256 was accepted", *file.sha256);
        (void)manifest.location(file.mark);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view yaml(reinterpret_cast<const char*>(data), size);
    // A relative name that does not exist: local paths in the manifest are only resolved, never read.
    auto manifest = gapbundle::manifest::parse_manifest(yaml, "fuzz/manifest.yaml");
    if (manifest) check(*manifest);
    return 0;
}
