#include <gapbundle/sources/pypi/requirements_file.hpp>

#include "requirements_text.hpp"

#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <utility>

namespace gapbundle::sources::pypi {
namespace {

namespace stdfs = std::filesystem;
using requirements_text::LogicalLine;

enum class FileKind { requirements, constraints };

enum class OptionKind {
    requirement_file,
    constraint_file,
    index_url,
    extra_index_url,
    pre,
    hash,
    ignored_flag,   // accepted and ignored
    ignored_value,  // accepted and ignored, with its value
};

struct OptionSpec {
    std::string_view short_name;
    std::string_view long_name;
    OptionKind kind;
};

// Everything else pip accepts (-e, -f, --no-binary, --trusted-host, ...) is refused.
constexpr std::array k_options{
    OptionSpec{.short_name = "-r", .long_name = "--requirement", .kind = OptionKind::requirement_file},
    OptionSpec{.short_name = "-c", .long_name = "--constraint", .kind = OptionKind::constraint_file},
    OptionSpec{.short_name = "-i", .long_name = "--index-url", .kind = OptionKind::index_url},
    OptionSpec{.short_name = "", .long_name = "--extra-index-url", .kind = OptionKind::extra_index_url},
    OptionSpec{.short_name = "", .long_name = "--pre", .kind = OptionKind::pre},
    OptionSpec{.short_name = "", .long_name = "--hash", .kind = OptionKind::hash},
    OptionSpec{.short_name = "", .long_name = "--prefer-binary", .kind = OptionKind::ignored_flag},
    OptionSpec{.short_name = "", .long_name = "--require-hashes", .kind = OptionKind::ignored_flag},
    OptionSpec{.short_name = "", .long_name = "--only-binary", .kind = OptionKind::ignored_value},
};

bool takes_value(OptionKind kind)
{
    return kind != OptionKind::pre && kind != OptionKind::ignored_flag;
}

struct OptionUse {
    OptionKind kind;
    std::string name;  // as written: "-r", "--index-url"
    std::string value;
};

// Where a line is, for RequirementLine::where and for messages.
struct LineContext {
    std::string where;  // "requirements.txt:12"
    const std::vector<std::string>& secrets;
};

std::unexpected<Error> line_error(const LineContext& at, std::string_view message)
{
    return fail(ErrorCode::manifest, at.where + ": " + requirements_text::redact(message, at.secrets));
}

const OptionSpec* find_option(std::string_view name)
{
    const bool is_long = name.starts_with("--");
    for (const auto& spec : k_options)
        if (name == (is_long ? spec.long_name : spec.short_name)) return &spec;
    return nullptr;
}

Result<std::vector<OptionUse>> parse_options(const std::vector<std::string>& tokens, const LineContext& at)
{
    std::vector<OptionUse> uses;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& token = tokens[i];
        if (!token.starts_with('-') || token == "-") return line_error(at, "unexpected '" + token + "' among options");
        const auto eq = token.find('=');
        const bool is_long = token.starts_with("--");
        const std::string name = is_long ? token.substr(0, eq) : token.substr(0, 2);
        std::optional<std::string> inline_value;
        if (is_long && eq != std::string::npos) inline_value = token.substr(eq + 1);
        if (!is_long && token.size() > 2) inline_value = token.substr(2);
        const OptionSpec* spec = name.empty() ? nullptr : find_option(name);
        if (!spec) return line_error(at, "option '" + name + "' is not supported by gapbundle");
        OptionUse use{.kind = spec->kind, .name = name, .value = {}};
        if (takes_value(spec->kind)) {
            if (inline_value) {
                use.value = std::move(*inline_value);
            } else if (i + 1 < tokens.size()) {
                use.value = tokens[++i];
            }
            if (use.value.empty()) return line_error(at, "option '" + name + "' needs a value");
        } else if (inline_value) {
            return line_error(at, "option '" + name + "' takes no value");
        }
        uses.push_back(std::move(use));
    }
    return uses;
}

Result<std::string> normalize_hash(std::string_view value, const LineContext& at)
{
    const auto colon = value.find(':');
    if (colon == std::string_view::npos)
        return line_error(at, "invalid --hash '" + std::string(value) + "': expected sha256:HEX");
    std::string algorithm(value.substr(0, colon));
    std::string hex(value.substr(colon + 1));
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    std::ranges::transform(algorithm, algorithm.begin(), lower);
    std::ranges::transform(hex, hex.begin(), lower);
    if (algorithm != "sha256")
        return line_error(at, "unsupported --hash '" + std::string(value) + "': only sha256 is supported");
    if (!text::is_sha256_hex(hex))
        return line_error(at, "invalid --hash '" + std::string(value) + "': expected 64 hex digits after 'sha256:'");
    return "sha256:" + hex;
}

bool is_pep508_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == '_';
}

