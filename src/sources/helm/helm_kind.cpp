#include <gapbundle/sources/helm.hpp>

#include "../inline_artifact.hpp"
#include "../oci/registry_clients.hpp"
#include "../store_download.hpp"

#include <gapbundle/net/http_request.hpp>
#include <gapbundle/sources/helm/chart.hpp>
#include <gapbundle/sources/helm/chart_images.hpp>
#include <gapbundle/sources/helm/chart_index.hpp>
#include <gapbundle/sources/helm/local_index.hpp>
#include <gapbundle/sources/helm/media_types.hpp>
#include <gapbundle/sources/helm/semver.hpp>
#include <gapbundle/sources/oci/reference.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>

namespace gapbundle::sources {

namespace {

using manifest::HelmChartSpec;
using manifest::LockedArtifact;

constexpr std::string_view k_kind = "helm";
constexpr std::uint64_t k_max_index_bytes = 64ull << 20;
constexpr std::uint64_t k_max_prov_bytes = 1u << 20;
constexpr int k_max_dependency_depth = 16;

// A chart to carry: one the manifest lists, or a dependency of one.
struct WantedChart {
    std::string repo;        // a classic repository's URL, or empty
    std::string oci;         // "REGISTRY/PATH/NAME" (no scheme) for an OCI chart, or empty
    std::string name;
    std::string constraint;  // empty: the newest release
    bool devel = false;
    HelmChartSpec::Images images = HelmChartSpec::Images::automatic;
    std::vector<std::string> listed_images;
    std::string where;      // for errors: "m.yaml:4:5: helm[0]", "... redis 18.6.4: dependency common"
    std::string origin;     // "helm[0]"
    std::string requested;  // what asked for it, in its component
    int depth = 0;
};

// A chart chosen and downloaded: its archive is in the store.
struct ChosenChart {
    std::string name;
    std::string version;
    std::string url;     // http(s):// or oci://REGISTRY/REPOSITORY/blobs/sha256:HEX
    std::string sha256;
    std::uint64_t size = 0;
    std::optional<LockedArtifact> prov;
    std::string oci_ref;  // "REGISTRY/REPOSITORY:TAG" for an OCI chart
};

// A chart name or version the bundle can use in a file name: what helm's own names are made of.
bool is_plain_name(std::string_view text)
{
    return !text.empty() && text.front() != '.' && text.size() <= 200 &&
           std::ranges::all_of(text, [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '-' || c == '_' || c == '+';
           });
}

std::string chart_file(const std::string& name, const std::string& version)
{
    return name + "-" + version + ".tgz";
}

class HelmResolver {
public:
    explicit HelmResolver(ResolveContext& context) : m_context(context), m_clients(context.manifest, context.http.options()) {}

    Result<KindResolution> run()
    {
        const auto& specs = m_context.manifest.helm;
        for (std::size_t i = 0; i < specs.size(); ++i) m_queue.push_back(from_manifest(specs[i], i));
        while (!m_queue.empty()) {
            WantedChart wanted = std::move(m_queue.front());
            m_queue.pop_front();
            if (auto st = carry(wanted); !st) return std::unexpected(st.error());
        }
        return finish();
    }

private:
    WantedChart from_manifest(const HelmChartSpec& spec, std::size_t index) const
    {
        WantedChart wanted;
        wanted.repo = spec.repo;
        if (!spec.oci.empty()) wanted.oci = spec.oci.substr(6);
        wanted.name = spec.chart;
        wanted.constraint = spec.version;
        wanted.devel = spec.devel;
        wanted.images = spec.images;
        for (const auto& line : spec.listed_images) wanted.listed_images.push_back(line.text);
        wanted.origin = "helm[" + std::to_string(index) + "]";
        wanted.where = m_context.manifest.location(spec.mark) + ": " + wanted.origin;
        wanted.requested = (spec.oci.empty() ? spec.repo + " " + spec.chart : spec.oci) +
                           (spec.version.empty() ? "" : " " + spec.version);
        return wanted;
    }

