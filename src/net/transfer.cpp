#include "transfer.hpp"

#include "retry_policy.hpp"

#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <string_view>

namespace gapbundle::net::detail {

namespace {

// The value of `line` when it is the header `name`, trimmed.
std::optional<std::string_view> header_value(std::string_view line, std::string_view name)
{
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !text::iequals(text::trim(line.substr(0, colon)), name)) return std::nullopt;
    return text::trim(line.substr(colon + 1));
}

std::optional<std::uint64_t> parse_u64(std::string_view s)
{
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end == s.data()) return std::nullopt;
    return value;
}

std::int64_t unix_now()
{
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch()).count();
}

Status restart_sink(BodySink& sink)
{
    return std::visit([](auto& s) { return s.restart(); }, sink);
}

}  // namespace

Result<CURL*> Transfer::begin_attempt(const EngineOptions& options)
{
    ++m_attempts;
    m_status = 0;
    m_reason.clear();
    m_retry_after.clear();
    m_range_start.reset();
    m_range_total.reset();
    m_content_length.reset();
    m_body_started = false;
    m_range_mismatch = false;
    m_ranges_refused = false;
    m_sink_error.reset();
    m_error_buffer[0] = '\0';
    // Files keep their prefix across attempts; a text body starts over.
    if (auto* text = std::get_if<TextSink>(&m_sink)) (void)text->restart();
    if (auto* file = std::get_if<FileSink>(&m_sink)) {
        if (auto ok = file->open(); !ok) return fail(ok.error().code, where() + ok.error().message);
    }
    std::string range;
    if (auto* part = std::get_if<RangeSink>(&m_sink)) {
        if (auto ok = part->open(); !ok) return fail(ok.error().code, where() + ok.error().message);
        m_range_from = part->range().start + part->size();
        range = std::to_string(m_range_from) + "-" + std::to_string(part->range().start + part->range().length - 1);
    } else {
        m_range_from = std::visit([](const auto& s) { return s.size(); }, m_sink);
        if (m_range_from > 0) range = std::to_string(m_range_from) + "-";
    }

    m_easy.reset(curl_easy_init());
    if (!m_easy) return fail(ErrorCode::internal, "curl_easy_init failed");
    if (!m_headers && !m_spec.headers.empty()) {
        auto headers = build_header_list(m_spec);
        if (!headers) return std::unexpected(headers.error());
        m_headers = std::move(*headers);
    }
    CURL* easy = m_easy.get();
    if (auto ok = configure_easy(easy, options, m_spec, m_headers.get(), m_error_buffer); !ok)
        return std::unexpected(ok.error());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, this);
    if (!range.empty()) curl_easy_setopt(easy, CURLOPT_RANGE, range.c_str());  // libcurl copies it
    return easy;
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t count, void* self)
{
    static_cast<Transfer*>(self)->take_header_line(std::string_view(data, size * count));
    return size * count;
}