// "./pkg", "/abs/pkg", "https://x/y.whl", "git+https://...", "pkg-1.0-py3-none-any.whl": pip installs
// these from where they point; "name @ url" is a PEP 508 requirement and is not one of them.
bool is_url_or_path(std::string_view args)
{
    std::size_t i = 0;
    while (i < args.size() && is_pep508_name_char(args[i])) ++i;
    std::size_t j = i;
    while (j < args.size() && (args[j] == ' ' || args[j] == '\t')) ++j;
    if (j < args.size() && args[j] == '[') {
        const auto close = args.find(']', j);
        j = close == std::string_view::npos ? args.size() : close + 1;
        while (j < args.size() && (args[j] == ' ' || args[j] == '\t')) ++j;
    }
    if (i > 0 && j < args.size() && args[j] == '@') return false;
    const auto first = args.substr(0, args.find_first_of(" \t;"));
    if (first.empty()) return false;
    if (std::string_view("./~\\").find(first.front()) != std::string_view::npos) return true;
    if (first.find_first_of(":/\\") != std::string_view::npos) return true;
    std::string lower(first);
    std::ranges::transform(lower, lower.begin(),
                           [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    static constexpr std::array<std::string_view, 9> k_archives{".whl", ".zip",    ".tar.gz", ".tgz", ".tar.bz2",
                                                                ".tbz", ".tar.xz", ".txz",    ".tar"};
    return std::ranges::any_of(k_archives, [&](std::string_view ext) { return lower.ends_with(ext); });
}

// Where the options of a line start: the first word that begins with '-' (pip's break_args_options).
std::size_t options_start(std::string_view line)
{
    for (std::size_t i = 0; i < line.size(); ++i)
        if (line[i] == '-' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return i;
    return line.size();
}

stdfs::path identity(const stdfs::path& file)
{
    std::error_code ec;
    auto canonical = stdfs::weakly_canonical(file, ec);
    if (!ec) return canonical;
    auto absolute = stdfs::absolute(file, ec);
    return ec ? file.lexically_normal() : absolute.lexically_normal();
}

class RequirementsParser {
public:
    Status parse(std::string_view text, const stdfs::path& file, FileKind kind);
    RequirementsFile take() { return std::move(m_out); }

private:
    struct Open {
        stdfs::path identity;
        std::string shown;
    };

    Status line(const LogicalLine& line, const stdfs::path& file, FileKind kind);
    Status requirement(std::string_view args, const std::vector<OptionUse>& uses, const LineContext& at, FileKind kind);
    Status options(const std::vector<OptionUse>& uses, const LineContext& at, const stdfs::path& file, FileKind kind);
    Status include(std::string_view target, const LineContext& at, const stdfs::path& from, FileKind kind);

    RequirementsFile m_out;
    std::vector<Open> m_open;  // the chain of files being read, outermost first
};

Status RequirementsParser::parse(std::string_view text, const stdfs::path& file, FileKind kind)
{
    if (text.size() > k_max_requirements_file_bytes)
        return fail(ErrorCode::manifest, file.string() + ": larger than 16 MiB");
    m_open.push_back(Open{.identity = identity(file), .shown = file.string()});
    const auto env = [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value ? std::optional<std::string>(value) : std::nullopt;
    };
    for (const auto& logical : requirements_text::logical_lines(text, env))
        if (auto status = line(logical, file, kind); !status) return status;
    m_open.pop_back();
    return {};
}

Status RequirementsParser::line(const LogicalLine& logical, const stdfs::path& file, FileKind kind)
{
    const LineContext at{.where = file.string() + ":" + std::to_string(logical.number), .secrets = logical.secrets};
    const std::string_view text = logical.text;
    const auto split = options_start(text);
    const auto args = text::trim(text.substr(0, split));
    const auto tokens = requirements_text::split_options(text.substr(split));
    if (!tokens)
        return line_error(at, "unclosed quote or trailing backslash in '" + std::string(text.substr(split)) + "'");
    auto uses = parse_options(*tokens, at);
    if (!uses) return std::unexpected(uses.error());
    if (!args.empty()) return requirement(args, *uses, at, kind);
    return options(*uses, at, file, kind);
}

Status RequirementsParser::requirement(std::string_view args, const std::vector<OptionUse>& uses, const LineContext& at,
                                       FileKind kind)
{
    if (is_url_or_path(args))
        return line_error(at, "'" + std::string(args) + "': direct URL and path requirements are not supported");
    auto parsed = Requirement::parse(args);
    if (!parsed) return line_error(at, parsed.error().message);
    RequirementLine out{.requirement = std::move(*parsed), .hashes = {}, .where = at.where};
    for (const auto& use : uses) {
        if (use.kind != OptionKind::hash)
            return line_error(at, "option '" + use.name + "' must be on a line of its own, not after a requirement");
        auto hash = normalize_hash(use.value, at);
        if (!hash) return std::unexpected(hash.error());
        if (std::ranges::find(out.hashes, *hash) == out.hashes.end()) out.hashes.push_back(std::move(*hash));
    }
    (kind == FileKind::constraints ? m_out.constraints : m_out.requirements).push_back(std::move(out));
    return {};
}

Status RequirementsParser::options(const std::vector<OptionUse>& uses, const LineContext& at, const stdfs::path& file,
                                   FileKind kind)
{
    for (const auto& use : uses) {
        Status status;
        switch (use.kind) {
            case OptionKind::requirement_file:
                status = include(use.value, at, file, kind);
                break;
            case OptionKind::constraint_file:
                status = include(use.value, at, file, FileKind::constraints);
                break;
            case OptionKind::index_url:
                m_out.index_url = use.value;
                break;
            case OptionKind::extra_index_url:
                if (std::ranges::find(m_out.extra_index_urls, use.value) == m_out.extra_index_urls.end())
                    m_out.extra_index_urls.push_back(use.value);
                break;
            case OptionKind::pre:
                m_out.pre = true;
                break;
            case OptionKind::hash:
                return line_error(at, "--hash must follow a requirement on the same line");
            case OptionKind::ignored_flag:
            case OptionKind::ignored_value:
                break;
        }
        if (!status) return status;
    }
    return {};
}

Status RequirementsParser::include(std::string_view target, const LineContext& at, const stdfs::path& from,
                                   FileKind kind)
{
    const std::string quoted = "'" + std::string(target) + "'";
    if (target.find("://") != std::string_view::npos || target.starts_with("file:"))
        return line_error(at, "including " + quoted + " from a URL is not supported by gapbundle");
    const stdfs::path file = (from.parent_path() / stdfs::path(target)).lexically_normal();
    const auto id = identity(file);
    const auto open = std::ranges::find(m_open, id, &Open::identity);
    if (open != m_open.end()) {
        std::string chain;
        for (auto it = open; it != m_open.end(); ++it) chain += it->shown + " -> ";
        return line_error(at, "include cycle: " + chain + file.string());
    }
    if (m_open.size() > k_max_requirements_include_depth)
        return line_error(at, "cannot include " + quoted + ": includes nest more than " +
                                  std::to_string(k_max_requirements_include_depth) + " deep");
    auto content = fs::read_small_file(file, k_max_requirements_file_bytes);
    if (!content) return line_error(at, "cannot include " + quoted + ": " + content.error().message);
    return parse(*content, file, kind);
}

}  // namespace

Result<RequirementsFile> parse_requirements_text(std::string_view text, const std::filesystem::path& file)
{
    RequirementsParser parser;
    if (auto status = parser.parse(text, file, FileKind::requirements); !status) return std::unexpected(status.error());
    return parser.take();
}

Result<RequirementsFile> read_requirements_file(const std::filesystem::path& file)
{
    auto content = fs::read_small_file(file, k_max_requirements_file_bytes);
    if (!content) {
        auto error = content.error();
        error.code = ErrorCode::manifest;
        return std::unexpected(std::move(error));
    }
    return parse_requirements_text(*content, file);
}

}  // namespace gapbundle::sources::pypi
