#include <gapbundle/sources/oci/registry_push.hpp>

#include "push_plan.hpp"
#include "push_session.hpp"

#include <gapbundle/util/interrupt.hpp>

#include <map>
#include <set>
#include <utility>

namespace gapbundle::sources::oci {

namespace {

using detail::ImagePlan;

// A registry as one path component: "registry.local:5000" → "registry.local-5000".
std::string registry_component(std::string_view registry)
{
    std::string out;
    for (const char c : registry) {
        if (c == '[' || c == ']') continue;
        out += c == ':' ? '-' : (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    while (out.starts_with('-')) out.erase(0, 1);
    return out;
}

Status check_registry_host(std::string_view registry)
{
    if (registry.empty() || registry.find('/') != std::string_view::npos ||
        registry.find('@') != std::string_view::npos)
        return fail(ErrorCode::usage,
                    "--registry '" + std::string(registry) +
                        "': expected HOST[:PORT] without a scheme or path (e.g. registry.local:5000)");
    return {};
}

std::string destination_name(const PushOptions& options, const std::string& repository, const ImagePlan& plan)
{
    const std::string name = options.registry + "/" + repository;
    if (plan.image.reference.tag) return name + ":" + *plan.image.reference.tag;
    return name + "@" + plan.image.descriptor.digest;
}

// Pushes planned images into one registry, remembering which repositories hold which blobs so
// that a blob goes over the wire once per registry and is mounted elsewhere.
class Pusher {
public:
    Pusher(const LayoutReader& layout, const PushOptions& options)
        : m_layout(layout), m_options(options), m_session(options.registry, options.connection)
    {
    }

    // HEADs every blob of `plan` the registry may lack; returns those it lacks.
    Result<std::vector<Descriptor>> missing_blobs(const ImagePlan& plan, const std::string& repository)
    {
        std::vector<Descriptor> missing;
        for (const Descriptor& blob : plan.blobs) {
            if (m_present.contains({repository, blob.digest})) continue;
            auto exists = m_session.blob_exists(repository, blob.digest);
            if (!exists) return std::unexpected(exists.error());
            if (*exists) {
                remember(repository, blob.digest);
            } else {
                missing.push_back(blob);
            }
        }
        return missing;
    }

    Result<PushCounts> push(const ImagePlan& plan, const std::string& repository)
    {
        PushCounts counts;
        for (const Descriptor& blob : plan.blobs)
            if (auto ok = push_blob(repository, blob, counts); !ok) return std::unexpected(ok.error());
        for (const detail::PlannedManifest& manifest : plan.manifests) {
            const std::string& digest = manifest.descriptor.digest;
            auto there = m_session.manifest_digest(repository, digest, manifest.media_type);
            if (!there) return std::unexpected(there.error());
            if (*there) {
                ++counts.manifests_present;
                continue;
            }
            if (auto ok = m_session.put_manifest(repository, digest, manifest.bytes, manifest.media_type, digest); !ok)
                return std::unexpected(ok.error());
            ++counts.manifests_pushed;
        }
        if (const auto& tag = plan.image.reference.tag) {
            const detail::PlannedManifest& top = plan.manifests.back();
            auto there = m_session.manifest_digest(repository, *tag, top.media_type);
            if (!there) return std::unexpected(there.error());
            if (*there && **there == top.descriptor.digest) {
                ++counts.tags_present;
            } else {
                auto ok = m_session.put_manifest(repository, *tag, top.bytes, top.media_type, top.descriptor.digest);
                if (!ok) return std::unexpected(ok.error());
                ++counts.tags_set;
            }
        }
        return counts;
    }

private:
    void remember(const std::string& repository, const std::string& digest)
    {
        m_present.emplace(repository, digest);
        m_holder.try_emplace(digest, repository);
    }

    Status push_blob(const std::string& repository, const Descriptor& blob, PushCounts& counts)
    {
        if (m_present.contains({repository, blob.digest})) {
            ++counts.blobs_present;
            return {};
        }
        if (auto ok = interrupt::check(); !ok) return ok;
        std::string location;
        if (const auto holder = m_holder.find(blob.digest); holder != m_holder.end()) {
            auto mounted = m_session.mount_blob(repository, blob.digest, holder->second, location);
            if (mounted && *mounted) {
                ++counts.blobs_mounted;
                remember(repository, blob.digest);
                return {};
            }
            if (!mounted) location.clear();  // a refused mount: upload it instead
        }
        const detail::BlobSource source{m_layout.blob_path(blob), blob.digest, blob.size};
        const detail::ChunkPolicy policy{m_options.monolithic_max, m_options.chunk_size};
        if (auto ok = m_session.upload_blob(repository, source, std::move(location), policy); !ok) return ok;
        ++counts.blobs_uploaded;
        counts.bytes_uploaded += blob.size;
        remember(repository, blob.digest);
        return {};
    }

    const LayoutReader& m_layout;
    const PushOptions& m_options;
    detail::PushSession m_session;
    std::set<std::pair<std::string, std::string>> m_present;  // (repository, digest) the registry has
    std::map<std::string, std::string> m_holder;              // digest → a repository that has it
};

}  // namespace

PushCounts& PushCounts::operator+=(const PushCounts& other)
{
    blobs_uploaded += other.blobs_uploaded;
    blobs_mounted += other.blobs_mounted;
    blobs_present += other.blobs_present;
    bytes_uploaded += other.bytes_uploaded;
    manifests_pushed += other.manifests_pushed;
    manifests_present += other.manifests_present;
    tags_set += other.tags_set;
    tags_present += other.tags_present;
    return *this;
}

Result<std::string> destination_repository(const Reference& source, const PushOptions& options)
{
    std::string repository;
    const auto add = [&repository](std::string_view part) {
        while (part.starts_with('/')) part.remove_prefix(1);
        while (part.ends_with('/')) part.remove_suffix(1);
        if (part.empty()) return;
        if (!repository.empty()) repository += '/';
        repository += part;
    };
    add(options.prefix);
    if (options.source_registry == SourceRegistryPath::keep) add(registry_component(source.registry));
    add(source.repository);
    // Any registry-looking first component makes the grammar check apply to the whole path.
    auto parsed = parse_reference("registry.invalid/" + repository);
    if (!parsed || parsed->repository != repository) {
        const std::string why = parsed ? std::string("not a valid repository name") : parsed.error().message;
        return fail(ErrorCode::usage, "destination " + options.registry + "/" + repository + " for " +
                                          source.to_string() + ": " + why + " (check --prefix)");
    }
    return repository;
}

Result<PushResult> push_images(const LayoutReader& layout, std::span<const LayoutImage> images,
                               const PushOptions& options, const ImagePushedCallback& pushed)
{
    if (auto ok = check_registry_host(options.registry); !ok) return std::unexpected(ok.error());
    std::vector<std::pair<ImagePlan, std::string>> plans;
    for (const LayoutImage& image : images) {
        auto repository = destination_repository(image.reference, options);
        if (!repository) return std::unexpected(repository.error());
        auto plan = detail::plan_image(layout, image, detail::AbsentForeignLayers::skip);
        if (!plan) return std::unexpected(plan.error().context(image.ref_name));
        plans.emplace_back(std::move(*plan), std::move(*repository));
    }

    Pusher pusher(layout, options);
    std::set<std::string> verified;
    for (const auto& [plan, repository] : plans) {
        const std::string name = destination_name(options, repository, plan);
        auto missing = pusher.missing_blobs(plan, repository);
        if (!missing) return std::unexpected(missing.error().context(name));
        for (const Descriptor& blob : *missing) {
            if (!verified.insert(blob.digest).second) continue;
            if (auto ok = layout.verify_blob(blob); !ok)
                return std::unexpected(ok.error().context(plan.image.ref_name));
        }
    }

    PushResult result;
    for (const auto& [plan, repository] : plans) {
        ImagePushResult image{
            plan.image.ref_name, destination_name(options, repository, plan), plan.image.descriptor.digest, {}};
        auto counts = pusher.push(plan, repository);
        if (!counts) return std::unexpected(counts.error().context(image.destination));
        image.counts = *counts;
        result.total += image.counts;
        if (pushed) pushed(image);
        result.images.push_back(std::move(image));
    }
    return result;
}

}  // namespace gapbundle::sources::oci
