#pragma once

// A Hugging Face Hub on loopback for tests, answering as huggingface.co does:
//   GET  /api/{models|datasets}/{org}/{name}[/revision/{rev}][?blobs=true]   repo info at a revision
//   GET  /api/{models|datasets}/{org}/{name}/tree/{rev}[/{path}][?recursive=true]
//        file tree, `page_size` entries a page, the next page in `Link: <...>; rel="next"`
//   HEAD|GET /[datasets/]{org}/{name}/resolve/{rev}/{path}
//        git files: 200 with X-Repo-Commit, ETag "<git blob sha1>", Range honoured;
//        LFS files: 302 to a signed URL on a second server, the storage host, with X-Repo-Commit,
//        ETag and X-Linked-Etag "<sha256>", X-Linked-Size.
//   HEAD|GET /[datasets/]{org}/{name}/raw/{rev}/{path}   what git keeps: the pointer of an LFS file
// A revision is a branch, a tag, a full commit sha or "HEAD" (the default branch, "main"),
// percent-encoded or not ("refs%2Fpr%2F1").
// Errors carry X-Error-Code and X-Error-Message as the Hub's do: RepoNotFound (401 without a
// valid token, 404 with one; a private repo without a valid token looks the same),
// RevisionNotFound (404), EntryNotFound (404, with X-Repo-Commit), GatedRepo (401 without a
// valid token, 403 with a token not granted access). A Bearer token the Hub does not know gets
// 401 "Invalid credentials in Authorization header" on any path.
// The storage host serves /repos/... only with a valid signature in the query (else 403), with
// Range and ETag "<sha256>" as the Hub's CDN does, and refuses any request that carries an
// Authorization header (400, as S3 does).
// Both hosts are HttpTestServers (hub(), storage()) with their request logs and faults; the file
// faults below are keyed by file, so they hold for whichever revision the client names.

#include "support/http_test_server.hpp"
#include "support/hub_content.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace gapbundle::testing {

// What a token may do with gated repos.
enum class GatedAccess { granted, not_granted };

class HubTestServer {
public:
    HubTestServer();                                             // both hosts listening on 127.0.0.1 before it returns
    explicit HubTestServer(const std::optional<TlsFiles>& tls);  // both HTTPS when given
    ~HubTestServer();
    HubTestServer(const HubTestServer&) = delete;
    HubTestServer& operator=(const HubTestServer&) = delete;

    // The value for HF_ENDPOINT: "http://127.0.0.1:PORT" (no trailing slash).
    [[nodiscard]] std::string url() const;
    // "http://localhost:PORT": the storage host, under another name and port than the Hub.
    [[nodiscard]] std::string storage_url() const;
    // The host name the redirects give for the storage host ("localhost" unless set).
    void set_storage_host_name(std::string name);

    // Content. add_repo replaces a repo of the same type and id. Throws std::invalid_argument
    // for an id that is not "org/name", a commit sha that is not 40 hex or a ref named twice.
    void add_repo(HubRepo repo);
    void set_token(std::string token, GatedAccess access = GatedAccess::granted);
    void set_page_size(std::size_t entries);  // tree entries a page; 1000 unless set

    // For assertions. The commit a revision names (throws std::out_of_range when unknown).
    [[nodiscard]] std::string commit(HubRepoType type, const std::string& repo_id,
                                     const std::string& revision = "main") const;
    // "/org/name/resolve/REV/PATH" ("/datasets/..." for datasets), REV percent-encoded.
    [[nodiscard]] static std::string resolve_path(HubRepoType type, const std::string& repo_id,
                                                  const std::string& revision, const std::string& file);
    // The path of an LFS file on the storage host (its signed URL without the query).
    [[nodiscard]] std::string storage_path(HubRepoType type, const std::string& repo_id, const std::string& file) const;

    // Faults on a file's bytes, wherever they are served (the Hub for git files, the storage host
    // for LFS files). `times` < 0 means every request.
    void drop_after(HubRepoType type, const std::string& repo_id, const std::string& file, std::size_t bytes,
                    int times = 1);
    void wrong_bytes(HubRepoType type, const std::string& repo_id, const std::string& file, int times = -1);
    void ignore_range(HubRepoType type, const std::string& repo_id, const std::string& file, int times = -1);
    // `status` for the next `times` requests to `path` on the Hub (an API or a resolve path).
    void fail_times(const std::string& path, int times, int status, HeaderList headers = {});

    // The two hosts, for their request logs and any other fault.
    [[nodiscard]] HttpTestServer& hub();
    [[nodiscard]] HttpTestServer& storage();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace gapbundle::testing
