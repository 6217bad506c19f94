#include <gapbundle/sources/hf/hub_api.hpp>

#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace gapbundle::sources::hf {

namespace {

using nlohmann::json;

constexpr std::size_t k_max_shown = 80;

bool is_hex(std::string_view s, std::size_t length)
{
    return s.size() == length &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A value as it appears in a message: JSON, cut short.
std::string shown(const json& value)
{
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > k_max_shown) text = text.substr(0, k_max_shown) + "...";
    return text;
}

// Builds "repo 'x': <answer>: <where>: <what>" errors for one answer.
class Checker {
public:
    Checker(const RepoId& repo, std::string answer) : m_repo(repo), m_answer(std::move(answer)) {}

    [[nodiscard]] std::unexpected<Error> bad(std::string_view where, std::string_view what) const
    {
        return fail(ErrorCode::download,
                    describe(m_repo) + ": " + m_answer + ": " + std::string(where) + ": " + std::string(what));
    }

    Result<json> parse(std::string_view body) const
    {
        json doc = json::parse(body, nullptr, false);
        if (doc.is_discarded()) return bad("body", "not valid JSON");
        return doc;
    }

    Result<std::string> string_field(const json& object, std::string_view where, const char* key) const
    {
        const auto it = object.find(key);
        if (it == object.end()) return bad(where, std::string("no '") + key + "'");
        if (!it->is_string()) return bad(where, std::string("'") + key + "' is not a string: " + shown(*it));
        return it->get<std::string>();
    }

    Result<std::uint64_t> size_field(const json& object, std::string_view where, const char* key) const
    {
        const auto it = object.find(key);
        if (it == object.end()) return bad(where, std::string("no '") + key + "'");
        if (!it->is_number_unsigned())
            return bad(where, std::string("'") + key + "' is not a byte count: " + shown(*it));
        return it->get<std::uint64_t>();
    }

    Result<std::string> hex_field(const json& object, std::string_view where, const char* key, std::size_t length) const
    {
        auto value = string_field(object, where, key);
        if (!value) return value;
        if (!is_hex(*value, length))
            return bad(where, std::string("'") + key + "' is not " + std::to_string(length) +
                                  " lowercase hex digits: " + shown(json(*value)));
        return value;
    }

    Result<std::string> path_field(const json& object, std::string_view where, const char* key) const
    {
        auto path = string_field(object, where, key);
        if (!path) return path;
        if (auto safe = fs::check_relative_path(*path); !safe) return bad(where, safe.error().message);
        return path;
    }

    // lfs{<hash_key>, size}: the sha256, whose size must be the file's.
    Result<std::optional<std::string>> lfs_field(const json& object, std::string_view where, const char* hash_key,
                                                 std::uint64_t size) const
    {
        const auto it = object.find("lfs");
        if (it == object.end() || it->is_null()) return std::optional<std::string>();
        if (!it->is_object()) return bad(where, "'lfs' is not an object: " + shown(*it));
        const std::string lfs_where = std::string(where) + ".lfs";
        auto sha = hex_field(*it, lfs_where, hash_key, 64);
        if (!sha) return std::unexpected(sha.error());
        auto lfs_size = size_field(*it, lfs_where, "size");
        if (!lfs_size) return std::unexpected(lfs_size.error());
        if (*lfs_size != size)
            return bad(lfs_where,
                       "size " + std::to_string(*lfs_size) + " differs from the file's " + std::to_string(size));
        return std::optional<std::string>(std::move(*sha));
    }

    // One file entry, with the key names of its answer.
    Result<RepoFile> file(const json& entry, const std::string& where, const char* path_key, const char* blob_key,
                          const char* lfs_hash_key) const
    {
        auto path = path_field(entry, where, path_key);
        if (!path) return std::unexpected(path.error());
        const std::string named = where + " ('" + *path + "')";
        auto size = size_field(entry, named, "size");
        if (!size) return std::unexpected(size.error());
        auto blob = hex_field(entry, named, blob_key, 40);
        if (!blob) return std::unexpected(blob.error());
        auto lfs = lfs_field(entry, named, lfs_hash_key, *size);
        if (!lfs) return std::unexpected(lfs.error());
        return RepoFile{
            .path = std::move(*path), .size = *size, .git_blob_id = std::move(*blob), .lfs_sha256 = std::move(*lfs)};
    }

private:
    const RepoId& m_repo;
    std::string m_answer;
};

std::string api_base(std::string_view endpoint, const RepoId& repo)
{
    return std::string(endpoint) + "/api/" + std::string(api_plural(repo.type)) + "/" + repo.id;
}

}  // namespace

std::string revision_info_url(std::string_view endpoint, const RepoId& repo, std::string_view revision)
{
    return api_base(endpoint, repo) + "/revision/" + quote_revision(revision) + "?blobs=true";
}

std::string tree_url(std::string_view endpoint, const RepoId& repo, std::string_view revision)
{
    return api_base(endpoint, repo) + "/tree/" + quote_revision(revision) + "?recursive=true&expand=false";
}

std::string resolve_url(std::string_view endpoint, const RepoId& repo, std::string_view revision, std::string_view path)
{
    return std::string(endpoint) + "/" + std::string(url_prefix(repo.type)) + repo.id + "/resolve/" +
           quote_revision(revision) + "/" + quote_path(path);
}

