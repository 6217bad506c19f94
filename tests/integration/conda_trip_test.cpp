// The conda kind end to end: the real binary against a loopback channel of real packages made by
// cph (conda-package-handling), packed, verified, unpacked, and the carried channel read back by
// cph and checked against its repodata and the explicit lock file.

#include "bundle_surgery.hpp"
#include "trip_fixture.hpp"

#include "support/conda_channel.hpp"
#include "support/http_test_server.hpp"
#include "support/python_index.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdlib.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

CondaPackageDef package(std::string name, std::string version, std::string build, std::vector<std::string> depends = {},
                        std::string subdir = "linux-64")
{
    CondaPackageDef def;
    def.name = std::move(name);
    def.version = std::move(version);
    def.build = std::move(build);
    def.depends = std::move(depends);
    def.subdir = std::move(subdir);
    return def;
}

// Shaped like real channels: a python with an ABI package, numpy builds pinned to it, a BLAS
// with a track_feature variant, a noarch package, a conflict that needs backtracking, a package
// in both formats and one only as .tar.bz2, a constrains, a virtual package, and a clash.
std::vector<CondaPackageDef> channel_packages()
{
    std::vector<CondaPackageDef> defs;
    defs.push_back(package("python", "3.11.9", "h0_cpython"));
    defs.push_back(package("python", "3.12.4", "h0_cpython"));
    defs.push_back(package("python_abi", "3.11", "5_cp311", {"python 3.11.*"}));
    defs.push_back(package("numpy", "1.26.4", "py311_0", {"python >=3.11,<3.12.0a0", "python_abi 3.11.* *_cp311", "libblas >=3.9"}));
    defs.push_back(package("numpy", "2.0.1", "py311_0", {"python >=3.11,<3.12.0a0", "python_abi 3.11.* *_cp311", "libblas >=3.9"}));
    defs.push_back(package("libblas", "3.9.0", "openblas_0"));
    auto mkl = package("libblas", "3.9.0", "mkl_0");
    mkl.build_number = 1;
    mkl.track_features = "blas_mkl";
    defs.push_back(mkl);
    defs.push_back(package("tqdm", "4.66.4", "pyhd8ed1ab_0", {"python >=3.7"}, "noarch"));
    defs.push_back(package("bt-app", "1.0", "0", {"bt-x", "bt-y"}));
    defs.push_back(package("bt-x", "1.0", "0", {"bt-z <2"}));
    defs.push_back(package("bt-x", "2.0", "0", {"bt-z >=2"}));
    defs.push_back(package("bt-y", "1.0", "0", {"bt-z <2"}));
    defs.push_back(package("bt-z", "1.0", "0"));
    defs.push_back(package("bt-z", "2.0", "0"));
    auto zlib = package("zlib", "1.3.1", "h0_2");
    zlib.as_tar_bz2 = true;  // in both formats: the .conda is carried
    defs.push_back(zlib);
    auto legacy = package("legacy", "0.9", "0");
    legacy.as_conda = false;
    legacy.as_tar_bz2 = true;
    defs.push_back(legacy);
    auto capper = package("capper", "1.0", "0");
    capper.constrains = {"numpy <2"};
    defs.push_back(capper);
    defs.push_back(package("gpu-kit", "1.0", "0", {"__cuda >=12"}));
    defs.push_back(package("clash-a", "1.0", "0", {"shared <2"}));
    defs.push_back(package("clash-b", "1.0", "0", {"shared >=2"}));
    defs.push_back(package("shared", "1.0", "0"));
    defs.push_back(package("shared", "2.0", "0"));
    return defs;
}

const std::vector<std::string> k_specs{"python 3.11.*", "numpy", "tqdm", "bt-app", "zlib", "legacy", "capper", "gpu-kit"};