    Status carry(const WantedChart& wanted)
    {
        if (auto constraint = helm::SemVerConstraint::parse(wanted.constraint.empty() ? "*" : wanted.constraint);
            !constraint)
            return std::unexpected(constraint.error().context(wanted.where + ": 'version'"));
        auto chosen = wanted.oci.empty() ? choose_classic(wanted) : choose_oci(wanted);
        if (!chosen) return std::unexpected(chosen.error().context(wanted.where));
        if (!is_plain_name(chosen->name) || !is_plain_name(chosen->version))
            return fail(ErrorCode::download, wanted.where + ": the repository names chart '" + chosen->name +
                                                 "' version '" + chosen->version + "', which cannot be a file name");
        const std::string file = chart_file(chosen->name, chosen->version);
        if (auto known = m_carried.find(file); known != m_carried.end()) {
            if (known->second.sha256 != chosen->sha256)
                return fail(ErrorCode::manifest, wanted.where + ": " + file + " from " + text::redact_url(chosen->url) +
                                                     " differs from the one " + known->second.origin +
                                                     " carries; list one of them");
            known->second.component.requested.push_back(wanted.requested);
            manifest::normalise(known->second.component);
            return {};
        }

        auto chart = helm::read_chart_file(m_context.store.blob_path(chosen->sha256));
        if (!chart) return std::unexpected(chart.error().context(wanted.where + ": " + file));
        const auto& metadata = chart->metadata;
        if (metadata.name != chosen->name || metadata.version != chosen->version)
            return fail(ErrorCode::download, wanted.where + ": " + text::redact_url(chosen->url) + " holds chart " +
                                                 metadata.name + " " + metadata.version + ", not " + chosen->name + " " +
                                                 chosen->version);
        const std::string asked_by = wanted.origin + " " + chosen->name + " " + chosen->version;

        Carried carried;
        carried.origin = wanted.origin;
        carried.sha256 = chosen->sha256;
        carried.local = {metadata.api_version, metadata.name, metadata.version, metadata.app_version, file,
                         chosen->sha256};
        carried.component = {std::string(k_kind), metadata.name, metadata.version, {"helm/" + file}, {wanted.requested}, {}, {}};
        add_artifact("helm/" + file, chosen->url, chosen->size, chosen->sha256, wanted.origin);
        if (chosen->prov) {
            carried.component.paths.push_back(chosen->prov->bundle_path);
            m_artifacts.push_back(std::move(*chosen->prov));
        }
        if (!chosen->oci_ref.empty()) m_context.image_requests.push_back({chosen->oci_ref, asked_by, true});
        if (auto st = add_images(wanted, *chart, asked_by); !st) return st;
        if (auto st = queue_dependencies(wanted, *chart, carried.component); !st) return st;
        manifest::normalise(carried.component);
        m_carried.emplace(file, std::move(carried));
        return {};
    }

    // --- classic repositories ---

    Result<const helm::ChartIndex*> index_of(const std::string& repo)
    {
        if (auto it = m_indexes.find(repo); it != m_indexes.end()) return &it->second;
        const std::string url = repo + "/index.yaml";
        auto text = m_context.http.get_text(url, {}, k_max_index_bytes);
        if (!text) return std::unexpected(text.error());
        if (m_context.stats) {
            ++m_context.stats->downloaded;
            m_context.stats->bytes_downloaded += text->size();
        }
        auto index = helm::parse_chart_index(*text, text::redact_url(url));
        if (!index) return std::unexpected(index.error());
        return &m_indexes.emplace(repo, std::move(*index)).first->second;
    }

    Result<ChosenChart> choose_classic(const WantedChart& wanted)
    {
        auto index = index_of(wanted.repo);
        if (!index) return std::unexpected(index.error());
        auto selected = helm::select_chart(**index, wanted.name, wanted.constraint, wanted.devel);
        if (!selected) return std::unexpected(selected.error().context(text::redact_url(wanted.repo)));
        const helm::ChartVersion& entry = **selected;
        ChosenChart chosen{entry.name, entry.version, helm::resolve_chart_url(wanted.repo, entry.urls.front()), {}, 0, {}, {}};
        if (!manifest::is_remote_url(chosen.url))
            return fail(ErrorCode::download, text::redact_url(wanted.repo) + "/index.yaml: chart " + entry.name + " " +
                                                 entry.version + " is at '" + chosen.url + "', not an http(s) URL");
        if (!entry.digest.empty() && m_context.store.contains(entry.digest)) {
            chosen.sha256 = entry.digest;
        } else {
            net::DownloadRequest request;
            request.url = chosen.url;
            request.destination = m_context.store.temp_path(chart_file(entry.name, entry.version));
            if (!entry.digest.empty()) request.expected_sha256 = entry.digest;  // helm does not check it; we do
            request.label = wanted.origin + " " + chart_file(entry.name, entry.version);
            auto outcome = detail::download_while_resolving(std::span(&request, 1), m_context);
            if (!outcome.front()) return std::unexpected(outcome.front().error());
            chosen.sha256 = outcome.front()->sha256;
            chosen.size = outcome.front()->bytes;
        }
        if (chosen.size == 0) {  // cached: the store knows its size
            std::error_code ec;
            chosen.size = std::filesystem::file_size(m_context.store.blob_path(chosen.sha256), ec);
            if (ec) return fail(ErrorCode::io, "cannot read the size of " + m_context.store.blob_path(chosen.sha256).string());
        }
        auto prov = provenance(chosen.url, chart_file(entry.name, entry.version) + ".prov", wanted.origin);
        if (!prov) return std::unexpected(prov.error());
        chosen.prov = std::move(*prov);
        return chosen;
    }

