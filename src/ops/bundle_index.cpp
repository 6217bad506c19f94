#include "bundle_index.hpp"

#include <gapbundle/bundle/sbom.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/spare_pages.hpp>

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_map>

#ifndef GAPBUNDLE_VERSION
#define GAPBUNDLE_VERSION "0.1.0"
#endif

namespace gapbundle::ops {

namespace {

// How many bytes `url` ends with that `path` ends with too.
std::size_t shared_tail(std::string_view url, std::string_view path)
{
    const auto [url_end, path_end] = std::mismatch(url.rbegin(), url.rend(), path.rbegin(), path.rend());
    return static_cast<std::size_t>(url_end - url.rbegin());
}

// The lock's artifacts as entries (in the lock's order, by path) and their sources beside them,
// moved out of the lock.
void take_artifacts(std::vector<manifest::LockedArtifact>& artifacts, PlannedBundle& plan)
{
    auto& entries = plan.index.entries;
    auto& sources = plan.sources;
    auto& origins = plan.origins;
    std::unordered_map<std::string, std::uint32_t> head_numbers;
    // Room for SHA256SUMS and the folders add_parent_dirs adds: growing a vector of 100,000
    // entries would hold it twice for a moment.
    std::set<std::string_view> folders;
    for (const auto& artifact : artifacts) {
        const std::string_view path = artifact.bundle_path;
        for (auto slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1))
            folders.insert(path.substr(0, slash));
    }
    entries.reserve(artifacts.size() + 3 + folders.size());  // and gapbundle/, SHA256SUMS, the SBOM
    sources.reserve(entries.capacity());  // align_sources spreads them out in place
    folders.clear();
    // Taken from the back, and the pages of those taken given back as the entries fill theirs,
    // so that the two lists (25 MB for 100,000 files) are not both whole at once.
    constexpr std::size_t k_release_every = 4096;
    while (!artifacts.empty()) {
        auto& artifact = artifacts.back();
        bundle::Entry entry;
        entry.path = std::move(artifact.bundle_path);
        if (artifact.link) {
            entry.type = bundle::EntryType::symlink;
            entry.link_target = std::move(*artifact.link);
        } else {
            entry.type = bundle::EntryType::file;
            entry.size = artifact.size;
            entry.sha256 = std::move(artifact.sha256);
            entry.mode = artifact.mode;
        }
        const std::string_view url = artifact.url;
        const std::size_t tail = shared_tail(url, entry.path);
        std::string head(url.substr(0, url.size() - tail));
        const auto [known, added] = head_numbers.try_emplace(head, static_cast<std::uint32_t>(plan.url_heads.size()));
        if (added) plan.url_heads.push_back(std::move(head));
        entries.push_back(std::move(entry));
        if (origins.empty() || origins.back() != artifact.origin) origins.push_back(std::move(artifact.origin));
        auto content = artifact.content ? std::make_unique<const std::string>(std::move(*artifact.content)) : nullptr;
        sources.push_back({known->second, static_cast<std::uint32_t>(tail), static_cast<std::uint32_t>(origins.size() - 1),
                           std::move(content)});
        artifacts.pop_back();
        if (artifacts.size() % k_release_every == 0) util::release_spare_capacity(artifacts);
    }
    std::vector<manifest::LockedArtifact>().swap(artifacts);  // `= {}` would keep its capacity
    std::ranges::reverse(entries);
    std::ranges::reverse(sources);
}

// The entries pack writes from the index itself rather than from a source.
bool is_generated(std::string_view path)
{
    return path == bundle::k_sums_path || path == bundle::k_sbom_path;
}

// A file entry at `path` holding what `reader` reads, measured and hashed.
bundle::Entry generated_entry(std::string_view path, bundle::PieceReader& reader)
{
    bundle::Entry entry;
    entry.path = std::string(path);
    entry.mode = 0644;
    crypto::Sha256 hash;
    std::byte buffer[64 << 10];
    for (std::size_t n; (n = reader.read(buffer)) > 0; entry.size += n) hash.update(std::span(buffer, n));
    entry.sha256 = hash.finish_hex();
    return entry;
}

// Moves each source to its entry's position once the folders and SHA256SUMS are in, in place
// (from the back: a source only moves to a later position). Both lists are sorted by path, and
// the entries the lock did not give have no source.
Status align_sources(const std::vector<bundle::Entry>& entries, std::vector<EntrySource>& sources)
{
    std::size_t from = sources.size();
    sources.resize(entries.size());
    for (std::size_t to = entries.size(); to-- > 0;) {
        const auto& entry = entries[to];
        if (entry.type == bundle::EntryType::dir || is_generated(entry.path)) {
            sources[to] = {};
            continue;
        }
        if (from == 0) return fail(ErrorCode::internal, entry.path + ": in the index but not in the lock");
        if (--from != to) sources[to] = std::move(sources[from]);
    }
    if (from != 0) return fail(ErrorCode::internal, "the lock has artifacts the index lost");
    return {};
}

// Moved, not copied: a folder's component lists every file, and the lock is done with them.
std::vector<bundle::Component> index_components(std::vector<manifest::Component>& components)
{
    std::vector<bundle::Component> out;
    out.reserve(components.size());
    for (auto& component : components) {
        bundle::Component moved{std::move(component.kind),      std::move(component.name),
                                std::move(component.version),   std::move(component.paths),
                                std::move(component.requested), {},
                                std::move(component.platforms)};
        for (auto& dependency : component.dependencies)
            moved.dependencies.push_back({std::move(dependency.name), std::move(dependency.requirement)});
        out.push_back(std::move(moved));
    }
    std::vector<manifest::Component>().swap(components);
    return out;
}

}  // namespace