// What those specs solve to, worked out by hand: python 3.11 (the spec), numpy 1.26.4 (capper's
// constrains), libblas openblas (mkl carries a track_feature), bt-x 1.0 (2.0 needs bt-z >=2,
// which bt-y refuses), zlib's .conda, legacy's .tar.bz2, gpu-kit (__cuda 12.4 is declared).
const std::set<std::string> k_solution{
    "linux-64/python-3.11.9-h0_cpython.conda", "linux-64/python_abi-3.11-5_cp311.conda",
    "linux-64/numpy-1.26.4-py311_0.conda",    "linux-64/libblas-3.9.0-openblas_0.conda",
    "noarch/tqdm-4.66.4-pyhd8ed1ab_0.conda",  "linux-64/bt-app-1.0-0.conda",
    "linux-64/bt-x-1.0-0.conda",              "linux-64/bt-y-1.0-0.conda",
    "linux-64/bt-z-1.0-0.conda",              "linux-64/zlib-1.3.1-h0_2.conda",
    "linux-64/legacy-0.9-0.tar.bz2",          "linux-64/capper-1.0-0.conda",
    "linux-64/gpu-kit-1.0-0.conda"};

std::string yaml_list(const std::vector<std::string>& items)
{
    std::string out = "[";
    for (const auto& item : items) out += (out.size() > 1 ? ", \"" : "\"") + item + "\"";
    return out + "]";
}

// The package files under DIR/conda/<channel>/, as "subdir/file".
std::set<std::string> carried_files(const stdfs::path& channel)
{
    std::set<std::string> out;
    for (const auto& entry : stdfs::recursive_directory_iterator(channel)) {
        const auto name = entry.path().filename().string();
        if (entry.is_regular_file() && (name.ends_with(".conda") || name.ends_with(".tar.bz2")))
            out.insert(entry.path().parent_path().filename().string() + "/" + name);
    }
    return out;
}

class CondaTripTest : public TripTest {
protected:
    // cph takes a second or so a package: the channel is built once for the suite.
    static void SetUpTestSuite()
    {
        std::string folder = (stdfs::temp_directory_path() / "gapbundle-conda-trip.XXXXXX").string();
        ASSERT_NE(::mkdtemp(folder.data()), nullptr);
        s_channel = build_conda_channel(stdfs::path(folder) / "forge", channel_packages());
    }
    static void TearDownTestSuite()
    {
        if (!s_channel) return;
        stdfs::remove_all(s_channel->root.parent_path());
        s_channel.reset();
    }

    void SetUp() override
    {
        TripTest::SetUp();
        ASSERT_TRUE(s_channel);
        server.serve_dir("/forge", s_channel->root);
    }

    // manifest.yaml with a conda section over the test channel; `more` is added at the top level.
    stdfs::path conda_manifest(const std::vector<std::string>& specs, const std::string& more = "",
                               const std::string& channel_path = "/forge")
    {
        const std::string yaml = "apiVersion: gapbundle/v1\nname: condatrip\nconda:\n  channels: [" +
                                 server.url(channel_path) + "]\n  subdirs: [linux-64, noarch]\n"
                                 "  virtual_packages: { __glibc: \"2.28\", __cuda: \"12.4\" }\n  specs: " +
                                 yaml_list(specs) + "\n" + more;
        const auto path = dir() / "manifest.yaml";
        write_text(path, yaml);
        return path;
    }

    RunResult lock(const stdfs::path& manifest)
    {
        return gapbundle({"lock", manifest.string(), "--cache-dir", cache().string()});
    }

    stdfs::path unpack(const stdfs::path& bundle, const std::string& name)
    {
        const auto out = dir() / name;
        auto unpacked = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", out.string()});
        EXPECT_EQ(unpacked.status, 0) << unpacked.out << unpacked.err;
        return out;
    }

    // A copy of the channel served at /PREFIX, its repodata rewritten by `edit` (json, plain only).
    void serve_edited_channel(const std::string& prefix, const std::function<void(nlohmann::json&)>& edit)
    {
        const auto copy = dir() / prefix;
        stdfs::copy(s_channel->root, copy, stdfs::copy_options::recursive);
        for (const char* subdir : {"linux-64", "noarch"}) {
            auto repodata = nlohmann::json::parse(read_text(copy / subdir / "repodata.json"));
            edit(repodata);
            write_text(copy / subdir / "repodata.json", repodata.dump());
            stdfs::remove(copy / subdir / "repodata.json.zst");
        }
        server.serve_dir("/" + prefix, copy);
    }

