#include "remote.hpp"

#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/store/url_records.hpp>

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

// Asks the server whether the URL still serves what the store has from last time.
void make_conditional(net::DownloadRequest& request, const store::UrlRecord& known)
{
    for (auto& header : store::conditional_headers(known)) request.headers.push_back(std::move(header));
    request.allow_not_modified = true;
}

}  // namespace

Result<std::vector<manifest::LockedArtifact>> resolve_remote(ResolveContext& context,
                                                             const std::vector<RemoteEntry>& entries)
{
    std::vector<std::optional<manifest::LockedArtifact>> artifacts(entries.size());
    std::vector<net::DownloadRequest> requests;
    std::vector<std::size_t> requested;  // entry index of each request
    std::vector<std::optional<store::UrlRecord>> known;  // what each request's URL served last time
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& spec = *entries[i].spec;
        if (spec.sha256 && context.store.contains(*spec.sha256)) {
            std::error_code ec;
            const auto size = std::filesystem::file_size(context.store.blob_path(*spec.sha256), ec);
            if (!ec) {
                if (context.stats) ++context.stats->cached;
                artifacts[i] = make_artifact(entries[i], size, *spec.sha256);
                continue;
            }
        }
        net::DownloadRequest request;
        request.url = spec.url;
        request.destination = context.store.temp_path(spec.target);
        request.expected_sha256 = spec.sha256;
        request.label = entries[i].origin;
        auto record = spec.sha256 ? std::nullopt : store::find_url_record(context.store, spec.url);
        if (record) make_conditional(request, *record);
        requests.push_back(std::move(request));
        requested.push_back(i);
        known.push_back(std::move(record));
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
            if (results[r]->not_modified && known[r]) {
                if (context.stats) ++context.stats->cached;
                artifacts[requested[r]] = make_artifact(entry, known[r]->size, known[r]->sha256);
                continue;
            }
            // Keep what arrived even when another entry failed: the next run reuses it.
            auto st = context.store.adopt(requests[r].destination, results[r]->sha256);
            if (st && (!results[r]->etag.empty() || !results[r]->last_modified.empty()))
                st = store::save_url_record(context.store, {entry.spec->url, results[r]->sha256, results[r]->bytes,
                                                            results[r]->etag, results[r]->last_modified});
            if (!st) {
                if (!first_error) first_error = st.error().context(where + ": " + entry.origin);
                continue;
            }
            if (context.stats) {
                ++context.stats->downloaded;
                context.stats->bytes_downloaded += results[r]->bytes;
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
