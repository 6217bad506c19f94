#pragma once

// A conda channel on disk made by the tests: real packages in .conda and .tar.bz2 format, built by
// the distribution's conda-package-handling (the API behind `cph create`, every package in one
// Python run), and each subdir's repodata.json and repodata.json.zst listing them, as conda-index
// writes them. Serve the folder with HttpTestServer::serve_dir.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gapbundle::testing {

struct CondaPackageDef {
    std::string name;
    std::string version;
    std::string build = "0";
    int build_number = 0;
    std::string subdir = "linux-64";  // or "noarch"
    std::vector<std::string> depends;
    std::vector<std::string> constrains;
    std::string track_features;       // space-separated, as repodata writes it; empty: none
    bool as_conda = true;             // NAME-VERSION-BUILD.conda
    bool as_tar_bz2 = false;          // NAME-VERSION-BUILD.tar.bz2
    std::map<std::string, std::string> files;  // relative path -> content; a default one when empty
    std::int64_t timestamp_ms = 1700000000000;
};

struct CondaFile {
    std::string subdir;
    std::string filename;  // "numpy-1.26.4-py311_0.conda"
    std::uint64_t size = 0;
    std::string sha256;
    std::string md5;
};

struct CondaChannel {
    std::filesystem::path root;     // ROOT/<subdir>/{repodata.json,repodata.json.zst,packages}
    std::vector<CondaFile> files;   // every package file, in the order built
};

// Builds the channel under `root` (created). Every subdir named, and noarch, gets a repodata.json
// (noarch's may be empty) and its .zst. Throws std::runtime_error when cph or zstd fails.
CondaChannel build_conda_channel(const std::filesystem::path& root, const std::vector<CondaPackageDef>& packages);

}  // namespace gapbundle::testing