    static std::optional<CondaChannel> s_channel;
    HttpTestServer server;
};

std::optional<CondaChannel> CondaTripTest::s_channel;

TEST_F(CondaTripTest, PackVerifyUnpackCarriesALocalChannelCphReads)
{
    const auto bundle = dir() / "b.tar.zst";
    pack_ok(conda_manifest(k_specs), bundle);
    auto verified = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
    ASSERT_EQ(verified.status, 0) << verified.err;
    const auto out = unpack(bundle, "out");
    const auto channel = out / "conda" / "forge";
    ASSERT_EQ(carried_files(channel), k_solution);

    // Every carried package is one cph reads, with the metadata its file name says.
    for (const auto& file : k_solution) {
        const auto target = dir() / ("x-" + stdfs::path(file).filename().string());
        const std::string command =
            "cph extract --dest '" + target.string() + "' '" + (channel / file).string() + "' >/dev/null 2>&1";
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
        const auto index = nlohmann::json::parse(read_text(target / "info" / "index.json"));
        EXPECT_TRUE(stdfs::path(file).filename().string().starts_with(index.at("name").get<std::string>() + "-"));
    }

    // Each subdir's repodata.json lists exactly the files there, each with its sha256 and size.
    std::set<std::string> listed;
    for (const char* subdir : {"linux-64", "noarch"}) {
        const auto repodata = nlohmann::json::parse(read_text(channel / subdir / "repodata.json"));
        EXPECT_EQ(repodata.at("info").at("subdir"), subdir);
        for (const char* section : {"packages", "packages.conda"}) {
            for (const auto& [filename, record] : repodata.at(section).items()) {
                listed.insert(std::string(subdir) + "/" + filename);
                const auto path = channel / subdir / filename;
                EXPECT_EQ(record.at("sha256"), crypto::sha256_hex(read_text(path))) << filename;
                EXPECT_EQ(record.at("size"), stdfs::file_size(path)) << filename;
                EXPECT_EQ(record.at("subdir"), subdir);
            }
        }
    }
    EXPECT_EQ(listed, k_solution);

    // The explicit lock names exactly the solution, dependencies first, with sha256 that hold.
    std::istringstream lines(read_text(out / "conda" / "environment.lock.txt"));
    std::vector<std::string> order;
    bool explicit_seen = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("#")) continue;
        if (line == "@EXPLICIT") {
            explicit_seen = true;
            continue;
        }
        ASSERT_TRUE(explicit_seen) << line;
        const auto hash = line.find("#sha256:");
        ASSERT_NE(hash, std::string::npos) << line;
        const std::string path = line.substr(0, hash);
        EXPECT_EQ(line.substr(hash + 8), crypto::sha256_hex(read_text(out / path))) << line;
        ASSERT_TRUE(path.starts_with("conda/forge/")) << line;
        order.push_back(path.substr(12));
    }
    EXPECT_EQ(std::set<std::string>(order.begin(), order.end()), k_solution);
    const auto position = [&](const std::string& file) { return std::ranges::find(order, file) - order.begin(); };
    EXPECT_LT(position("linux-64/python-3.11.9-h0_cpython.conda"), position("linux-64/numpy-1.26.4-py311_0.conda"));
    EXPECT_LT(position("linux-64/python_abi-3.11-5_cp311.conda"), position("linux-64/numpy-1.26.4-py311_0.conda"));
    EXPECT_LT(position("linux-64/bt-z-1.0-0.conda"), position("linux-64/bt-x-1.0-0.conda"));
    EXPECT_LT(position("linux-64/bt-x-1.0-0.conda"), position("linux-64/bt-app-1.0-0.conda"));

    // The solution is in the signed index: who asked for what, and what needs what.
    const auto index = nlohmann::json::parse(read_text(out / "gapbundle" / "index.json"));
    std::map<std::string, nlohmann::json> components;
    for (const auto& component : index.at("components"))
        if (component.at("kind") == "conda") components[component.at("name")] = component;
    EXPECT_EQ(components.size(), k_solution.size());
    EXPECT_EQ(components["numpy"]["version"], "1.26.4");
    EXPECT_EQ(components["numpy"]["requested"], nlohmann::json::array({"numpy"}));
    EXPECT_EQ(components["numpy"]["dependencies"],
              nlohmann::json::parse(R"([{"name":"libblas","requirement":"libblas >=3.9"},
                                        {"name":"python","requirement":"python >=3.11,<3.12.0a0"},
                                        {"name":"python_abi","requirement":"python_abi 3.11.* *_cp311"}])"));
    EXPECT_EQ(components["python_abi"]["requested"], nlohmann::json::array());

    // The carried channel is a channel: served as it was unpacked, the same specs solve to the
    // same files inside it, so nothing the solution needs was left behind.
    server.serve_dir("/carried", channel);
    auto relocked = lock(conda_manifest(k_specs, "", "/carried"));
    ASSERT_EQ(relocked.status, 0) << relocked.err;
    const auto relock = nlohmann::json::parse(read_text(dir() / "gapbundle.lock.json"));
    std::set<std::string> resolved;
    for (const auto& artifact : relock.at("artifacts")) {
        const auto path = artifact.at("bundle_path").get<std::string>();
        if (path.ends_with(".conda") || path.ends_with(".tar.bz2")) resolved.insert(path.substr(std::string("conda/carried/").size()));
    }
    EXPECT_EQ(resolved, k_solution);
}

