// load_trust: the operator's trusted public keys.

#include <gapbundle/bundle/signatures.hpp>

#include <algorithm>
#include <system_error>

namespace gapbundle::bundle {

namespace {

namespace stdfs = std::filesystem;

Result<std::vector<stdfs::path>> pub_files_in(const stdfs::path& folder)
{
    std::vector<stdfs::path> files;
    std::error_code ec;
    for (stdfs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".pub" && it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) return fail(ErrorCode::io, folder.string() + ": cannot list: " + ec.message());
    if (files.empty()) return fail(ErrorCode::usage, folder.string() + ": no trusted keys (*.pub) in this folder");
    std::ranges::sort(files);
    return files;
}

}  // namespace

Result<TrustSet> load_trust(const std::vector<std::filesystem::path>& paths)
{
    TrustSet trust;
    for (const auto& path : paths) {
        std::error_code ec;
        const auto status = stdfs::status(path, ec);
        if (ec || !stdfs::exists(status))
            return fail(ErrorCode::usage, path.string() + ": no such trusted key file or folder");
        std::vector<stdfs::path> files{path};
        if (stdfs::is_directory(status)) {
            auto found = pub_files_in(path);
            if (!found) return std::unexpected(found.error());
            files = std::move(*found);
        }
        for (const auto& file : files) {
            auto key = crypto::PublicKey::load_pem_file(file);
            if (!key) return std::unexpected(key.error());
            trust.keys.push_back(std::move(*key));
        }
    }
    return trust;
}

}  // namespace gapbundle::bundle