Result<PlannedBundle> plan_bundle(const manifest::Manifest& manifest, manifest::Lock lock, time::Seconds created)
{
    PlannedBundle plan;
    auto& index = plan.index;
    index.name = manifest.name;
    index.channel = manifest.channel;
    index.created = time::format_rfc3339(created);
    index.serial = manifest.serial.value_or(std::stoull(time::format_serial(created)));
    if (manifest.expires) {
        const auto& expiry = *manifest.expires;
        const time::Seconds at =
            expiry.kind == manifest::Expiry::Kind::duration ? created + expiry.value : expiry.value;
        if (at <= created)
            return fail(ErrorCode::manifest, manifest.file.string() + ": expires " + time::format_rfc3339(at) +
                                                 " is not after the build time " + index.created);
        index.expires = time::format_rfc3339(at);
    }
    index.producer = std::string("gapbundle ") + GAPBUNDLE_VERSION;
    index.manifest_sha256 = manifest.sha256;
    crypto::Sha256 lock_hash;
    manifest::write_json(lock, [&](std::string_view piece) { lock_hash.update(piece); });
    index.lock_sha256 = lock_hash.finish_hex();

    index.components = index_components(lock.components);
    take_artifacts(lock.artifacts, plan);
    {
        // In its sorted place: SHA256SUMS lists it in index order, here and when pack writes it.
        bundle::SbomReader sbom(index);
        auto entry = generated_entry(bundle::k_sbom_path, sbom);
        auto& entries = index.entries;
        entries.insert(std::ranges::upper_bound(entries, entry.path, {}, &bundle::Entry::path), std::move(entry));
    }
    bundle::Sha256SumsReader sums(index.entries);
    index.entries.push_back(generated_entry(bundle::k_sums_path, sums));
    bundle::add_parent_dirs(index.entries);
    for (const auto& entry : index.entries) {
        if (entry.type != bundle::EntryType::symlink) continue;
        if (auto st = bundle::check_symlink_target(entry.path, entry.link_target, &index.entries); !st)
            return fail(ErrorCode::manifest, "the lock's link " + entry.path + ": " + st.error().message);
    }
    if (auto st = align_sources(index.entries, plan.sources); !st) return std::unexpected(st.error());
    return plan;
}

std::string PlannedBundle::source_url(std::size_t position) const
{
    const auto& source = sources[position];
    const std::string& path = index.entries[position].path;
    return url_heads[source.url_head] + path.substr(path.size() - source.url_tail);
}

}  // namespace gapbundle::ops