// rehearse: the carried channel is closed under depends; with a dependency left out of it (its
// record, file and component, re-signed), the package that needs it is named.
TEST_F(CondaTripTest, RehearseFindsTheChannelClosedAndNamesALeftOutDependency)
{
    const auto bundle = dir() / "b.tar";
    pack_ok(conda_manifest({"numpy"}), bundle);
    const auto work = dir() / "work";
    stdfs::create_directories(work);
    const auto rehearse = [&](const stdfs::path& file) {
        return gapbundle({"--json", "rehearse", file.string(), "--trust", pub().string(), "--work-dir", work.string()});
    };
    const auto conda_of = [](const nlohmann::json& document) {
        for (const auto& kind : document.at("kinds"))
            if (kind.at("kind") == "conda") return kind;
        return nlohmann::json();
    };
    auto whole = rehearse(bundle);
    ASSERT_EQ(whole.status, 0) << whole.out << whole.err;
    const auto passed = conda_of(json_of(whole));
    EXPECT_EQ(passed.at("verdict"), "ok") << passed;
    EXPECT_EQ(passed.at("checked")[0], "4 package(s) in the local channels: every depends is satisfied among them "
                                       "(virtual packages are the target's)");

    const auto tree = unpack(bundle, "tree");
    const std::string repodata_path = "conda/forge/linux-64/repodata.json";
    auto repodata = nlohmann::json::parse(read_text(tree / repodata_path));
    std::string dropped;
    for (const char* key : {"packages", "packages.conda"})
        for (auto it = repodata[key].begin(); it != repodata[key].end(); ++it)
            if (it.key().starts_with("libblas-")) {
                dropped = it.key();
                repodata[key].erase(it);
                break;
            }
    ASSERT_FALSE(dropped.empty()) << repodata.dump(2);
    const auto broken = dir() / "broken.tar";
    rewrite_bundle(bundle, tree, key(), broken, {{}, {{"conda", "libblas"}}, {{repodata_path, repodata.dump()}}});
    auto rehearsed = rehearse(broken);
    EXPECT_EQ(rehearsed.status, 1) << rehearsed.out << rehearsed.err;
    const auto failed = conda_of(json_of(rehearsed));
    EXPECT_EQ(failed.at("verdict"), "FAILED") << failed;
    EXPECT_EQ(failed.at("problems"), nlohmann::json::array({"numpy 2.0.1 py311_0 requires libblas >=3.9, not satisfied"}));
    EXPECT_TRUE(stdfs::is_empty(work));
}

