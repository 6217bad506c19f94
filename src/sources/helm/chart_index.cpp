#include <gapbundle/sources/helm/chart_index.hpp>

#include "yaml_reading.hpp"

#include <gapbundle/util/text.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace gapbundle::sources::helm {

namespace {

using reading::scalar;
using reading::yaml_error;

int line_of(const YAML::Node& node)
{
    const auto mark = node.Mark();
    return mark.is_null() ? 1 : mark.line + 1;
}

std::unexpected<Error> index_error(std::string_view where, const YAML::Mark& mark, const std::string& message)
{
    return yaml_error(std::string(where), mark, message);
}

std::string lower(std::string text)
{
    std::ranges::transform(text, text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// One entry of entries.NAME, or why helm would skip it.
Result<ChartVersion> read_entry(const std::string& name, const YAML::Node& node)
{
    if (!node.IsMap()) return fail(ErrorCode::download, "not a mapping");
    ChartVersion chart;
    chart.line = line_of(node);
    chart.name = scalar(node, "name");
    if (chart.name.empty()) chart.name = name;
    if (chart.name != name) return fail(ErrorCode::download, "its name '" + chart.name + "' is not the entry's");
    chart.version = scalar(node, "version");
    auto semver = SemVer::parse(chart.version);
    if (!semver) return fail(ErrorCode::download, "version '" + chart.version + "' is not a semantic version");
    chart.semver = std::move(*semver);
    chart.app_version = scalar(node, "appVersion");
    chart.api_version = scalar(node, "apiVersion");
    if (chart.api_version.empty()) chart.api_version = "v1";
    std::string digest = lower(scalar(node, "digest"));
    if (digest.starts_with("sha256:")) digest.erase(0, 7);
    if (!digest.empty() && !text::is_sha256_hex(digest))
        return fail(ErrorCode::download, "digest '" + digest + "' is not a sha256");
    chart.digest = std::move(digest);
    const YAML::Node urls = node["urls"];
    if (urls && urls.IsSequence())
        for (const auto& url : urls)
            if (url.IsScalar() && !url.Scalar().empty()) chart.urls.push_back(url.Scalar());
    if (chart.urls.empty()) return fail(ErrorCode::download, "no urls");
    return chart;
}

}  // namespace

Result<ChartIndex> parse_chart_index(std::string_view yaml, std::string_view where)
{
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        return index_error(where, e.mark, e.msg);
    }
    if (!root.IsMap()) return index_error(where, root.Mark(), "an index.yaml is a mapping with 'apiVersion' and 'entries'");
    if (scalar(root, "apiVersion").empty())
        return index_error(where, root.Mark(), "no API version specified (helm refuses such an index)");
    ChartIndex index;
    const YAML::Node entries = root["entries"];
    if (!entries || entries.IsNull()) return index;
    if (!entries.IsMap()) return index_error(where, entries.Mark(), "'entries' must be a mapping of chart names to lists");
    try {
        for (const auto& item : entries) {
            const std::string name = item.first.as<std::string>();
            if (!item.second.IsSequence())
                return index_error(where, item.second.Mark(), "entries." + name + " must be a list of chart versions");
            auto& versions = index.entries[name];
            for (std::size_t i = 0; i < item.second.size(); ++i) {
                const YAML::Node node = item.second[i];
                auto chart = read_entry(name, node);
                if (!chart) {
                    index.skipped.push_back(name + "[" + std::to_string(i) + "] (line " + std::to_string(line_of(node)) +
                                            "): " + chart.error().message);
                    continue;
                }
                versions.push_back(std::move(*chart));
            }
            std::ranges::sort(versions, [](const ChartVersion& a, const ChartVersion& b) {
                if (const int d = a.semver.compare(b.semver); d != 0) return d > 0;
                return a.version > b.version;
            });
        }
    } catch (const YAML::Exception& e) {
        return index_error(where, e.mark, e.msg);
    }
    return index;
}

Result<const ChartVersion*> select_chart(const ChartIndex& index, std::string_view name, std::string_view constraint,
                                         bool devel)
{
    const auto found = index.entries.find(std::string(name));
    if (found == index.entries.end() || found->second.empty())
        return fail(ErrorCode::download, "the repository has no chart '" + std::string(name) + "'");
    const auto& versions = found->second;
    for (const auto& chart : versions)
        if (!constraint.empty() && chart.version == constraint) return &chart;
    auto parsed = SemVerConstraint::parse(constraint.empty() ? "*" : constraint);
    if (!parsed) return std::unexpected(parsed.error());
    for (const auto& chart : versions)
        if (parsed->matches(chart.semver, devel)) return &chart;
    std::string listed;
    for (std::size_t i = 0; i < versions.size() && i < 10; ++i) listed += (i ? ", " : "") + versions[i].version;
    if (versions.size() > 10) listed += ", ...";
    return fail(ErrorCode::download, "chart '" + std::string(name) + "' has no version fitting '" +
                                         std::string(constraint.empty() ? "*" : constraint) + "'" +
                                         (devel ? " (pre-releases included)" : "") + " (versions: " + listed + ")");
}

std::string resolve_chart_url(std::string_view repository_url, std::string_view chart_url)
{
    const auto colon = chart_url.find(':');
    if (colon != std::string_view::npos && colon > 0 && chart_url.find('/') > colon) return std::string(chart_url);

    std::string_view base = repository_url;
    std::string query;  // helm puts the repository's query on the chart URL (and drops the chart's own)
    if (const auto q = base.find('?'); q != std::string_view::npos) {
        query = std::string(base.substr(q));
        base = base.substr(0, q);
    }
    if (const auto q = chart_url.find('?'); q != std::string_view::npos) chart_url = chart_url.substr(0, q);
    const auto scheme_end = base.find("://");
    const auto path_start = scheme_end == std::string_view::npos ? 0 : base.find('/', scheme_end + 3);
    const std::string origin(base.substr(0, path_start == std::string_view::npos ? base.size() : path_start));
    std::string path = path_start == std::string_view::npos ? "/" : std::string(base.substr(path_start));
    if (!path.ends_with('/')) path += '/';

    if (chart_url.starts_with("//")) return std::string(base.substr(0, scheme_end + 1)) + std::string(chart_url) + query;
    path = chart_url.starts_with('/') ? std::string(chart_url) : path + std::string(chart_url);
    // RFC 3986 §5.2.4: drop "." and resolve ".." segments.
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        const std::string segment = path.substr(start, slash - start);
        const bool last = slash == path.size();
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
            if (last) segments.emplace_back();
        } else if (segment == ".") {
            if (last) segments.emplace_back();
        } else {
            segments.push_back(segment);
        }
        start = slash + 1;
    }
    std::string resolved;
    for (const auto& segment : segments) resolved += "/" + segment;
    if (resolved.empty()) resolved = "/";
    return origin + resolved + query;
}

}  // namespace gapbundle::sources::helm
