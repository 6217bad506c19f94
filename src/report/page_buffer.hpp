#pragma once

// What the report writes (its page, its --json document) gathered into pieces of about 64 KB for
// a sink. After the sink's first error nothing more is written, and finish() returns that error.

#include <gapbundle/util/error.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace gapbundle::report {

class PageBuffer {
public:
    explicit PageBuffer(const std::function<Status(std::string_view)>& sink) : m_sink(sink)
    {
        m_buffer.reserve(k_flush_bytes);
    }

    PageBuffer& operator+=(std::string_view text)
    {
        m_buffer += text;
        if (m_buffer.size() >= k_flush_bytes) flush();
        return *this;
    }

    Status finish()
    {
        flush();
        return m_status;
    }

private:
    static constexpr std::size_t k_flush_bytes = 64 << 10;

    void flush()
    {
        if (m_status && !m_buffer.empty()) m_status = m_sink(m_buffer);
        m_buffer.clear();
    }

    const std::function<Status(std::string_view)>& m_sink;
    std::string m_buffer;
    Status m_status;
};

}  // namespace gapbundle::report
