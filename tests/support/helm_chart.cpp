#include "support/helm_chart.hpp"

#include "support/shell.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
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

namespace {

// Stores `bytes` as a blob of the layout; its descriptor.
nlohmann::json put_blob(const stdfs::path& layout, const std::string& bytes, const std::string& media_type)
{
    const std::string hex = crypto::sha256_hex(bytes);
    write_text_file(layout / "blobs" / "sha256" / hex, bytes);
    return {{"mediaType", media_type}, {"digest", "sha256:" + hex}, {"size", bytes.size()}};
}

}  // namespace

std::string write_oci_chart_layout(const stdfs::path& layout, const stdfs::path& archive, const std::string& name,
                                   const std::string& version, const std::string& tag)
{
    std::ifstream in(archive, std::ios::binary);
    std::ostringstream tgz;
    tgz << in.rdbuf();
    const nlohmann::json config_json = {{"name", name}, {"version", version}, {"apiVersion", "v2"}};
    const auto config = put_blob(layout, config_json.dump(), "application/vnd.cncf.helm.config.v1+json");
    const auto layer = put_blob(layout, tgz.str(), "application/vnd.cncf.helm.chart.content.v1.tar+gzip");
    const nlohmann::json manifest_json = {{"schemaVersion", 2},
                                          {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                          {"config", config},
                                          {"layers", nlohmann::json::array({layer})}};
    auto manifest = put_blob(layout, manifest_json.dump(), "application/vnd.oci.image.manifest.v1+json");
    manifest["annotations"] = {{"org.opencontainers.image.ref.name", tag}};
    write_text_file(layout / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    nlohmann::json index = {{"schemaVersion", 2}, {"manifests", nlohmann::json::array()}};
    std::ifstream existing(layout / "index.json");
    if (existing) index = nlohmann::json::parse(existing);
    index["manifests"].push_back(manifest);
    write_text_file(layout / "index.json", index.dump());
    return manifest["digest"].get<std::string>();
}

}  // namespace gapbundle::testing
