#include "auth_challenge.hpp"

#include <cctype>

namespace gapbundle::sources::oci::detail {

namespace {

bool is_tchar(char c)
{
    static constexpr std::string_view k_extra = "!#$%&'*+-.^_`|~";
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || k_extra.find(c) != std::string_view::npos;
}

bool is_token68_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("-._~+/").find(c) != std::string_view::npos;
}

// An unquoted value: a token by the RFC, but registries put URLs there too.
bool is_bare_value_char(char c)
{
    return c != ',' && c != ' ' && c != '\t' && c != '"';
}

std::string lowercase(std::string_view s)
{
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// A cursor over the header value.
class Scanner {
public:
    explicit Scanner(std::string_view text) : m_text(text) {}

    [[nodiscard]] bool done() const { return m_pos >= m_text.size(); }
    [[nodiscard]] char peek() const { return done() ? '\0' : m_text[m_pos]; }
    [[nodiscard]] std::size_t pos() const { return m_pos; }
    void seek(std::size_t pos) { m_pos = pos; }
    void skip_spaces()
    {
        while (!done() && (peek() == ' ' || peek() == '\t')) ++m_pos;
    }
    void skip_spaces_and_commas()
    {
        while (!done() && (peek() == ' ' || peek() == '\t' || peek() == ',')) ++m_pos;
    }
    std::string_view take_while(bool (*accept)(char))
    {
        const std::size_t start = m_pos;
        while (!done() && accept(peek())) ++m_pos;
        return m_text.substr(start, m_pos - start);
    }
    bool consume(char c)
    {
        if (peek() != c) return false;
        ++m_pos;
        return true;
    }
    // After the opening quote: up to the closing one, resolving backslash escapes.
    Result<std::string> quoted_rest()
    {
        std::string out;
        while (!done()) {
            char c = m_text[m_pos++];
            if (c == '"') return out;
            if (c == '\\') {
                if (done()) break;
                c = m_text[m_pos++];
            }
            out += c;
        }
        return fail(ErrorCode::network, "malformed WWW-Authenticate header: unterminated quoted string");
    }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

// "abc==" followed by the end or a comma.
bool try_token68(Scanner& in, AuthChallenge& challenge)
{
    const std::size_t start = in.pos();
    std::string value(in.take_while(is_token68_char));
    while (in.consume('=')) value += '=';
    in.skip_spaces();
    if (!value.empty() && (in.done() || in.peek() == ',')) {
        challenge.token68 = std::move(value);
        return true;
    }
    in.seek(start);
    return false;
}

// name = ( token / quoted-string ), or nothing when the next word starts another challenge.
Result<bool> parse_param(Scanner& in, AuthChallenge& challenge)
{
    const std::size_t start = in.pos();
    const std::string_view name = in.take_while(is_tchar);
    if (name.empty())
        return fail(ErrorCode::network,
                    std::string("malformed WWW-Authenticate header: unexpected '") + in.peek() + "'");
    in.skip_spaces();
    if (!in.consume('=')) {  // a new scheme
        in.seek(start);
        return false;
    }
    in.skip_spaces();
    std::string value;
    if (in.consume('"')) {
        auto quoted = in.quoted_rest();
        if (!quoted) return std::unexpected(quoted.error());
        value = std::move(*quoted);
    } else {
        value = std::string(in.take_while(is_bare_value_char));  // lenient: realm=https://host/token
    }
    challenge.params.emplace_back(lowercase(name), std::move(value));
    in.skip_spaces();
    if (!in.done() && in.peek() != ',')
        return fail(ErrorCode::network,
                    "malformed WWW-Authenticate header: expected ',' after parameter '" + std::string(name) + "'");
    return true;
}

}  // namespace

std::optional<std::string> AuthChallenge::param(std::string_view name) const
{
    for (const auto& [key, value] : params)
        if (key == name) return value;
    return std::nullopt;
}

Result<std::vector<AuthChallenge>> parse_auth_challenges(std::string_view header)
{
    std::vector<AuthChallenge> challenges;
    Scanner in(header);
    in.skip_spaces_and_commas();
    while (!in.done()) {
        AuthChallenge challenge;
        const std::string_view scheme = in.take_while(is_tchar);
        if (scheme.empty())
            return fail(ErrorCode::network, "malformed WWW-Authenticate header: expected an auth scheme");
        challenge.scheme = lowercase(scheme);
        in.skip_spaces();
        if (!try_token68(in, challenge)) {
            for (;;) {
                in.skip_spaces_and_commas();
                if (in.done()) break;
                auto more = parse_param(in, challenge);
                if (!more) return std::unexpected(more.error());
                if (!*more) break;
            }
        }
        challenges.push_back(std::move(challenge));
        in.skip_spaces_and_commas();
    }
    if (challenges.empty()) return fail(ErrorCode::network, "empty WWW-Authenticate header");
    return challenges;
}

}  // namespace gapbundle::sources::oci::detail
