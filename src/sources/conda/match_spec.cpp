#include <gapbundle/sources/conda/match_spec.hpp>

#include "conda_text.hpp"
#include "version_regex.hpp"

namespace gapbundle::sources::conda {

using namespace conda_text;

Result<StringMatcher> StringMatcher::parse(std::string_view text)
{
    StringMatcher matcher;
    matcher.m_text = std::string(trim(text));
    if (matcher.m_text.empty()) return fail(ErrorCode::manifest, "empty value");
    const auto& t = matcher.m_text;
    if (t.front() == '^' || t.back() == '$') {
        if (t.front() != '^' || t.back() != '$' || t.size() < 2) {
            return fail(ErrorCode::manifest, "a regex must start with '^' and end with '$': '" + t + "'");
        }
        // Not std::regex: its compiler overflows a signed integer on a long count or backreference
        // number (found by fuzz/conda_parser_fuzzer), and it recurses per character.
        auto regex = detail::VersionRegex::compile(t, detail::RegexCase::match);
        if (!regex) return std::unexpected(regex.error());
        matcher.m_regex = std::make_shared<const detail::VersionRegex>(std::move(*regex));
        matcher.m_kind = Kind::regex;
    } else if (t.find('*') != std::string::npos) {
        matcher.m_kind = Kind::glob;
    }
    return matcher;
}

bool StringMatcher::matches(std::string_view value) const
{
    switch (m_kind) {
        case Kind::exact:
            return value == m_text;
        case Kind::glob:
            return glob_match(m_text, value);
        case Kind::regex:
            return m_regex->matches(value);
    }
    return false;
}

bool BuildNumberSpec::matches(std::uint64_t value) const
{
    switch (op) {
        case Op::equal:
            return value == number;
        case Op::not_equal:
            return value != number;
        case Op::less:
            return value < number;
        case Op::less_equal:
            return value <= number;
        case Op::greater:
            return value > number;
        case Op::greater_equal:
            return value >= number;
    }
    return false;
}

bool MatchSpec::channel_matches(std::string_view record_channel) const
{
    if (m_channel.empty() || record_channel == m_channel) return true;
    std::string_view channel = record_channel;
    while (channel.ends_with('/')) channel.remove_suffix(1);
    return channel.size() > m_channel.size() && channel.ends_with(m_channel) &&
           channel[channel.size() - m_channel.size() - 1] == '/';
}

bool MatchSpec::matches(const RepodataRecord& record) const
{
    if (m_name != "*" && record.name != m_name) return false;
    if (m_version && !m_version->matches(record.version)) return false;
    if (m_build && !m_build->matches(record.build)) return false;
    if (m_build_number && !m_build_number->matches(record.build_number)) return false;
    if (!channel_matches(record.channel)) return false;
    if (!m_subdir.empty() && record.subdir != m_subdir) return false;
    if (!m_md5.empty() && lower(record.md5) != m_md5) return false;
    if (!m_sha256.empty() && lower(record.sha256) != m_sha256) return false;
    if (!m_filename.empty() && record.filename != m_filename) return false;
    return true;
}

}  // namespace gapbundle::sources::conda
