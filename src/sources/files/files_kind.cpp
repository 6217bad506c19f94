#include <gapbundle/sources/files.hpp>

#include "local.hpp"
#include "remote.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <algorithm>
#include <map>

namespace gapbundle::sources {

namespace {

using manifest::LockedArtifact;

// Two artifacts at one path, or a file where another entry needs a folder.
// `index` maps an origin ("files[3]") to its position in the manifest.
Status check_paths(const manifest::Manifest& manifest, const std::vector<LockedArtifact>& sorted,
                   const std::map<std::string, std::size_t, std::less<>>& index)
{
    const auto position = [&](const LockedArtifact& a) { return index.at(a.origin); };
    const auto error = [&](const LockedArtifact& later, const std::string& message) {
        const auto& spec = manifest.files[position(later)];
        return fail(ErrorCode::manifest, manifest.location(spec.mark) + ": " + later.origin + ": " + message);
    };
    // Sorted, so a path is followed directly by its duplicates and soon by "path/..." entries.
    for (std::size_t i = 0; i + 1 < sorted.size(); ++i) {
        const auto& a = sorted[i];
        const auto& b = sorted[i + 1];
        if (a.bundle_path == b.bundle_path) {
            const auto& [first, second] = position(a) <= position(b) ? std::tie(a, b) : std::tie(b, a);
            return error(second, "'" + a.bundle_path + "' is also carried by " + first.origin);
        }
        for (std::size_t j = i + 1; j < sorted.size() && sorted[j].bundle_path.starts_with(a.bundle_path); ++j) {
            if (sorted[j].bundle_path[a.bundle_path.size()] == '/')
                return error(sorted[j], "'" + sorted[j].bundle_path + "' needs '" + a.bundle_path +
                                            "' to be a folder, but " + a.origin + " carries a file there");
        }
    }
    return {};
}

// Where an entry came from, for the index: a URL without its query or fragment (which may hold
// a signed token), or a local path as the manifest writes it.
std::string source_of(const manifest::FileSpec& spec)
{
    if (!spec.is_remote()) return spec.url;
    return spec.url.substr(0, spec.url.find_first_of("?#"));
}

// One component per `files:` entry, named by its path under files/. Its version says what it
// holds: "sha256:HEX" of a file, or "tree:HEX" over the "PATH SHA256" lines of a folder's files,
// so that a changed content shows as a changed version.
std::vector<manifest::Component> entry_components(const manifest::Manifest& manifest,
                                                  const std::vector<LockedArtifact>& sorted)
{
    std::map<std::string, std::vector<const LockedArtifact*>> by_origin;
    for (const auto& artifact : sorted)
        if (!artifact.link) by_origin[artifact.origin].push_back(&artifact);
    std::vector<manifest::Component> out;
    for (std::size_t i = 0; i < manifest.files.size(); ++i) {
        const auto& spec = manifest.files[i];
        const auto found = by_origin.find("files[" + std::to_string(i) + "]");
        if (found == by_origin.end()) continue;  // an empty folder
        const auto& files = found->second;
        manifest::Component component{"files", spec.target, {}, {}, {source_of(spec)}, {}, {}};
        const std::string own_path = "files/" + spec.target;
        if (files.size() == 1 && files.front()->bundle_path == own_path) {
            component.version = "sha256:" + files.front()->sha256;
        } else {
            // Hashed line by line: a folder of 100,000 files would make the listing a 10 MB string.
            crypto::Sha256 listing;
            for (const auto* file : files) {
                listing.update(file->bundle_path);
                listing.update(" ");
                listing.update(file->sha256);
                listing.update("\n");
            }
            component.version = "tree:" + listing.finish_hex();
        }
        std::size_t bytes = 0;
        for (const auto* file : files) bytes += file->bundle_path.size();
        component.paths.reserve(files.size(), bytes);
        for (const auto* file : files) component.paths.push_back(file->bundle_path);
        out.push_back(std::move(component));
    }
    std::ranges::sort(out, {}, [](const manifest::Component& c) { return std::tie(c.name, c.version); });
    return out;
}

class FilesKind final : public SourceKind {
public:
    [[nodiscard]] std::string_view name() const override { return "files"; }

    Result<KindResolution> resolve(ResolveContext& context) override
    {
        const auto& manifest = context.manifest;
        std::vector<LockedArtifact> artifacts;
        std::vector<files::RemoteEntry> remote;
        std::map<std::string, std::size_t, std::less<>> index;
        // Local entries first (cheap), with the remote ones' paths, so that a clash is reported
        // before anything is downloaded.
        for (std::size_t i = 0; i < manifest.files.size(); ++i) {
            const auto& spec = manifest.files[i];
            std::string origin = "files[" + std::to_string(i) + "]";
            index.emplace(origin, i);
            if (spec.is_remote()) {
                LockedArtifact placeholder;
                placeholder.bundle_path = "files/" + spec.target;
                placeholder.origin = origin;
                artifacts.push_back(std::move(placeholder));
                remote.push_back({&spec, std::move(origin)});
                continue;
            }
            if (auto st = files::resolve_local(manifest, spec, origin, context.store, artifacts); !st)
                return std::unexpected(st.error());
        }
        std::ranges::sort(artifacts, {}, &LockedArtifact::bundle_path);
        if (auto st = check_paths(manifest, artifacts, index); !st) return std::unexpected(st.error());

        auto downloaded = files::resolve_remote(context, remote);
        if (!downloaded) return std::unexpected(downloaded.error());
        std::erase_if(artifacts, [](const LockedArtifact& a) { return a.kind.empty(); });  // the placeholders
        artifacts.insert(artifacts.end(), std::make_move_iterator(downloaded->begin()),
                         std::make_move_iterator(downloaded->end()));
        std::ranges::sort(artifacts, {}, &LockedArtifact::bundle_path);
        auto components = entry_components(manifest, artifacts);
        return KindResolution{std::move(artifacts), std::move(components)};
    }
};

}  // namespace

std::unique_ptr<SourceKind> make_files_kind()
{
    return std::make_unique<FilesKind>();
}

}  // namespace gapbundle::sources
