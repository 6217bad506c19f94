#include <gapbundle/net/http_request.hpp>

#include "curl_handles.hpp"
#include "easy_setup.hpp"
#include "retry_policy.hpp"

#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/interrupt.hpp>
#include <gapbundle/util/text.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <random>
#include <thread>

namespace gapbundle::net {

namespace {

std::int64_t unix_now()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// What one attempt collects through libcurl's callbacks.
struct Exchange {
    HttpResponse response;
    std::uint64_t max_body = 0;
    bool too_big = false;

    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self)
    {
        static_cast<Exchange*>(self)->take_header(std::string_view(data, size * count));
        return size * count;
    }

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self)
    {
        auto& e = *static_cast<Exchange*>(self);
        const std::size_t n = size * count;
        if (e.response.body.size() + n > e.max_body) {
            e.too_big = true;
            return 0;
        }
        e.response.body.append(data, n);
        return n;
    }

    void take_header(std::string_view line)
    {
        line = text::trim(line);
        if (line.starts_with("HTTP/")) {  // a new response: a redirect's, or the final one
            response.headers.clear();
            response.body.clear();
            return;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return;
        response.headers.emplace_back(std::string(text::trim(line.substr(0, colon))),
                                      std::string(text::trim(line.substr(colon + 1))));
    }
};

// The region of a file a PUT or PATCH sends, read with pread so that libcurl can rewind it
// (for a redirect) and each attempt can start over.
class UploadSource {
public:
    static Result<UploadSource> open(const HttpRequest& request)
    {
        const std::string where = request.upload_file.string() + ": ";
        UploadSource source;
        source.m_fd = UniqueFd(::open(request.upload_file.c_str(), O_RDONLY | O_CLOEXEC));
        if (!source.m_fd.valid()) return fail(ErrorCode::io, where + errno_text(errno));
        struct stat info {};
        if (::fstat(source.m_fd.get(), &info) != 0) return fail(ErrorCode::io, where + errno_text(errno));
        const auto size = static_cast<std::uint64_t>(info.st_size);
        if (request.upload_offset > size || request.upload_length > size - request.upload_offset)
            return fail(ErrorCode::io, where + "shorter (" + std::to_string(size) + " bytes) than the " +
                                           std::to_string(request.upload_length) + " bytes to send from offset " +
                                           std::to_string(request.upload_offset));
        source.m_offset = request.upload_offset;
        source.m_length = request.upload_length;
        return source;
    }

    void rewind()
    {
        m_position = 0;
        m_read_error.reset();
        m_interrupted = false;
    }
    [[nodiscard]] std::uint64_t length() const { return m_length; }
    [[nodiscard]] const std::optional<std::string>& read_error() const { return m_read_error; }
    [[nodiscard]] bool interrupted() const { return m_interrupted; }

    static std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* self)
    {
        auto& source = *static_cast<UploadSource*>(self);
        const std::uint64_t left = source.m_length - source.m_position;
        const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(size * count, left));
        if (wanted == 0) return 0;
        if (interrupt::requested()) {
            source.m_interrupted = true;
            return CURL_READFUNC_ABORT;
        }
        const ssize_t got =
            ::pread(source.m_fd.get(), buffer, wanted, static_cast<off_t>(source.m_offset + source.m_position));
        if (got <= 0) {
            source.m_read_error = got == 0 ? std::string("file ended early") : errno_text(errno);
            return CURL_READFUNC_ABORT;
        }
        source.m_position += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
    }

    static int on_seek(void* self, curl_off_t offset, int origin)
    {
        auto& source = *static_cast<UploadSource*>(self);
        if (origin != SEEK_SET || offset < 0 || static_cast<std::uint64_t>(offset) > source.m_length)
            return CURL_SEEKFUNC_CANTSEEK;
        source.m_position = static_cast<std::uint64_t>(offset);
        return CURL_SEEKFUNC_OK;
    }

private:
    UniqueFd m_fd;
    std::uint64_t m_offset = 0;
    std::uint64_t m_length = 0;
    std::uint64_t m_position = 0;
    std::optional<std::string> m_read_error;
    bool m_interrupted = false;
};

Status set_upload(CURL* easy, const HttpRequest& request, UploadSource& source)
{
    if (request.method != "PUT" && request.method != "PATCH")
        return fail(ErrorCode::internal, "a file upload needs PUT or PATCH, not " + request.method);
    source.rewind();
    CURLcode code = curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    if (code == CURLE_OK)
        code = curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(source.length()));
    if (code == CURLE_OK) code = curl_easy_setopt(easy, CURLOPT_READFUNCTION, &UploadSource::on_read);
    if (code == CURLE_OK) code = curl_easy_setopt(easy, CURLOPT_READDATA, &source);
    if (code == CURLE_OK) code = curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, &UploadSource::on_seek);
    if (code == CURLE_OK) code = curl_easy_setopt(easy, CURLOPT_SEEKDATA, &source);
    if (code == CURLE_OK && request.method != "PUT")
        code = curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (code != CURLE_OK)
        return fail(ErrorCode::internal, std::string("curl_easy_setopt: ") + curl_easy_strerror(code));
    return {};
}