void Transfer::take_header_line(std::string_view line)
{
    line = text::trim(line);
    if (line.starts_with("HTTP/")) {  // a new response: a redirect's, or the final one
        const auto space = line.find(' ');
        const std::string_view rest = space == std::string_view::npos ? "" : line.substr(space + 1);
        m_status = static_cast<long>(parse_u64(rest.substr(0, 3)).value_or(0));
        m_reason = rest.size() > 3 ? std::string(text::trim(rest.substr(3))) : std::string();
        m_retry_after.clear();
        m_etag.clear();
        m_last_modified.clear();
        m_range_start.reset();
        m_range_total.reset();
        m_content_length.reset();
        m_body_started = false;
    } else if (auto v = header_value(line, "Retry-After")) {
        m_retry_after = std::string(*v);
    } else if (auto etag = header_value(line, "ETag")) {
        m_etag = std::string(*etag);
    } else if (auto modified = header_value(line, "Last-Modified")) {
        m_last_modified = std::string(*modified);
    } else if (auto length = header_value(line, "Content-Length")) {
        m_content_length = parse_u64(*length);
    } else if (auto range = header_value(line, "Content-Range")) {
        // "bytes 100-999/1000"
        if (range->starts_with("bytes ")) m_range_start = parse_u64(range->substr(6));
        if (const auto slash = range->rfind('/'); slash != std::string_view::npos)
            m_range_total = parse_u64(range->substr(slash + 1));
    }
}

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t count, void* self)
{
    auto& t = *static_cast<Transfer*>(self);
    const std::size_t n = size * count;
    if (t.m_status < 200 || t.m_status > 299) return n;  // bodies of errors and redirects
    if (!t.m_body_started && !t.accept_body_start()) return 0;
    if (auto too_big = t.check_size(n)) {
        t.m_sink_error = std::move(too_big);
        return 0;
    }
    auto written = std::visit([&](auto& s) { return s.write(std::string_view(data, n)); }, t.m_sink);
    if (!written) {
        t.m_sink_error = written.error();
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    return n;
}

// The first body bytes of a 2xx response: append after a 206 that answers our Range,
// otherwise the server sends the whole body again and the sink starts over.
bool Transfer::accept_body_start()
{
    m_body_started = true;
    if (const auto* part = std::get_if<RangeSink>(&m_sink)) return accept_range_start(*part);
    if (m_status == 206 && m_range_from > 0) {
        if (m_range_start == m_range_from) return true;
        m_range_mismatch = true;
    }
    if (auto ok = restart_sink(m_sink); !ok) {
        m_sink_error = ok.error();
        return false;
    }
    return !m_range_mismatch;
}

// A byte range accepts only the 206 that starts where it left off, from a file of the expected size.
bool Transfer::accept_range_start(const RangeSink& part)
{
    if (m_status != 206) {
        m_ranges_refused = true;
        return false;
    }
    if (m_range_start != m_range_from) {
        m_range_mismatch = true;
        return false;
    }
    if (m_range_total && *m_range_total != part.file_size()) {
        m_sink_error = Error{ErrorCode::download, "size mismatch: expected " + std::to_string(part.file_size()) +
                                                      " bytes, the server has " + std::to_string(*m_range_total)};
        return false;
    }
    return true;
}

// Stops early when the body grows past the expected size.
std::optional<Error> Transfer::check_size(std::uint64_t incoming) const
{
    const std::uint64_t now = bytes_done() + incoming;
    if (!m_expect.size || now <= *m_expect.size) return std::nullopt;
    return Error{ErrorCode::download, "size mismatch: expected " + std::to_string(*m_expect.size) +
                                          " bytes, got at least " + std::to_string(now)};
}

AttemptOutcome Transfer::end_attempt(CURLcode code)
{
    if (m_sink_error) return fail_with(m_sink_error->code, m_sink_error->message);
    if (m_ranges_refused) return fail_with(ErrorCode::network, "the server ignores Range (answered " +
                                                               std::to_string(m_status) + " to a range request)");
    if (m_range_mismatch) {
        return retry_with("server answered Range " + std::to_string(m_range_from) +
                          "- with a different Content-Range");
    }
    if (code == CURLE_OK) {
        if (m_status >= 200 && m_status <= 299) {
            const bool appended = m_status == 206 && m_range_from > 0;
            const bool is_range = std::holds_alternative<RangeSink>(m_sink);
            if (!m_body_started && !appended && !is_range) {  // an empty body replaces any prefix
                if (auto ok = restart_sink(m_sink); !ok) return fail_with(ok.error().code, ok.error().message);
            }
            return AttemptOutcome{AttemptOutcome::Kind::success, std::nullopt, Error{ErrorCode::network, ""}};
        }
        if (not_modified()) return AttemptOutcome{AttemptOutcome::Kind::success, std::nullopt, Error{ErrorCode::network, ""}};
        return classify_http();
    }
    const std::string detail = m_error_buffer[0] ? std::string(m_error_buffer) : curl_easy_strerror(code);
    if (is_retryable(code)) return retry_with(detail);
    return fail_with(ErrorCode::network, detail);
}

AttemptOutcome Transfer::classify_http()
{
    std::string detail = "HTTP " + std::to_string(m_status);
    if (!m_reason.empty()) detail += " " + m_reason;
    if (m_status == 416 && std::holds_alternative<RangeSink>(m_sink)) {
        return fail_with(ErrorCode::download, detail + " (the server's copy is not the expected " +
                                                  std::to_string(std::get<RangeSink>(m_sink).file_size()) + " bytes)");
    }
    if (m_status == 416 && m_range_from > 0) {  // our prefix is no good: start over
        if (auto ok = restart_sink(m_sink); !ok) return fail_with(ok.error().code, ok.error().message);
        return retry_with(detail);
    }
    if (!is_retryable_status(m_status)) return fail_with(ErrorCode::network, detail);
    AttemptOutcome outcome = retry_with(detail);
    if (honours_retry_after(m_status)) outcome.retry_after = parse_retry_after(m_retry_after, unix_now());
    return outcome;
}

AttemptOutcome Transfer::fail_with(ErrorCode code, std::string message) const
{
    return AttemptOutcome{AttemptOutcome::Kind::failure, std::nullopt, Error{code, where() + message}};
}

AttemptOutcome Transfer::retry_with(std::string message) const
{
    return AttemptOutcome{AttemptOutcome::Kind::retry, std::nullopt, Error{ErrorCode::network, where() + message}};
}

Status Transfer::complete()
{
    if (const auto* part = std::get_if<RangeSink>(&m_sink)) {
        if (part->complete()) return {};
        return fail(ErrorCode::download, where() + "range at " + std::to_string(part->range().start) + " ended after " +
                                             std::to_string(part->size()) + " of " +
                                             std::to_string(part->range().length) + " bytes");
    }
    auto* file = std::get_if<FileSink>(&m_sink);
    if (!file) return {};
    if (not_modified()) {  // the caller keeps what it has; nothing was written
        file->discard();
        return {};
    }
    auto sha = file->finish();
    const auto failed = [&](ErrorCode code, std::string message) {
        file->discard();
        return fail(code, where() + message);
    };
    if (!sha) return failed(sha.error().code, sha.error().message);
    if (m_expect.size && *m_expect.size != file->size()) {
        return failed(ErrorCode::download, "size mismatch: expected " + std::to_string(*m_expect.size) +
                                               " bytes, got " + std::to_string(file->size()));
    }
    if (m_expect.sha256 && !text::iequals(*m_expect.sha256, *sha))
        return failed(ErrorCode::download, "sha256 mismatch: expected " + *m_expect.sha256 + ", got " + *sha);
    m_sha256 = std::move(*sha);
    return {};
}

void Transfer::discard() noexcept
{
    std::visit([](auto& s) { s.discard(); }, m_sink);
}

std::uint64_t Transfer::bytes_done() const
{
    return std::visit([](const auto& s) { return s.size(); }, m_sink);
}

std::uint64_t Transfer::bytes_total() const
{
    if (m_expect.size) return *m_expect.size;
    if (!m_content_length || m_status < 200 || m_status > 299) return 0;
    return (m_status == 206 ? m_range_start.value_or(0) : 0) + *m_content_length;
}

std::string Transfer::where() const
{
    std::string out = m_spec.label.empty() ? std::string() : m_spec.label + ": ";
    return out + text::redact_url(m_spec.url) + ": ";
}

}  // namespace gapbundle::net::detail
