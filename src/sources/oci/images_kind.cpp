#include <gapbundle/sources/images.hpp>

#include "layout_files.hpp"
#include "registry_clients.hpp"

#include <gapbundle/sources/oci/manifest_references.hpp>
#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/sources/oci/platform.hpp>
#include <gapbundle/sources/oci/reference.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace gapbundle::sources {

namespace {

using manifest::LockedArtifact;
namespace media_types = oci::media_types;

constexpr int k_max_index_depth = 4;

// Resolves every `images:` entry into the artifacts of one OCI layout.
class ImagesResolver {
public:
    explicit ImagesResolver(ResolveContext& context)
        : m_context(context), m_clients(context.manifest, context.http.options())
    {
    }

    Status resolve_image(std::size_t position)
    {
        const auto& spec = m_context.manifest.images[position];
        const std::string where = m_context.manifest.location(spec.mark) + ": images[" + std::to_string(position) + "]";
        auto reference = oci::parse_reference(spec.ref);
        if (!reference) return std::unexpected(reference.error().context(where));
        auto selection = oci::parse_platform_list(spec.platforms);
        if (!selection) return std::unexpected(selection.error().context(where));
        m_seen.emplace(reference->to_string(), m_components.size());
        return resolve_one(*reference, *selection, where, "images[" + std::to_string(position) + "]", spec.ref, false);
    }

    // An image another kind asked for: one already carried only learns who else asked for it.
    Status resolve_request(const ImageRequest& request)
    {
        auto reference = oci::parse_reference(request.ref);
        if (!reference) return std::unexpected(reference.error().context(request.asked_by));
        if (auto seen = m_seen.find(reference->to_string()); seen != m_seen.end()) {
            if (seen->second < m_components.size()) {
                m_components[seen->second].requested.push_back(request.asked_by);
                manifest::normalise(m_components[seen->second]);
            }
            return {};
        }
        m_seen.emplace(reference->to_string(), request.helm_chart ? SIZE_MAX : m_components.size());
        auto selection = oci::parse_platform_list({});
        if (!selection) return std::unexpected(selection.error());
        return resolve_one(*reference, *selection, request.asked_by, request.asked_by, request.asked_by, request.helm_chart);
    }

    // `requested` names who asked; a Helm chart gets no image component (the helm kind has it).
    Status resolve_one(const oci::Reference& reference, const oci::PlatformSelection& selection, const std::string& where,
                       const std::string& origin, const std::string& requested, bool helm_chart)
    {
        auto client = m_clients.get(reference.registry);
        if (!client) return std::unexpected(client.error());

        m_origin = origin;
        m_image_paths.clear();
        m_registry = reference.registry;
        m_repository = reference.repository;
        m_client = *client;
        const std::string name = reference.to_string();

        std::string digest;
        if (reference.digest) {
            digest = *reference.digest;
        } else {
            auto resolved = m_client->resolve_digest(m_repository, *reference.tag);
            if (!resolved) return std::unexpected(resolved.error());
            digest = std::move(*resolved);
        }
        auto top_bytes = manifest_bytes(digest, name);
        if (!top_bytes) return std::unexpected(top_bytes.error());
        const std::string media_type = oci::manifest_media_type(*top_bytes);

        oci::IndexEntry top;
        std::vector<std::string> platforms;  // of an index's images; a lone manifest's is in its config
        if (media_types::is_index(media_type) && selection.scope == oci::PlatformScope::listed) {
            auto chosen = oci::select_platforms(*top_bytes, selection.platforms, name);
            if (!chosen) return std::unexpected(chosen.error());
            platforms = platforms_of(*chosen);
            for (const auto& entry : *chosen)
                if (auto st = walk(entry.digest, entry.media_type, name, 1); !st) return st;
            if (chosen->size() == 1) {
                top = chosen->front();
            } else {
                const std::string index = oci::make_index(*chosen, media_type);
                top.media_type = media_type;
                top.digest = add_generated_blob(index);
                top.size = index.size();
            }
        } else {
            if (!media_types::is_index(media_type) && !media_types::is_image_manifest(media_type))
                return fail(ErrorCode::download, name + ": not a container image (media type '" + media_type + "')");
            if (auto st = walk(digest, media_type, name, 0); !st) return st;
            if (media_types::is_index(media_type)) {
                if (auto entries = oci::parse_index(*top_bytes)) platforms = platforms_of(*entries);
            }
            top.media_type = media_type;
            top.digest = digest;
            top.size = top_bytes->size();
        }

        const std::string ref_name =
            reference.tag ? reference.name() + ":" + *reference.tag : reference.name() + "@" + top.digest;
        if (auto it = m_ref_names.find(ref_name); it != m_ref_names.end())
            return fail(ErrorCode::manifest, where + ": '" + ref_name + "' is also listed as " + it->second);
        m_ref_names.emplace(ref_name, m_origin);
        top.annotations[std::string(oci::k_ref_name_annotation)] = ref_name;
        top.annotations[std::string(oci::detail::k_source_annotation)] = reference.name() + "@" + digest;
        m_tops.push_back(std::move(top));
        // The registry's digest, as `skopeo inspect` shows it, even when a generated index of the
        // chosen platforms is what the layout points at.
        if (!helm_chart) {
            m_components.push_back({"images", ref_name, digest, {m_image_paths.begin(), m_image_paths.end()},
                                    {requested}, {}, std::move(platforms)});
            manifest::normalise(m_components.back());
        }
        return {};
    }

