#include "support/http_test_server.hpp"
#include "support/python_index.hpp"

#include <functional>

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/text.hpp>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace gapbundle::testing {

namespace {

bool iequals(std::string_view a, std::string_view b)
{
    return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

// Consumes one use of a fault: times > 0 counts down, times < 0 is forever.
bool take(int& times)
{
    if (times == 0) return false;
    if (times > 0) --times;
    return true;
}

constexpr std::size_t k_chunk = 16 * 1024;

struct Failure {
    int times = 0;
    int status = 500;
    HeaderList headers;
};
struct Drop {
    std::size_t bytes = 0;
    int times = 0;
};
struct Stall {
    std::chrono::milliseconds pause{0};
    std::size_t after = 0;
    int times = 0;
};

struct Script {
    std::optional<std::pair<std::string, int>> redirect;
    std::optional<std::string> authorization;  // the exact header value required
    Failure failure;
    Drop drop;
    Stall stall;
    int wrong_bytes = 0;
    int ignore_range = 0;
    std::optional<Failure> accept;  // status and headers for uploads
};

// A body shared by every request that gets it, so a big file is never copied per request.
struct Content {
    std::shared_ptr<const std::string> body;
    std::string type;
    std::string etag;  // computed once, for served bytes; empty: computed when sent
};

Content make_content(std::string body, std::string type)
{
    return Content{std::make_shared<const std::string>(std::move(body)), std::move(type), ""};
}

// A strong validator for what is served, as static servers send one.
std::string etag_of(const std::string& body)
{
    return "\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
}

// Bodies up to this size are copied into the response; bigger ones are streamed from the shared
// copy in writes of k_stream_write.
constexpr std::size_t k_copy_limit = 1u << 20;
constexpr std::size_t k_stream_write = 256u << 10;

// What one request gets, decided under the lock and acted on outside it.
struct Plan {
    enum class Kind { redirect, unauthorized, failure, not_found, body, accepted, answer };
    Kind kind = Kind::not_found;
    std::string location;
    Failure failure;
    std::shared_ptr<const std::string> body;
    std::string type;
    std::string etag;
    bool ignore_range = false;
    std::optional<Drop> drop;
    std::optional<Stall> stall;
    HeaderList headers;       // added to a body; an answer's headers
    std::string answer_body;  // answer: sent as it is, with failure.status and headers
};

struct SimpleIndex {
    std::string prefix;
    std::filesystem::path folder;
    SimpleFormat format;
};

// A Simple API answer: a page, or a redirect to `location`.
struct SimplePage {
    std::optional<Content> content;
    std::string location;
};

std::optional<std::string> read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

constexpr std::string_view k_simple_json = "application/vnd.pypi.simple.v1+json";
constexpr std::string_view k_simple_html = "application/vnd.pypi.simple.v1+html";

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The q an Accept header gives `offer` (a full type): the most specific matching range decides
// (type/subtype over type/* over */*); 0 when none matches.
double accept_quality(std::string_view accept, std::string_view offer)
{
    double best_q = 0;
    int best_specificity = 0;
    std::size_t start = 0;
    while (start <= accept.size()) {
        const std::size_t end = std::min(accept.find(',', start), accept.size());
        std::string_view item = accept.substr(start, end - start);
        start = end + 1;
        const std::string range = lower(trim(item.substr(0, item.find(';'))));
        double q = 1;
        for (std::size_t at = item.find(';'); at != std::string_view::npos;) {
            const std::size_t next = item.find(';', at + 1);
            const std::string_view param =
                trim(item.substr(at + 1, next == std::string_view::npos ? next : next - at - 1));
            if (param.starts_with("q=") || param.starts_with("Q="))
                q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
            at = next;
        }
        const std::string type = range.substr(0, range.find('/'));
        int specificity = 0;
        if (range == offer) specificity = 3;
        else if (range == type + "/*" && offer.starts_with(type + "/")) specificity = 2;
        else if (range == "*/*") specificity = 1;
        if (specificity > best_specificity) {
            best_specificity = specificity;
            best_q = q;
        }
    }
    return best_q;
}

// PyPI's choice: the acceptable offer with the highest q, ties to the earlier offer; text/html
// when nothing is acceptable or the client sent no Accept header.
std::string negotiate_simple_type(std::string_view accept)
{
    if (trim(accept).empty()) return "text/html";
    static const std::pair<std::string_view, std::string_view> offers[] = {
        {"text/html", "text/html"},
        {k_simple_html, k_simple_html},
        {k_simple_json, k_simple_json},
        {"application/vnd.pypi.simple.latest+html", k_simple_html},
        {"application/vnd.pypi.simple.latest+json", k_simple_json},
    };
    double best_q = 0;
    std::string_view chosen = "text/html";
    for (const auto& [offer, answer] : offers) {
        const double q = accept_quality(accept, offer);
        if (q > best_q) {
            best_q = q;
            chosen = answer;
        }
    }
    return std::string(chosen);
}

}  // namespace

std::optional<std::string> RecordedRequest::header(std::string_view name) const
{
    for (const auto& [key, value] : headers)
        if (iequals(key, name)) return value;
    return std::nullopt;
}

std::optional<std::string> RouteRequest::header(std::string_view name) const
{
    for (const auto& [key, value] : headers)
        if (iequals(key, name)) return value;
    return std::nullopt;
}

std::optional<std::string> RouteRequest::param(std::string_view name) const
{
    for (const auto& [key, value] : params)
        if (key == name) return value;
    return std::nullopt;
}

struct HttpTestServer::Impl {
    std::unique_ptr<httplib::Server> owned_server;
    httplib::Server& server;
    std::string scheme = "http";
    std::thread thread;
    int port = -1;
    std::atomic<bool> stopping{false};

    mutable std::mutex mutex;
    std::map<std::string, Content> bytes;
    std::vector<std::pair<std::string, std::filesystem::path>> dirs;
    std::vector<SimpleIndex> simple_indexes;
    std::map<std::string, Script> scripts;
    std::vector<RecordedRequest> log;
    std::map<std::string, std::deque<Content>> sequences;  // path → the next bodies, the last repeated
    std::vector<std::pair<std::string, Route>> routes;      // path prefix → route

    void handle(const httplib::Request& req, httplib::Response& res);
    std::optional<RouteAnswer> ask_routes(const httplib::Request& req);
    Plan plan_for(const httplib::Request& req, std::optional<RouteAnswer> routed);
    std::optional<Content> find_content(const std::string& path);
    std::optional<SimplePage> find_simple_page(const httplib::Request& req);
    void send_body(const httplib::Request& req, httplib::Response& res, Plan& plan);
    void send_dropping(httplib::Response& res, const Plan& plan);
    void send_stalling(httplib::Response& res, const Plan& plan);
};

std::optional<Content> HttpTestServer::Impl::find_content(const std::string& path)
{
    if (auto it = sequences.find(path); it != sequences.end() && !it->second.empty()) {
        Content next = it->second.front();
        if (it->second.size() > 1) it->second.pop_front();
        return next;
    }
    if (auto it = bytes.find(path); it != bytes.end()) return it->second;
    for (const auto& [prefix, folder] : dirs) {
        if (!path.starts_with(prefix + "/")) continue;
        const std::string rel = path.substr(prefix.size() + 1);
        if (rel.empty() || rel.find("..") != std::string::npos) return std::nullopt;
        if (auto body = read_file(folder / rel)) return make_content(std::move(*body), "application/octet-stream");
    }
    return std::nullopt;
}

std::optional<SimplePage> HttpTestServer::Impl::find_simple_page(const httplib::Request& req)
{
    for (const auto& index : simple_indexes) {
        if (!req.path.starts_with(index.prefix + "/")) continue;
        std::string_view rel = std::string_view(req.path).substr(index.prefix.size() + 1);
        const bool slash = rel.ends_with('/');
        if (slash) rel.remove_suffix(1);
        if (rel.find('/') != std::string_view::npos || rel.find("..") != std::string_view::npos) return std::nullopt;
        const std::string name(rel);
        if (!name.empty()) {
            const std::string canonical = canonical_project_name(name);
            if (!std::filesystem::is_directory(index.folder / canonical)) return std::nullopt;
            // As PyPI does: the slash form, under the canonical name.
            if (!slash || canonical != name) return SimplePage{std::nullopt, index.prefix + "/" + canonical + "/"};
        }
        std::string type = index.format == SimpleFormat::json   ? std::string(k_simple_json)
                           : index.format == SimpleFormat::html ? std::string("text/html")
                                                                : negotiate_simple_type(req.get_header_value("Accept"));
        const char* file = type == k_simple_json ? "index.json" : "index.html";
        auto body = read_file(index.folder / name / file);
        if (!body) return std::nullopt;
        return SimplePage{make_content(std::move(*body), std::move(type)), ""};
    }
    return std::nullopt;
}

std::optional<RouteAnswer> HttpTestServer::Impl::ask_routes(const httplib::Request& req)
{
    if (req.method != "GET" && req.method != "HEAD") return std::nullopt;
    std::vector<Route> candidates;
    {
        std::lock_guard lock(mutex);
        for (const auto& [prefix, route] : routes)
            if (req.path.starts_with(prefix)) candidates.push_back(route);
    }
    if (candidates.empty()) return std::nullopt;
    const RouteRequest view{req.method, req.path, req.target, HeaderList(req.params.begin(), req.params.end()),
                            HeaderList(req.headers.begin(), req.headers.end())};
    for (const auto& route : candidates)
        if (auto answer = route(view)) return answer;
    return std::nullopt;
}

Plan HttpTestServer::Impl::plan_for(const httplib::Request& req, std::optional<RouteAnswer> routed)
{
    std::lock_guard lock(mutex);
    log.push_back(RecordedRequest{req.method, req.path, HeaderList(req.headers.begin(), req.headers.end()),
                                  req.body.size(), crypto::sha256_hex(req.body)});
    Script& script = scripts[req.path];
    Plan plan;
    if (script.redirect) {
        plan.kind = Plan::Kind::redirect;
        plan.location = script.redirect->first;
        plan.failure.status = script.redirect->second;
        return plan;
    }
    if (script.authorization && req.get_header_value("Authorization") != *script.authorization) {
        plan.kind = Plan::Kind::unauthorized;
        return plan;
    }
    if (take(script.failure.times)) {
        plan.kind = Plan::Kind::failure;
        plan.failure = script.failure;
        return plan;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        if (script.accept) {
            plan.kind = Plan::Kind::accepted;
            plan.failure = *script.accept;
        }
        return plan;
    }
    std::optional<Content> content;
    if (routed && routed->status != 200) {
        plan.kind = Plan::Kind::answer;
        plan.failure.status = routed->status;
        plan.headers = std::move(routed->headers);
        plan.answer_body = std::move(routed->body);
        plan.type = std::move(routed->content_type);
        return plan;
    }
    if (routed) {
        content = routed->shared_body ? Content{routed->shared_body, std::move(routed->content_type), ""}
                                      : make_content(std::move(routed->body), std::move(routed->content_type));
        plan.headers = std::move(routed->headers);
    } else if (auto page = find_simple_page(req)) {
        if (!page->content) {
            plan.kind = Plan::Kind::redirect;
            plan.location = page->location;
            plan.failure.status = 301;
            return plan;
        }
        content = std::move(page->content);
        plan.headers.emplace_back("Vary", "Accept");
    } else {
        content = find_content(req.path);
    }
    if (!content) return plan;  // not_found
    plan.kind = Plan::Kind::body;
    // A route's fault key lets one fault cover every URL of the same content.
    Script& faults = routed && !routed->fault_key.empty() ? scripts[routed->fault_key] : script;
    if (take(faults.wrong_bytes) && !content->body->empty()) {
        std::string changed = *content->body;
        changed[0] = static_cast<char>(~changed[0]);
        *content = make_content(std::move(changed), std::move(content->type));
    }
    plan.body = std::move(content->body);
    plan.type = std::move(content->type);
    plan.etag = std::move(content->etag);
    plan.ignore_range = take(faults.ignore_range);
    if (take(faults.drop.times)) plan.drop = faults.drop;
    else if (take(faults.stall.times)) plan.stall = faults.stall;
    return plan;
}

void HttpTestServer::Impl::handle(const httplib::Request& req, httplib::Response& res)
{
    Plan plan = plan_for(req, ask_routes(req));
    // httplib would cut an error or redirect body to the Range asked for; servers send it whole.
    if (plan.kind != Plan::Kind::body) const_cast<httplib::Request&>(req).ranges.clear();
    switch (plan.kind) {
    case Plan::Kind::redirect:
        res.set_redirect(plan.location, plan.failure.status);
        return;
    case Plan::Kind::unauthorized:
        res.status = 401;
        res.set_header("WWW-Authenticate", "Basic realm=\"test\"");
        res.set_content("unauthorized\n", "text/plain");
        return;
    case Plan::Kind::failure:
        res.status = plan.failure.status;
        for (const auto& [name, value] : plan.failure.headers) res.set_header(name, value);
        res.set_content("injected failure\n", "text/plain");
        return;
    case Plan::Kind::not_found:
        res.status = 404;
        res.set_content("not found\n", "text/plain");
        return;
    case Plan::Kind::body:
        send_body(req, res, plan);
        return;
    case Plan::Kind::accepted:
        res.status = plan.failure.status;
        for (const auto& [name, value] : plan.failure.headers) res.set_header(name, value);
        return;
    case Plan::Kind::answer:
        res.status = plan.failure.status;
        for (const auto& [name, value] : plan.headers) res.set_header(name, value);
        if (!plan.answer_body.empty()) res.set_content(plan.answer_body, plan.type.c_str());
        return;
    }
}

void HttpTestServer::Impl::send_body(const httplib::Request& req, httplib::Response& res, Plan& plan)
{
    // A strong validator for what is served now, as static servers send one, unless a route
    // gave its own.
    std::string etag;
    const auto own = std::ranges::find_if(plan.headers, [](const auto& h) { return iequals(h.first, "ETag"); });
    if (own != plan.headers.end()) {
        etag = own->second;
    } else {
        etag = plan.etag.empty() ? etag_of(*plan.body) : plan.etag;
        res.set_header("ETag", etag);
    }
    for (const auto& [name, value] : plan.headers) res.set_header(name, value);
    if (req.get_header_value("If-None-Match") == etag) {
        res.status = 304;
        return;
    }
    if (plan.ignore_range) {
        // httplib applies ranges after the handler; this request object is the server's own.
        const_cast<httplib::Request&>(req).ranges.clear();
        res.status = 200;
    }
    if (plan.drop) return send_dropping(res, plan);
    if (plan.stall) return send_stalling(res, plan);
    if (plan.body->size() <= k_copy_limit) return res.set_content(*plan.body, plan.type.c_str());
    // httplib asks for the range's bytes by offset.
    res.set_content_provider(plan.body->size(), plan.type,
                             [body = plan.body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                 return sink.write(body->data() + offset, std::min(length, k_stream_write));
                             });
}

void HttpTestServer::Impl::send_dropping(httplib::Response& res, const Plan& plan)
{
    auto sent = std::make_shared<std::size_t>(0);
    const std::size_t limit = plan.drop->bytes;
    res.set_content_provider(plan.body->size(), plan.type,
                             [body = plan.body, sent, limit](std::size_t offset, std::size_t length,
                                                             httplib::DataSink& sink) {
                                 const std::size_t n = std::min({length, limit - std::min(limit, *sent), k_chunk});
                                 if (n == 0) return false;  // closes the connection mid-body
                                 *sent += n;
                                 return sink.write(body->data() + offset, n);
                             });
}

void HttpTestServer::Impl::send_stalling(httplib::Response& res, const Plan& plan)
{
    auto sent = std::make_shared<std::size_t>(0);
    auto paused = std::make_shared<bool>(false);
    const Stall stall = *plan.stall;
    res.set_content_provider(
        plan.body->size(), plan.type,
        [this, body = plan.body, sent, paused, stall](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            if (*sent >= stall.after && !*paused) {
                *paused = true;
                const auto until = std::chrono::steady_clock::now() + stall.pause;
                while (!stopping && std::chrono::steady_clock::now() < until)
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            const std::size_t room = *paused ? length : stall.after - *sent;
            const std::size_t n = std::min({length, room, k_chunk});
            *sent += n;
            return sink.write(body->data() + offset, n);
        });
}

HttpTestServer::HttpTestServer() : HttpTestServer(std::nullopt) {}

HttpTestServer::HttpTestServer(const std::optional<TlsFiles>& tls)
{
    auto server = tls ? std::make_unique<httplib::SSLServer>(tls->certificate.c_str(), tls->private_key.c_str())
                      : std::make_unique<httplib::Server>();
    if (!server->is_valid()) throw std::runtime_error("HttpTestServer: cannot load the TLS certificate or key");
    httplib::Server& ref = *server;
    m_impl.reset(new Impl{std::move(server), ref});
    if (tls) m_impl->scheme = "https";
    Impl& impl = *m_impl;
    impl.server.new_task_queue = [] { return new httplib::ThreadPool(16); };
    impl.server.set_keep_alive_timeout(1);
    const auto handler = [&impl](const httplib::Request& req, httplib::Response& res) { impl.handle(req, res); };
    impl.server.Get(R"(/.*)", handler);
    impl.server.Put(R"(/.*)", handler);
    impl.server.Patch(R"(/.*)", handler);
    impl.server.Post(R"(/.*)", handler);
    impl.port = impl.server.bind_to_any_port("127.0.0.1");
    if (impl.port <= 0) throw std::runtime_error("HttpTestServer: cannot bind 127.0.0.1");
    impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!impl.server.is_running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

HttpTestServer::~HttpTestServer()
{
    m_impl->stopping = true;
    m_impl->server.stop();
    if (m_impl->thread.joinable()) m_impl->thread.join();
}

int HttpTestServer::port() const { return m_impl->port; }

std::string HttpTestServer::url(std::string_view path) const { return url_on("127.0.0.1", path); }

std::string HttpTestServer::url_on(std::string_view host, std::string_view path) const
{
    return m_impl->scheme + "://" + std::string(host) + ":" + std::to_string(m_impl->port) + std::string(path);
}

void HttpTestServer::serve_bytes(const std::string& path, std::string body, std::string content_type)
{
    std::lock_guard lock(m_impl->mutex);
    Content content = make_content(std::move(body), std::move(content_type));
    content.etag = etag_of(*content.body);
    m_impl->bytes[path] = std::move(content);
}

void HttpTestServer::serve_sequence(const std::string& path, std::vector<std::string> bodies, std::string content_type)
{
    std::lock_guard lock(m_impl->mutex);
    auto& queue = m_impl->sequences[path];
    queue.clear();
    for (auto& body : bodies) queue.push_back(make_content(std::move(body), content_type));
}

void HttpTestServer::serve_dir(const std::string& url_prefix, const std::filesystem::path& folder)
{
    std::lock_guard lock(m_impl->mutex);
    std::string prefix = url_prefix;
    while (prefix.ends_with('/')) prefix.pop_back();
    m_impl->dirs.emplace_back(std::move(prefix), folder);
}

void HttpTestServer::serve_simple_index(const std::string& url_prefix, const std::filesystem::path& simple_folder,
                                        SimpleFormat format)
{
    std::lock_guard lock(m_impl->mutex);
    std::string prefix = url_prefix;
    while (prefix.ends_with('/')) prefix.pop_back();
    m_impl->simple_indexes.push_back(SimpleIndex{std::move(prefix), simple_folder, format});
}

void HttpTestServer::serve_route(const std::string& path_prefix, Route route)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->routes.emplace_back(path_prefix, std::move(route));
}

void HttpTestServer::accept_uploads(const std::string& path, int status, HeaderList headers)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->scripts[path].accept = Failure{-1, status, std::move(headers)};
}

void HttpTestServer::fail_times(const std::string& path, int times, int status, HeaderList headers)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->scripts[path].failure = Failure{times, status, std::move(headers)};
}

void HttpTestServer::drop_after(const std::string& path, std::size_t bytes, int times)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->scripts[path].drop = Drop{bytes, times};
}

