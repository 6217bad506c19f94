#include <gapbundle/sources/huggingface.hpp>

#include "../inline_artifact.hpp"
#include "../store_download.hpp"

#include <gapbundle/crypto/git_blob.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/net/http_request.hpp>
#include <gapbundle/sources/hf/cache_layout.hpp>
#include <gapbundle/sources/hf/hf_token.hpp>
#include <gapbundle/sources/hf/hub_api.hpp>
#include <gapbundle/sources/hf/hub_errors.hpp>
#include <gapbundle/sources/hf/patterns.hpp>
#include <gapbundle/sources/hf/repo_id.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace gapbundle::sources {

namespace {

using manifest::LockedArtifact;

constexpr std::string_view k_kind = "huggingface";
constexpr std::string_view k_root = "hf/hub/";
constexpr std::uint64_t k_max_listing = 64ull << 20;

net::Credentials bearer(const std::optional<hf::HfToken>& token)
{
    if (!token) return {};
    return net::Credentials{net::Credentials::Kind::bearer, "", token->secret()};
}

hf::HubAnswer answer_of(const net::HttpResponse& response)
{
    return hf::HubAnswer{response.status, response.header("X-Error-Code").value_or(""),
                         response.header("X-Error-Message").value_or(""), response.header("Retry-After").value_or("")};
}

LockedArtifact inline_artifact(std::string bundle_path, std::string content, std::string origin)
{
    return detail::inline_artifact(std::string(k_kind), std::move(bundle_path), std::move(content), std::move(origin));
}

// A file of the listing that the store does not know by sha256 yet: a regular (non-LFS) file,
// whose listing gives only its git blob id.
struct PendingBlob {
    std::size_t artifact;  // position in the artifacts
    std::string etag;      // the git blob id the bytes must have
    std::string path;      // in the repo
    std::string where;
};

class HfResolver {
public:
    explicit HfResolver(ResolveContext& context) : m_context(context) {}

    Result<KindResolution> run()
    {
        const auto& spec = *m_context.manifest.huggingface;
        m_endpoint = hf_endpoint_for(m_context.manifest);
        auto token = hf::find_hf_token(hf::process_environment());
        if (!token) return std::unexpected(token.error());
        m_token = std::move(*token);
        for (std::size_t i = 0; i < spec.repos.size(); ++i)
            if (auto st = resolve_repo(i); !st) return std::unexpected(st.error());
        if (auto st = store_regular_files(); !st) return std::unexpected(st.error());
        for (auto& [path, tree] : m_trees) m_out.artifacts.push_back(inline_artifact(path, tree_listing(tree.files), tree.origin));
        std::ranges::sort(m_out.artifacts, {}, &LockedArtifact::bundle_path);
        const auto same = [](const LockedArtifact& a, const LockedArtifact& b) { return a.bundle_path == b.bundle_path; };
        m_out.artifacts.erase(std::ranges::unique(m_out.artifacts, same).begin(), m_out.artifacts.end());
        return std::move(m_out);
    }

private:
    Status resolve_repo(std::size_t position)
    {
        const auto& spec = m_context.manifest.huggingface->repos[position];
        const std::string origin = "huggingface[" + std::to_string(position) + "]";
        const std::string where = m_context.manifest.location(spec.mark) + ": huggingface: repos[" +
                                  std::to_string(position) + "]";
        auto type = hf::parse_repo_type(spec.type);
        if (!type) return std::unexpected(type.error().context(where));
        auto repo = hf::parse_repo_id(*type, spec.repo);
        if (!repo) return std::unexpected(repo.error().context(where));
        if (auto st = hf::validate_revision(spec.revision); !st) return std::unexpected(st.error().context(where));

        auto listing = fetch_listing(*repo, spec.revision);
        if (!listing) return std::unexpected(listing.error().context(where));
        auto kept = select_files(*repo, spec, *listing);
        if (!kept) return std::unexpected(kept.error().context(where));
        auto layout = hf::cache_layout(*repo, spec.revision, listing->commit, hf::cache_files(*kept));
        if (!layout) return std::unexpected(layout.error().context(where));
        add_layout(*repo, *listing, *kept, *layout, origin, where);

        add_component(std::string(hf::api_plural(*type)) + "/" + repo->id, listing->commit, spec.repo + "@" + spec.revision,
                      *layout);
        return {};
    }

