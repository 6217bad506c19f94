// libFuzzer target: the canonical index JSON parser (and the signature list beside it). The input
// is an index.json.
// Invariants: no crash or escaped exception; an index that parses is canonical, so writing it again
// gives the same bytes (whole, in pieces and through the piece reader), and its entries are sorted,
// unique and safe paths.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/util/fs.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void violated(const char* what, std::string_view detail)
{
    std::fprintf(stderr, "index_parser_fuzzer: invariant broken: %s: %.*s\n", what, static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

std::string read_all(gapbundle::bundle::PieceReader& reader)
{
    std::string text;
    char buffer[4096];
    for (;;) {
        const std::size_t n = reader.read(std::as_writable_bytes(std::span(buffer)));
        if (n == 0) return text;
        text.append(buffer, n);
    }
}

void check_index(std::string_view bytes, const gapbundle::bundle::Index& index)
{
    using namespace gapbundle::bundle;
    const std::string again = to_canonical_json(index);
    if (again != bytes) violated("a parsed index does not write back to its own bytes", again);
    std::string pieces;
    write_canonical_json(index, [&](std::string_view piece) { pieces += piece; });
    if (pieces != again) violated("write_canonical_json differs from to_canonical_json", pieces);
    CanonicalIndexReader reader(index);
    if (read_all(reader) != again) violated("CanonicalIndexReader differs from to_canonical_json", "");
    auto reparsed = parse_index(again);
    if (!reparsed || *reparsed != index) violated("the written index does not parse to the same index", again);

    for (std::size_t i = 0; i < index.entries.size(); ++i) {
        const Entry& entry = index.entries[i];
        if (!gapbundle::fs::check_relative_path(entry.path)) violated("an unsafe entry path was accepted", entry.path);
        if (i > 0 && !(index.entries[i - 1].path < entry.path)) violated("entries not sorted and unique", entry.path);
        if (entry.type == EntryType::symlink && !check_symlink_target(entry.path, entry.link_target, &index.entries))
            violated("a symlink leaving the tree was accepted", entry.path);
    }
    const auto order = stream_order(index);
    if (order.size() != index.entries.size()) violated("stream_order lost entries", "");
    Sha256SumsReader sums(index.entries);
    if (read_all(sums) != sha256sums_text(index.entries)) violated("Sha256SumsReader differs from sha256sums_text", "");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace gapbundle::bundle;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (auto index = parse_index(bytes)) check_index(bytes, *index);
    // The same bytes as a signature list: parsed, then written back canonically.
    if (auto signatures = parse_signatures(bytes)) {
        auto again = parse_signatures(signatures_to_json(*signatures));
        if (!again || *again != *signatures) violated("a signature list does not survive writing it", bytes);
    }
    return 0;
}
