#include "support/helm_chart.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace gapbundle::testing {

namespace {

namespace stdfs = std::filesystem;

void write(const stdfs::path& path, const std::string& content)
{
    stdfs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string quoted(const stdfs::path& path)
{
    std::string out = "'";
    for (const char c : path.string()) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

stdfs::path build_chart(const stdfs::path& out_dir, const ChartDef& chart)
{
    const auto scratch = out_dir / (".chart-" + chart.name + "-" + chart.version);
    stdfs::remove_all(scratch);
    const auto folder = scratch / chart.name;
    std::string chart_yaml = "apiVersion: v2\nname: " + chart.name + "\nversion: " + chart.version + "\n";
    if (!chart.app_version.empty()) chart_yaml += "appVersion: \"" + chart.app_version + "\"\n";
    chart_yaml += chart.chart_yaml_extra;
    write(folder / "Chart.yaml", chart_yaml);
    if (!chart.values_yaml.empty()) write(folder / "values.yaml", chart.values_yaml);
    write(folder / "templates" / "NOTES.txt", chart.name + " " + chart.version + "\n");
    for (const auto& [path, content] : chart.files) write(folder / path, content);
    for (const auto& [name, tgz] : chart.vendored) {
        stdfs::create_directories(folder / "charts");
        stdfs::copy_file(tgz, folder / "charts" / (name + ".tgz"), stdfs::copy_options::overwrite_existing);
    }
    stdfs::create_directories(out_dir);
    const auto archive = out_dir / (chart.name + "-" + chart.version + ".tgz");
    const std::string command = "tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C " + quoted(scratch) +
                                " -czf " + quoted(archive) + " " + quoted(chart.name);
    if (std::system(command.c_str()) != 0) throw std::runtime_error("tar failed: " + command);
    stdfs::remove_all(scratch);
    return archive;
}

}  // namespace gapbundle::testing
