#include "hf_spec.hpp"

#include "url.hpp"

#include <array>

namespace gapbundle::manifest::detail {

namespace {

constexpr std::array<std::string_view, 2> k_hf_keys{"endpoint", "repos"};
constexpr std::array<std::string_view, 5> k_repo_keys{"repo", "type", "revision", "allow", "ignore"};

std::string entry_name(std::size_t index)
{
    return "huggingface: repos[" + std::to_string(index) + "]";
}

// A pattern list: one string or a list of them, as huggingface_hub takes either.
Result<std::vector<std::string>> parse_patterns(const YamlReader& reader, const YAML::Node& map, const char* key,
                                                const std::string& entry)
{
    const YAML::Node node = map[key];
    const std::string what = entry + ": '" + key + "'";
    if (node.IsScalar() && !node.Scalar().empty()) return std::vector<std::string>{node.Scalar()};
    if (!node.IsSequence() || node.size() == 0)
        return reader.error(YamlReader::mark_of(map, key), what + " must be a pattern or a list of patterns, like [\"*.json\"]");
    std::vector<std::string> patterns;
    for (const auto& item : node) {
        if (!item.IsScalar() || item.Scalar().empty())
            return reader.error(item.Mark(), what + ": each pattern is a non-empty string");
        patterns.push_back(item.Scalar());
    }
    return patterns;
}

Result<HfRepoSpec> parse_repo(const YamlReader& reader, const YAML::Node& node, std::size_t index)
{
    const std::string entry = entry_name(index);
    HfRepoSpec spec;
    spec.mark = to_mark(node.Mark());
    if (node.IsScalar() && !node.Scalar().empty()) {
        spec.repo = node.Scalar();
        return spec;
    }
    if (!node.IsMap()) return reader.error(node.Mark(), entry + " must be a repo id or a mapping with 'repo'");
    if (auto st = reader.check_keys(node, k_repo_keys, entry); !st) return std::unexpected(st.error());
    if (!node["repo"]) return reader.error(node.Mark(), entry + ": missing 'repo'");
    auto repo = reader.string(node, "repo", entry + ": 'repo'");
    if (!repo) return std::unexpected(repo.error());
    spec.repo = *repo;
    if (node["type"]) {
        auto type = reader.string(node, "type", entry + ": 'type'");
        if (!type) return std::unexpected(type.error());
        if (*type != "model" && *type != "dataset")
            return reader.error(YamlReader::mark_of(node, "type"),
                                entry + ": 'type' is model or dataset, got '" + *type + "'");
        spec.type = *type;
    }
    if (node["revision"]) {
        auto revision = reader.string(node, "revision", entry + ": 'revision'");
        if (!revision) return std::unexpected(revision.error());
        spec.revision = *revision;
    }
    for (auto [key, list] : {std::pair{"allow", &spec.allow}, std::pair{"ignore", &spec.ignore}}) {
        if (!node[key]) continue;
        auto patterns = parse_patterns(reader, node, key, entry);
        if (!patterns) return std::unexpected(patterns.error());
        *list = std::move(*patterns);
    }
    return spec;
}

}  // namespace

Result<HuggingFaceSpec> parse_huggingface(const YamlReader& reader, const YAML::Node& node)
{
    if (!node.IsMap()) return reader.error(node.Mark(), "'huggingface' must be a mapping with 'repos'");
    if (auto st = reader.check_keys(node, k_hf_keys, "huggingface"); !st) return std::unexpected(st.error());
    HuggingFaceSpec spec;
    spec.mark = to_mark(node.Mark());
    if (node["endpoint"]) {
        auto endpoint = reader.string(node, "endpoint", "huggingface: 'endpoint'");
        if (!endpoint) return std::unexpected(endpoint.error());
        const auto scheme = url::scheme(*endpoint);
        if (!scheme || (*scheme != "http" && *scheme != "https"))
            return reader.error(YamlReader::mark_of(node, "endpoint"),
                                "huggingface: 'endpoint' must be an http:// or https:// URL, got '" + *endpoint + "'");
        if (url::authority(*endpoint).find('@') != std::string_view::npos)
            return reader.error(YamlReader::mark_of(node, "endpoint"),
                                "huggingface: 'endpoint' carries credentials; the token comes from HF_TOKEN or "
                                "huggingface_hub's token file: secrets never go in the manifest");
        spec.endpoint = *endpoint;
        while (spec.endpoint.ends_with('/')) spec.endpoint.pop_back();
    }
    const YAML::Node repos = node["repos"];
    if (!repos || !repos.IsSequence() || repos.size() == 0)
        return reader.error(repos ? repos.Mark() : node.Mark(), "huggingface: 'repos' must be a non-empty list");
    for (std::size_t i = 0; i < repos.size(); ++i) {
        auto repo = parse_repo(reader, repos[i], i);
        if (!repo) return std::unexpected(repo.error());
        spec.repos.push_back(std::move(*repo));
    }
    return spec;
}

}  // namespace gapbundle::manifest::detail
