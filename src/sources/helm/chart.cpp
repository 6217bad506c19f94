#include <gapbundle/sources/helm/chart.hpp>

#include "yaml_reading.hpp"

#include "../archive_read.hpp"

#include <gapbundle/util/fs.hpp>

#include <archive_entry.h>
#include <yaml-cpp/yaml.h>

#include <optional>

namespace gapbundle::sources::helm {

namespace {

using reading::scalar;

// "WHERE: FILE:LINE:COLUMN: message".
std::unexpected<Error> yaml_error(std::string_view where, std::string_view file, const YAML::Mark& mark,
                                  const std::string& message)
{
    return reading::yaml_error(std::string(where) + ": " + std::string(file), mark, message);
}

Result<std::vector<ChartDependency>> read_dependencies(const YAML::Node& list, std::string_view where,
                                                       std::string_view file)
{
    std::vector<ChartDependency> out;
    if (!list || list.IsNull()) return out;
    if (!list.IsSequence()) return yaml_error(where, file, list.Mark(), "'dependencies' must be a list");
    for (const auto& item : list) {
        if (!item.IsMap()) return yaml_error(where, file, item.Mark(), "a dependency must be a mapping with 'name'");
        ChartDependency dependency{scalar(item, "name"), scalar(item, "version"), scalar(item, "repository"),
                                   scalar(item, "alias"), scalar(item, "condition")};
        if (dependency.name.empty()) return yaml_error(where, file, item.Mark(), "a dependency without a 'name'");
        out.push_back(std::move(dependency));
    }
    return out;
}

struct ChartParts {
    std::optional<std::string> chart_yaml;
    std::string values_yaml;
    std::optional<std::string> requirements_yaml;
};

// The archive's entries, each handed to `on_file(path, read)` where `read(max)` gives its bytes.
class ArchiveWalk {
public:
    ArchiveWalk(std::string_view bytes, std::string_view where) : m_bytes(bytes), m_where(where) {}

