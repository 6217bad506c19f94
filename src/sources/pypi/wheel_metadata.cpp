#include <gapbundle/sources/pypi/wheel_metadata.hpp>

#include "zip_directory.hpp"

#include <gapbundle/net/http_request.hpp>
#include <gapbundle/sources/pypi/version.hpp>
#include <gapbundle/sources/pypi/wheel_name.hpp>
#include <gapbundle/util/text.hpp>

#include <spdlog/spdlog.h>

#include <charconv>
#include <optional>

namespace gapbundle::sources::pypi {

namespace {

constexpr std::uint64_t k_first_read = 16 << 10;

struct ContentRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::uint64_t total = 0;
};

bool parse_number(std::string_view text, std::uint64_t& out)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

// "bytes 100-199/2000"; nullopt for anything else, "*" totals included.
std::optional<ContentRange> parse_content_range(std::string_view value)
{
    value = text::trim(value);
    if (!value.starts_with("bytes ")) return std::nullopt;
    value.remove_prefix(6);
    const auto dash = value.find('-');
    const auto slash = value.find('/');
    if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) return std::nullopt;
    ContentRange range;
    if (!parse_number(value.substr(0, dash), range.first) ||
        !parse_number(value.substr(dash + 1, slash - dash - 1), range.last) ||
        !parse_number(value.substr(slash + 1), range.total) || range.first > range.last || range.last >= range.total)
        return std::nullopt;
    return range;
}

// The wheel over HTTP: its tail from the first request is kept, other reads are Range requests.
// When the server answers 200 with the whole file, that is kept instead and used from then on.
class HttpWheelSource final : public zip::ByteSource {
public:
    HttpWheelSource(std::string url, const net::Credentials& credentials, const net::EngineOptions& options,
                    const WheelMetadataLimits& limits)
        : m_url(std::move(url)), m_credentials(credentials), m_options(options), m_limits(limits)
    {
    }

    Status open()
    {
        auto response = get("bytes=-" + std::to_string(k_first_read));
        if (!response) return std::unexpected(response.error());
        if (response->status == 200) return keep_whole(std::move(response->body));
        if (response->status == 416) {  // some servers refuse suffix ranges: take the whole file
            response = get(std::nullopt);
            if (!response) return std::unexpected(response.error());
            if (response->status != 200) return status_error(response->status);
            return keep_whole(std::move(response->body));
        }
        if (response->status != 206) return status_error(response->status);
        const auto range = response->header("Content-Range").and_then(parse_content_range);
        if (!range || range->last != range->total - 1 || response->body.size() != range->last - range->first + 1)
            return fail(ErrorCode::download, "unusable Content-Range in the answer to a suffix range request");
        m_size = range->total;
        m_tail_at = range->first;
        m_tail = std::move(response->body);
        return {};
    }

    [[nodiscard]] std::uint64_t size() const override { return m_size; }
    [[nodiscard]] WheelTransfer transfer() const { return m_whole ? WheelTransfer::whole_file : WheelTransfer::ranges; }

