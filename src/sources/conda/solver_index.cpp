#include "solver_index.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

namespace gapbundle::sources::conda {
namespace {

constexpr std::uint32_t k_filtered = std::numeric_limits<std::uint32_t>::max();

// conda's order within a name: fewer track_features, higher version, higher build number, newer
// timestamp; then build string and file name, so equal-looking records still sort the same way.
bool preferred(const RepodataRecord& a, const RepodataRecord& b)
{
    if (a.track_features.size() != b.track_features.size()) return a.track_features.size() < b.track_features.size();
    if (auto c = a.version <=> b.version; c != 0) return c > 0;
    if (a.build_number != b.build_number) return a.build_number > b.build_number;
    if (a.timestamp != b.timestamp) return a.timestamp > b.timestamp;
    return std::tie(a.build, a.subdir, a.filename, a.channel) < std::tie(b.build, b.subdir, b.filename, b.channel);
}

}  // namespace

Result<SolverIndex> SolverIndex::build(const SolveRequest& request, std::span<const RepodataRecord> candidates,
                                       std::vector<RepodataRecord> virtuals)
{
    SolverIndex index(candidates, std::move(virtuals));
    auto groups = index.group_by_name(request.channels);
    if (!groups) return std::unexpected(groups.error());
    std::map<std::string, const MatchSpec*, std::less<>> requested_channel;  // name -> spec naming a channel
    for (const auto& spec : request.specs) {
        if (!spec.channel().empty()) requested_channel.emplace(spec.name(), &spec);
    }
    index.m_by_name.resize(index.m_names.size());
    index.m_all_count.resize(index.m_names.size());
    for (NameId name = 0; name < groups->size(); ++name) {
        const auto pinned = requested_channel.find(index.m_names[name]);
        index.order_candidates(name, (*groups)[name], pinned == requested_channel.end() ? nullptr : pinned->second);
    }
    index.m_built = true;
    return index;
}

// Every record's name id, and per name its records with their channel's rank (0 highest).
Result<std::vector<SolverIndex::RankedGroup>> SolverIndex::group_by_name(const std::vector<std::string>& channels)
{
    std::map<std::string, std::size_t, std::less<>> channel_rank;
    for (std::size_t i = 0; i < channels.size(); ++i) channel_rank.emplace(channels[i], i);
    const auto total = m_candidates.size() + m_virtuals.size();
    m_record_name.resize(total);
    m_rank.assign(total, k_filtered);
    m_record_specs.resize(total);
    std::vector<RankedGroup> groups;
    for (RecordId id = 0; id < total; ++id) {
        const auto& r = record(id);
        const auto name = name_id(r.name);
        groups.resize(m_names.size());
        m_record_name[id] = name;
        std::size_t rank = 0;
        if (is_virtual(id)) {
            m_virtual_ids.push_back(id);
        } else if (r.name.starts_with("__")) {
            continue;  // virtual packages come from the request only
        } else if (!channels.empty()) {
            const auto it = channel_rank.find(r.channel);
            if (it == channel_rank.end()) {
                return fail(ErrorCode::usage, "record " + r.filename + " is from channel '" + r.channel +
                                                  "', which is not in the channel list");
            }
            rank = it->second;
        }
        groups[name].emplace_back(rank, id);
    }
    return groups;
}

// Keeps the records of the best-ranked channel (or of the channel a requested spec names) and
// sorts them most preferred first.
void SolverIndex::order_candidates(NameId name, const RankedGroup& group, const MatchSpec* pinned)
{
    m_all_count[name] = group.size();
    if (group.empty()) return;
    const auto best = std::ranges::min(group, {}, &std::pair<std::size_t, RecordId>::first).first;
    auto& usable = m_by_name[name];
    for (const auto& [rank, id] : group) {
        if (pinned ? pinned->channel_matches(record(id).channel) : rank == best) usable.push_back(id);
    }
    std::ranges::sort(usable, [&](RecordId a, RecordId b) { return preferred(record(a), record(b)); });
    for (std::uint32_t pos = 0; pos < usable.size(); ++pos) m_rank[usable[pos]] = pos;
}

NameId SolverIndex::name_id(const std::string& name)
{
    const auto [it, added] = m_name_ids.try_emplace(name, static_cast<NameId>(m_names.size()));
    if (added) {
        m_names.push_back(name);
        if (m_built) {  // a name no record has
            m_by_name.emplace_back();
            m_all_count.push_back(0);
        }
    }
    return it->second;
}

const RepodataRecord& SolverIndex::record(RecordId id) const
{
    return id < m_candidates.size() ? m_candidates[id] : m_virtuals[id - m_candidates.size()];
}

SpecId SolverIndex::add_spec(MatchSpec spec)
{
    const auto name = name_id(spec.name());
    m_specs.push_back(SpecEntry{.spec = std::move(spec), .name = name, .matches = {}});
    return static_cast<SpecId>(m_specs.size() - 1);
}

Result<SpecId> SolverIndex::intern(const std::string& text)
{
    if (const auto it = m_spec_ids.find(text); it != m_spec_ids.end()) return it->second;
    auto spec = MatchSpec::parse(text);
    if (!spec) return std::unexpected(spec.error());
    if (spec->name() == "*")
        return fail(ErrorCode::manifest, "invalid match spec '" + text + "': a dependency needs a name");
    const auto id = add_spec(std::move(*spec));
    m_spec_ids.emplace(text, id);
    return id;
}

bool SolverIndex::matches(SpecId spec, RecordId record)
{
    auto& entry = m_specs[spec];
    const auto& list = m_by_name[entry.name];
    if (entry.matches.size() != list.size()) {
        entry.matches.resize(list.size());
        for (std::size_t i = 0; i < list.size(); ++i)
            entry.matches[i] = entry.spec.matches(this->record(list[i])) ? 1 : 0;
    }
    const auto rank = m_rank[record];
    return rank != k_filtered && m_record_name[record] == entry.name && entry.matches[rank] != 0;
}

const RecordSpecs& SolverIndex::record_specs(RecordId id)
{
    auto& slot = m_record_specs[id];
    if (slot) return *slot;
    RecordSpecs specs;
    const auto& r = record(id);
    for (auto [texts, out] : {std::pair{&r.depends, &specs.depends}, std::pair{&r.constrains, &specs.constrains}}) {
        for (const auto& text : *texts) {
            auto spec = intern(text);
            if (!spec) {
                specs.error = spec.error().message;
                break;
            }
            out->push_back(*spec);
        }
    }
    slot = std::move(specs);
    return *slot;
}

}  // namespace gapbundle::sources::conda
