#include "index_text_stream.hpp"

namespace gapbundle::bundle::detail {

IndexTextStream::int_type IndexTextStream::underflow()
{
    if (m_ended || m_error || m_over_cap) return traits_type::eof();  // the parser may ask again
    auto piece = m_source();
    if (!piece) {
        m_error = piece.error();
        return traits_type::eof();
    }
    if (piece->empty()) {
        m_ended = true;
        return traits_type::eof();
    }
    if (m_bytes + piece->size() > m_cap) {
        m_over_cap = true;
        return traits_type::eof();
    }
    m_bytes += piece->size();
    m_sha256.update(*piece);
    // The parser only reads: the get area may point into the source's buffer.
    char* begin = const_cast<char*>(piece->data());
    setg(begin, begin, begin + piece->size());
    return traits_type::to_int_type(*begin);
}

}  // namespace gapbundle::bundle::detail
