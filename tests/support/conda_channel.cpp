#include "support/conda_channel.hpp"

#include "support/shell.hpp"

#include <gapbundle/crypto/md5.hpp>
#include <gapbundle/crypto/sha256.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace gapbundle::testing {

namespace {

namespace stdfs = std::filesystem;

// The interpreter cph runs with (its #! line): the distribution's, which has the package.
constexpr std::string_view k_cph_python = "/usr/bin/python3";
using nlohmann::json;

std::string read_file(const stdfs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The package's own metadata: info/index.json as conda-build writes it, the payload, and
// info/paths.json and info/files listing it.
void write_package_tree(const stdfs::path& tree, const CondaPackageDef& def)
{
    auto files = def.files;
    if (files.empty()) files["share/" + def.name + "/VERSION"] = def.version + "\n";
    json index{{"name", def.name},           {"version", def.version},        {"build", def.build},
               {"build_number", def.build_number}, {"depends", def.depends}, {"subdir", def.subdir},
               {"timestamp", def.timestamp_ms}, {"license", "MIT"}};
    if (!def.constrains.empty()) index["constrains"] = def.constrains;
    if (!def.track_features.empty()) index["track_features"] = def.track_features;
    if (def.subdir == "noarch") index["noarch"] = "generic";
    write_text_file(tree / "info" / "index.json", index.dump(2));
    json paths = json::array();
    std::string listing;
    for (const auto& [path, content] : files) {
        write_text_file(tree / path, content);
        paths.push_back({{"_path", path}, {"path_type", "hardlink"}, {"sha256", crypto::sha256_hex(content)},
                         {"size_in_bytes", content.size()}});
        listing += path + "\n";
    }
    write_text_file(tree / "info" / "paths.json", json{{"paths", paths}, {"paths_version", 1}}.dump(2));
    write_text_file(tree / "info" / "files", listing);
}

json repodata_record(const CondaPackageDef& def, const CondaFile& file)
{
    json record{{"name", def.name},
                {"version", def.version},
                {"build", def.build},
                {"build_number", def.build_number},
                {"depends", def.depends},
                {"subdir", def.subdir},
                {"timestamp", def.timestamp_ms},
                {"license", "MIT"},
                {"size", file.size},
                {"sha256", file.sha256},
                {"md5", file.md5}};
    if (!def.constrains.empty()) record["constrains"] = def.constrains;
    if (!def.track_features.empty()) record["track_features"] = def.track_features;
    if (def.subdir == "noarch") record["noarch"] = "generic";
    return record;
}

}  // namespace

CondaChannel build_conda_channel(const stdfs::path& root, const std::vector<CondaPackageDef>& packages)
{
    CondaChannel channel;
    channel.root = root;
    std::map<std::string, json> repodata;  // by subdir
    const auto subdir_doc = [&](const std::string& subdir) -> json& {
        auto [it, added] = repodata.try_emplace(subdir);
        if (added)
            it->second = json{{"info", {{"subdir", subdir}}}, {"packages", json::object()},
                              {"packages.conda", json::object()}, {"removed", json::array()},
                              {"repodata_version", 1}};
        return it->second;
    };
    subdir_doc("noarch");
    const auto scratch = root / ".build";
    // Every package in one run of conda-package-handling's own API: `cph create` per package costs
    // a Python start and zstd level 21 each, seconds a package. Level 3 makes the same format.
    json jobs = json::array();
    std::vector<std::pair<const CondaPackageDef*, std::tuple<std::string, std::string>>> made;  // file, section
    for (const auto& def : packages) {
        const auto tree = scratch / (def.name + "-" + def.version + "-" + def.build + "-" + def.subdir);
        write_package_tree(tree, def);
        const auto folder = root / def.subdir;
        stdfs::create_directories(folder);
        for (const auto& [wanted, extension, section] :
             {std::tuple{def.as_conda, ".conda", "packages.conda"}, std::tuple{def.as_tar_bz2, ".tar.bz2", "packages"}}) {
            if (!wanted) continue;
            const std::string filename = def.name + "-" + def.version + "-" + def.build + extension;
            jobs.push_back(json::array({tree.string(), filename, folder.string()}));
            made.push_back({&def, {filename, section}});
        }
    }
    write_text_file(scratch / "jobs.json", jobs.dump());
    write_text_file(scratch / "create.py", "import json, sys\n"
                                      "from conda_package_handling import api\n"
                                      "for prefix, out_fn, out_folder in json.load(open(sys.argv[1])):\n"
                                      "    kw = {}\n"
                                      "    if out_fn.endswith('.conda'):\n"
                                      "        kw['compression_tuple'] = ('.tar.zst', 'zstd', 'zstd:compression-level=3')\n"
                                      "    api.create(prefix, None, out_fn, out_folder, **kw)\n");
    run_shell(std::string(k_cph_python) + " " + shell_quoted(scratch / "create.py") + " " + shell_quoted(scratch / "jobs.json"));
    for (const auto& [def, made_file] : made) {
        const auto& [filename, section] = made_file;
        const auto path = root / def->subdir / filename;
        const auto bytes = read_file(path);
        auto md5 = crypto::md5_file_hex(path);
        if (!md5) throw std::runtime_error(md5.error().message);
        CondaFile file{def->subdir, filename, bytes.size(), crypto::sha256_hex(bytes), *md5};
        subdir_doc(def->subdir)[section][filename] = repodata_record(*def, file);
        channel.files.push_back(std::move(file));
    }
    stdfs::remove_all(scratch);
    for (const auto& [subdir, doc] : repodata) {
        const auto path = root / subdir / "repodata.json";
        write_text_file(path, doc.dump(1));
        run_shell("zstd -q -f -19 " + shell_quoted(path) + " -o " + shell_quoted(path.string() + ".zst"));
    }
    return channel;
}

}  // namespace gapbundle::testing
