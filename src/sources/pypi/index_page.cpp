#include <gapbundle/sources/pypi/index_page.hpp>

#include "html_anchors.hpp"
#include "url_join.hpp"

#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace gapbundle::sources::pypi {
namespace {

using nlohmann::json;

std::unexpected<Error> page_error(std::string_view page_url, std::string_view why)
{
    return fail(ErrorCode::download, "index page " + text::redact_url(page_url) + ": " + std::string(why));
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "1.1" -> ok, "2.0" -> an error naming it; the minor version only adds fields we may ignore.
Status check_api_version(std::string_view version)
{
    const auto dot = version.find('.');
    const auto major = version.substr(0, dot);
    if (major == "1" && (dot == std::string_view::npos || dot + 1 < version.size())) return {};
    return fail(ErrorCode::download,
                "unsupported simple API version '" + std::string(version) + "' (this client reads 1.x)");
}

Result<std::string> checked_sha256(std::string_view filename, std::string_view hex)
{
    std::string digest = lower(hex);
    if (!text::is_sha256_hex(digest)) {
        return fail(ErrorCode::download, filename.empty() ? "sha256 '" + std::string(hex) + "' is not 64 hex digits"
                                                          : "file " + std::string(filename) + ": sha256 '" +
                                                                std::string(hex) + "' is not 64 hex digits");
    }
    return digest;
}

// "…whl#sha256=abc" -> "abc"; other fragments ("#md5=", "#egg=") carry no sha256.
std::optional<std::string_view> fragment_sha256(std::string_view url)
{
    const auto hash = url.find('#');
    if (hash == std::string_view::npos) return std::nullopt;
    const auto fragment = url.substr(hash + 1);
    if (!fragment.starts_with("sha256=")) return std::nullopt;
    return fragment.substr(
        7, fragment.find('&') == std::string_view::npos ? std::string_view::npos : fragment.find('&') - 7);
}

Status set_url(IndexFile& file, std::string_view base, std::string_view href)
{
    const std::string absolute = resolve_url(base, href);
    file.url = std::string(strip_fragment(absolute));
    if (const auto digest = fragment_sha256(absolute); digest && file.sha256.empty()) {
        auto checked = checked_sha256(file.filename, *digest);
        if (!checked) return std::unexpected(checked.error());
        file.sha256 = std::move(*checked);
    }
    return {};
}

// PEP 691 JSON ----------------------------------------------------------------------------------

Result<json> parse_json_document(std::string_view body)
{
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(ErrorCode::download, "not a JSON object");
    const auto meta = doc.find("meta");
    if (meta == doc.end() || !meta->is_object() || !meta->contains("api-version") ||
        !(*meta)["api-version"].is_string()) {
        return fail(ErrorCode::download, "no meta.api-version");
    }
    if (auto ok = check_api_version((*meta)["api-version"].get<std::string>()); !ok) return std::unexpected(ok.error());
    return doc;
}

// PEP 592 as pip reads it: true, or a non-empty reason.
void read_json_yanked(const json& entry, IndexFile& file)
{
    const auto yanked = entry.find("yanked");
    if (yanked == entry.end()) return;
    if (yanked->is_boolean()) file.yanked = yanked->get<bool>();
    if (yanked->is_string() && !yanked->get<std::string>().empty()) {
        file.yanked = true;
        file.yanked_reason = yanked->get<std::string>();
    }
}

// PEP 714 renamed dist-info-metadata to core-metadata; either is true or a hash dictionary.
Status read_json_metadata(const json& entry, IndexFile& file)
{
    auto found = entry.find("core-metadata");
    if (found == entry.end()) found = entry.find("dist-info-metadata");
    if (found == entry.end()) return {};
    if (found->is_boolean()) file.has_metadata = found->get<bool>();
    if (!found->is_object()) return {};
    file.has_metadata = true;
    const auto sha256 = found->find("sha256");
    if (sha256 == found->end() || !sha256->is_string()) return {};
    auto checked = checked_sha256(file.filename, sha256->get<std::string>());
    if (!checked) return std::unexpected(checked.error());
    file.metadata_sha256 = std::move(*checked);
    return {};
}

Result<IndexFile> read_json_file(const json& entry, std::string_view page_url)
{
    if (!entry.is_object()) return fail(ErrorCode::download, "a files entry is not an object");
    const auto filename = entry.find("filename");
    const auto url = entry.find("url");
    if (filename == entry.end() || !filename->is_string() || filename->get<std::string>().empty()) {
        return fail(ErrorCode::download, "a files entry has no filename");
    }
    IndexFile file;
    file.filename = filename->get<std::string>();
    if (url == entry.end() || !url->is_string()) return fail(ErrorCode::download, "file " + file.filename + ": no url");
    if (const auto hashes = entry.find("hashes"); hashes != entry.end() && hashes->is_object()) {
        if (const auto sha = hashes->find("sha256"); sha != hashes->end() && sha->is_string()) {
            auto checked = checked_sha256(file.filename, sha->get<std::string>());
            if (!checked) return std::unexpected(checked.error());
            file.sha256 = std::move(*checked);
        }
    }
    if (auto ok = set_url(file, page_url, url->get<std::string>()); !ok) return std::unexpected(ok.error());
    if (const auto rp = entry.find("requires-python"); rp != entry.end() && rp->is_string()) {
        file.requires_python = rp->get<std::string>();
    }
    if (const auto size = entry.find("size"); size != entry.end() && size->is_number_unsigned()) {
        file.size = size->get<std::uint64_t>();
    }
    read_json_yanked(entry, file);
    if (auto ok = read_json_metadata(entry, file); !ok) return std::unexpected(ok.error());
    return file;
}

Result<ProjectPage> read_project_json(std::string_view body, std::string_view page_url)
{
    auto doc = parse_json_document(body);
    if (!doc) return std::unexpected(doc.error());
    ProjectPage page;
    if (const auto name = doc->find("name"); name != doc->end() && name->is_string())
        page.name = name->get<std::string>();
    const auto files = doc->find("files");
    if (files == doc->end() || !files->is_array()) return fail(ErrorCode::download, "no files array");
    for (const auto& entry : *files) {
        auto file = read_json_file(entry, page_url);
        if (!file) return std::unexpected(file.error());
        page.files.push_back(std::move(*file));
    }
    if (const auto versions = doc->find("versions"); versions != doc->end() && versions->is_array()) {
        for (const auto& version : *versions) {
            if (version.is_string()) page.versions.push_back(version.get<std::string>());
        }
    }
    return page;
}

// PEP 503 HTML ----------------------------------------------------------------------------------

// The page's own <meta name="pypi:repository-version">, and the URL its links are relative to.
Result<std::string> read_html_head(const std::vector<HtmlElement>& elements, std::string_view page_url)
{
    std::optional<std::string> base;
    for (const auto& element : elements) {
        if (element.name == "meta" && element.value("name") == "pypi:repository-version") {
            if (auto ok = check_api_version(text::trim(element.value("content").value_or(""))); !ok) {
                return std::unexpected(ok.error());
            }
        }
        if (element.name == "base" && !base && element.value("href"))
            base = resolve_url(page_url, *element.value("href"));
    }
    return base.value_or(std::string(page_url));
}

// data-core-metadata / data-dist-info-metadata: "true", or "<algorithm>=<hex>".
Status read_html_metadata(const HtmlElement& anchor, IndexFile& file)
{
    auto value = anchor.value("data-core-metadata");
    if (!value) value = anchor.value("data-dist-info-metadata");
    if (!value) return {};
    const std::string_view metadata = text::trim(*value);
    const auto equals = metadata.find('=');
    if (metadata == "true") {
        file.has_metadata = true;
    } else if (equals != std::string_view::npos && equals > 0) {
        file.has_metadata = true;
        if (metadata.substr(0, equals) == "sha256") {
            auto checked = checked_sha256(file.filename, metadata.substr(equals + 1));
            if (!checked) return std::unexpected(checked.error());
            file.metadata_sha256 = std::move(*checked);
        }
    }
    return {};
}

// nullopt for a link that is no file: no href, or a directory ("../", "sub/").
Result<std::optional<IndexFile>> read_html_file(const HtmlElement& anchor, std::string_view base)
{
    const auto href = anchor.value("href");
    if (!href || text::trim(*href).empty()) return std::nullopt;
    IndexFile file;
    file.filename = last_path_segment(strip_fragment(resolve_url(base, text::trim(*href))));
    if (file.filename.empty()) return std::nullopt;
    if (auto ok = set_url(file, base, text::trim(*href)); !ok) return std::unexpected(ok.error());
    file.requires_python = anchor.value("data-requires-python").value_or("");
    file.yanked = anchor.has("data-yanked");
    file.yanked_reason = anchor.value("data-yanked").value_or("");
    if (auto ok = read_html_metadata(anchor, file); !ok) return std::unexpected(ok.error());
    return file;
}

Result<ProjectPage> read_project_html(std::string_view body, std::string_view page_url)
{
    const auto elements = scan_html(body);
    auto base = read_html_head(elements, page_url);
    if (!base) return std::unexpected(base.error());
    ProjectPage page;
    for (const auto& element : elements) {
        if (element.name != "a") continue;
        auto file = read_html_file(element, *base);
        if (!file) return std::unexpected(file.error());
        if (*file) page.files.push_back(std::move(**file));
    }
    return page;
}

template <class T>
Result<T> with_page(Result<T> parsed, std::string_view page_url)
{
    if (!parsed) return page_error(page_url, parsed.error().message);
    return parsed;
}

}  // namespace

Result<PageFormat> page_format(std::string_view content_type)
{
    const std::string type = lower(text::trim(content_type.substr(0, content_type.find(';'))));
    if (type == "application/vnd.pypi.simple.v1+json" || type == "application/vnd.pypi.simple.latest+json") {
        return PageFormat::json;
    }
    if (type == "application/vnd.pypi.simple.v1+html" || type == "application/vnd.pypi.simple.latest+html" ||
        type == "text/html") {
        return PageFormat::html;
    }
    if (type.starts_with("application/vnd.pypi.simple.")) {
        return fail(ErrorCode::download, "unsupported simple API media type '" + type + "' (this client reads v1)");
    }
    return fail(ErrorCode::download, "unexpected content type '" + std::string(text::trim(content_type)) +
                                         "' for a simple index page (expected HTML or PEP 691 JSON)");
}

Result<ProjectPage> parse_project_json(std::string_view body, std::string_view page_url)
{
    return with_page(read_project_json(body, page_url), page_url);
}

Result<ProjectPage> parse_project_html(std::string_view body, std::string_view page_url)
{
    return with_page(read_project_html(body, page_url), page_url);
}

Result<ProjectPage> parse_project_page(std::string_view body, std::string_view content_type, std::string_view page_url)
{
    const auto format = page_format(content_type);
    if (!format) return page_error(page_url, format.error().message);
    return *format == PageFormat::json ? parse_project_json(body, page_url) : parse_project_html(body, page_url);
}

Result<std::vector<std::string>> parse_root_json(std::string_view body, std::string_view page_url)
{
    auto doc = parse_json_document(body);
    if (!doc) return page_error(page_url, doc.error().message);
    const auto projects = doc->find("projects");
    if (projects == doc->end() || !projects->is_array()) return page_error(page_url, "no projects array");
    std::vector<std::string> names;
    for (const auto& project : *projects) {
        if (!project.is_object() || !project.contains("name") || !project["name"].is_string()) {
            return page_error(page_url, "a projects entry has no name");
        }
        names.push_back(project["name"].get<std::string>());
    }
    return names;
}

Result<std::vector<std::string>> parse_root_html(std::string_view body, std::string_view page_url)
{
    const auto elements = scan_html(body);
    if (auto base = read_html_head(elements, page_url); !base) return page_error(page_url, base.error().message);
    std::vector<std::string> names;
    for (const auto& element : elements) {
        if (element.name == "a" && element.has("href") && !element.text.empty()) names.push_back(element.text);
    }
    return names;
}

Result<std::vector<std::string>> parse_root_page(std::string_view body, std::string_view content_type,
                                                 std::string_view page_url)
{
    const auto format = page_format(content_type);
    if (!format) return page_error(page_url, format.error().message);
    return *format == PageFormat::json ? parse_root_json(body, page_url) : parse_root_html(body, page_url);
}

}  // namespace gapbundle::sources::pypi