Result<RepoListing> parse_revision_info(const RepoId& repo, std::string_view body)
{
    const Checker check(repo, "revision info");
    auto doc = check.parse(body);
    if (!doc) return std::unexpected(doc.error());
    if (!doc->is_object()) return check.bad("body", "not a JSON object");
    auto id = check.string_field(*doc, "body", "id");
    if (!id) return std::unexpected(id.error());
    auto sha = check.string_field(*doc, "body", "sha");
    if (!sha) return std::unexpected(sha.error());
    const auto siblings = doc->find("siblings");
    if (siblings == doc->end()) return check.bad("body", "no 'siblings'");
    if (!siblings->is_array()) return check.bad("body", "'siblings' is not an array");
    std::vector<RepoFile> files;
    files.reserve(siblings->size());
    for (std::size_t i = 0; i < siblings->size(); ++i) {
        const json& entry = (*siblings)[i];
        const std::string where = "siblings[" + std::to_string(i) + "]";
        if (!entry.is_object()) return check.bad(where, "not an object");
        auto file = check.file(entry, where, "rfilename", "blobId", "sha256");
        if (!file) return std::unexpected(file.error());
        files.push_back(std::move(*file));
    }
    return make_listing(repo, std::move(*sha), std::move(files));
}

Result<std::vector<RepoFile>> parse_tree_page(const RepoId& repo, std::string_view body)
{
    const Checker check(repo, "tree");
    auto doc = check.parse(body);
    if (!doc) return std::unexpected(doc.error());
    if (!doc->is_array()) return check.bad("body", "not a JSON array");
    std::vector<RepoFile> files;
    for (std::size_t i = 0; i < doc->size(); ++i) {
        const json& entry = (*doc)[i];
        const std::string where = "entry " + std::to_string(i);
        if (!entry.is_object()) return check.bad(where, "not an object");
        auto type = check.string_field(entry, where, "type");
        if (!type) return std::unexpected(type.error());
        if (*type == "directory") {
            if (auto path = check.path_field(entry, where, "path"); !path) return std::unexpected(path.error());
            continue;
        }
        if (*type != "file") return check.bad(where, "unknown type " + shown(json(*type)));
        auto file = check.file(entry, where, "path", "oid", "oid");
        if (!file) return std::unexpected(file.error());
        files.push_back(std::move(*file));
    }
    return files;
}

Result<RepoListing> make_listing(const RepoId& repo, std::string commit, std::vector<RepoFile> files)
{
    const Checker check(repo, "listing");
    if (!is_hex(commit, 40)) return check.bad("commit", "not 40 lowercase hex digits: " + shown(json(commit)));
    std::vector<std::string_view> paths;
    paths.reserve(files.size());
    for (const auto& file : files) paths.push_back(file.path);
    std::sort(paths.begin(), paths.end());
    for (std::size_t i = 0; i + 1 < paths.size(); ++i) {
        if (paths[i] == paths[i + 1]) return check.bad("'" + std::string(paths[i]) + "'", "listed twice");
    }
    // "a" as a file and "a/b" cannot both be on disk.
    std::set<std::string_view, std::less<>> as_files(paths.begin(), paths.end());
    for (const auto path : paths) {
        for (auto slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
            const auto folder = path.substr(0, slash);
            if (as_files.contains(folder))
                return check.bad("'" + std::string(path) + "'",
                                 "'" + std::string(folder) + "' is also listed as a file");
        }
    }
    return RepoListing{.commit = std::move(commit), .files = std::move(files)};
}

Result<std::optional<std::string>> next_page_url(const RepoId& repo, std::string_view link_header)
{
    // httpx parse_header_links: strip " '\"", split at ", *<", then "url; key=value; ...".
    constexpr std::string_view k_strip = " '\"";
    const auto strip = [](std::string_view s, std::string_view chars) {
        const auto begin = s.find_first_not_of(chars);
        if (begin == std::string_view::npos) return std::string_view();
        return s.substr(begin, s.find_last_not_of(chars) - begin + 1);
    };
    std::string_view rest = strip(link_header, k_strip);
    std::optional<std::string> next;
    while (!rest.empty()) {
        // The next ", *<" starts the next link.
        std::size_t cut = std::string_view::npos;
        for (std::size_t i = rest.find(','); i != std::string_view::npos; i = rest.find(',', i + 1)) {
            std::size_t j = i + 1;
            while (j < rest.size() && rest[j] == ' ') ++j;
            if (j < rest.size() && rest[j] == '<') {
                cut = i;
                break;
            }
        }
        std::string_view link = rest.substr(0, cut);
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(rest.find('<', cut) + 1);
        const auto semicolon = link.find(';');
        const std::string_view url = strip(link.substr(0, semicolon), "<> '\"");
        std::string_view params = semicolon == std::string_view::npos ? std::string_view() : link.substr(semicolon + 1);
        std::optional<std::string_view> rel;
        for (const auto param : text::split(params, ';')) {
            const auto eq = param.find('=');
            if (eq == std::string_view::npos || param.find('=', eq + 1) != std::string_view::npos) break;
            if (strip(param.substr(0, eq), k_strip) == "rel") rel = strip(param.substr(eq + 1), k_strip);
        }
        if (rel == "next") next = std::string(url);
    }
    if (!next || next->empty()) return std::optional<std::string>();
    if (!next->starts_with("https://") && !next->starts_with("http://"))
        return fail(
            ErrorCode::download,
            describe(repo) + ": tree: Link header: the next page is not an absolute http(s) URL: '" + *next + "'");
    return next;
}

}  // namespace gapbundle::sources::hf
