#include <gapbundle/bundle/verifier.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/ops/index_document.hpp>
#include <gapbundle/util/fs.hpp>

#include <fstream>

namespace gapbundle::ops {

namespace {

bool looks_like_json(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return in.get() == '{';
}

}  // namespace

Result<IndexDocument> read_index_document(const std::filesystem::path& path, IndexBytes bytes)
{
    IndexDocument document;
    std::string read;
    if (looks_like_json(path)) {
        auto text = fs::read_small_file(path, bundle::k_max_index_bytes);
        if (!text) return std::unexpected(text.error());
        auto index = bundle::parse_index(*text, path.string());
        if (!index) return std::unexpected(index.error());
        document.index = std::move(*index);
        document.source = IndexSource::index_file;
        read = std::move(*text);
    } else {
        auto head = bundle::read_head(path);
        if (!head) return std::unexpected(head.error());
        document.index = std::move(head->index);
        document.source = IndexSource::bundle;
        document.signatures = std::move(head->signatures);
        read = std::move(head->index_bytes);
    }
    document.index_sha256 = crypto::sha256_hex(read);
    if (bytes == IndexBytes::keep) document.index_bytes = std::move(read);
    return document;
}

}  // namespace gapbundle::ops
