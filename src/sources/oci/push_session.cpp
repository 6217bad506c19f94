#include "push_session.hpp"
#include "registry_errors.hpp"

#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <charconv>

namespace gapbundle::sources::oci::detail {

namespace {

constexpr std::string_view k_octet_stream = "Content-Type: application/octet-stream";

std::string with_digest(const std::string& location, std::string_view digest)
{
    return location + (location.find('?') == std::string::npos ? "?" : "&") + "digest=" + std::string(digest);
}

}  // namespace

PushSession::PushSession(std::string host, RegistryOptions options)
    : m_host(std::move(host)),
      m_base_url((options.insecure ? "http://" : "https://") + m_host),
      m_auth(m_base_url, m_host, std::move(options))
{
}

std::string PushSession::url(std::string_view repository, std::string_view rest) const
{
    return m_base_url + "/v2/" + std::string(repository) + "/" + std::string(rest);
}

std::string PushSession::resolve(std::string_view location) const
{
    if (location.starts_with("http://") || location.starts_with("https://")) return std::string(location);
    if (location.starts_with('/')) return m_base_url + std::string(location);
    return m_base_url + "/" + std::string(location);
}

Error PushSession::status_error(const net::HttpResponse& response, std::string_view what) const
{
    const long status = response.status;
    if (status == 401 || status == 403)
        return Error{ErrorCode::network, access_denied_message(status, m_host) + " (--creds-env)"};
    return Error{ErrorCode::network, std::string(what) + ": HTTP " + std::to_string(status) +
                                         registry_error_detail(response.body) + " from " +
                                         text::redact_url(response.effective_url)};
}

Result<net::HttpResponse> PushSession::send(net::HttpRequest request, const std::string& scope, std::string_view what)
{
    auto response = m_auth.send(std::move(request), scope);
    if (!response) return std::unexpected(response.error().context(what));
    return response;
}

Result<std::string> PushSession::next_location(const net::HttpResponse& response, std::string_view what) const
{
    const auto location = response.header("Location");
    if (!location || location->empty())
        return fail(ErrorCode::network, std::string(what) + ": the registry sent no Location (HTTP " +
                                            std::to_string(response.status) + " from " +
                                            text::redact_url(response.effective_url) + ")");
    return resolve(*location);
}

Result<bool> PushSession::blob_exists(std::string_view repository, std::string_view digest)
{
    net::HttpRequest request;
    request.method = "HEAD";
    request.url = url(repository, "blobs/" + std::string(digest));
    auto response = send(std::move(request), push_scope(repository), "checking blob " + std::string(digest));
    if (!response) return std::unexpected(response.error());
    if (is_success(response->status)) return true;
    if (response->status == 404) return false;
    return std::unexpected(status_error(*response, "checking blob " + std::string(digest)));
}

Result<bool> PushSession::mount_blob(std::string_view repository, std::string_view digest, std::string_view from,
                                     std::string& upload_location)
{
    const std::string what = "mounting blob " + std::string(digest) + " from " + std::string(from);
    net::HttpRequest request;
    request.method = "POST";
    request.url = url(repository, "blobs/uploads/?mount=" + std::string(digest) + "&from=" + std::string(from));
    const std::string scope = push_scope(repository) + " " + pull_scope(from);
    auto response = send(std::move(request), scope, what);
    if (!response) return std::unexpected(response.error());
    if (response->status == 201) return true;
    if (response->status != 202) return std::unexpected(status_error(*response, what));
    auto location = next_location(*response, what);
    if (!location) return std::unexpected(location.error());
    upload_location = std::move(*location);
    return false;
}

Result<std::string> PushSession::start_upload(std::string_view repository)
{
    net::HttpRequest request;
    request.method = "POST";
    request.url = url(repository, "blobs/uploads/");
    auto response = send(std::move(request), push_scope(repository), "starting an upload");
    if (!response) return std::unexpected(response.error());
    if (response->status != 202) return std::unexpected(status_error(*response, "starting an upload"));
    if (auto minimum = response->header("OCI-Chunk-Min-Length")) {
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(minimum->data(), minimum->data() + minimum->size(), value);
        if (ec == std::errc() && end == minimum->data() + minimum->size()) m_chunk_min = value;
    }
    return next_location(*response, "starting an upload");
}

Status PushSession::upload_blob(std::string_view repository, const BlobSource& blob, std::string location,
                                const ChunkPolicy& policy)
{
    const std::string what = "uploading blob " + blob.digest;
    const std::string scope = push_scope(repository);
    if (location.empty()) {
        auto started = start_upload(repository);
        if (!started) return std::unexpected(started.error().context(what));
        location = std::move(*started);
    }
    std::uint64_t sent = 0;
    if (blob.size > policy.monolithic_max) {
        const std::uint64_t chunk = std::max({policy.chunk_size, m_chunk_min, std::uint64_t{1}});
        while (sent < blob.size) {
            const std::uint64_t length = std::min(chunk, blob.size - sent);
            net::HttpRequest patch;
            patch.method = "PATCH";
            patch.url = location;
            patch.headers = {std::string(k_octet_stream),
                             "Content-Range: " + std::to_string(sent) + "-" + std::to_string(sent + length - 1)};
            patch.upload_file = blob.file;
            patch.upload_offset = sent;
            patch.upload_length = length;
            auto response = send(std::move(patch), scope, what);
            if (!response) return std::unexpected(response.error());
            if (response->status != 202) return std::unexpected(status_error(*response, what));
            auto next = next_location(*response, what);
            if (!next) return std::unexpected(next.error());
            location = std::move(*next);
            sent += length;
        }
    }
    net::HttpRequest put;
    put.method = "PUT";
    put.url = with_digest(location, blob.digest);
    put.headers = {std::string(k_octet_stream)};
    if (sent < blob.size) {
        put.upload_file = blob.file;
        put.upload_length = blob.size;
    }
    auto response = send(std::move(put), scope, what);
    if (!response) return std::unexpected(response.error());
    if (!is_success(response->status)) return std::unexpected(status_error(*response, what));
    return {};
}

Result<std::optional<std::string>> PushSession::manifest_digest(std::string_view repository, std::string_view reference,
                                                                std::string_view media_type)
{
    const std::string what = "checking manifest " + std::string(reference);
    net::HttpRequest request;
    request.method = "HEAD";
    request.url = url(repository, "manifests/" + std::string(reference));
    request.headers = {"Accept: " + std::string(media_type) + ", " + std::string(media_types::k_manifest_accept)};
    auto response = send(std::move(request), push_scope(repository), what);
    if (!response) return std::unexpected(response.error());
    if (response->status == 404) return std::optional<std::string>();
    if (!is_success(response->status)) return std::unexpected(status_error(*response, what));
    return std::optional<std::string>(response->header("Docker-Content-Digest").value_or(""));
}

Status PushSession::put_manifest(std::string_view repository, std::string_view reference, const std::string& bytes,
                                 std::string_view media_type, std::string_view digest)
{
    const std::string what = "the registry refused manifest " + std::string(digest) +
                             (reference == digest ? "" : " as " + std::string(reference));
    net::HttpRequest request;
    request.method = "PUT";
    request.url = url(repository, "manifests/" + std::string(reference));
    request.headers = {"Content-Type: " + std::string(media_type)};
    request.body = bytes;
    auto response = send(std::move(request), push_scope(repository), "pushing manifest " + std::string(digest));
    if (!response) return std::unexpected(response.error());
    if (!is_success(response->status)) return std::unexpected(status_error(*response, what));
    if (auto stored = response->header("Docker-Content-Digest"); stored && !stored->empty() && *stored != digest)
        return fail(ErrorCode::network, "the registry stored manifest " + std::string(digest) + " as " + *stored);
    return {};
}

}  // namespace gapbundle::sources::oci::detail