    KindResolution finish()
    {
        for (auto& artifact : oci::detail::layout_files(m_tops))  // oci-layout and index.json: no image's own
            m_artifacts.try_emplace(artifact.bundle_path, std::move(artifact));
        KindResolution out;
        for (auto& [path, artifact] : m_artifacts) out.artifacts.push_back(std::move(artifact));
        std::ranges::sort(m_components, {}, [](const manifest::Component& c) { return std::tie(c.name, c.version); });
        out.components = std::move(m_components);
        return out;
    }

private:
    static std::vector<std::string> platforms_of(const std::vector<oci::IndexEntry>& entries)
    {
        std::vector<std::string> out;
        for (const auto& entry : entries)
            if (entry.platform && !entry.is_attestation()) out.push_back(entry.platform->to_string());
        return out;
    }

    // A manifest or index by digest, from the store when it is there, else from the registry
    // (its bytes checked against the digest, then kept in the store).
    Result<std::string> manifest_bytes(const std::string& digest, const std::string& name)
    {
        const std::string hex = digest.substr(digest.find(':') + 1);
        if (m_context.store.contains(hex)) return m_context.store.read_small(hex, oci::k_max_manifest_bytes);
        auto received = m_client->get_manifest(m_repository, digest);
        if (!received) return std::unexpected(received.error().context(name));
        if (auto stored = m_context.store.put(received->bytes); !stored) return std::unexpected(stored.error());
        if (m_context.stats) {
            ++m_context.stats->downloaded;
            m_context.stats->bytes_downloaded += received->bytes.size();
        }
        return std::move(received->bytes);
    }

    // Locks the manifest `digest` and everything it points at.
    Status walk(const std::string& digest, const std::string& media_type, const std::string& name, int depth)
    {
        if (depth > k_max_index_depth) return fail(ErrorCode::download, name + ": image indexes nested too deep");
        auto bytes = manifest_bytes(digest, name);
        if (!bytes) return std::unexpected(bytes.error());
        add_registry_artifact(digest, bytes->size(), true);
        if (media_types::is_index(media_type)) {
            auto entries = oci::parse_index(*bytes);
            if (!entries) return std::unexpected(entries.error().context(name));
            for (const auto& entry : *entries)
                if (auto st = walk(entry.digest, entry.media_type, name, depth + 1); !st) return st;
            return {};
        }
        if (!media_types::is_image_manifest(media_type))
            return {};  // an artifact manifest (signature, SBOM...) is carried as it is, without its blobs
        const oci::Descriptor descriptor{media_type, digest, bytes->size(), {}, {}};
        auto refs = oci::parse_manifest_references(*bytes, descriptor, name + "@" + digest, ErrorCode::download);
        if (!refs) return std::unexpected(refs.error());
        for (const oci::Descriptor& blob : refs->blobs) add_registry_artifact(blob.digest, blob.size, false);
        return {};
    }

    void add_registry_artifact(const std::string& digest, std::uint64_t size, bool is_manifest)
    {
        LockedArtifact artifact;
        artifact.kind = "images";
        artifact.bundle_path = oci::detail::blob_path(digest);
        artifact.url = manifest::to_oci_url({m_registry, m_repository, is_manifest, digest});
        artifact.size = size;
        artifact.sha256 = digest.substr(digest.find(':') + 1);
        artifact.origin = m_origin;
        add(std::move(artifact));
    }

    std::string add_generated_blob(const std::string& bytes)
    {
        auto artifact = oci::detail::generated_file(oci::detail::blob_path_for(bytes), bytes, m_origin);
        std::string digest = "sha256:" + artifact.sha256;
        add(std::move(artifact));
        return digest;
    }

    // The first image to need a blob carries it.
    void add(LockedArtifact artifact)
    {
        m_image_paths.insert(artifact.bundle_path);
        m_artifacts.try_emplace(artifact.bundle_path, std::move(artifact));
    }

    ResolveContext& m_context;
    oci::detail::RegistryClients m_clients;
    std::map<std::string, LockedArtifact> m_artifacts;  // by bundle path
    std::vector<oci::IndexEntry> m_tops;                // index.json's descriptors, in manifest order
    std::map<std::string, std::string> m_ref_names;     // ref name → origin
    std::vector<manifest::Component> m_components;      // one for each image listed
    std::set<std::string> m_image_paths;                // the blobs of the image being resolved
    std::map<std::string, std::size_t> m_seen;          // normalised reference → its component (SIZE_MAX: none)
    std::string m_origin;
    std::string m_registry;
    std::string m_repository;
    oci::RegistryClient* m_client = nullptr;
};

class ImagesKind final : public SourceKind {
public:
    [[nodiscard]] std::string_view name() const override { return "images"; }

    Result<KindResolution> resolve(ResolveContext& context) override
    {
        if (context.manifest.images.empty() && context.image_requests.empty()) return KindResolution{};
        ImagesResolver resolver(context);
        for (std::size_t i = 0; i < context.manifest.images.size(); ++i)
            if (auto st = resolver.resolve_image(i); !st) return std::unexpected(st.error());
        for (const auto& request : context.image_requests)
            if (auto st = resolver.resolve_request(request); !st) return std::unexpected(st.error());
        return resolver.finish();
    }
};

}  // namespace

std::unique_ptr<SourceKind> make_images_kind()
{
    return std::make_unique<ImagesKind>();
}

}  // namespace gapbundle::sources
