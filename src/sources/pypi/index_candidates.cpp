#include "index_candidates.hpp"

#include <gapbundle/sources/pypi/project_name.hpp>
#include <gapbundle/sources/pypi/specifier.hpp>
#include <gapbundle/sources/pypi/wheel_name.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <tuple>

namespace gapbundle::sources::pypi {

namespace {

constexpr std::size_t k_tags_shown = 5;

// How good a file is for the target: lower is better.
struct FileRank {
    bool is_sdist = false;
    std::size_t tag_rank = 0;
    std::uint64_t negative_build = 0;  // higher build tags first
    std::string filename;

    auto operator<=>(const FileRank&) const = default;
};

struct Usable {
    Version version;
    FileRank rank;
    const IndexFile* file;
};

bool python_fits(const IndexFile& file, const Version& python)
{
    if (file.requires_python.empty()) return true;
    auto specifier = SpecifierSet::parse(file.requires_python);
    // pip ignores a Requires-Python it cannot parse; so do we.
    return !specifier || specifier->contains(python, Prereleases::allow);
}

std::string join(const std::vector<std::string>& items, std::size_t limit)
{
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < limit; ++i) out += (i ? ", " : "") + items[i];
    if (items.size() > limit) out += ", ... (" + std::to_string(items.size()) + " in all)";
    return out;
}

}  // namespace

IndexCandidates::IndexCandidates(std::vector<IndexClient*> clients, CandidatePolicy policy)
    : m_clients(std::move(clients)), m_policy(std::move(policy)), m_supported(supported_tags(m_policy.target)),
      m_ranks(m_supported)
{
}

Result<std::optional<ProjectPage>> IndexCandidates::find_project(const std::string& name, std::size_t& index)
{
    for (index = 0; index < m_clients.size(); ++index) {
        auto page = m_clients[index]->find_project(name);
        if (!page) return std::unexpected(page.error());
        if (*page) return page;
    }
    return std::optional<ProjectPage>{};
}

Result<std::vector<Candidate>> IndexCandidates::candidates(const std::string& canonical)
{
    std::size_t index = 0;
    auto page = find_project(canonical, index);
    if (!page) return std::unexpected(page.error());
    if (!*page) return std::vector<Candidate>{};

    const auto pinned = m_policy.pinned_hashes.find(canonical);
    const bool sdists_allowed = !m_policy.only_binary || m_policy.allow_sdist.contains(canonical);
    std::vector<Usable> usable;
    std::set<std::string> versions_seen;
    std::set<std::string> wheel_tags_seen;
    for (const auto& file : (*page)->files) {
        FileRank rank;
        std::string version_text;
        if (auto wheel = parse_wheel_name(file.filename)) {
            if (wheel->canonical_name != canonical) continue;
            version_text = wheel->version;
            versions_seen.insert(version_text);
            for (const auto& tag : wheel_tags(*wheel)) wheel_tags_seen.insert(tag.to_string());
            auto tag_rank = m_ranks.best_rank(*wheel);
            if (!tag_rank) continue;
            rank.tag_rank = *tag_rank;
            rank.negative_build = wheel->build ? ~wheel->build->number : ~std::uint64_t{0};
        } else if (auto sdist = parse_sdist_name(file.filename)) {
            if (sdist->canonical_name != canonical) continue;
            version_text = sdist->version;
            versions_seen.insert(version_text);
            if (!sdists_allowed) continue;
            rank.is_sdist = true;
        } else {
            continue;  // eggs, .exe installers, files with other names
        }
        auto version = Version::parse(version_text);
        if (!version || !python_fits(file, m_policy.python)) continue;
        if (pinned != m_policy.pinned_hashes.end() && !pinned->second.contains("sha256:" + file.sha256)) continue;
        rank.filename = file.filename;
        usable.push_back({std::move(*version), std::move(rank), &file});
    }

    if (usable.empty() && !versions_seen.empty()) {
        std::vector<std::string> versions(versions_seen.begin(), versions_seen.end());
        std::vector<std::string> wanted;
        for (std::size_t i = 0; i < m_supported.size() && i < k_tags_shown; ++i) wanted.push_back(m_supported[i].to_string());
        std::vector<std::string> offered(wheel_tags_seen.begin(), wheel_tags_seen.end());
        std::string message = "no file of '" + canonical + "' fits the target (versions tried: " + join(versions, 10) +
                              "; wheel tags offered: " + (offered.empty() ? "none, sdists only" : join(offered, 8)) +
                              "; tags looked for: " + join(wanted, k_tags_shown) + ", ...)";
        if (pinned != m_policy.pinned_hashes.end()) message += "; only files with the pinned --hash values count";
        if (offered.empty() && !sdists_allowed) message += "; list it under pip: allow_sdist to carry its sdist";
        return fail(ErrorCode::download, message + " on " + text::redact_url(m_clients[index]->index_url()));
    }

    // Best file per version.
    std::ranges::sort(usable, [](const Usable& a, const Usable& b) {
        if (a.version != b.version) return a.version > b.version;
        return a.rank < b.rank;
    });
    std::vector<Candidate> out;
    for (const auto& item : usable) {
        if (!out.empty() && out.back().version == item.version) continue;
        const IndexFile& file = *item.file;
        m_files.insert_or_assign(file.url, ChosenFile{file, index, !item.rank.is_sdist});
        out.push_back(Candidate{canonical, item.version, file.url, file.yanked});
    }
    return out;
}

Result<std::vector<Requirement>> IndexCandidates::dependencies(const Candidate& candidate)
{
    const ChosenFile& chosen = m_files.at(candidate.file_id);
    Result<CoreMetadata> metadata = chosen.is_wheel || !m_sdist_reader ? m_clients[chosen.index]->metadata(chosen.file)
                                                                       : m_sdist_reader(chosen);
    if (!metadata) return std::unexpected(metadata.error());
    std::vector<Requirement> out;
    for (const auto& line : metadata->requires_dist) {
        auto requirement = Requirement::parse(line);
        if (!requirement)
            return fail(ErrorCode::download, chosen.file.filename + ": invalid Requires-Dist '" + line +
                                                 "': " + requirement.error().message);
        out.push_back(std::move(*requirement));
    }
    return out;
}

}  // namespace gapbundle::sources::pypi