TEST_F(CondaTripTest, SecondPackDownloadsNothingAndGivesTheSameEntries)
{
    const auto manifest = conda_manifest({"numpy", "tqdm"});
    pack_ok(manifest, dir() / "one.tar");
    server.clear_log();
    auto again = gapbundle({"pack", manifest.string(), "-o", (dir() / "two.tar").string(), "--key", key().string(),
                            "--cache-dir", cache().string(), "--json"});
    ASSERT_EQ(again.status, 0) << again.err;
    const auto report = json_of(again);
    EXPECT_EQ(report.at("downloaded"), 0) << again.out;
    EXPECT_EQ(report.at("bytes_downloaded"), 0) << again.out;
    for (const auto& request : server.all_requests())
        EXPECT_FALSE(request.path.ends_with(".conda") || request.path.ends_with(".tar.bz2")) << request.path;
    // The signed indexes, read with inspect: unpacking both would make the channel state refuse
    // whichever has the older serial (the two packs may fall in different seconds).
    const auto entries = [&](const char* name) {
        auto shown = gapbundle({"inspect", (dir() / name).string(), "--index"});
        EXPECT_EQ(shown.status, 0) << shown.err;
        return nlohmann::json::parse(shown.out).at("entries");
    };
    const auto first = entries("one.tar");
    const auto second = entries("two.tar");
    EXPECT_FALSE(first.empty());
    EXPECT_EQ(first, second);
}

// environment.yml's channels, dependencies and pip: list give the same bundle as the same lines
// written in the manifest's conda: and pip: sections.
TEST_F(CondaTripTest, AnEnvironmentFileGivesTheSameBundleAsTheManifestEntries)
{
    auto index = build_python_index(R"({"projects": {"requests": {"versions": {"2.32.3": {"requires_dist": ["idna>=2"]}}},
                                                     "idna": {"versions": {"3.7": {}}}}})",
                                    dir() / "index", {.metadata_files = true, .distro_wheels = false});
    ASSERT_TRUE(index) << index.error().message;
    server.serve_simple_index("/simple", index->simple, SimpleFormat::json);
    server.serve_dir("/files", index->files);
    const std::string pip = "pip:\n  index: " + server.url("/simple") +
                            "\n  target: { python: \"3.11\", platforms: [manylinux_2_28_x86_64] }\n";

    const auto written = conda_manifest({"python 3.11.*", "numpy", "tqdm"}, pip + "  requirements: [\"requests==2.32.3\"]\n");
    stdfs::rename(written, dir() / "written.yaml");
    write_text(dir() / "envs" / "environment.yml", "name: ml\nchannels:\n  - " + server.url("/forge") +
                                                      "\n  - nodefaults\ndependencies:\n  - python 3.11.*\n"
                                                      "  - numpy\n  - tqdm\n  - pip:\n    - requests==2.32.3\n");
    const auto from_file = dir() / "from-file.yaml";
    write_text(from_file, "apiVersion: gapbundle/v1\nname: condaenv\nconda:\n  subdirs: [linux-64]\n"
                          "  virtual_packages: { __glibc: \"2.28\", __cuda: \"12.4\" }\n"
                          "  environment_files: [envs/environment.yml]\n" + pip);
    pack_ok(dir() / "written.yaml", dir() / "written.tar");
    pack_ok(from_file, dir() / "from-file.tar");
    const auto a = nlohmann::json::parse(read_text(unpack(dir() / "written.tar", "a") / "gapbundle" / "index.json"));
    const auto b = nlohmann::json::parse(read_text(unpack(dir() / "from-file.tar", "b") / "gapbundle" / "index.json"));
    // The same content; only gapbundle/'s own files (which name the bundle) differ.
    const auto content = [](const nlohmann::json& signed_index) {
        auto entries = nlohmann::json::array();
        for (const auto& entry : signed_index.at("entries"))
            if (!entry.at("path").get<std::string>().starts_with("gapbundle")) entries.push_back(entry);
        return entries;
    };
    EXPECT_EQ(content(a), content(b));
    EXPECT_EQ(a.at("components"), b.at("components"));
    EXPECT_TRUE(stdfs::exists(dir() / "b" / "pypi" / "files" / "requests-2.32.3-py3-none-any.whl"));
    EXPECT_TRUE(stdfs::exists(dir() / "b" / "conda" / "forge" / "linux-64" / "numpy-2.0.1-py311_0.conda"));
}