    // The chart's .prov beside it, when the repository has one (helm package --sign).
    Result<std::optional<LockedArtifact>> provenance(const std::string& chart_url, const std::string& file,
                                                     const std::string& origin)
    {
        net::HttpRequest request;
        const auto query = chart_url.find('?');
        request.url = query == std::string::npos ? chart_url + ".prov"
                                                 : chart_url.substr(0, query) + ".prov" + chart_url.substr(query);
        request.max_body = k_max_prov_bytes;
        auto response = net::send(request, m_context.http.options());
        if (!response) return std::unexpected(response.error());
        if (response->status == 404 || response->status == 403) return std::optional<LockedArtifact>{};
        if (response->status != 200)
            return fail(ErrorCode::network, text::redact_url(request.url) + ": HTTP " + std::to_string(response->status));
        auto sha256 = m_context.store.put(response->body);
        if (!sha256) return std::unexpected(sha256.error());
        return std::optional(helm_artifact("helm/" + file, request.url, response->body.size(), *sha256, origin));
    }

    // --- OCI registries ---

    Result<ChosenChart> choose_oci(const WantedChart& wanted)
    {
        auto reference = oci::parse_reference(wanted.oci);
        if (!reference) return std::unexpected(reference.error());
        auto client = m_clients.get(reference->registry);
        if (!client) return std::unexpected(client.error());
        auto version = oci_version(**client, *reference, wanted);
        if (!version) return std::unexpected(version.error());
        std::string tag = *version;
        std::ranges::replace(tag, '+', '_');  // OCI tags cannot hold '+'
        const std::string name = reference->name() + ":" + tag;

        auto digest = (*client)->resolve_digest(reference->repository, tag);
        if (!digest) return std::unexpected(digest.error());
        auto received = (*client)->get_manifest(reference->repository, *digest);
        if (!received) return std::unexpected(received.error());
        const auto json = nlohmann::json::parse(received->bytes, nullptr, false);
        const auto media_type_of = [](const nlohmann::json& descriptor) {
            return descriptor.is_object() && descriptor.contains("mediaType") && descriptor["mediaType"].is_string()
                       ? descriptor["mediaType"].get<std::string>()
                       : std::string();
        };
        if (!json.is_object() || !json.contains("config") || media_type_of(json["config"]) != helm::k_config_media_type)
            return fail(ErrorCode::download, name + ": not a Helm chart (its config is not " +
                                                 std::string(helm::k_config_media_type) + ")");
        const nlohmann::json* chart_layer = nullptr;
        const nlohmann::json* prov_layer = nullptr;
        if (json.contains("layers") && json["layers"].is_array()) {
            for (const auto& layer : json["layers"]) {
                if (media_type_of(layer) == helm::k_chart_media_type && !chart_layer) chart_layer = &layer;
                if (media_type_of(layer) == helm::k_prov_media_type && !prov_layer) prov_layer = &layer;
            }
        }
        if (!chart_layer) return fail(ErrorCode::download, name + ": the manifest has no " + std::string(helm::k_chart_media_type) + " layer");

        ChosenChart chosen{wanted.name, *version, {}, {}, 0, {}, name};
        auto layer = layer_artifact(**client, *reference, *chart_layer, chart_file(wanted.name, *version), wanted.origin, name);
        if (!layer) return std::unexpected(layer.error());
        chosen.url = layer->url;
        chosen.sha256 = layer->sha256;
        chosen.size = layer->size;
        if (prov_layer) {
            auto prov = layer_artifact(**client, *reference, *prov_layer, chart_file(wanted.name, *version) + ".prov",
                                       wanted.origin, name);
            if (!prov) return std::unexpected(prov.error());
            chosen.prov = std::move(*prov);
        }
        return chosen;
    }