Status set_method(CURL* easy, const HttpRequest& request, UploadSource* upload)
{
    if (upload) return set_upload(easy, request, *upload);
    CURLcode code = CURLE_OK;
    if (request.method == "HEAD") {
        code = curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (request.method != "GET" || !request.body.empty()) {
        code = curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        if (code == CURLE_OK) code = curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, request.body.c_str());
        if (code == CURLE_OK && request.method != "POST")
            code = curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (code != CURLE_OK)
        return fail(ErrorCode::internal, std::string("curl_easy_setopt: ") + curl_easy_strerror(code));
    return {};
}

// Sleeps in short slices so that Ctrl-C is not held up by a long Retry-After.
Status wait_for(std::chrono::milliseconds delay)
{
    const auto until = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < until) {
        if (auto ok = interrupt::check(); !ok) return ok;
        std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
            std::chrono::milliseconds(50),
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()) +
                std::chrono::milliseconds(1)));
    }
    return interrupt::check();
}

struct Attempt {
    std::optional<HttpResponse> response;  // set when an HTTP answer came
    std::optional<Error> error;            // set when none came (or the body was too big)
    bool retryable = false;
};

Attempt attempt_once(const HttpRequest& request, const EngineOptions& options, const detail::TransferSpec& spec,
                     curl_slist* headers, UploadSource* upload)
{
    detail::UniqueEasy easy(curl_easy_init());
    if (!easy) return {std::nullopt, Error{ErrorCode::internal, "curl_easy_init failed"}, false};
    char error_buffer[CURL_ERROR_SIZE] = {};
    Exchange exchange;
    exchange.max_body = request.max_body;
    const std::string where = text::redact_url(request.url) + ": ";
    if (auto ok = detail::configure_easy(easy.get(), options, spec, headers, error_buffer); !ok)
        return {std::nullopt, ok.error(), false};
    if (auto ok = set_method(easy.get(), request, upload); !ok) return {std::nullopt, ok.error(), false};
    curl_easy_setopt(easy.get(), CURLOPT_HEADERFUNCTION, &Exchange::on_header);
    curl_easy_setopt(easy.get(), CURLOPT_HEADERDATA, &exchange);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &Exchange::on_body);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &exchange);

    const CURLcode code = curl_easy_perform(easy.get());
    if (exchange.too_big) {
        return {std::nullopt,
                Error{ErrorCode::network, where + "response body larger than " + text::human_bytes(request.max_body)},
                false};
    }
    if (upload && upload->interrupted()) return {std::nullopt, Error{ErrorCode::interrupted, "interrupted"}, false};
    if (upload && upload->read_error()) {
        return {std::nullopt,
                Error{ErrorCode::io, request.upload_file.string() + ": cannot read: " + *upload->read_error()}, false};
    }
    if (code != CURLE_OK) {
        const std::string detail = error_buffer[0] ? std::string(error_buffer) : curl_easy_strerror(code);
        return {std::nullopt, Error{ErrorCode::network, where + detail}, detail::is_retryable(code)};
    }
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &exchange.response.status);
    const char* effective = nullptr;
    curl_easy_getinfo(easy.get(), CURLINFO_EFFECTIVE_URL, &effective);
    exchange.response.effective_url = effective ? effective : request.url;
    const bool retry = detail::is_retryable_status(exchange.response.status);
    return {std::move(exchange.response), std::nullopt, retry};
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const
{
    for (const auto& [key, value] : headers)
        if (text::iequals(key, name)) return value;
    return std::nullopt;
}

Result<HttpResponse> send(const HttpRequest& request, const EngineOptions& options)
{
    detail::TransferSpec spec;
    spec.url = request.url;
    spec.credentials = request.credentials;
    spec.headers = request.headers;
    auto headers = detail::build_header_list(spec);
    if (!headers) return std::unexpected(headers.error());
    std::optional<UploadSource> upload;
    if (!request.upload_file.empty()) {
        auto opened = UploadSource::open(request);
        if (!opened) return std::unexpected(opened.error());
        upload = std::move(*opened);
    }

    std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const int max_attempts = std::max(options.max_attempts, 1);
    for (int attempt = 1;; ++attempt) {
        Attempt result = attempt_once(request, options, spec, headers->get(), upload ? &*upload : nullptr);
        if (!result.retryable || attempt >= max_attempts) {
            if (result.response) return std::move(*result.response);
            return std::unexpected(std::move(*result.error));
        }
        std::optional<std::chrono::seconds> retry_after;
        if (result.response && detail::honours_retry_after(result.response->status)) {
            if (auto value = result.response->header("Retry-After"))
                retry_after = detail::parse_retry_after(*value, unix_now());
        }
        if (auto ok = wait_for(detail::retry_delay(options, attempt, retry_after, unit(rng))); !ok)
            return std::unexpected(ok.error());
    }
}

}  // namespace gapbundle::net
