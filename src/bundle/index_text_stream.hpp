#pragma once

// An index's text as a std::istream for the JSON parser, pulled piece by piece from its source
// and hashed on the way: the text is never held whole.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/crypto/sha256.hpp>

#include <optional>
#include <streambuf>

namespace gapbundle::bundle::detail {

class IndexTextStream : public std::streambuf {
public:
    // At most `cap` bytes: past it the text ends and over_cap() says so.
    IndexTextStream(const IndexTextSource& source, std::uint64_t cap) : m_source(source), m_cap(cap) {}

    // Why the text ended early, if it did: the source failed, or the text is longer than the cap.
    [[nodiscard]] const std::optional<Error>& error() const { return m_error; }
    [[nodiscard]] bool over_cap() const { return m_over_cap; }
    [[nodiscard]] std::uint64_t bytes() const { return m_bytes; }
    // The digest of every byte handed out; call once, at the end.
    std::string finish_hex() { return m_sha256.finish_hex(); }

protected:
    int_type underflow() override;

private:
    const IndexTextSource& m_source;
    std::uint64_t m_cap;
    std::uint64_t m_bytes = 0;
    crypto::Sha256 m_sha256;
    std::optional<Error> m_error;
    bool m_over_cap = false;
    bool m_ended = false;
};

}  // namespace gapbundle::bundle::detail