    template <class OnFile>
    Status run(OnFile&& on_file)
    {
        detail::UniqueArchiveRead reader(archive_read_new());
        if (!reader) return fail(ErrorCode::internal, "libarchive: out of memory");
        archive_read_support_filter_gzip(reader.get());
        archive_read_support_format_tar(reader.get());
        if (archive_read_open_memory(reader.get(), m_bytes.data(), m_bytes.size()) != ARCHIVE_OK)
            return fail(ErrorCode::download, std::string(m_where) + ": not a chart archive (.tgz): " +
                                                 detail::archive_read_error(reader.get()));
        archive_entry* entry = nullptr;
        for (;;) {
            const int status = archive_read_next_header(reader.get(), &entry);
            if (status == ARCHIVE_EOF) return {};
            if (status != ARCHIVE_OK && status != ARCHIVE_WARN)
                return fail(ErrorCode::download, std::string(m_where) + ": a damaged chart archive: " +
                                                     detail::archive_read_error(reader.get()));
            if (archive_entry_filetype(entry) != AE_IFREG) continue;
            std::string_view path = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
            while (path.starts_with("./")) path.remove_prefix(2);
            const auto size = archive_entry_size(entry);
            const auto read = [&](std::uint64_t max) -> Result<std::string> {
                if (size < 0 || static_cast<std::uint64_t>(size) > max)
                    return fail(ErrorCode::download, std::string(m_where) + ": " + std::string(path) +
                                                         " is larger than " + std::to_string(max >> 20) + " MiB");
                std::string content(static_cast<std::size_t>(size), '\0');
                const auto got = archive_read_data(reader.get(), content.data(), content.size());
                if (got < 0 || static_cast<std::size_t>(got) != content.size())
                    return fail(ErrorCode::download, std::string(m_where) + ": cannot read " + std::string(path) +
                                                         ": " + detail::archive_read_error(reader.get()));
                return content;
            };
            if (auto st = on_file(path, read); !st) return st;
        }
    }

private:
    std::string_view m_bytes;
    std::string_view m_where;
};

Result<Chart> read_chart(std::string_view bytes, std::string_view where, int depth);

Result<Chart> assemble(ChartParts parts, std::vector<Chart> subcharts, std::string_view where)
{
    if (!parts.chart_yaml) return fail(ErrorCode::download, std::string(where) + ": no Chart.yaml in the chart's folder");
    auto metadata = parse_chart_yaml(*parts.chart_yaml, where);
    if (!metadata) return std::unexpected(metadata.error());
    if (metadata->dependencies.empty() && parts.requirements_yaml) {  // apiVersion v1 keeps them here
        YAML::Node requirements;
        try {
            requirements = YAML::Load(*parts.requirements_yaml);
        } catch (const YAML::Exception& e) {
            return yaml_error(where, "requirements.yaml", e.mark, e.msg);
        }
        if (requirements.IsMap()) {
            auto dependencies = read_dependencies(requirements["dependencies"], where, "requirements.yaml");
            if (!dependencies) return std::unexpected(dependencies.error());
            metadata->dependencies = std::move(*dependencies);
        }
    }
    return Chart{std::move(*metadata), std::move(parts.values_yaml), std::move(subcharts), std::move(*parts.chart_yaml)};
}

Result<Chart> read_chart(std::string_view bytes, std::string_view where, int depth)
{
    if (depth > k_max_subchart_depth)
        return fail(ErrorCode::download, std::string(where) + ": subcharts nested more than " +
                                             std::to_string(k_max_subchart_depth) + " deep");
    std::optional<std::string> top;
    ChartParts parts;
    std::map<std::string, ChartParts> folder_subcharts;
    std::vector<Chart> subcharts;
    ArchiveWalk walk(bytes, where);
    auto walked = walk.run([&](std::string_view path, const auto& read) -> Status {
        const auto slash = path.find('/');
        if (slash == std::string_view::npos || slash == 0)
            return fail(ErrorCode::download, std::string(where) + ": '" + std::string(path) +
                                                 "' is outside the chart's folder");
        const std::string folder(path.substr(0, slash));
        if (!top) top = folder;
        if (*top != folder)
            return fail(ErrorCode::download, std::string(where) + ": two top folders, " + *top + " and " + folder +
                                                 " (a chart archive holds one chart)");
        const std::string_view rest = path.substr(slash + 1);
        std::string* target = nullptr;
        std::optional<std::string>* optional_target = nullptr;
        if (rest == "Chart.yaml") optional_target = &parts.chart_yaml;
        if (rest == "values.yaml") target = &parts.values_yaml;
        if (rest == "requirements.yaml") optional_target = &parts.requirements_yaml;
        if (rest.starts_with("charts/")) {
            const std::string_view below = rest.substr(7);
            const auto inner = below.find('/');
            if (inner == std::string_view::npos && below.ends_with(".tgz")) {
                auto nested = read(k_max_subchart_bytes);
                if (!nested) return std::unexpected(nested.error());
                auto subchart = read_chart(*nested, std::string(where) + ": charts/" + std::string(below), depth + 1);
                if (!subchart) return std::unexpected(subchart.error());
                subcharts.push_back(std::move(*subchart));
                return {};
            }
            if (inner != std::string_view::npos) {
                auto& sub = folder_subcharts[std::string(below.substr(0, inner))];
                const auto file = below.substr(inner + 1);
                if (file == "Chart.yaml") optional_target = &sub.chart_yaml;
                if (file == "values.yaml") target = &sub.values_yaml;
                if (file == "requirements.yaml") optional_target = &sub.requirements_yaml;
            }
        }
        if (!target && !optional_target) return {};
        auto content = read(k_max_chart_file_bytes);
        if (!content) return std::unexpected(content.error());
        if (target) *target = std::move(*content);
        else *optional_target = std::move(*content);
        return {};
    });
    if (!walked) return std::unexpected(walked.error());
    for (auto& [folder, sub] : folder_subcharts) {
        if (!sub.chart_yaml) continue;  // charts/NAME/ without a Chart.yaml is not a chart
        auto subchart = assemble(std::move(sub), {}, std::string(where) + ": charts/" + folder);
        if (!subchart) return std::unexpected(subchart.error());
        subcharts.push_back(std::move(*subchart));
    }
    return assemble(std::move(parts), std::move(subcharts), where);
}

}  // namespace

Result<ChartMetadata> parse_chart_yaml(std::string_view yaml, std::string_view where)
{
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        return yaml_error(where, "Chart.yaml", e.mark, e.msg);
    }
    if (!root.IsMap()) return yaml_error(where, "Chart.yaml", root.Mark(), "Chart.yaml must be a mapping");
    ChartMetadata metadata;
    metadata.api_version = scalar(root, "apiVersion");
    metadata.name = scalar(root, "name");
    metadata.version = scalar(root, "version");
    metadata.app_version = scalar(root, "appVersion");
    for (const auto& [key, value] : {std::pair{"apiVersion", &metadata.api_version}, std::pair{"name", &metadata.name},
                                     std::pair{"version", &metadata.version}})
        if (value->empty()) return yaml_error(where, "Chart.yaml", root.Mark(), std::string("missing '") + key + "'");
    if (metadata.api_version != "v1" && metadata.api_version != "v2")
        return yaml_error(where, "Chart.yaml", root["apiVersion"].Mark(),
                          "apiVersion '" + metadata.api_version + "' is not v1 or v2");
    auto dependencies = read_dependencies(root["dependencies"], where, "Chart.yaml");
    if (!dependencies) return std::unexpected(dependencies.error());
    metadata.dependencies = std::move(*dependencies);
    if (const YAML::Node annotations = root["annotations"]; annotations && annotations.IsMap())
        for (const auto& item : annotations)
            if (item.first.IsScalar() && item.second.IsScalar())
                metadata.annotations[item.first.Scalar()] = item.second.Scalar();
    return metadata;
}

Result<Chart> read_chart_archive(std::string_view bytes, std::string_view where)
{
    return read_chart(bytes, where, 0);
}

Result<Chart> read_chart_file(const std::filesystem::path& file)
{
    auto bytes = fs::read_small_file(file, k_max_subchart_bytes);
    if (!bytes) return std::unexpected(bytes.error());
    return read_chart(*bytes, file.filename().string(), 0);
}

}  // namespace gapbundle::sources::helm
