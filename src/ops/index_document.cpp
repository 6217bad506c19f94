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

Result<IndexDocument> read_index_document(const std::filesystem::path& path)
{
    if (looks_like_json(path)) {
        auto bytes = fs::read_small_file(path, bundle::k_max_index_bytes);
        if (!bytes) return std::unexpected(bytes.error());
        auto index = bundle::parse_index(*bytes, path.string());
        if (!index) return std::unexpected(index.error());
        std::string sha256 = crypto::sha256_hex(*bytes);
        return IndexDocument{std::move(*index), std::move(sha256), IndexSource::index_file, std::move(*bytes), {}};
    }
    auto head = bundle::read_head(path);
    if (!head) return std::unexpected(head.error());
    std::string sha256 = crypto::sha256_hex(head->index_bytes);
    return IndexDocument{std::move(head->index), std::move(sha256), IndexSource::bundle, std::move(head->index_bytes),
                         std::move(head->signatures)};
}

}  // namespace gapbundle::ops
