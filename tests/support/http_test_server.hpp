#pragma once

// An in-process HTTP server on 127.0.0.1 for tests, with scripted faults per path.
// Content comes from serve_bytes(), serve_dir(), serve_simple_index() and serve_route(); faults
// apply to any path, counted per request to that path, and run in this order: redirect, auth,
// fail_times, then the body with its faults (wrong_bytes, ignore_range, drop_after, stall).
// Range requests are honoured (one range) unless ignore_range() says otherwise; error and
// redirect bodies are sent whole. Everything is thread-safe.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gapbundle::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// How serve_simple_index answers: always PEP 691 JSON, always PEP 503 HTML, or by the request's
// Accept header as PyPI does.
enum class SimpleFormat { json, html, negotiate };

struct RecordedRequest {
    std::string method;
    std::string path;
    HeaderList headers;
    std::size_t body_size = 0;  // the request's body (PUT, PATCH, POST)
    std::string body_sha256;    // hex
    // Case-insensitive lookup of the first header `name`.
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

// A GET or HEAD request as a route (serve_route) sees it.
struct RouteRequest {
    std::string method;
    std::string path;    // percent-decoded, without the query
    std::string target;  // as sent: still percent-encoded, with the query
    HeaderList params;   // the query, decoded, in order
    HeaderList headers;
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;  // case-insensitive
    [[nodiscard]] std::optional<std::string> param(std::string_view name) const;
};

// What a route answers. A 200 is a body like served content: Range is honoured, an ETag is
// added unless `headers` has one, and the body faults apply, looked up under `fault_key` when it
// is set (so one fault can cover several URLs of the same content), else under the request path.
// Any other status is sent as it is, with `headers` and `body`.
struct RouteAnswer {
    int status = 200;
    HeaderList headers;
    std::string body;
    std::string content_type = "application/json";
    std::string fault_key;
    // A 200's body shared with the route's own copy, when set (big files: no copy per request).
    std::shared_ptr<const std::string> shared_body;
};

// nullopt: not this route's business (the next route, then the served content, decide).
using Route = std::function<std::optional<RouteAnswer>(const RouteRequest&)>;

// PEM files for an HTTPS server.
struct TlsFiles {
    std::filesystem::path certificate;
    std::filesystem::path private_key;
};

class HttpTestServer {
public:
    HttpTestServer();   // listening on 127.0.0.1, free port, before it returns
    explicit HttpTestServer(const std::optional<TlsFiles>& tls);  // HTTPS when given
    ~HttpTestServer();  // stops, waits for its threads
    HttpTestServer(const HttpTestServer&) = delete;
    HttpTestServer& operator=(const HttpTestServer&) = delete;

    [[nodiscard]] int port() const;
    // "http://127.0.0.1:PORT/path" (path starts with '/'); url_on("localhost", p) for another host name.
    [[nodiscard]] std::string url(std::string_view path) const;
    [[nodiscard]] std::string url_on(std::string_view host, std::string_view path) const;

    // Content.
    void serve_bytes(const std::string& path, std::string body,
                     std::string content_type = "application/octet-stream");
    // Each request to `path` gets the next body; the last one is repeated.
    void serve_sequence(const std::string& path, std::vector<std::string> bodies,
                        std::string content_type = "application/json");
    // GET url_prefix + "/rel" serves folder/rel (no "..").
    void serve_dir(const std::string& url_prefix, const std::filesystem::path& folder);
    // A Simple API tree as tests/tools/pypi_index.py writes it (simple_folder/index.{json,html},
    // simple_folder/NAME/index.{json,html}): GET url_prefix + "/" is the root page,
    // url_prefix + "/NAME/" a project page, url_prefix + "/NAME" a 301 to the slash form.
    // json: index.json as application/vnd.pypi.simple.v1+json; html: index.html as text/html;
    // negotiate: PyPI's choice by Accept among text/html, application/vnd.pypi.simple.v1+html and
    // application/vnd.pypi.simple.v1+json (".latest+" aliases accepted): the highest q wins, ties
    // and no Accept header go to text/html, nothing acceptable gets text/html too; answers carry
    // "Vary: Accept". Faults apply to these paths as to any other. The files the pages link to
    // (../../files/...) are served by serve_dir.
    void serve_simple_index(const std::string& url_prefix, const std::filesystem::path& simple_folder,
                            SimpleFormat format);

    // GET and HEAD requests whose path starts with `path_prefix` go to `route` first (routes in
    // the order added). The route runs on a server thread, outside the server's lock. Faults keyed
    // by the request path (redirect, auth, fail_times) run before the answer is used.
    void serve_route(const std::string& path_prefix, Route route);

    // PUT, PATCH and POST to `path` are answered `status` (with `headers`) and an empty body;
    // the request log records each body's size and sha256. Faults apply as for GET.
    void accept_uploads(const std::string& path, int status = 201, HeaderList headers = {});

    // Faults. `times` < 0 means every request.
    // Answers `status` (with `headers`, e.g. {"Retry-After", "1"}) to the next `times` requests.
    void fail_times(const std::string& path, int times, int status, HeaderList headers = {});
    // Announces the full Content-Length, sends `bytes` bytes of the body, then closes the connection.
    void drop_after(const std::string& path, std::size_t bytes, int times = 1);
    // Sends `after_bytes` bytes, then nothing for `pause` (ends early when the client leaves
    // or the server stops), then the rest.
    void stall(const std::string& path, std::chrono::milliseconds pause, std::size_t after_bytes = 0,
               int times = 1);
    // Serves the body with its first byte changed (same length).
    void wrong_bytes(const std::string& path, int times = -1);
    // Answers 200 with the whole body even when asked for a Range.
    void ignore_range(const std::string& path, int times = -1);
    // `to` is a path on this server or an absolute URL.
    void redirect(const std::string& from, const std::string& to, int status = 302);
    void require_basic_auth(const std::string& path, std::string user, std::string password);
    void require_bearer(const std::string& path, std::string token);

    // Request log.
    [[nodiscard]] int requests(const std::string& path) const;
    [[nodiscard]] std::vector<RecordedRequest> requests_to(const std::string& path) const;
    // A header of the last request to `path`; nullopt when absent or no request came.
    [[nodiscard]] std::optional<std::string> last_header(const std::string& path, std::string_view name) const;
    // Every request, in order of arrival.
    [[nodiscard]] std::vector<RecordedRequest> all_requests() const;
    void clear_log();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace gapbundle::testing
