#pragma once

#include <gapbundle/sources/conda/record.hpp>
#include <gapbundle/sources/conda/version_spec.hpp>
#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gapbundle::sources::conda {

namespace detail {
class VersionRegex;
}

// A build string (or other text field) constraint: exact, a '*' glob, or a ^...$ regex.
class StringMatcher {
public:
    // Errors (ErrorCode::manifest) carry the reason only: "invalid regex '^(x$': ...".
    static Result<StringMatcher> parse(std::string_view text);

    [[nodiscard]] bool matches(std::string_view value) const;
    [[nodiscard]] const std::string& text() const { return m_text; }

private:
    enum class Kind { exact, glob, regex };
    StringMatcher() = default;

    Kind m_kind = Kind::exact;
    std::string m_text;
    std::shared_ptr<const detail::VersionRegex> m_regex;
};

// build_number=3, build_number='>=3'.
struct BuildNumberSpec {
    enum class Op { equal, not_equal, less, less_equal, greater, greater_equal };
    Op op;
    std::uint64_t number;

    [[nodiscard]] bool matches(std::uint64_t value) const;
};

// A conda MatchSpec (CEP 29): "numpy", "numpy 1.26.*", "python_abi 3.11.* *_cp311", "numpy=1.8",
// "numpy==1.8", "numpy>=1.2,<2", "conda-forge/linux-64::numpy[version='>=1.26', build=py311*]".
// `name=1.8` is a prefix match (1.8.*), `name 1.8` and `name==1.8` exact, `name=1.8=b` exact
// version and build; bracket keys override the positional fields.
class MatchSpec {
public:
    // Errors (ErrorCode::manifest) name the spec and what is wrong in it:
    // "invalid match spec 'numpy >=1.2,<': invalid version spec '>=1.2,<': missing version at the end".
    static Result<MatchSpec> parse(std::string_view text);

    // Name, version, build, build number, channel, subdir, hashes and file name all hold.
    [[nodiscard]] bool matches(const RepodataRecord& record) const;

    [[nodiscard]] const std::string& text() const { return m_text; }  // as written, trimmed
    [[nodiscard]] const std::string& name() const { return m_name; }  // lower case; "*" for any
    [[nodiscard]] const std::optional<VersionSpec>& version() const { return m_version; }
    [[nodiscard]] const std::optional<StringMatcher>& build() const { return m_build; }
    [[nodiscard]] const std::optional<BuildNumberSpec>& build_number() const { return m_build_number; }
    [[nodiscard]] const std::string& channel() const { return m_channel; }  // empty: any
    [[nodiscard]] const std::string& subdir() const { return m_subdir; }    // empty: any
    [[nodiscard]] const std::string& md5() const { return m_md5; }
    [[nodiscard]] const std::string& sha256() const { return m_sha256; }
    [[nodiscard]] const std::string& filename() const { return m_filename; }

    // Whether a record of channel `record_channel` is in this spec's channel: the same text,
    // or a URL ending in "/<channel>".
    [[nodiscard]] bool channel_matches(std::string_view record_channel) const;

private:
    MatchSpec() = default;
    friend class MatchSpecParser;

    std::string m_text;
    std::string m_name;
    std::optional<VersionSpec> m_version;
    std::optional<StringMatcher> m_build;
    std::optional<BuildNumberSpec> m_build_number;
    std::string m_channel;
    std::string m_subdir;
    std::string m_md5;
    std::string m_sha256;
    std::string m_filename;
};

}  // namespace gapbundle::sources::conda