TEST_F(CondaTripTest, UnknownPackageAndUnsatisfiableSpecsAreExplained)
{
    auto locked = lock(conda_manifest({"numpy", "no-such-thing"}));
    EXPECT_EQ(locked.status, 3) << locked.err;
    EXPECT_NE(locked.err.find("no-such-thing"), std::string::npos) << locked.err;
    EXPECT_NE(locked.err.find("manifest.yaml:4:3: conda: cannot solve for numpy, no-such-thing"), std::string::npos) << locked.err;
    EXPECT_FALSE(stdfs::exists(dir() / "gapbundle.lock.json"));

    locked = lock(conda_manifest({"clash-a", "clash-b"}));
    EXPECT_EQ(locked.status, 3) << locked.err;
    EXPECT_NE(locked.err.find("shared <2"), std::string::npos) << locked.err;
    EXPECT_NE(locked.err.find("shared >=2"), std::string::npos) << locked.err;

    // Without the __cuda the target declares, gpu-kit cannot be installed.
    write_text(dir() / "no-cuda.yaml", "apiVersion: gapbundle/v1\nname: condatrip\nconda:\n  channels: [" +
                                           server.url("/forge") + "]\n  subdirs: [linux-64]\n  specs: [gpu-kit]\n");
    locked = lock(dir() / "no-cuda.yaml");
    EXPECT_EQ(locked.status, 3) << locked.err;
    EXPECT_NE(locked.err.find("__cuda"), std::string::npos) << locked.err;
}

TEST_F(CondaTripTest, MalformedSpecNamesTheLine)
{
    auto locked = lock(conda_manifest({"numpy", "numpy >=1.2,<"}));
    EXPECT_EQ(locked.status, 2) << locked.err;
    EXPECT_NE(locked.err.find("manifest.yaml:7:20: conda: specs: invalid match spec 'numpy >=1.2,<'"), std::string::npos)
        << locked.err;
    locked = lock(conda_manifest({"other::numpy"}));
    EXPECT_EQ(locked.status, 2) << locked.err;
    EXPECT_NE(locked.err.find("names channel 'other', which is not among conda: channels"), std::string::npos)
        << locked.err;

    // Two channels that would share a folder in the bundle.
    write_text(dir() / "clash.yaml", "apiVersion: gapbundle/v1\nname: condatrip\nconda:\n  channels: [" +
                                         server.url("/forge") + ", " + server.url("/mirror/forge") +
                                         "]\n  subdirs: [linux-64]\n  specs: [numpy]\n");
    locked = lock(dir() / "clash.yaml");
    EXPECT_EQ(locked.status, 2) << locked.err;
    EXPECT_NE(locked.err.find("would both be carried as conda/forge/; list one of them"), std::string::npos) << locked.err;
}

// A channel without the target's platform folder has no packages for it (a noarch-only channel);
// one without noarch is not a channel.
TEST_F(CondaTripTest, AMissingPlatformFolderIsEmptyAMissingNoarchIsAnError)
{
    const auto noarch_only = dir() / "noarch-only";
    stdfs::create_directories(noarch_only);
    stdfs::copy(s_channel->root / "noarch", noarch_only / "noarch");
    server.serve_dir("/noarch-only", noarch_only);
    write_text(dir() / "m.yaml", "apiVersion: gapbundle/v1\nname: condatrip\nconda:\n  channels: [" +
                                     server.url("/noarch-only") + ", " + server.url("/forge") +
                                     "]\n  subdirs: [linux-64]\n  specs: [tqdm]\n");
    auto locked = lock(dir() / "m.yaml");
    ASSERT_EQ(locked.status, 0) << locked.err;
    EXPECT_NE(read_text(dir() / "gapbundle.lock.json").find("conda/noarch-only/noarch/tqdm-4.66.4-pyhd8ed1ab_0.conda"),
              std::string::npos);

    stdfs::remove_all(noarch_only / "noarch");
    locked = lock(dir() / "m.yaml");
    EXPECT_EQ(locked.status, 3) << locked.err;
    EXPECT_NE(locked.err.find("has no subdir noarch (repodata.json: HTTP 404)"), std::string::npos) << locked.err;
}

