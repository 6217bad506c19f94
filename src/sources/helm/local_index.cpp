#include <gapbundle/sources/helm/local_index.hpp>

#include <gapbundle/sources/helm/semver.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>

namespace gapbundle::sources::helm {

namespace {

// Newest first; a version that does not parse (never carried, but kept total) sorts last.
bool newer(const LocalChart& a, const LocalChart& b)
{
    const auto va = SemVer::parse(a.version);
    const auto vb = SemVer::parse(b.version);
    if (va && vb && *va != *vb) return *va > *vb;
    if (va.has_value() != vb.has_value()) return va.has_value();
    return a.version > b.version;
}

}  // namespace

std::string local_index_yaml(std::vector<LocalChart> charts)
{
    std::map<std::string, std::vector<LocalChart>> by_name;
    for (auto& chart : charts) by_name[chart.name].push_back(std::move(chart));
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "apiVersion" << YAML::Value << "v1";
    out << YAML::Key << "entries" << YAML::Value << YAML::BeginMap;
    for (auto& [name, versions] : by_name) {
        std::ranges::sort(versions, newer);
        out << YAML::Key << name << YAML::Value << YAML::BeginSeq;
        for (const auto& chart : versions) {
            out << YAML::BeginMap;
            out << YAML::Key << "apiVersion" << YAML::Value << (chart.api_version.empty() ? "v1" : chart.api_version);
            if (!chart.app_version.empty())
                out << YAML::Key << "appVersion" << YAML::Value << YAML::DoubleQuoted << chart.app_version;
            out << YAML::Key << "digest" << YAML::Value << chart.digest;
            out << YAML::Key << "name" << YAML::Value << chart.name;
            out << YAML::Key << "urls" << YAML::Value << YAML::BeginSeq << chart.file << YAML::EndSeq;
            out << YAML::Key << "version" << YAML::Value << YAML::DoubleQuoted << chart.version;
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    out << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace gapbundle::sources::helm
