#include "bundle_index.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <algorithm>
#include <set>
#include <string_view>

#ifndef GAPBUNDLE_VERSION
#define GAPBUNDLE_VERSION "0.1.0"
#endif

namespace gapbundle::ops {

namespace {

std::vector<bundle::Entry> payload_entries(const manifest::Lock& lock)
{
    // Room for SHA256SUMS and the folders add_parent_dirs adds: growing a vector of 100,000
    // entries would hold it twice for a moment.
    std::set<std::string_view> folders;
    for (const auto& artifact : lock.artifacts) {
        const std::string_view path = artifact.bundle_path;
        for (auto slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1))
            folders.insert(path.substr(0, slash));
    }
    std::vector<bundle::Entry> entries;
    entries.reserve(lock.artifacts.size() + 2 + folders.size());  // and gapbundle/, SHA256SUMS
    for (const auto& artifact : lock.artifacts) {
        bundle::Entry entry;
        entry.path = artifact.bundle_path;
        if (artifact.link) {
            entry.type = bundle::EntryType::symlink;
            entry.link_target = *artifact.link;
            entries.push_back(std::move(entry));
            continue;
        }
        entry.type = bundle::EntryType::file;
        entry.size = artifact.size;
        entry.sha256 = artifact.sha256;
        entry.mode = artifact.mode;
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::vector<bundle::Component> index_components(const std::vector<manifest::Component>& components)
{
    std::vector<bundle::Component> out;
    for (const auto& component : components) {
        bundle::Component copy{component.kind, component.name, component.version, component.paths,
                               component.requested, {}};
        for (const auto& dependency : component.dependencies)
            copy.dependencies.push_back({dependency.name, dependency.requirement});
        out.push_back(std::move(copy));
    }
    return out;
}

}  // namespace

Result<PlannedBundle> plan_bundle(const manifest::Manifest& manifest, const manifest::Lock& lock,
                                  time::Seconds created)
{
    PlannedBundle plan;
    auto& index = plan.index;
    index.name = manifest.name;
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

    index.entries = payload_entries(lock);
    bundle::Entry sums;
    sums.path = std::string(bundle::k_sums_path);
    crypto::Sha256 sums_hash;
    bundle::Sha256SumsReader reader(index.entries);
    std::byte buffer[64 << 10];
    for (std::size_t n; (n = reader.read(buffer)) > 0; sums.size += n) sums_hash.update(std::span(buffer, n));
    sums.sha256 = sums_hash.finish_hex();
    sums.mode = 0644;
    index.entries.push_back(std::move(sums));
    bundle::add_parent_dirs(index.entries);
    for (const auto& entry : index.entries) {
        if (entry.type != bundle::EntryType::symlink) continue;
        if (auto st = bundle::check_symlink_target(entry.path, entry.link_target, &index.entries); !st)
            return fail(ErrorCode::manifest, "the lock's link " + entry.path + ": " + st.error().message);
    }
    index.components = index_components(lock.components);
    return plan;
}

}  // namespace gapbundle::ops
