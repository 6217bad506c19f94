#include "helm_spec.hpp"

#include "url.hpp"

#include <array>

namespace gapbundle::manifest::detail {

namespace {

constexpr std::array<std::string_view, 6> k_entry_keys{"repo", "chart", "oci", "version", "devel", "images"};

std::string entry_name(std::size_t index)
{
    return "helm[" + std::to_string(index) + "]";
}

Status parse_source(const YamlReader& reader, const YAML::Node& node, const std::string& entry, HelmChartSpec& spec)
{
    if (node["repo"] && node["oci"])
        return reader.error(node.Mark(), entry + ": give 'repo' and 'chart', or 'oci', not both");
    if (node["oci"]) {
        if (node["chart"])
            return reader.error(YamlReader::mark_of(node, "chart"), entry + ": an 'oci' reference names the chart itself");
        auto oci = reader.string(node, "oci", entry + ": 'oci'");
        if (!oci) return std::unexpected(oci.error());
        std::string_view rest = *oci;
        if (!rest.starts_with("oci://") || rest.size() <= 6)
            return reader.error(YamlReader::mark_of(node, "oci"),
                                entry + ": 'oci' must be oci://REGISTRY/PATH/CHART, got '" + *oci + "'");
        rest.remove_prefix(6);
        while (rest.ends_with('/')) rest.remove_suffix(1);
        const auto slash = rest.rfind('/');
        if (slash == std::string_view::npos || rest.find_first_of(":@", slash) != std::string_view::npos)
            return reader.error(YamlReader::mark_of(node, "oci"),
                                entry + ": 'oci' must be oci://REGISTRY/PATH/CHART without a tag (give 'version'), got '" +
                                    *oci + "'");
        if (url::authority("https://" + std::string(rest)).find('@') != std::string_view::npos)
            return reader.error(YamlReader::mark_of(node, "oci"), entry + ": 'oci' carries credentials: secrets never go in "
                                                                          "the manifest (use registries:)");
        spec.oci = "oci://" + std::string(rest);
        spec.chart = std::string(rest.substr(slash + 1));
        return {};
    }
    if (!node["repo"] || !node["chart"])
        return reader.error(node.Mark(), entry + ": give 'repo' and 'chart' (a classic repository) or 'oci'");
    auto repo = reader.string(node, "repo", entry + ": 'repo'");
    if (!repo) return std::unexpected(repo.error());
    const auto scheme = url::scheme(*repo);
    if (!scheme || (*scheme != "http" && *scheme != "https"))
        return reader.error(YamlReader::mark_of(node, "repo"),
                            entry + ": 'repo' must be an http:// or https:// URL, got '" + *repo + "'");
    if (url::authority(*repo).find('@') != std::string_view::npos)
        return reader.error(YamlReader::mark_of(node, "repo"),
                            entry + ": 'repo' carries credentials: secrets never go in the manifest (use ~/.netrc)");
    auto chart = reader.string(node, "chart", entry + ": 'chart'");
    if (!chart) return std::unexpected(chart.error());
    if (chart->find('/') != std::string::npos)
        return reader.error(YamlReader::mark_of(node, "chart"), entry + ": 'chart' is a name in the repository, got '" +
                                                                    *chart + "'");
    spec.repo = *repo;
    while (spec.repo.ends_with('/')) spec.repo.pop_back();
    spec.chart = *chart;
    return {};
}

Status parse_images(const YamlReader& reader, const YAML::Node& node, const std::string& entry, HelmChartSpec& spec)
{
    const YAML::Node images = node["images"];
    if (!images) return {};
    const std::string what = entry + ": 'images'";
    if (images.IsScalar() && images.Scalar() == "auto") return {};
    if (images.IsScalar() && images.Scalar() == "none") {
        spec.images = HelmChartSpec::Images::none;
        return {};
    }
    if (!images.IsSequence())
        return reader.error(YamlReader::mark_of(node, "images"), what + " is auto, none or a list of image references");
    auto listed = text_lines(reader, node, "images", what);
    if (!listed) return std::unexpected(listed.error());
    spec.images = HelmChartSpec::Images::listed;
    spec.listed_images = std::move(*listed);
    return {};
}

Result<HelmChartSpec> parse_entry(const YamlReader& reader, const YAML::Node& node, std::size_t index)
{
    const std::string entry = entry_name(index);
    if (!node.IsMap()) return reader.error(node.Mark(), entry + " must be a mapping with 'repo' and 'chart', or 'oci'");
    if (auto st = reader.check_keys(node, k_entry_keys, entry); !st) return std::unexpected(st.error());
    HelmChartSpec spec;
    spec.mark = to_mark(node.Mark());
    if (auto st = parse_source(reader, node, entry, spec); !st) return std::unexpected(st.error());
    if (node["version"]) {
        auto version = reader.string(node, "version", entry + ": 'version'");
        if (!version) return std::unexpected(version.error());
        spec.version = *version;
    }
    if (node["devel"]) {
        bool devel = false;
        if (!node["devel"].IsScalar() || !YAML::convert<bool>::decode(node["devel"], devel))
            return reader.error(YamlReader::mark_of(node, "devel"), entry + ": 'devel' must be true or false");
        spec.devel = devel;
    }
    if (auto st = parse_images(reader, node, entry, spec); !st) return std::unexpected(st.error());
    return spec;
}

}  // namespace

Result<std::vector<HelmChartSpec>> parse_helm(const YamlReader& reader, const YAML::Node& node)
{
    if (!node.IsSequence()) return reader.error(node.Mark(), "'helm' must be a list of charts");
    std::vector<HelmChartSpec> specs;
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto spec = parse_entry(reader, node[i], i);
        if (!spec) return std::unexpected(spec.error());
        specs.push_back(std::move(*spec));
    }
    return specs;
}

}  // namespace gapbundle::manifest::detail
