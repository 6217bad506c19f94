#pragma once

// Depth-first search over names with conflict-directed backjumping. Each failure carries the
// names whose choices caused it; a level whose own choice is not among them is skipped on the
// way back. The failure that reaches the top keeps what was tried, for the message.

#include "solver_index.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace gapbundle::sources::conda {

inline constexpr RecordId k_requested = static_cast<RecordId>(-1);  // a requirement's source: the request

struct Requirement {
    SpecId spec;
    RecordId source;  // k_requested or the record whose depends/constrains it is
    bool constrain;
};

struct Exhaustion;

// Why one candidate was not taken.
struct Rejection {
    enum class Kind {
        conflicts_installed,   // a depends does not match the record already chosen for its name
        unsatisfiable,         // a depends (or constrains) leaves no candidate for its name
        constrains_installed,  // a constrains rejects the record already chosen
        contradicts_itself,    // a depends or constrains on its own name that it does not match
        bad_specs,             // a depends or constrains does not parse
        deeper,                // taking it made a later name impossible
    };
    Kind kind;
    RecordId candidate;
    SpecId spec = 0;
    RecordId installed = 0;           // conflicts_installed, constrains_installed
    std::vector<Requirement> others;  // unsatisfiable: what the name already had to meet
    bool constrain = false;           // unsatisfiable: the spec is a constrains, not a depends
    std::shared_ptr<const Exhaustion> deeper;
};

// A name none of whose candidates could be taken.
struct Exhaustion {
    NameId name;
    std::vector<Requirement> requirements;
    std::vector<Rejection> rejections;
};

struct Failure {
    std::vector<NameId> conflict;  // sorted; the names whose choices caused it
    std::shared_ptr<const Exhaustion> culprit;
    bool gave_up = false;
};

class Search {
public:
    Search(SolverIndex& index, std::size_t max_steps);

    // Installs a virtual package before the search; never undone or blamed.
    void give(RecordId record);
    void require(SpecId spec);
    // nullopt when every required name has a record: chosen() is the solution.
    std::optional<Failure> run() { return descend(); }
    [[nodiscard]] std::vector<RecordId> chosen() const;
    [[nodiscard]] const std::vector<Requirement>& requirements(NameId name) const { return m_requirements[name]; }

private:
    struct Decision {
        NameId name;
        std::vector<NameId> touched;  // names that got a requirement, in order
        std::size_t open_size;
    };

    std::optional<Failure> descend();
    std::optional<NameId> pick();
    std::size_t allowed_count(NameId name, std::optional<SpecId> extra, std::size_t limit);
    std::optional<std::pair<Rejection, std::vector<NameId>>> check(RecordId candidate);
    std::vector<NameId> sources(NameId name) const;
    void grow();  // sizes the per-name tables to the names the index knows now
    void add(NameId name, Requirement requirement, std::vector<NameId>& touched);
    void decide(NameId name, RecordId record);
    void undo();

    SolverIndex& m_index;
    std::size_t m_steps_left;
    std::vector<std::optional<RecordId>> m_decided;
    std::vector<bool> m_given;
    std::vector<std::vector<Requirement>> m_requirements;
    std::vector<std::size_t> m_depends_count;
    std::vector<NameId> m_open;  // names with a depends on them, in the order they got it
    std::vector<Decision> m_decisions;
};

}  // namespace gapbundle::sources::conda
