#include "support/helm_chart.hpp"

#include "support/shell.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace gapbundle::testing {

namespace stdfs = std::filesystem;

stdfs::path build_chart(const stdfs::path& out_dir, const ChartDef& chart)
{
    const auto scratch = out_dir / (".chart-" + chart.name + "-" + chart.version);
    stdfs::remove_all(scratch);
    const auto folder = scratch / chart.name;
    std::string chart_yaml = "apiVersion: v2\nname: " + chart.name + "\nversion: " + chart.version + "\n";
    if (!chart.app_version.empty()) chart_yaml += "appVersion: \"" + chart.app_version + "\"\n";
    chart_yaml += chart.chart_yaml_extra;
    write_text_file(folder / "Chart.yaml", chart_yaml);
    if (!chart.values_yaml.empty()) write_text_file(folder / "values.yaml", chart.values_yaml);
    write_text_file(folder / "templates" / "NOTES.txt", chart.name + " " + chart.version + "\n");
    for (const auto& [path, content] : chart.files) write_text_file(folder / path, content);
    for (const auto& [name, tgz] : chart.vendored) {
        stdfs::create_directories(folder / "charts");
        stdfs::copy_file(tgz, folder / "charts" / (name + ".tgz"), stdfs::copy_options::overwrite_existing);
    }
    stdfs::create_directories(out_dir);
    const auto archive = out_dir / (chart.name + "-" + chart.version + ".tgz");
    const std::string command = "tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C " + shell_quoted(scratch) +
                                " -czf " + shell_quoted(archive) + " " + shell_quoted(chart.name);
    if (std::system(command.c_str()) != 0) throw std::runtime_error("tar failed: " + command);
    stdfs::remove_all(scratch);
    return archive;
}

}  // namespace gapbundle::testing
