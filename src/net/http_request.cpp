#include <gapbundle/net/http_request.hpp>

#include "curl_handles.hpp"
#include "easy_setup.hpp"
#include "retry_policy.hpp"

#include <gapbundle/util/interrupt.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

namespace gapbundle::net {

namespace {

char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b)
{
    return std::ranges::equal(a, b, [](char x, char y) { return lower(x) == lower(y); });
}

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

Status set_method(CURL* easy, const HttpRequest& request)
{
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
                     curl_slist* headers)
{
    detail::UniqueEasy easy(curl_easy_init());
    if (!easy) return {std::nullopt, Error{ErrorCode::internal, "curl_easy_init failed"}, false};
    char error_buffer[CURL_ERROR_SIZE] = {};
    Exchange exchange;
    exchange.max_body = request.max_body;
    const std::string where = text::redact_url(request.url) + ": ";
    if (auto ok = detail::configure_easy(easy.get(), options, spec, headers, error_buffer); !ok)
        return {std::nullopt, ok.error(), false};
    if (auto ok = set_method(easy.get(), request); !ok) return {std::nullopt, ok.error(), false};
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
        if (iequals(key, name)) return value;
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

    std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const int max_attempts = std::max(options.max_attempts, 1);
    for (int attempt = 1;; ++attempt) {
        Attempt result = attempt_once(request, options, spec, headers->get());
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