    Result<std::string> read(std::uint64_t offset, std::uint64_t length) override
    {
        if (offset > m_size || length > m_size - offset)
            return fail(ErrorCode::download, "read past the end of the file");
        if (m_whole || offset >= m_tail_at) return m_tail.substr(offset - m_tail_at, length);
        if (length == 0) return std::string();
        auto response = get("bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1));
        if (!response) return std::unexpected(response.error());
        if (response->status == 200) {
            if (response->body.size() != m_size)
                return fail(ErrorCode::download, "the file changed size between requests");
            if (auto ok = keep_whole(std::move(response->body)); !ok) return std::unexpected(ok.error());
            return m_tail.substr(offset, length);
        }
        if (response->status != 206) return status_error(response->status);
        const auto range = response->header("Content-Range").and_then(parse_content_range);
        if (!range || range->first != offset || range->total != m_size || response->body.size() != length)
            return fail(ErrorCode::download, "the server answered a different range than asked");
        return std::move(response->body);
    }

private:
    Result<net::HttpResponse> get(const std::optional<std::string>& range)
    {
        net::HttpRequest request;
        request.url = m_url;
        request.headers = {"Accept-Encoding: identity"};
        if (range) request.headers.push_back("Range: " + *range);
        request.credentials = m_credentials;
        request.max_body = m_limits.max_whole_wheel;
        auto response = net::send(request, m_options);
        if (response) return response;
        // The caller names the URL; a body over the cap means Range was ignored.
        Error error = std::move(response.error());
        if (const std::string prefix = text::redact_url(m_url) + ": "; error.message.starts_with(prefix))
            error.message.erase(0, prefix.size());
        if (range && error.message.starts_with("response body larger than"))
            error.message = "the server ignores Range requests and the wheel is " + error.message.substr(14) +
                            " (the limit for reading it whole)";
        return std::unexpected(std::move(error));
    }

    Status keep_whole(std::string body)
    {
        spdlog::debug("{}: the server ignores Range requests; read the whole wheel ({} bytes) for its METADATA",
                      text::redact_url(m_url), body.size());
        m_whole = true;
        m_size = body.size();
        m_tail_at = 0;
        m_tail = std::move(body);
        return {};
    }

    static std::unexpected<Error> status_error(long status)
    {
        if (status == 401 || status == 403)
            return fail(ErrorCode::download, "access denied (HTTP " + std::to_string(status) + ")");
        return fail(ErrorCode::download, "HTTP status " + std::to_string(status));
    }

    std::string m_url;
    const net::Credentials& m_credentials;
    const net::EngineOptions& m_options;
    const WheelMetadataLimits& m_limits;
    std::uint64_t m_size = 0;
    std::uint64_t m_tail_at = 0;
    std::string m_tail;
    bool m_whole = false;
};

bool same_version(std::string_view a, std::string_view b)
{
    auto va = Version::parse(a);
    auto vb = Version::parse(b);
    return va && vb ? *va == *vb : a == b;
}

// {name}-{version}.dist-info/METADATA at the top; the folder's name may be spelled differently
// from the file name's (case, "." or "-" for "_"), so it matches when both normalise alike.
Result<const zip::Entry*> find_metadata(const std::vector<zip::Entry>& entries, const WheelName& wheel)
{
    const std::string exact = wheel.name + "-" + wheel.version + ".dist-info/METADATA";
    const zip::Entry* found = nullptr;
    for (const zip::Entry& entry : entries) {
        if (entry.name == exact) return &entry;
        constexpr std::string_view suffix = ".dist-info/METADATA";
        if (!entry.name.ends_with(suffix)) continue;
        const std::string_view folder = std::string_view(entry.name).substr(0, entry.name.size() - suffix.size());
        const auto dash = folder.rfind('-');
        if (folder.find('/') != std::string_view::npos || dash == std::string_view::npos) continue;
        if (canonical_name(folder.substr(0, dash)) != wheel.canonical_name ||
            !same_version(folder.substr(dash + 1), wheel.version))
            continue;
        if (found) return fail(ErrorCode::download, "two .dist-info folders for " + wheel.name);
        found = &entry;
    }
    if (!found) return fail(ErrorCode::download, "no " + exact + " in the wheel");
    return found;
}

Result<WheelMetadata> read_metadata(HttpWheelSource& source, const WheelName& wheel, const WheelMetadataLimits& limits)
{
    if (auto ok = source.open(); !ok) return std::unexpected(ok.error());
    const zip::Limits zip_limits{.max_directory = limits.max_directory, .max_member = limits.max_metadata};
    auto entries = zip::read_directory(source, zip_limits);
    if (!entries) return std::unexpected(entries.error());
    auto entry = find_metadata(*entries, wheel);
    if (!entry) return std::unexpected(entry.error());
    auto text = zip::read_member(source, **entry, zip_limits);
    if (!text) return std::unexpected(text.error());
    return WheelMetadata{.text = std::move(*text), .transfer = source.transfer()};
}

}  // namespace

Result<WheelMetadata> read_wheel_metadata(std::string_view url, std::string_view filename,
                                          const net::Credentials& credentials, const net::EngineOptions& options,
                                          const WheelMetadataLimits& limits)
{
    const std::string where = "cannot read the METADATA of " + text::redact_url(url);
    auto wheel = parse_wheel_name(filename);
    if (!wheel) return fail(ErrorCode::download, where + ": " + wheel.error().message);
    HttpWheelSource source(std::string(url), credentials, options, limits);
    auto metadata = read_metadata(source, *wheel, limits);
    if (!metadata) {
        const ErrorCode code =
            metadata.error().code == ErrorCode::interrupted ? ErrorCode::interrupted : ErrorCode::download;
        return fail(code, where + ": " + metadata.error().message);
    }
    return metadata;
}

}  // namespace gapbundle::sources::pypi
