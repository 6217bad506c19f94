#include "version_regex.hpp"

#include <cstdint>
#include <string>
#include <utility>

namespace gapbundle::sources::conda::detail {
namespace {

using Op = VersionRegex::Op;
using Instruction = VersionRegex::Instruction;
using Kind = RegexTree::Kind;

// The tree as a program in the manner of Thompson and Pike: byte instructions consume, the others
// move without consuming. Recursion follows the tree, whose depth the pattern's length bounds.
class ProgramWriter {
public:
    std::vector<Instruction> write(const RegexTree& tree)
    {
        emit(tree);
        add(Op::match);
        return std::move(m_program);
    }

private:
    std::size_t add(Op op)
    {
        m_program.push_back(Instruction{.op = op, .next = 0, .alternative = 0, .bytes = {}});
        return m_program.size() - 1;
    }
    std::size_t here() const { return m_program.size(); }

    void emit(const RegexTree& tree)
    {
        switch (tree.kind) {
            case Kind::bytes:
                m_program[add(Op::byte)].bytes = tree.bytes;
                return;
            case Kind::begin:
                add(Op::begin);
                return;
            case Kind::end:
                add(Op::end);
                return;
            case Kind::sequence:
                for (const auto& child : tree.children) emit(child);
                return;
            case Kind::alternation: {
                // split L1, L2; L1: a; jump out; L2: split ...; last: z; out:
                std::vector<std::size_t> jumps;
                for (std::size_t i = 0; i + 1 < tree.children.size(); ++i) {
                    const auto split = add(Op::split);
                    m_program[split].next = here();
                    emit(tree.children[i]);
                    jumps.push_back(add(Op::jump));
                    m_program[split].alternative = here();
                }
                emit(tree.children.back());
                for (const auto jump : jumps) m_program[jump].next = here();
                return;
            }
            case Kind::star: {  // L: split body, out; body; jump L; out:
                const auto split = add(Op::split);
                m_program[split].next = here();
                emit(tree.children.front());
                m_program[add(Op::jump)].next = split;
                m_program[split].alternative = here();
                return;
            }
            case Kind::plus: {  // L: body; split L, out; out:
                const auto body = here();
                emit(tree.children.front());
                const auto split = add(Op::split);
                m_program[split].next = body;
                m_program[split].alternative = here();
                return;
            }
            case Kind::optional: {  // split body, out; body; out:
                const auto split = add(Op::split);
                m_program[split].next = here();
                emit(tree.children.front());
                m_program[split].alternative = here();
                return;
            }
        }
    }

    std::vector<Instruction> m_program;
};

// The byte instructions live at one position of the text; `seen` marks what this position has
// added, so each instruction is added once and empty loops ((a*)*) end.
class ThreadList {
public:
    explicit ThreadList(std::size_t program_size) : m_seen(program_size, 0) {}

    void start(std::uint64_t generation)
    {
        m_generation = generation;
        m_bytes.clear();
    }
    bool add_once(std::size_t pc)
    {
        if (m_seen[pc] == m_generation) return false;
        m_seen[pc] = m_generation;
        return true;
    }
    void keep(std::size_t pc) { m_bytes.push_back(pc); }
    const std::vector<std::size_t>& bytes() const { return m_bytes; }

private:
    std::vector<std::uint64_t> m_seen;
    std::uint64_t m_generation = 0;
    std::vector<std::size_t> m_bytes;
};

}  // namespace

Result<VersionRegex> VersionRegex::compile(std::string_view pattern, RegexCase letter_case)
{
    const auto invalid = [&](const std::string& why) {
        return fail(ErrorCode::manifest, "invalid regex '" + std::string(pattern) + "': " + why);
    };
    if (pattern.size() > k_max_pattern_bytes)
        return invalid("a regex is limited to " + std::to_string(k_max_pattern_bytes) + " characters");
    auto tree = parse_regex_tree(pattern, letter_case);
    if (!tree) return invalid(tree.error().message);
    VersionRegex regex;
    regex.m_pattern = std::string(pattern);
    regex.m_program = ProgramWriter().write(*tree);
    return regex;
}

bool VersionRegex::matches(std::string_view text) const
{
    // Two lists shared between the positions, and a stack for the moves that consume nothing.
    ThreadList current(m_program.size());
    ThreadList next(m_program.size());
    std::vector<std::size_t> stack;
    std::uint64_t generation = 0;
    // Adds pc and everything it reaches without consuming at `position`; true when that is a match.
    const auto add = [&](ThreadList& list, std::size_t pc, std::size_t position) {
        stack.assign(1, pc);
        while (!stack.empty()) {
            const auto at = stack.back();
            stack.pop_back();
            if (!list.add_once(at)) continue;
            const Instruction& in = m_program[at];
            switch (in.op) {
                case Op::byte: list.keep(at); break;
                case Op::match: return true;
                case Op::begin:
                    if (position == 0) stack.push_back(at + 1);
                    break;
                case Op::end:
                    if (position == text.size()) stack.push_back(at + 1);
                    break;
                case Op::jump: stack.push_back(in.next); break;
                case Op::split:
                    stack.push_back(in.alternative);
                    stack.push_back(in.next);
                    break;
            }
        }
        return false;
    };
    current.start(++generation);
    for (std::size_t position = 0;; ++position) {
        if (add(current, 0, position)) return true;  // search: a match may start at any position
        if (position == text.size()) return false;
        const auto byte = static_cast<unsigned char>(text[position]);
        next.start(++generation);
        for (const auto pc : current.bytes()) {
            if (m_program[pc].bytes[byte] && add(next, pc + 1, position + 1)) return true;
        }
        std::swap(current, next);
    }
}

}  // namespace gapbundle::sources::conda::detail
