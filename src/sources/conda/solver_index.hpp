#pragma once

// The solver's view of the candidates: names as ids, each name's usable records in preference
// order (strict channel priority applied), every MatchSpec parsed once, and which candidates
// each spec matches, computed once per spec.

#include <gapbundle/sources/conda/solver.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gapbundle::sources::conda {

using NameId = std::uint32_t;
using RecordId = std::uint32_t;  // < candidates.size(): a candidate; above: a virtual package
using SpecId = std::uint32_t;

struct RecordSpecs {
    std::vector<SpecId> depends;
    std::vector<SpecId> constrains;
    std::optional<std::string> error;  // a depends or constrains that does not parse
};

class SolverIndex {
public:
    static Result<SolverIndex> build(const SolveRequest& request, std::span<const RepodataRecord> candidates,
                                     std::vector<RepodataRecord> virtuals);

    [[nodiscard]] std::size_t name_count() const { return m_names.size(); }
    [[nodiscard]] const std::string& name(NameId id) const { return m_names[id]; }
    NameId name_id(const std::string& name);
    // Usable records of a name, most preferred first.
    [[nodiscard]] std::span<const RecordId> candidates(NameId id) const { return m_by_name[id]; }
    // How many records of the name exist before channel priority (for messages).
    [[nodiscard]] std::size_t all_count(NameId id) const { return m_all_count[id]; }
    [[nodiscard]] const RepodataRecord& record(RecordId id) const;
    [[nodiscard]] NameId record_name(RecordId id) const { return m_record_name[id]; }
    [[nodiscard]] bool is_virtual(RecordId id) const { return id >= m_candidates.size(); }
    [[nodiscard]] std::span<const RecordId> virtual_ids() const { return m_virtual_ids; }
    [[nodiscard]] const std::vector<RepodataRecord>& virtuals() const { return m_virtuals; }

    SpecId add_spec(MatchSpec spec);
    Result<SpecId> intern(const std::string& text);
    [[nodiscard]] const MatchSpec& spec(SpecId id) const { return m_specs[id].spec; }
    [[nodiscard]] NameId spec_name(SpecId id) const { return m_specs[id].name; }
    // Whether the spec matches the record, which must be a candidate of the spec's name.
    bool matches(SpecId spec, RecordId record);
    const RecordSpecs& record_specs(RecordId id);
    // The parse error of a record's depends or constrains, once record_specs() has read them.
    [[nodiscard]] const std::optional<std::string>& record_specs_error(RecordId id) const
    {
        return m_record_specs[id]->error;
    }

private:
    struct SpecEntry {
        MatchSpec spec;
        NameId name;
        std::vector<std::uint8_t> matches;  // by position in candidates(name); empty until asked
    };

    using RankedGroup = std::vector<std::pair<std::size_t, RecordId>>;  // (channel rank, record)

    Result<std::vector<RankedGroup>> group_by_name(const std::vector<std::string>& channels);
    void order_candidates(NameId name, const RankedGroup& group, const MatchSpec* pinned);

    SolverIndex(std::span<const RepodataRecord> candidates, std::vector<RepodataRecord> virtuals)
        : m_candidates(candidates), m_virtuals(std::move(virtuals))
    {
    }

    std::span<const RepodataRecord> m_candidates;
    std::vector<RepodataRecord> m_virtuals;
    std::vector<RecordId> m_virtual_ids;
    std::vector<std::string> m_names;
    std::unordered_map<std::string, NameId> m_name_ids;
    std::vector<std::vector<RecordId>> m_by_name;
    std::vector<std::size_t> m_all_count;
    std::vector<NameId> m_record_name;
    std::vector<std::uint32_t> m_rank;  // position within candidates(name); UINT32_MAX if filtered out
    std::vector<SpecEntry> m_specs;
    std::unordered_map<std::string, SpecId> m_spec_ids;
    std::vector<std::optional<RecordSpecs>> m_record_specs;
    bool m_built = false;
};

}  // namespace gapbundle::sources::conda
