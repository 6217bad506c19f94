#pragma once

// The resolver's candidates from real indexes: each version's best file for the target.
// Private to the pip kind.

#include <gapbundle/sources/pypi/index_client.hpp>
#include <gapbundle/sources/pypi/resolver.hpp>
#include <gapbundle/sources/pypi/tags.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {

struct CandidatePolicy {
    Target target;
    Version python;                                   // the target's full version, for Requires-Python
    std::set<std::string, std::less<>> allow_sdist;   // canonical names whose sdists may be carried
    bool only_binary = true;                          // false: any project's sdist when no wheel fits
    // Per canonical name, the sha256 the requirements files pin; files with other hashes are skipped.
    std::map<std::string, std::set<std::string>, std::less<>> pinned_hashes;
};

// A file the resolver chose, and the index it came from.
struct ChosenFile {
    IndexFile file;
    std::size_t index = 0;  // position in the client list
    bool is_wheel = true;
};

// Consults the indexes in order and takes a project from the first one that has it (uv's
// "first index" rule: a name on the primary index is never taken from an extra one, which stops
// dependency confusion). Per version, the wheel with the best tag rank for the target (then the
// highest build tag, then the file name); an sdist only where allowed and no wheel fits.
class IndexCandidates final : public CandidateProvider {
public:
    IndexCandidates(std::vector<IndexClient*> clients, CandidatePolicy policy);

    Result<std::vector<Candidate>> candidates(const std::string& canonical_name) override;
    Result<std::vector<Requirement>> dependencies(const Candidate& candidate) override;

    // The file behind a candidate's file_id (its URL).
    [[nodiscard]] const ChosenFile& chosen(const std::string& file_id) const { return m_files.at(file_id); }

    // For sdists: their core metadata comes from PKG-INFO, which needs the file; the kind reads it.
    using SdistReader = std::function<Result<CoreMetadata>(const ChosenFile&)>;
    void set_sdist_reader(SdistReader reader) { m_sdist_reader = std::move(reader); }

private:
    Result<std::optional<ProjectPage>> find_project(const std::string& name, std::size_t& index);

    std::vector<IndexClient*> m_clients;
    CandidatePolicy m_policy;
    std::vector<Tag> m_supported;
    TagRanks m_ranks;
    std::map<std::string, ChosenFile> m_files;  // by file_id
    SdistReader m_sdist_reader;
};

}  // namespace gapbundle::sources::pypi
