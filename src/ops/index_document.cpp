#include <gapbundle/bundle/index_file.hpp>
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
    const bool index_file = looks_like_json(path);
    document.source = index_file ? IndexSource::index_file : IndexSource::bundle;
    if (bytes == IndexBytes::drop) {  // parsed as read: the text is never held
        if (index_file) {
            auto streamed = bundle::parse_index_file(path);
            if (!streamed) return std::unexpected(streamed.error());
            document.index = std::move(streamed->index);
            document.index_sha256 = std::move(streamed->sha256);
        } else {
            auto read = bundle::read_index(path);
            if (!read) return std::unexpected(read.error());
            document.index = std::move(read->index);
            document.index_sha256 = std::move(read->index_sha256);
            document.signatures = std::move(read->signatures);
        }
        return document;
    }
    if (index_file) {
        auto text = fs::read_small_file(path, bundle::k_max_index_bytes);
        if (!text) return std::unexpected(text.error());
        auto index = bundle::parse_index(*text, path.string());
        if (!index) return std::unexpected(index.error());
        document.index = std::move(*index);
        document.index_bytes = std::move(*text);
    } else {
        auto head = bundle::read_head(path);
        if (!head) return std::unexpected(head.error());
        document.index = std::move(head->index);
        document.signatures = std::move(head->signatures);
        document.index_bytes = std::move(head->index_bytes);
    }
    document.index_sha256 = crypto::sha256_hex(document.index_bytes);
    return document;
}

}  // namespace gapbundle::ops
