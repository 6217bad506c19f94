#include <gapbundle/sources/hf/hf_token.hpp>

#include <gapbundle/util/fs.hpp>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace gapbundle::sources::hf {

namespace {

namespace stdfs = std::filesystem;

constexpr std::uint64_t k_max_token_file = 64 * 1024;

// Python's str.strip() whitespace in ASCII, plus the information separators it also strips.
bool is_python_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1f);
}

std::optional<std::string> non_empty(const EnvLookup& env, const std::string& name)
{
    auto value = env(name);
    if (value && value->empty()) return std::nullopt;
    return value;
}

// os.path.expanduser for "~" and "~/...": $HOME, else the password database; "~user" too.
std::string expand_user(const std::string& path, const EnvLookup& env)
{
    if (path.empty() || path.front() != '~') return path;
    const auto slash = path.find('/');
    const std::string user = path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    std::string home;
    if (user.empty()) {
        if (auto value = env("HOME")) {
            home = *value;
        } else if (const passwd* pw = ::getpwuid(::getuid())) {
            home = pw->pw_dir;
        } else {
            return path;
        }
    } else {
        const passwd* pw = ::getpwnam(user.c_str());
        if (!pw) return path;
        home = pw->pw_dir;
    }
    // Python strips every trailing '/' from home, appends the rest, and gives "/" for nothing.
    while (!home.empty() && home.back() == '/') home.pop_back();
    const std::string expanded = home + (slash == std::string::npos ? "" : path.substr(slash));
    return expanded.empty() ? "/" : expanded;
}

bool is_var_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// os.path.expandvars (posixpath): $NAME and ${NAME}, replaced when set, else kept as written.
std::string expand_vars(const std::string& path, const EnvLookup& env)
{
    if (path.find('$') == std::string::npos) return path;
    std::string out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] != '$') {
            out += path[i++];
            continue;
        }
        std::size_t end = 0;
        std::string name;
        if (i + 1 < path.size() && path[i + 1] == '{') {
            const auto close = path.find('}', i + 2);
            if (close == std::string::npos) {
                out += path[i++];
                continue;
            }
            name = path.substr(i + 2, close - i - 2);
            end = close + 1;
        } else {
            std::size_t j = i + 1;
            while (j < path.size() && is_var_char(path[j])) ++j;
            name = path.substr(i + 1, j - i - 1);
            end = j;
        }
        const auto value = name.empty() ? std::nullopt : env(name);
        out += value ? *value : path.substr(i, end - i);
        i = end;
    }
    return out;
}

std::string expand(const std::string& path, const EnvLookup& env)
{
    return expand_vars(expand_user(path, env), env);
}

std::string join(const std::string& base, const std::string& leaf)
{
    if (base.empty() || base.back() == '/') return base + leaf;
    return base + "/" + leaf;
}

}  // namespace

EnvLookup process_environment()
{
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (!value) return std::nullopt;
        return std::string(value);
    };
}

std::optional<std::string> clean_token(std::string_view raw)
{
    std::string token;
    for (char c : raw)
        if (c != '\r' && c != '\n') token += c;
    std::size_t begin = 0;
    std::size_t end = token.size();
    while (begin < end && is_python_space(token[begin])) ++begin;
    while (end > begin && is_python_space(token[end - 1])) --end;
    if (begin == end) return std::nullopt;
    return token.substr(begin, end - begin);
}

stdfs::path hf_home(const EnvLookup& env)
{
    if (auto home = env("HF_HOME")) return expand(*home, env);
    // os.getenv("XDG_CACHE_HOME", default): a set but empty variable is used as it is.
    const std::string cache = env("XDG_CACHE_HOME").value_or(join(expand_user("~", env), ".cache"));
    return expand(join(cache, "huggingface"), env);
}

stdfs::path hf_token_path(const EnvLookup& env)
{
    if (auto path = env("HF_TOKEN_PATH")) return expand(*path, env);
    return expand(join(hf_home(env).string(), "token"), env);
}

Result<std::optional<HfToken>> find_hf_token(const EnvLookup& env)
{
    auto from_env = non_empty(env, "HF_TOKEN");
    if (!from_env) from_env = env("HUGGING_FACE_HUB_TOKEN");
    if (from_env) {
        if (auto token = clean_token(*from_env)) return std::optional<HfToken>(HfToken(std::move(*token)));
    }
    const stdfs::path path = hf_token_path(env);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return std::optional<HfToken>();
        return fail(ErrorCode::io, "Hugging Face token file " + path.string() + ": " + errno_text(errno));
    }
    auto content = fs::read_small_file(path, k_max_token_file);
    if (!content) return fail(ErrorCode::io, "Hugging Face token file: " + content.error().message);
    if (auto token = clean_token(*content)) return std::optional<HfToken>(HfToken(std::move(*token)));
    return std::optional<HfToken>();
}

std::string hf_endpoint(const EnvLookup& env, std::string_view default_endpoint)
{
    std::string endpoint = env("HF_ENDPOINT").value_or(std::string(default_endpoint));
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    return endpoint;
}

}  // namespace gapbundle::sources::hf