    // The version to pull: the constraint itself when it is an exact version, else the newest
    // tag that reads as a SemVer version (with '_' for '+') and fits, as helm's OCI client does.
    static Result<std::string> oci_version(oci::RegistryClient& client, const oci::Reference& reference,
                                           const WantedChart& wanted)
    {
        if (auto exact = helm::SemVer::parse_strict(wanted.constraint); exact && !wanted.constraint.empty())
            return wanted.constraint;
        auto tags = client.list_tags(reference.repository);
        if (!tags) return std::unexpected(tags.error());
        auto constraint = helm::SemVerConstraint::parse(wanted.constraint.empty() ? "*" : wanted.constraint);
        if (!constraint) return std::unexpected(constraint.error());
        std::vector<helm::SemVer> versions;
        for (std::string tag : *tags) {
            std::ranges::replace(tag, '_', '+');
            if (auto version = helm::SemVer::parse_strict(tag)) versions.push_back(std::move(*version));
        }
        std::ranges::sort(versions, std::greater<>());
        for (const auto& version : versions)
            if (constraint->matches(version, wanted.devel)) return version.text();
        std::string listed;
        for (std::size_t i = 0; i < versions.size() && i < 10; ++i) listed += (i ? ", " : "") + versions[i].text();
        if (versions.size() > 10) listed += ", ...";
        return fail(ErrorCode::download, reference.name() + " has no version fitting '" + constraint->text() + "'" +
                                             (wanted.devel ? " (pre-releases included)" : "") +
                                             (versions.empty() ? " (no tag is a version)" : " (versions: " + listed + ")"));
    }

    // A layer blob downloaded into the store now (the chart must be read to find its images and
    // dependencies), as the artifact helm/FILE.
    Result<LockedArtifact> layer_artifact(oci::RegistryClient& client, const oci::Reference& reference,
                                          const nlohmann::json& layer, const std::string& file, const std::string& origin,
                                          const std::string& name)
    {
        if (!layer.contains("digest") || !layer["digest"].is_string() || !layer.contains("size") ||
            !layer["size"].is_number_unsigned())
            return fail(ErrorCode::download, name + ": a layer without a digest or size");
        const std::string digest = layer["digest"].get<std::string>();
        if (!digest.starts_with("sha256:")) return fail(ErrorCode::download, name + ": layer digest '" + digest + "' is not sha256");
        LockedArtifact artifact =
            helm_artifact("helm/" + file, manifest::to_oci_url({reference.registry, reference.repository, false, digest}),
                          layer["size"].get<std::uint64_t>(), digest.substr(7), origin);
        if (m_context.store.contains(artifact.sha256)) return artifact;
        auto request = client.blob_request(reference.repository, digest, m_context.store.temp_path(file));
        if (!request) return std::unexpected(request.error());
        request->expected_size = artifact.size;
        auto outcome = detail::download_while_resolving(std::span(&*request, 1), m_context);
        if (!outcome.front()) return std::unexpected(outcome.front().error());
        return artifact;
    }

    // --- what a chart brings along ---

    Status add_images(const WantedChart& wanted, const helm::Chart& chart, const std::string& asked_by)
    {
        if (wanted.images == HelmChartSpec::Images::none) return {};
        if (wanted.images == HelmChartSpec::Images::listed) {
            for (const auto& ref : wanted.listed_images) {
                if (auto parsed = oci::parse_reference(ref); !parsed)
                    return std::unexpected(parsed.error().context(wanted.where + ": images"));
                m_context.image_requests.push_back({ref, asked_by, false});
            }
            return {};
        }
        const auto search = helm::find_chart_images(chart);
        for (const auto& image : search.images)
            m_context.image_requests.push_back({image.ref, asked_by + " (" + image.where + ")", false});
        for (const auto& note : search.notes) spdlog::info("{}: {}", asked_by, note);
        return {};
    }

