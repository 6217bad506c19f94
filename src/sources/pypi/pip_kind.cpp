#include <gapbundle/sources/pip.hpp>

#include "../inline_artifact.hpp"
#include "../store_download.hpp"
#include "index_candidates.hpp"
#include "pip_request.hpp"
#include "sdist_metadata.hpp"
#include "simple_tree.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/pypi/target_environment.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace gapbundle::sources {

namespace {

using manifest::LockedArtifact;

constexpr std::string_view k_origin = "pip";

Result<std::string> read_env(const manifest::Manifest& manifest, const manifest::PipSpec& spec,
                             const std::string& variable, const char* key)
{
    const char* value = std::getenv(variable.c_str());
    if (!value || !*value)
        return fail(ErrorCode::usage, manifest.location(spec.mark) + ": pip: " + key + " names " + variable +
                                          ", which is not set in the environment");
    return std::string(value);
}

Result<net::Credentials> index_credentials(const manifest::Manifest& manifest, const manifest::PipSpec& spec)
{
    if (!spec.username_env) return net::Credentials{};
    auto user = read_env(manifest, spec, *spec.username_env, "username_env");
    if (!user) return std::unexpected(user.error());
    auto password = read_env(manifest, spec, *spec.password_env, "password_env");
    if (!password) return std::unexpected(password.error());
    return net::Credentials{net::Credentials::Kind::basic, std::move(*user), std::move(*password)};
}

// A file name from an index page becomes a bundle path: one plain component, nothing else.
Status check_filename(const std::string& filename)
{
    if (filename.find('/') != std::string::npos || filename.find('\\') != std::string::npos)
        return fail(ErrorCode::download, "the index names a file '" + filename + "', which is not a plain file name");
    return fs::check_relative_path(filename);
}

LockedArtifact generated(std::string bundle_path, std::string content)
{
    return detail::inline_artifact(std::string(k_origin), std::move(bundle_path), std::move(content), std::string(k_origin));
}

struct StoredFile {
    std::string sha256;
    std::uint64_t size = 0;
};

class PipResolver {
public:
    PipResolver(ResolveContext& context, const manifest::PipSpec& spec) : m_context(context), m_spec(spec) {}

    Result<KindResolution> run()
    {
        const auto& manifest = m_context.manifest;
        const std::string where = manifest.location(m_spec.mark) + ": pip";
        auto request = pypi::gather_request(manifest, m_spec);
        if (!request) return std::unexpected(request.error());
        const pypi::Target target{m_spec.target.python, m_spec.target.implementation, m_spec.target.platforms};
        auto environment = pypi::marker_environment(target);
        if (!environment)
            return std::unexpected(environment.error().context(manifest.location(m_spec.target.mark) + ": pip: target"));
        auto python = pypi::Version::parse(environment->python_full_version);
        if (!python) return std::unexpected(python.error().context(where + ": target python"));
        auto credentials = index_credentials(manifest, m_spec);
        if (!credentials) return std::unexpected(credentials.error());
        m_credentials = *credentials;

        std::vector<pypi::IndexClient*> clients;
        for (const auto& url : request->indexes) {
            m_clients.push_back(std::make_unique<pypi::IndexClient>(url, *credentials, m_context.http.options()));
            clients.push_back(m_clients.back().get());
        }
        pypi::CandidatePolicy policy{target, *python, {}, m_spec.only_binary, request->pinned_hashes};
        for (const auto& line : m_spec.allow_sdist) policy.allow_sdist.insert(pypi::canonical_name(line.text));
        pypi::IndexCandidates provider(std::move(clients), std::move(policy));
        provider.set_sdist_reader([this](const pypi::ChosenFile& file) { return sdist_metadata(file); });

        const pypi::ResolveOptions options{*environment, request->allow_prereleases, request->constraints, 200000};
        auto resolution = pypi::resolve(request->roots, provider, options);
        if (!resolution) return std::unexpected(resolution.error().context(where));

        std::vector<const pypi::ChosenFile*> chosen;
        for (const auto& package : resolution->packages) chosen.push_back(&provider.chosen(package.file_id));
        if (auto st = store_unknown(chosen); !st) return std::unexpected(st.error().context(where));
        return finish(*resolution, chosen, *request);
    }

private:
    // Downloads, in one parallel batch, the chosen files whose index gave no sha256 or no size:
    // the lock needs both. The index's sha256, when there is one, is checked on the way.
    Status store_unknown(const std::vector<const pypi::ChosenFile*>& chosen)
    {
        std::vector<net::DownloadRequest> requests;
        std::vector<std::string> urls;
        for (const auto* file : chosen) {
            const auto& index_file = file->file;
            if (auto st = check_filename(index_file.filename); !st) return st;
            if (m_stored.contains(index_file.url)) continue;
            if (!index_file.sha256.empty() && m_context.store.contains(index_file.sha256)) {
                std::error_code ec;
                const auto size = std::filesystem::file_size(m_context.store.blob_path(index_file.sha256), ec);
                if (!ec) {
                    m_stored[index_file.url] = {index_file.sha256, size};
                    continue;
                }
            }
            if (!index_file.sha256.empty() && index_file.size) continue;
            requests.push_back(download_request(index_file));
            urls.push_back(index_file.url);
        }
        return download(requests, urls);
    }

