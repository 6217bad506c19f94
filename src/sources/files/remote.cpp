#include "remote.hpp"

#include <gapbundle/manifest/manifest.hpp>

#include <optional>

namespace gapbundle::sources::files {

namespace {

manifest::LockedArtifact make_artifact(const RemoteEntry& entry, std::uint64_t size, std::string sha256)
{
    manifest::LockedArtifact artifact;
    artifact.kind = "files";
    artifact.bundle_path = "files/" + entry.spec->target;
    artifact.url = entry.spec->url;
    artifact.size = size;
    artifact.sha256 = std::move(sha256);
    artifact.mode = 0644;
    artifact.origin = entry.origin;
    return artifact;
}

std::string file_name_hint(const std::string& target)
{
    const auto slash = target.rfind('/');
    return slash == std::string::npos ? target : target.substr(slash + 1);
}

}  // namespace

Result<std::vector<manifest::LockedArtifact>> resolve_remote(ResolveContext& context,
                                                             const std::vector<RemoteEntry>& entries)
{
    std::vector<std::optional<manifest::LockedArtifact>> artifacts(entries.size());
    std::vector<net::DownloadRequest> requests;
    std::vector<std::size_t> requested;  // entry index of each request
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& spec = *entries[i].spec;
        if (spec.sha256 && context.store.contains(*spec.sha256)) {
            std::error_code ec;
            const auto size = std::filesystem::file_size(context.store.blob_path(*spec.sha256), ec);
            if (!ec) {
                artifacts[i] = make_artifact(entries[i], size, *spec.sha256);
                continue;
            }
        }
        net::DownloadRequest request;
        request.url = spec.url;
        request.destination = context.store.temp_path(file_name_hint(spec.target));
        request.expected_sha256 = spec.sha256;
        request.label = entries[i].origin;
        requests.push_back(std::move(request));
        requested.push_back(i);
    }

    std::optional<Error> first_error;
    if (!requests.empty()) {
        auto results = context.http.download(requests, context.progress);
        for (std::size_t r = 0; r < results.size() && r < requested.size(); ++r) {
            const auto& entry = entries[requested[r]];
            const auto where = context.manifest.location(entry.spec->mark);
            if (!results[r]) {
                if (!first_error) first_error = results[r].error().context(where);
                continue;
            }
            // Keep what arrived even when another entry failed: the next run reuses it.
            if (auto st = context.store.adopt(requests[r].destination, results[r]->sha256); !st) {
                if (!first_error) first_error = st.error().context(where + ": " + entry.origin);
                continue;
            }
            artifacts[requested[r]] = make_artifact(entry, results[r]->bytes, results[r]->sha256);
        }
    }
    if (first_error) return std::unexpected(*first_error);

    std::vector<manifest::LockedArtifact> out;
    for (auto& artifact : artifacts) {
        if (!artifact) return fail(ErrorCode::internal, "files: a download returned no result");
        out.push_back(std::move(*artifact));
    }
    return out;
}

}  // namespace gapbundle::sources::files