TEST_F(CondaTripTest, APackageWhoseBytesDifferFromItsSha256IsRefused)
{
    serve_edited_channel("tampered", [](nlohmann::json& repodata) {
        for (auto& [filename, record] : repodata["packages.conda"].items())
            if (filename.starts_with("tqdm-")) record["sha256"] = std::string(64, 'a');
    });
    const auto bundle = dir() / "b.tar";
    auto packed = gapbundle({"pack", conda_manifest({"tqdm"}, "", "/tampered").string(), "-o", bundle.string(), "--key",
                             key().string(), "--cache-dir", cache().string()});
    EXPECT_EQ(packed.status, 3) << packed.err;
    EXPECT_NE(packed.err.find("tqdm-4.66.4-pyhd8ed1ab_0.conda"), std::string::npos) << packed.err;
    EXPECT_NE(packed.err.find("sha256"), std::string::npos) << packed.err;
    EXPECT_FALSE(stdfs::exists(bundle));
}

// A channel that gives only md5 (older repodata): the file is downloaded while solving and
// checked against it; a wrong md5 is refused.
TEST_F(CondaTripTest, AChannelWithOnlyMd5IsCheckedAgainstIt)
{
    serve_edited_channel("md5only", [](nlohmann::json& repodata) {
        for (const char* section : {"packages", "packages.conda"})
            for (auto& [filename, record] : repodata[section].items()) {
                record.erase("sha256");
                if (filename.starts_with("zlib-")) record["md5"] = std::string(32, '0');
            }
    });
    auto locked = lock(conda_manifest({"tqdm"}, "", "/md5only"));
    ASSERT_EQ(locked.status, 0) << locked.err;
    const auto lock_json = nlohmann::json::parse(read_text(dir() / "gapbundle.lock.json"));
    bool found = false;
    for (const auto& artifact : lock_json.at("artifacts"))
        if (artifact.at("bundle_path") == "conda/md5only/noarch/tqdm-4.66.4-pyhd8ed1ab_0.conda") {
            found = true;
            const auto file = std::ranges::find(s_channel->files, std::string("tqdm-4.66.4-pyhd8ed1ab_0.conda"),
                                                &CondaFile::filename);
            ASSERT_NE(file, s_channel->files.end());
            EXPECT_EQ(artifact.at("sha256"), file->sha256);
        }
    EXPECT_TRUE(found) << lock_json.dump(2);

    locked = lock(conda_manifest({"zlib"}, "", "/md5only"));
    EXPECT_EQ(locked.status, 3) << locked.err;
    EXPECT_NE(locked.err.find("zlib-1.3.1-h0_2.conda: md5 "), std::string::npos) << locked.err;
    EXPECT_NE(locked.err.find("but the channel's repodata says 00000000000000000000000000000000"), std::string::npos)
        << locked.err;
}

// A record that names another subdir than the folder it sits in is not a candidate: its URL and
// its folder in the bundle would disagree (conda-index never writes one).
TEST_F(CondaTripTest, ARecordInTheWrongSubdirIsNotACandidate)
{
    serve_edited_channel("misplaced", [](nlohmann::json& repodata) {
        for (auto& [filename, record] : repodata["packages.conda"].items())
            if (filename.starts_with("bt-z-2.0")) record["subdir"] = "osx-64";
    });
    auto locked = lock(conda_manifest({"bt-z"}, "", "/misplaced"));
    ASSERT_EQ(locked.status, 0) << locked.err;
    const auto lock_text = read_text(dir() / "gapbundle.lock.json");
    EXPECT_NE(lock_text.find("conda/misplaced/linux-64/bt-z-1.0-0.conda"), std::string::npos) << lock_text;
    EXPECT_EQ(lock_text.find("bt-z-2.0"), std::string::npos) << lock_text;
}

}  // namespace
}  // namespace gapbundle::testing