    // One component per repo and commit, even when the manifest lists it twice (with other
    // patterns, or by branch and by commit): the index holds each (kind, name, version) once.
    void add_component(std::string name, const std::string& commit, std::string requested, const hf::CacheLayout& layout)
    {
        auto it = std::ranges::find_if(m_out.components, [&](const manifest::Component& c) {
            return c.name == name && c.version == commit;
        });
        if (it == m_out.components.end()) {
            m_out.components.push_back(manifest::Component{std::string(k_kind), std::move(name), commit, {}, {}, {}, {}});
            it = std::prev(m_out.components.end());
        }
        it->requested.push_back(std::move(requested));
        std::ranges::sort(it->requested);
        it->requested.erase(std::ranges::unique(it->requested).begin(), it->requested.end());
        std::vector<std::string> paths(it->paths.begin(), it->paths.end());
        for (const auto& blob : layout.blobs) paths.push_back(std::string(k_root) + blob.path);
        std::ranges::sort(paths);
        paths.erase(std::ranges::unique(paths).begin(), paths.end());
        it->paths = PathList(paths.begin(), paths.end());
    }

    Result<hf::RepoListing> fetch_listing(const hf::RepoId& repo, const std::string& revision)
    {
        net::HttpRequest request;
        request.url = hf::revision_info_url(m_endpoint, repo, revision);
        request.credentials = bearer(m_token);
        request.max_body = k_max_listing;
        auto response = net::send(request, m_context.http.options());
        if (!response) return std::unexpected(response.error());
        if (response->status != 200)
            return std::unexpected(hf::hub_error(hf::HubTarget{repo, revision, ""}, answer_of(*response),
                                                 m_token ? std::string_view(m_token->secret()) : std::string_view()));
        return hf::parse_revision_info(repo, response->body);
    }

    // allow, then ignore, as huggingface_hub filters; an allow pattern that keeps nothing is an
    // error (a typo would otherwise carry an empty model across).
    static Result<std::vector<hf::RepoFile>> select_files(const hf::RepoId& repo, const manifest::HfRepoSpec& spec,
                                                          const hf::RepoListing& listing)
    {
        hf::PathFilter filter;
        if (!spec.allow.empty()) filter.allow = spec.allow;
        if (!spec.ignore.empty()) filter.ignore = spec.ignore;
        for (const auto& pattern : spec.allow) {
            const hf::PathFilter one{std::vector<std::string>{pattern}, std::nullopt};
            if (std::ranges::none_of(listing.files, [&](const hf::RepoFile& f) { return hf::keep_path(one, f.path); }))
                return fail(ErrorCode::download, "allow pattern '" + pattern + "' matches no file of " +
                                                     hf::describe(repo) + " at " + listing.commit);
        }
        std::vector<hf::RepoFile> kept;
        for (const auto& file : listing.files)
            if (hf::keep_path(filter, file.path)) kept.push_back(file);
        if (kept.empty())
            return fail(ErrorCode::download, "no file of " + hf::describe(repo) + " at " + listing.commit +
                                                 " is left after the allow and ignore patterns");
        return kept;
    }

    void add_layout(const hf::RepoId& repo, const hf::RepoListing& listing, const std::vector<hf::RepoFile>& files,
                    const hf::CacheLayout& layout, const std::string& origin, const std::string& where)
    {
        std::map<std::string, const hf::RepoFile*> by_etag;
        for (const auto& file : files) by_etag.emplace(hf::cache_etag(file), &file);
        for (const auto& blob : layout.blobs) {
            const hf::RepoFile& file = *by_etag.at(blob.etag);
            LockedArtifact artifact;
            artifact.kind = std::string(k_kind);
            artifact.bundle_path = std::string(k_root) + blob.path;
            artifact.url = hf::resolve_url(m_endpoint, repo, listing.commit, file.path);
            artifact.size = blob.size;
            artifact.mode = 0644;
            artifact.origin = origin;
            if (file.lfs_sha256) {
                artifact.sha256 = *file.lfs_sha256;
            } else {
                m_pending.push_back({m_out.artifacts.size(), blob.etag, file.path, where});
            }
            m_out.artifacts.push_back(std::move(artifact));
        }
        for (const auto& link : layout.links) {
            LockedArtifact artifact;
            artifact.kind = std::string(k_kind);
            artifact.bundle_path = std::string(k_root) + link.path;
            artifact.origin = origin;
            artifact.link = link.target;
            m_out.artifacts.push_back(std::move(artifact));
        }
        if (layout.ref) m_out.artifacts.push_back(inline_artifact(std::string(k_root) + layout.ref->path, layout.ref->content, origin));
        // A repo listed twice at one commit gets one listing of everything carried from it.
        auto& tree = m_trees[std::string(k_root) + layout.repo_folder + "/trees/" + listing.commit + ".json"];
        tree.origin = tree.origin.empty() ? origin : tree.origin;
        for (const auto& file : files)
            if (std::ranges::find(tree.files, file.path, &hf::RepoFile::path) == tree.files.end()) tree.files.push_back(file);
    }

