// libFuzzer target: the canonical index JSON parser (and the signature list beside it). The input
// is an index.json.
// Invariants: no crash or escaped exception; an index that parses is canonical, so writing it again
// gives the same bytes (whole, in pieces and through the piece reader), and its entries are sorted,
// unique and safe paths. The same bytes read in pieces of varying size (parse_index_stream) give
// the same index, or the same refusal, and the digest of the bytes.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/fs.hpp>

#include <algorithm>
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

// Feeds `bytes` to parse_index_stream in pieces of 1 to 4,096 bytes, their sizes drawn from the
// input itself so that a crash replays, with a size hint that is right, zero or wrong.
void check_streamed(std::string_view bytes, const gapbundle::Result<gapbundle::bundle::Index>& whole)
{
    using namespace gapbundle;
    std::uint64_t state = bytes.size() * 0x9E3779B97F4A7C15ull + (bytes.empty() ? 0 : bytes[0]);
    const auto next = [&state] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return state >> 33;
    };
    std::size_t at = 0;
    const bundle::IndexTextSource source = [&]() -> Result<std::string_view> {
        const std::uint64_t longest = next() % 2 ? 7 : 4096;  // tiny pieces split every token
        const std::size_t piece = std::min<std::size_t>(bytes.size() - at, 1 + next() % longest);
        const auto out = bytes.substr(at, piece);
        at += piece;
        return out;
    };
    const std::uint64_t hints[] = {bytes.size(), 0, bytes.size() * 40 + 1};
    auto streamed = bundle::parse_index_stream(source, hints[next() % 3], bundle::k_index_path);
    if (streamed.has_value() != whole.has_value())
        violated(whole ? "parse_index accepts what the streamed parse refuses"
                       : "the streamed parse accepts what parse_index refuses",
                 streamed ? std::string_view("") : std::string_view(streamed.error().message));
    if (!whole) {
        if (streamed.error().message != whole.error().message || streamed.error().code != whole.error().code)
            violated("the streamed parse refuses with another error",
                     streamed.error().message + " / " + whole.error().message);
        return;
    }
    if (streamed->index != *whole) violated("the streamed parse gives another index", bytes);
    if (streamed->sha256 != crypto::sha256_hex(bytes))
        violated("the streamed digest is not the bytes'", streamed->sha256);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace gapbundle::bundle;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto index = parse_index(bytes);
    if (index) check_index(bytes, *index);
    check_streamed(bytes, index);
    // The same bytes as a signature list: parsed, then written back canonically.
    if (auto signatures = parse_signatures(bytes)) {
        auto again = parse_signatures(signatures_to_json(*signatures));
        if (!again || *again != *signatures) violated("a signature list does not survive writing it", bytes);
    }
    return 0;
}