    net::DownloadRequest download_request(const pypi::IndexFile& file) const
    {
        net::DownloadRequest request;
        request.url = file.url;
        request.destination = m_context.store.temp_path(file.filename);
        if (!file.sha256.empty()) request.expected_sha256 = file.sha256;
        request.expected_size = file.size;
        if (std::ranges::any_of(m_clients, [&](const auto& client) {
                return text::url_origin(file.url) == text::url_origin(client->index_url());
            }))
            request.credentials = m_credentials;
        request.label = "pip: " + file.filename;
        return request;
    }

    Status download(const std::vector<net::DownloadRequest>& requests, const std::vector<std::string>& urls)
    {
        if (requests.empty()) return {};
        auto outcome = detail::download_while_resolving(requests, m_context);
        for (std::size_t i = 0; i < outcome.size(); ++i) {
            if (!outcome[i]) return std::unexpected(outcome[i].error());
            m_stored[urls[i]] = {outcome[i]->sha256, outcome[i]->bytes};
        }
        return {};
    }

    Result<pypi::CoreMetadata> sdist_metadata(const pypi::ChosenFile& file)
    {
        if (auto st = check_filename(file.file.filename); !st) return std::unexpected(st.error());
        if (!m_stored.contains(file.file.url)) {
            const std::vector<net::DownloadRequest> one{download_request(file.file)};
            if (auto st = download(one, {file.file.url}); !st) return std::unexpected(st.error());
        }
        return pypi::read_sdist_metadata(m_context.store.blob_path(m_stored.at(file.file.url).sha256), file.file.filename);
    }

    Result<KindResolution> finish(const pypi::Resolution& resolution, const std::vector<const pypi::ChosenFile*>& chosen,
                                  const pypi::PipRequest& request);

    ResolveContext& m_context;
    const manifest::PipSpec& m_spec;
    net::Credentials m_credentials;
    std::vector<std::unique_ptr<pypi::IndexClient>> m_clients;
    std::map<std::string, StoredFile> m_stored;  // by URL: what a download or the store showed
};

Result<KindResolution> PipResolver::finish(const pypi::Resolution& resolution,
                                          const std::vector<const pypi::ChosenFile*>& chosen,
                                          const pypi::PipRequest& request)
{
    KindResolution out;
    std::vector<pypi::CarriedFile> carried;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const auto& package = resolution.packages[i];
        const auto& file = chosen[i]->file;
        StoredFile known{file.sha256, file.size.value_or(0)};
        if (auto it = m_stored.find(file.url); it != m_stored.end()) known = it->second;
        if (auto pins = request.pinned_hashes.find(package.name);
            pins != request.pinned_hashes.end() && !pins->second.contains("sha256:" + known.sha256))
            return fail(ErrorCode::download, "pip: " + file.filename + " has sha256 " + known.sha256 +
                                                 ", which no --hash for '" + package.name + "' allows");
        LockedArtifact artifact;
        artifact.kind = std::string(k_origin);
        artifact.bundle_path = "pypi/files/" + file.filename;
        artifact.url = file.url;  // never with credentials: the manifest refuses them in index URLs
        artifact.size = known.size;
        artifact.sha256 = known.sha256;
        artifact.mode = 0644;
        artifact.origin = std::string(k_origin);
        out.artifacts.push_back(std::move(artifact));
        carried.push_back({package.name, package.version.to_string(), file.filename, known.sha256, file.requires_python});

        manifest::Component component{"pip", package.name, package.version.to_string(), {"pypi/files/" + file.filename},
                                      {}, {}, {}};
        for (const auto& edge : resolution.edges) {
            if (edge.parent.empty() && edge.child == package.name) component.requested.push_back(edge.requirement);
            if (edge.parent == package.name) component.dependencies.push_back({edge.child, edge.requirement});
        }
        manifest::normalise(component);
        out.components.push_back(std::move(component));
    }

    for (auto& document : pypi::simple_tree(carried))
        out.artifacts.push_back(generated(std::move(document.bundle_path), std::move(document.content)));
    std::string platforms;
    for (const auto& platform : m_spec.target.platforms) platforms += (platforms.empty() ? "" : ", ") + platform;
    const std::string header = "# Every package gapbundle resolved for CPython " + m_spec.target.python + " on " +
                               platforms + ", pinned with its hash. Install it with:\n"
                               "#   pip install --require-hashes --no-index --find-links pypi/files -r pypi/requirements.lock\n";
    out.artifacts.push_back(generated("pypi/requirements.lock", pypi::requirements_lock(carried, header)));
    std::ranges::sort(out.artifacts, {}, &LockedArtifact::bundle_path);
    return out;
}

class PipKind final : public SourceKind {
public:
    [[nodiscard]] std::string_view name() const override { return k_origin; }

    Result<KindResolution> resolve(ResolveContext& context) override
    {
        if (!context.manifest.pip) return KindResolution{};
        PipResolver resolver(context, *context.manifest.pip);
        return resolver.run();
    }
};

}  // namespace

std::unique_ptr<SourceKind> make_pip_kind()
{
    return std::make_unique<PipKind>();
}

Result<net::Credentials> pip_credentials_for(const manifest::Manifest& manifest, std::string_view url)
{
    if (!manifest.pip || !manifest.pip->username_env) return net::Credentials{};
    const auto& spec = *manifest.pip;
    const std::string origin = text::url_origin(url);
    bool ours = text::url_origin(spec.index) == origin;
    for (const auto& extra : spec.extra_indexes) ours = ours || text::url_origin(extra) == origin;
    if (!ours) return net::Credentials{};
    return index_credentials(manifest, spec);
}

}  // namespace gapbundle::sources
