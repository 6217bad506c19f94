#pragma once

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::pypi {

// What pip asks for: PEP 691 JSON first, PEP 503 HTML as the fallback.
inline constexpr std::string_view k_simple_accept =
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";

enum class PageFormat { json, html };

// From a response's Content-Type ("text/html; charset=utf-8"); ErrorCode::download for anything else,
// including a JSON API version other than 1.
Result<PageFormat> page_format(std::string_view content_type);

// One distribution file listed on a project page.
struct IndexFile {
    std::string filename;
    std::string url;     // absolute, resolved against the page, without its fragment
    std::string sha256;  // lowercase hex; empty when the index gives none
    std::string requires_python;
    bool yanked = false;
    std::string yanked_reason;
    bool has_metadata = false;  // PEP 658/714: <url>.metadata exists
    std::optional<std::string> metadata_sha256;
    std::optional<std::uint64_t> size;  // JSON only

    bool operator==(const IndexFile&) const = default;
};

// A project page: /simple/<name>/.
struct ProjectPage {
    std::string name;                   // JSON only: the normalised name the index reports
    std::vector<IndexFile> files;       // in page order (which means nothing)
    std::vector<std::string> versions;  // PEP 700, JSON only; may include versions without files
};

// Errors are ErrorCode::download and name the page URL (credentials redacted).
Result<ProjectPage> parse_project_json(std::string_view body, std::string_view page_url);
Result<ProjectPage> parse_project_html(std::string_view body, std::string_view page_url);
Result<ProjectPage> parse_project_page(std::string_view body, std::string_view content_type, std::string_view page_url);

// The root page: the names of the projects, as the index spells them.
Result<std::vector<std::string>> parse_root_json(std::string_view body, std::string_view page_url);
Result<std::vector<std::string>> parse_root_html(std::string_view body, std::string_view page_url);
Result<std::vector<std::string>> parse_root_page(std::string_view body, std::string_view content_type,
                                                 std::string_view page_url);

}  // namespace gapbundle::sources::pypi