    Status queue_dependencies(const WantedChart& wanted, const helm::Chart& chart, manifest::Component& component)
    {
        for (const auto& dependency : chart.metadata.dependencies) {
            component.dependencies.push_back({dependency.name, dependency.version});
            const bool vendored = std::ranges::any_of(chart.subcharts, [&](const helm::Chart& sub) {
                return sub.metadata.name == dependency.name;
            });
            if (vendored) continue;
            const std::string where = wanted.where + " " + chart.metadata.name + " " + chart.metadata.version +
                                      ": dependency '" + dependency.name + "'";
            const std::string& repository = dependency.repository;
            if (wanted.depth + 1 > k_max_dependency_depth)
                return fail(ErrorCode::manifest, where + ": dependencies nested deeper than " +
                                                     std::to_string(k_max_dependency_depth));
            WantedChart next;
            next.name = dependency.name;
            next.constraint = dependency.version;
            next.devel = wanted.devel;
            next.images = wanted.images == HelmChartSpec::Images::none ? HelmChartSpec::Images::none
                                                                       : HelmChartSpec::Images::automatic;
            next.where = where;
            next.origin = wanted.origin;
            next.requested = "dependency of " + chart.metadata.name + " " + chart.metadata.version;
            next.depth = wanted.depth + 1;
            if (repository.starts_with("oci://")) {
                std::string base = repository.substr(6);
                while (base.ends_with('/')) base.pop_back();
                next.oci = base + "/" + dependency.name;
            } else if (repository.starts_with("https://") || repository.starts_with("http://")) {
                next.repo = repository;
                while (next.repo.ends_with('/')) next.repo.pop_back();
            } else if (repository.starts_with('@') || repository.starts_with("alias:")) {
                return fail(ErrorCode::manifest, where + ": repository '" + repository +
                                                     "' is a name in someone's helm repo list; gapbundle needs its URL "
                                                     "(vendor the chart with helm dependency build, or fix Chart.yaml)");
            } else {
                return fail(ErrorCode::manifest, where + ": not vendored under charts/ and its repository '" + repository +
                                                     "' is not an http(s):// or oci:// URL gapbundle can fetch from");
            }
            const std::string key = (next.oci.empty() ? next.repo + " " + next.name : next.oci) + " " + next.constraint;
            if (!m_queued.insert(key).second) continue;
            m_queue.push_back(std::move(next));
        }
        return {};
    }

    static LockedArtifact helm_artifact(std::string bundle_path, std::string url, std::uint64_t size,
                                        std::string sha256, const std::string& origin)
    {
        LockedArtifact artifact;
        artifact.kind = std::string(k_kind);
        artifact.bundle_path = std::move(bundle_path);
        artifact.url = std::move(url);
        artifact.size = size;
        artifact.sha256 = std::move(sha256);
        artifact.origin = origin;
        return artifact;
    }

    void add_artifact(std::string bundle_path, std::string url, std::uint64_t size, std::string sha256,
                      const std::string& origin)
    {
        m_artifacts.push_back(helm_artifact(std::move(bundle_path), std::move(url), size, std::move(sha256), origin));
    }

    KindResolution finish()
    {
        KindResolution out;
        std::vector<helm::LocalChart> charts;
        for (auto& [file, carried] : m_carried) {
            charts.push_back(carried.local);
            out.components.push_back(std::move(carried.component));
        }
        out.artifacts = std::move(m_artifacts);
        if (!charts.empty())
            out.artifacts.push_back(detail::inline_artifact(std::string(k_kind), "helm/index.yaml",
                                                            helm::local_index_yaml(std::move(charts)), std::string(k_kind)));
        std::ranges::sort(out.artifacts, {}, &LockedArtifact::bundle_path);
        return out;
    }

    struct Carried {
        std::string origin;
        std::string sha256;
        helm::LocalChart local;
        manifest::Component component;
    };

    ResolveContext& m_context;
    oci::detail::RegistryClients m_clients;
    std::deque<WantedChart> m_queue;
    std::set<std::string> m_queued;                 // dependencies already queued: source, name, constraint
    std::map<std::string, helm::ChartIndex> m_indexes;  // by repository URL
    std::map<std::string, Carried> m_carried;       // by file name in helm/
    std::vector<LockedArtifact> m_artifacts;
};

class HelmKind final : public SourceKind {
public:
    [[nodiscard]] std::string_view name() const override { return k_kind; }

    Result<KindResolution> resolve(ResolveContext& context) override
    {
        if (context.manifest.helm.empty()) return KindResolution{};
        HelmResolver resolver(context);
        return resolver.run();
    }
};

}  // namespace

std::unique_ptr<SourceKind> make_helm_kind()
{
    return std::make_unique<HelmKind>();
}

}  // namespace gapbundle::sources