    // trees/<commit>.json as huggingface_hub (1.x, _tree_cache.py) writes it after a snapshot
    // download: offline, snapshot_download trusts a snapshot only when every file listed there is
    // present, so it lists exactly the files carried.
    static std::string tree_listing(const std::vector<hf::RepoFile>& files)
    {
        nlohmann::ordered_json listed = nlohmann::ordered_json::object();
        std::vector<const hf::RepoFile*> sorted;
        for (const auto& file : files) sorted.push_back(&file);
        std::ranges::sort(sorted, {}, &hf::RepoFile::path);
        for (const auto* file : sorted) {
            nlohmann::ordered_json entry{{"size", file->size}, {"blob_id", file->git_blob_id}};
            if (file->lfs_sha256) {
                entry["lfs_sha256"] = *file->lfs_sha256;
                entry["lfs_size"] = file->size;
            }
            listed[file->path] = std::move(entry);
        }
        const nlohmann::ordered_json document{{"format_version", 1}, {"files", std::move(listed)}};
        return document.dump(1);
    }

    // The regular files' sha256 is not in the listing: they are downloaded now (small config and
    // tokenizer files, in one parallel batch), checked against their git blob id, and kept in
    // the store so that fetching them again costs nothing.
    Status store_regular_files()
    {
        std::vector<net::DownloadRequest> requests;
        for (const auto& pending : m_pending) {
            const auto& artifact = m_out.artifacts[pending.artifact];
            net::DownloadRequest request;
            request.url = artifact.url;
            request.destination = m_context.store.temp_path(pending.etag);
            request.expected_size = artifact.size;
            request.credentials = bearer(m_token);
            request.label = artifact.origin + ": " + pending.path;
            requests.push_back(std::move(request));
        }
        if (requests.empty()) return {};
        auto outcome = detail::download_while_resolving(requests, m_context);
        for (std::size_t i = 0; i < outcome.size(); ++i) {
            const auto& pending = m_pending[i];
            if (!outcome[i]) return std::unexpected(outcome[i].error().context(pending.where));
            auto blob_id = crypto::git_blob_sha1_file(m_context.store.blob_path(outcome[i]->sha256));
            if (!blob_id) return std::unexpected(blob_id.error());
            if (*blob_id != pending.etag)
                return fail(ErrorCode::download, pending.where + ": " + pending.path + ": git blob id mismatch: the Hub says " +
                                                     pending.etag + ", the bytes have " + *blob_id);
            m_out.artifacts[pending.artifact].sha256 = outcome[i]->sha256;
        }
        return {};
    }

    ResolveContext& m_context;
    std::string m_endpoint;
    std::optional<hf::HfToken> m_token;
    KindResolution m_out;
    std::vector<PendingBlob> m_pending;
    struct TreeListing {
        std::string origin;
        std::vector<hf::RepoFile> files;
    };
    std::map<std::string, TreeListing> m_trees;  // by bundle path
};

class HuggingFaceKind final : public SourceKind {
public:
    [[nodiscard]] std::string_view name() const override { return k_kind; }

    Result<KindResolution> resolve(ResolveContext& context) override
    {
        if (!context.manifest.huggingface) return KindResolution{};
        HfResolver resolver(context);
        return resolver.run();
    }
};

}  // namespace

std::unique_ptr<SourceKind> make_huggingface_kind()
{
    return std::make_unique<HuggingFaceKind>();
}

std::string hf_endpoint_for(const manifest::Manifest& manifest)
{
    const std::string configured = manifest.huggingface ? manifest.huggingface->endpoint : "https://huggingface.co";
    return hf::hf_endpoint(hf::process_environment(), configured);
}

Result<net::Credentials> hf_credentials_for(const manifest::Manifest& manifest, std::string_view url)
{
    if (text::url_origin(url) != text::url_origin(hf_endpoint_for(manifest))) return net::Credentials{};
    auto token = hf::find_hf_token(hf::process_environment());
    if (!token) return std::unexpected(token.error());
    return bearer(*token);
}

}  // namespace gapbundle::sources
