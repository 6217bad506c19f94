#pragma once

// A second, independent reading of the tar headers as the bytes stream past (private to the
// bundle layer). libarchive's view of an entry is what gets checked against the index; this one
// refuses what libarchive reads silently and other tar readers may read differently: a pax `size`
// that disagrees with the ustar size field (the TARmageddon desync), global pax headers ('g'),
// pax keys outside a short list (GNU.sparse.* among them), base-256 sizes, and data on entry
// types that carry none.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace gapbundle::bundle::detail {

struct HeaderProblem {
    std::string path;  // the entry the header belongs to
    std::string kind;  // "format" or "type"
    std::string message;
};

class HeaderWalker {
public:
    void feed(std::span<const std::byte> bytes);
    [[nodiscard]] const std::optional<HeaderProblem>& problem() const { return m_problem; }

private:
    void on_header();
    void on_pax_data();
    void refuse(std::string path, std::string kind, std::string message);

    enum class State { header, data, done };
    State m_state = State::header;
    std::string m_block;                      // the header block being collected
    std::uint64_t m_left = 0;                 // data and padding still to pass
    std::uint64_t m_collect = 0;              // pax data still to keep
    std::string m_pax;                        // the pax records being collected
    std::optional<std::uint64_t> m_pax_size;  // from the pending pax header
    std::optional<std::string> m_pax_path;
    std::optional<HeaderProblem> m_problem;
};

}  // namespace gapbundle::bundle::detail