void HttpTestServer::stall(const std::string& path, std::chrono::milliseconds pause, std::size_t after_bytes,
                           int times)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->scripts[path].stall = Stall{pause, after_bytes, times};
}

void HttpTestServer::wrong_bytes(const std::string& path, int times)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->scripts[path].wrong_bytes = times;
}

void HttpTestServer::ignore_range(const std::string& path, int times)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->scripts[path].ignore_range = times;
}

void HttpTestServer::redirect(const std::string& from, const std::string& to, int status)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->scripts[from].redirect = std::pair(to, status);
}

void HttpTestServer::require_basic_auth(const std::string& path, std::string user, std::string password)
{
    const std::string pair = user + ":" + password;
    const auto* data = reinterpret_cast<const std::uint8_t*>(pair.data());
    std::lock_guard lock(m_impl->mutex);
    m_impl->scripts[path].authorization = "Basic " + text::base64_encode(std::span(data, pair.size()));
}

void HttpTestServer::require_bearer(const std::string& path, std::string token)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->scripts[path].authorization = "Bearer " + token;
}

int HttpTestServer::requests(const std::string& path) const
{
    std::lock_guard lock(m_impl->mutex);
    return static_cast<int>(std::ranges::count(m_impl->log, path, &RecordedRequest::path));
}

std::vector<RecordedRequest> HttpTestServer::requests_to(const std::string& path) const
{
    std::lock_guard lock(m_impl->mutex);
    std::vector<RecordedRequest> out;
    std::ranges::copy_if(m_impl->log, std::back_inserter(out), [&](const auto& r) { return r.path == path; });
    return out;
}

std::optional<std::string> HttpTestServer::last_header(const std::string& path, std::string_view name) const
{
    auto all = requests_to(path);
    if (all.empty()) return std::nullopt;
    return all.back().header(name);
}

std::vector<RecordedRequest> HttpTestServer::all_requests() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->log;
}

void HttpTestServer::clear_log()
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->log.clear();
}

}  // namespace gapbundle::testing
