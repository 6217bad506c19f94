#include <gapbundle/sources/hf/repo_id.hpp>

#include <gapbundle/util/text.hpp>

namespace gapbundle::sources::hf {

namespace {

constexpr std::size_t k_max_name_length = 96;

bool is_ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// \w in ASCII.
bool is_word(char c)
{
    return is_ascii_alnum(c) || c == '_';
}

bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// One part of an id: [\w\-.]+ framed by word characters (the regex's \b ... \b).
bool is_valid_part(std::string_view part)
{
    if (part.empty() || !is_word(part.front()) || !is_word(part.back())) return false;
    for (char c : part)
        if (!is_word(c) && c != '-' && c != '.') return false;
    return true;
}

std::unexpected<Error> bad_id(std::string_view id, std::string_view why)
{
    return fail(ErrorCode::manifest, "invalid Hugging Face repo id '" + std::string(id) + "': " + std::string(why));
}

std::unexpected<Error> bad_revision(std::string_view revision, std::string_view why)
{
    return fail(ErrorCode::manifest, "invalid revision '" + std::string(revision) + "': " + std::string(why));
}

}  // namespace

Result<RepoType> parse_repo_type(std::string_view text)
{
    if (text == "model") return RepoType::model;
    if (text == "dataset") return RepoType::dataset;
    if (text == "space")
        return fail(ErrorCode::manifest,
                    "Hugging Face repo type 'space' is not supported: only 'model' and 'dataset' repos can be bundled");
    return fail(ErrorCode::manifest,
                "unknown Hugging Face repo type '" + std::string(text) + "': expected 'model' or 'dataset'");
}

std::string_view to_string(RepoType type)
{
    return type == RepoType::model ? "model" : "dataset";
}

std::string_view api_plural(RepoType type)
{
    return type == RepoType::model ? "models" : "datasets";
}

std::string_view url_prefix(RepoType type)
{
    return type == RepoType::model ? "" : "datasets/";
}

std::string describe(const RepoId& repo)
{
    return (repo.type == RepoType::model ? "repo '" : "dataset '") + repo.id + "'";
}

Status validate_repo_id(std::string_view id)
{
    const auto slash = id.find('/');
    if (slash != std::string_view::npos && id.find('/', slash + 1) != std::string_view::npos)
        return bad_id(id, "expected 'name' or 'namespace/name'");
    const std::string_view name = slash == std::string_view::npos ? id : id.substr(slash + 1);
    if (slash != std::string_view::npos && !is_valid_part(id.substr(0, slash)))
        return bad_id(id, "use letters, digits, '-', '_' or '.', not starting or ending with '-' or '.'");
    if (!is_valid_part(name))
        return bad_id(id, "use letters, digits, '-', '_' or '.', not starting or ending with '-' or '.'");
    if (name.size() > k_max_name_length) return bad_id(id, "the name is longer than 96 characters");
    if (id.find("--") != std::string_view::npos || id.find("..") != std::string_view::npos)
        return bad_id(id, "'--' and '..' are not allowed");
    if (id.ends_with(".git")) return bad_id(id, "it cannot end with '.git'");
    return {};
}

Result<RepoId> parse_repo_id(RepoType type, std::string_view id)
{
    if (auto ok = validate_repo_id(id); !ok) return std::unexpected(ok.error());
    return RepoId{.type = type, .id = std::string(id)};
}

std::string repo_folder_name(const RepoId& repo)
{
    std::string folder = std::string(api_plural(repo.type));
    std::size_t start = 0;
    for (;;) {
        const auto slash = repo.id.find('/', start);
        folder += "--";
        folder += repo.id.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return folder;
}

bool is_commit_hash(std::string_view revision)
{
    if (revision.size() != 40) return false;
    for (char c : revision)
        if (!is_lower_hex(c)) return false;
    return true;
}

Status validate_revision(std::string_view revision)
{
    // git check-ref-format --allow-onelevel (refs.c check_refname_component and friends).
    if (revision.empty()) return bad_revision(revision, "empty");
    if (revision == "@") return bad_revision(revision, "'@' alone is not a ref name");
    if (revision.front() == '-') return bad_revision(revision, "it cannot start with '-'");
    if (revision.front() == '/' || revision.back() == '/')
        return bad_revision(revision, "it cannot start or end with '/'");
    if (revision.back() == '.') return bad_revision(revision, "it cannot end with '.'");
    if (revision.find("//") != std::string_view::npos) return bad_revision(revision, "empty path component");
    if (revision.find("..") != std::string_view::npos) return bad_revision(revision, "'..' is not allowed");
    if (revision.find("@{") != std::string_view::npos) return bad_revision(revision, "'@{' is not allowed");
    for (char c : revision) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) return bad_revision(revision, "control characters are not allowed");
        if (c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' || c == '[' || c == '\\')
            return bad_revision(revision, std::string("'") + c + "' is not allowed");
    }
    std::size_t start = 0;
    while (start < revision.size()) {
        auto end = revision.find('/', start);
        if (end == std::string_view::npos) end = revision.size();
        const auto part = revision.substr(start, end - start);
        if (part.front() == '.') return bad_revision(revision, "a component cannot start with '.'");
        if (part.ends_with(".lock")) return bad_revision(revision, "a component cannot end with '.lock'");
        start = end + 1;
    }
    return {};
}

std::string url_quote(std::string_view text, std::string_view safe)
{
    return text::percent_encode(text, safe);
}

std::string quote_revision(std::string_view revision)
{
    return url_quote(revision, "");
}

std::string quote_path(std::string_view path)
{
    return url_quote(path, "/");
}

}  // namespace gapbundle::sources::hf
