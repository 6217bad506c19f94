// The pip kind end to end: the real binary against a loopback index of generated wheels, real
// pip as the oracle for resolutions and as the installer on the gap side.

#include "trip_fixture.hpp"

#include "support/http_test_server.hpp"
#include "support/cyclonedx_schema.hpp"
#include "support/python_index.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

// Shaped like real trees: a diamond with an extra and a Windows-only marker, a native wheel
// beside a Windows one, a yanked release, a pre-release, a conflict that needs backtracking,
// a clash no version solves, and a project with no wheel for Linux.
const std::string k_spec = R"({"projects": {
  "Top.App": {"versions": {"1.0": {"requires_dist": ["left-lib>=1", "right_lib[fast]>=2",
                                                     "winonly; sys_platform == 'win32'"],
                                   "requires_python": ">=3.8"}}},
  "left-lib": {"versions": {"1.0": {"requires_dist": ["base<3"]},
                            "1.1": {"requires_dist": ["base>=2,<3"]}}},
  "right_lib": {"versions": {"2.0": {"requires_dist": ["base>=1", "speedy; extra == \"fast\""],
                                     "provides_extra": ["fast"]}}},
  "base": {"versions": {"1.0": {}, "2.0": {"requires_python": ">=3.8,<4"}, "3.0": {"yanked": "broken"}}},
  "speedy": {"versions": {"1.0": {"tags": ["cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
                                           "cp312-cp312-win_amd64"]}}},
  "winonly": {"versions": {"1.0": {}}},
  "bt-app": {"versions": {"1.0": {"requires_dist": ["bt-x", "bt-y"]}}},
  "bt-x": {"versions": {"1.0": {"requires_dist": ["bt-z<2"]}, "2.0": {"requires_dist": ["bt-z>=2"]}}},
  "bt-y": {"versions": {"1.0": {"requires_dist": ["bt-z<2"]}}},
  "bt-z": {"versions": {"1.0": {}, "2.0": {}}},
  "pre-lib": {"versions": {"1.0": {}, "2.0b1": {}}},
  "clash-a": {"versions": {"1.0": {"requires_dist": ["shared<2"]}}},
  "clash-b": {"versions": {"1.0": {"requires_dist": ["shared>=2"]}}},
  "shared": {"versions": {"1.0": {}, "2.0": {}}},
  "nativeonly": {"versions": {"1.0": {"tags": ["cp311-cp311-win_amd64"], "sdist": true}}}
}})";

class PipTripTest : public TripTest {
protected:
    void serve(SimpleFormat format, bool metadata_files = true)
    {
        // With the distribution's own pip, setuptools and wheel wheels beside the generated ones.
        auto index = build_python_index(k_spec, dir() / "index", {.metadata_files = metadata_files, .distro_wheels = true});
        ASSERT_TRUE(index) << index.error().message;
        m_index = *index;
        server.serve_simple_index("/simple", m_index.simple, format);
        server.serve_dir("/files", m_index.files);
    }

    // manifest.yaml with a pip section over the test index; `more` adds keys (indented two spaces).
    stdfs::path pip_manifest(const std::vector<std::string>& requirements, const std::string& more = "")
    {
        std::string yaml = "apiVersion: gapbundle/v1\nname: piptrip\npip:\n  index: " + server.url("/simple") +
                           "\n  target: { python: \"3.11\", platforms: [manylinux_2_28_x86_64] }\n  requirements:\n";
        for (const auto& line : requirements) yaml += "    - '" + line + "'\n";
        yaml += more;
        const auto path = dir() / "manifest.yaml";
        write_text(path, yaml);
        return path;
    }

    RunResult lock(const stdfs::path& manifest, const std::vector<std::string>& env = {})
    {
        return gapbundle({"lock", manifest.string(), "--cache-dir", cache().string()}, env);
    }

    // name → version of the lock's pip components.
    std::vector<ResolvedPackage> locked_packages() const
    {
        const auto lock = nlohmann::json::parse(read_text(dir() / "gapbundle.lock.json"));
        std::vector<ResolvedPackage> out;
        for (const auto& component : lock.value("components", nlohmann::json::array()))
            out.push_back({component.at("name").get<std::string>(), component.at("version").get<std::string>()});
        std::ranges::sort(out);
        return out;
    }

    HttpTestServer server;
    PythonIndex m_index;
};

TEST_F(PipTripTest, PackVerifyUnpackAndPipInstallsOffline)
{
    serve(SimpleFormat::json);
    const auto manifest = pip_manifest({"Top.App", "bt-app"});
    const auto bundle = dir() / "b.tar";
    pack_ok(manifest, bundle);
    auto verified = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
    ASSERT_EQ(verified.status, 0) << verified.err;
    const auto out = dir() / "out";
    auto unpacked = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", out.string()});
    ASSERT_EQ(unpacked.status, 0) << unpacked.err;

    for (const char* file : {"top_app-1.0-py3-none-any.whl", "left_lib-1.1-py3-none-any.whl",
                             "speedy-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                             "bt_x-1.0-py3-none-any.whl", "bt_z-1.0-py3-none-any.whl"})
        EXPECT_TRUE(stdfs::exists(out / "pypi" / "files" / file)) << file;
    EXPECT_FALSE(stdfs::exists(out / "pypi" / "files" / "winonly-1.0-py3-none-any.whl"));
    EXPECT_FALSE(stdfs::exists(out / "pypi" / "files" / "speedy-1.0-cp312-cp312-win_amd64.whl"));
    EXPECT_TRUE(stdfs::exists(out / "pypi" / "simple" / "top-app" / "index.html"));

    // The resolution is in the signed index: who required what.
    const auto index = nlohmann::json::parse(read_text(out / "gapbundle" / "index.json"));
    std::map<std::string, nlohmann::json> components;
    for (const auto& component : index.at("components")) components[component.at("name")] = component;
    ASSERT_TRUE(components.contains("right-lib"));
    EXPECT_EQ(components["top-app"]["requested"], nlohmann::json::array({"Top.App"}));
    EXPECT_EQ(components["right-lib"]["dependencies"],
              nlohmann::json::parse(R"([{"name":"base","requirement":"base>=1"},
                                        {"name":"speedy","requirement":"speedy; extra == \"fast\""}])"));
    EXPECT_EQ(components["speedy"]["paths"],
              nlohmann::json::array({"pypi/files/speedy-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"}));

    // The SBOM lists every resolved package as pkg:pypi with its wheel's hash, and who needs whom.
    const auto sbom_path = out / "gapbundle" / "sbom.cdx.json";
    const auto valid = validate_cyclonedx(sbom_path, dir());
    EXPECT_EQ(valid.status, 0) << valid.err;
    const auto sbom = nlohmann::json::parse(read_text(sbom_path));
    std::map<std::string, nlohmann::json> listed;
    for (const auto& item : sbom.at("components")) listed[item.at("name")] = item;
    ASSERT_EQ(listed.size(), components.size());
    for (const auto& [name, component] : components) {
        ASSERT_TRUE(listed.contains(name)) << name;
        EXPECT_EQ(listed[name]["purl"], "pkg:pypi/" + name + "@" + component["version"].get<std::string>());
        const std::string wheel = component["paths"][0];
        EXPECT_EQ(listed[name]["hashes"][0]["content"], crypto::sha256_file(out / wheel).value().sha256) << name;
    }
    bool right_lib_needs_speedy = false;
    for (const auto& dependency : sbom.at("dependencies"))
        if (dependency.at("ref") == "gapbundle:pip/right-lib@" + components["right-lib"]["version"].get<std::string>())
            for (const auto& needed : dependency.at("dependsOn"))
                right_lib_needs_speedy = right_lib_needs_speedy || needed.get<std::string>().starts_with("gapbundle:pip/speedy@");
    EXPECT_TRUE(right_lib_needs_speedy) << sbom.at("dependencies");

    // Gap side, the server gone: pip reads the unpacked tree as an index...
    server.serve_bytes("/simple/top-app/", "gone", "text/plain");
    const auto venv = dir() / "venv";
    ASSERT_TRUE(make_venv(venv));
    auto installed = run_in_venv(venv, {"-m", "pip", "install", "--index-url", "file://" + (out / "pypi" / "simple").string(),
                                        "Top.App", "bt-app"});
    ASSERT_EQ(installed.status, 0) << installed.out << installed.err;
    auto imported = run_in_venv(venv, {"-c", "import top_app, left_lib, right_lib, speedy, base, bt_x, bt_z; "
                                             "print(base.__version__, bt_x.__version__)"});
    ASSERT_EQ(imported.status, 0) << imported.err;
    EXPECT_EQ(imported.out, "2.0 1.0\n");
    auto checked = run_in_venv(venv, {"-m", "pip", "check"});
    EXPECT_EQ(checked.out.find("top-app"), std::string::npos) << checked.out;
    EXPECT_EQ(checked.out.find("right-lib"), std::string::npos) << checked.out;

    // ...or installs exactly the resolution, every file checked against its pinned hash.
    const auto pinned = dir() / "venv-pinned";
    ASSERT_TRUE(make_venv(pinned));
    auto exact = run_in_venv(pinned, {"-m", "pip", "install", "--require-hashes", "--no-index", "--find-links",
                                      (out / "pypi" / "files").string(), "-r", (out / "pypi" / "requirements.lock").string()});
    ASSERT_EQ(exact.status, 0) << exact.out << exact.err;
    EXPECT_EQ(run_in_venv(pinned, {"-c", "import top_app, bt_y"}).status, 0);
}

TEST_F(PipTripTest, DiffNamesThePackagesWhoseVersionsChanged)
{
    serve(SimpleFormat::json);
    const auto before = dir() / "before.tar";
    pack_ok(pip_manifest({"left-lib==1.0"}), before);
    const auto after = dir() / "after.tar";
    pack_ok(pip_manifest({"left-lib==1.1", "bt-z"}), after);

    auto diffed = gapbundle({"--json", "diff", before.string(), after.string()});
    ASSERT_EQ(diffed.status, 0) << diffed.out << diffed.err;
    const auto doc = json_of(diffed);
    // base stays at 2.0; the wheels are the components', not listed again as entries.
    EXPECT_EQ(doc.at("kinds"), nlohmann::json::parse(R"({"pip": {
        "added": [{"name": "bt-z", "version": "2.0"}], "removed": [],
        "changed": [{"name": "left-lib", "old_version": "1.0", "new_version": "1.1", "reason": "version"}]}})"));
    std::vector<std::string> changed;
    for (const auto& change : doc.at("entries").at("pypi").at("changed")) changed.push_back(change.at("path"));
    EXPECT_NE(std::ranges::find(changed, "pypi/requirements.lock"), changed.end()) << doc.dump();
    EXPECT_EQ(doc.dump().find(".whl"), std::string::npos) << doc.dump();

    auto text = gapbundle({"diff", before.string(), after.string()});
    ASSERT_EQ(text.status, 0) << text.err;
    EXPECT_NE(text.out.find("pip (components):\n  + bt-z 2.0\n  ~ left-lib 1.0 → 1.1\npypi (entries):\n"),
              std::string::npos)
        << text.out;
}

TEST_F(PipTripTest, InstallPipMakesTheVenvAndChecksEveryHash)
{
    serve(SimpleFormat::json);
    const auto bundle = dir() / "b.tar";
    pack_ok(pip_manifest({"Top.App"}), bundle);
    const auto out = dir() / "out";
    ASSERT_EQ(gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", out.string()}).status, 0);

    const auto venv = dir() / "app-venv";
    const std::string python = system_python().string();
    auto installed = gapbundle({"--json", "install", "pip", out.string(), "--python", python, "--venv", venv.string()});
    ASSERT_EQ(installed.status, 0) << installed.out << installed.err;
    auto report = json_of(installed);
    EXPECT_EQ(report["venv_created"], true);
    EXPECT_EQ(report["packages"], 5);
    EXPECT_EQ(run_in_venv(venv, {"-c", "import top_app, speedy"}).status, 0);
    auto again = gapbundle({"--json", "install", "pip", out.string(), "--python", python, "--venv", venv.string()});
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(json_of(again)["venv_created"], false);

    // A carried wheel changed after unpacking: pip refuses it against the pinned hash.
    flip_byte(out / "pypi" / "files" / "base-2.0-py3-none-any.whl", 10);
    const auto other = dir() / "other-venv";
    ASSERT_TRUE(make_venv(other));
    auto refused = gapbundle({"install", "pip", out.string(), "--venv", other.string()});
    EXPECT_EQ(refused.status, 4) << refused.err;
    EXPECT_NE(refused.err.find("pip install failed (exit status 1)"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("THESE PACKAGES DO NOT MATCH THE HASHES"), std::string::npos) << refused.err;

    auto not_a_bundle = gapbundle({"install", "pip", dir().string(), "--venv", other.string()});
    EXPECT_EQ(not_a_bundle.status, 2) << not_a_bundle.err;
    EXPECT_NE(not_a_bundle.err.find("not an unpacked bundle with pip packages"), std::string::npos);
    auto no_python = gapbundle({"install", "pip", out.string(), "--python", "/nonexistent/python3", "--venv",
                                (dir() / "v3").string()});
    EXPECT_EQ(no_python.status, 4) << no_python.err;
    EXPECT_NE(no_python.err.find("cannot run /nonexistent/python3"), std::string::npos) << no_python.err;
}

TEST_F(PipTripTest, LockedPackAsksTheIndexNothing)
{
    serve(SimpleFormat::json);
    const auto manifest = pip_manifest({"Top.App"});
    auto locked = lock(manifest);
    ASSERT_EQ(locked.status, 0) << locked.err;
    server.clear_log();
    pack_ok(manifest, dir() / "b.tar", {"--lock", (dir() / "gapbundle.lock.json").string()});
    // The locked files are downloaded (lock only read their metadata), the pages are not asked for.
    for (const char* path : {"/simple/", "/simple/top-app/", "/simple/base/", "/files/top_app-1.0-py3-none-any.whl.metadata"})
        EXPECT_EQ(server.requests(path), 0) << path;
    for (const char* path : {"/files/top_app-1.0-py3-none-any.whl", "/files/base-2.0-py3-none-any.whl"})
        EXPECT_EQ(server.requests(path), 1) << path;
}

class PipOracleTest : public PipTripTest, public ::testing::WithParamInterface<SimpleFormat> {};

// For each requirement set, gapbundle's resolution is pip's: the same names, the same versions.
TEST_P(PipOracleTest, ResolvesAsPipDoes)
{
    serve(GetParam());
    const std::vector<std::vector<std::string>> sets = {
        {"Top.App"}, {"bt-app"}, {"pre-lib"}, {"pre-lib>=2.0b1"}, {"right_lib[fast]", "base<2"}, {"left-lib==1.0", "bt-x"},
        {"pip", "setuptools>=60", "wheel"},
    };
    PipTarget target;
    target.platforms = {"manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"};
    for (const auto& requirements : sets) {
        SCOPED_TRACE(requirements.front());
        auto expected = pip_report(server.url("/simple"), requirements, target, {});
        ASSERT_TRUE(expected) << expected.error().message;
        auto locked = lock(pip_manifest(requirements));
        ASSERT_EQ(locked.status, 0) << locked.err;
        EXPECT_EQ(locked_packages(), *expected);
    }
}

INSTANTIATE_TEST_SUITE_P(Formats, PipOracleTest, ::testing::Values(SimpleFormat::json, SimpleFormat::html),
                         [](const ::testing::TestParamInfo<SimpleFormat>& param) {
                             return param.param == SimpleFormat::json ? std::string("json") : std::string("html");
                         });

TEST_F(PipTripTest, ReadsMetadataFromTheWheelWhenTheIndexHasNoMetadataFiles)
{
    serve(SimpleFormat::html, /*metadata_files=*/false);
    auto locked = lock(pip_manifest({"Top.App"}));
    ASSERT_EQ(locked.status, 0) << locked.err;
    EXPECT_EQ(locked_packages().size(), 5u);
    const auto reads = server.requests_to("/files/top_app-1.0-py3-none-any.whl");
    ASSERT_FALSE(reads.empty());
    EXPECT_TRUE(reads.front().header("Range")) << "the wheel's METADATA is read with range requests";
}

TEST_F(PipTripTest, UnsatisfiableRequirementsNameTheClash)
{
    serve(SimpleFormat::json);
    auto locked = lock(pip_manifest({"clash-a", "clash-b"}));
    EXPECT_EQ(locked.status, 3) << locked.err;
    EXPECT_NE(locked.err.find("clash-a 1.0 requires shared<2"), std::string::npos) << locked.err;
    EXPECT_NE(locked.err.find("clash-b 1.0 requires shared>=2"), std::string::npos) << locked.err;
    EXPECT_FALSE(stdfs::exists(dir() / "gapbundle.lock.json"));
}

TEST_F(PipTripTest, NoWheelForTheTargetNamesPackageVersionsAndTags)
{
    serve(SimpleFormat::json);
    auto locked = lock(pip_manifest({"nativeonly"}));
    EXPECT_EQ(locked.status, 3) << locked.err;
    for (const char* part : {"no file of 'nativeonly' fits the target", "versions tried: 1.0",
                             "wheel tags offered: cp311-cp311-win_amd64", "tags looked for: cp311-cp311-manylinux_2_28_x86_64"})
        EXPECT_NE(locked.err.find(part), std::string::npos) << part << "\n" << locked.err;

    // allow_sdist carries the sdist instead, its dependencies read from PKG-INFO.
    locked = lock(pip_manifest({"nativeonly"}, "  allow_sdist: [nativeonly]\n"));
    ASSERT_EQ(locked.status, 0) << locked.err;
    const auto lock_text = read_text(dir() / "gapbundle.lock.json");
    EXPECT_NE(lock_text.find("\"pypi/files/nativeonly-1.0.tar.gz\""), std::string::npos);
}

TEST_F(PipTripTest, OnlyBinaryFalseTakesAnySdistWhenNoWheelFits)
{
    serve(SimpleFormat::html);
    auto locked = lock(pip_manifest({"nativeonly", "base"}, "  only_binary: false\n"));
    ASSERT_EQ(locked.status, 0) << locked.err;
    const auto lock_text = read_text(dir() / "gapbundle.lock.json");
    EXPECT_NE(lock_text.find("\"pypi/files/nativeonly-1.0.tar.gz\""), std::string::npos);
    EXPECT_NE(lock_text.find("\"pypi/files/base-2.0-py3-none-any.whl\""), std::string::npos) << "a wheel still wins";
}

// A project is taken from the first index that has it: an extra index cannot shadow a name of the
// primary one (dependency confusion), but adds the projects the primary lacks.
TEST_F(PipTripTest, ExtraIndexesNeverShadowThePrimary)
{
    serve(SimpleFormat::json);
    HttpTestServer extra;
    auto shadow = build_python_index(R"({"projects": {"base": {"versions": {"9.0": {}}},
                                                      "extra-only": {"versions": {"1.0": {"requires_dist": ["base"]}}}}})",
                                     dir() / "extra-index", {.metadata_files = true, .distro_wheels = false});
    ASSERT_TRUE(shadow) << shadow.error().message;
    extra.serve_simple_index("/simple", shadow->simple, SimpleFormat::json);
    extra.serve_dir("/files", shadow->files);
    auto locked = lock(pip_manifest({"extra-only"}, "  extra_indexes: [" + extra.url("/simple") + "]\n"));
    ASSERT_EQ(locked.status, 0) << locked.err;
    EXPECT_EQ(locked_packages(), (std::vector<ResolvedPackage>{{"base", "2.0"}, {"extra-only", "1.0"}}));
    EXPECT_EQ(extra.requests("/simple/base/"), 0);
}

TEST_F(PipTripTest, MalformedRequirementsNameTheLine)
{
    serve(SimpleFormat::json);
    auto locked = lock(pip_manifest({"Top.App", "numpy>="}));
    EXPECT_EQ(locked.status, 2) << locked.err;
    EXPECT_NE(locked.err.find("manifest.yaml:8:7: pip: requirements[1]: invalid requirement 'numpy>='"), std::string::npos)
        << locked.err;

    write_text(dir() / "requirements.txt", "# pinned\nTop.App\nbase ==\n");
    const auto manifest = dir() / "files-manifest.yaml";
    write_text(manifest, "apiVersion: gapbundle/v1\nname: piptrip\npip:\n  index: " + server.url("/simple") +
                             "\n  target: { python: \"3.11\", platforms: [manylinux_2_28_x86_64] }\n"
                             "  requirements_files: [requirements.txt]\n");
    locked = lock(manifest);
    EXPECT_EQ(locked.status, 2) << locked.err;
    EXPECT_NE(locked.err.find("requirements.txt:3: "), std::string::npos) << locked.err;
    EXPECT_NE(locked.err.find("files-manifest.yaml:6:24: pip: requirements_files"), std::string::npos) << locked.err;
}

TEST_F(PipTripTest, RequirementsFilesWithHashesAndConstraints)
{
    serve(SimpleFormat::json);
    const auto base_sha = crypto::sha256_file(m_index.files / "base-1.0-py3-none-any.whl").value().sha256;
    write_text(dir() / "constraints.txt", "base==1.0 --hash=sha256:" + base_sha + "\n");
    write_text(dir() / "requirements.txt", "-c constraints.txt\nright_lib  # the library\n");
    const auto manifest = dir() / "files-manifest.yaml";
    write_text(manifest, "apiVersion: gapbundle/v1\nname: piptrip\npip:\n  index: " + server.url("/simple") +
                             "\n  target: { python: \"3.11\", platforms: [manylinux_2_28_x86_64] }\n"
                             "  requirements_files: [requirements.txt]\n");
    auto locked = lock(manifest);
    ASSERT_EQ(locked.status, 0) << locked.err;
    EXPECT_EQ(locked_packages(), (std::vector<ResolvedPackage>{{"base", "1.0"}, {"right-lib", "2.0"}}));

    write_text(dir() / "constraints.txt", "base==1.0 --hash=sha256:" + std::string(64, '0') + "\n");
    locked = lock(manifest);
    EXPECT_EQ(locked.status, 3) << locked.err;
    EXPECT_NE(locked.err.find("no file of 'base' fits the target"), std::string::npos) << locked.err;
    EXPECT_NE(locked.err.find("pinned --hash"), std::string::npos) << locked.err;
}

TEST_F(PipTripTest, AFileWhoseHashDiffersFromTheIndexIsRejected)
{
    serve(SimpleFormat::json);
    server.wrong_bytes("/files/base-2.0-py3-none-any.whl");
    const auto bundle = dir() / "b.tar";
    auto packed = gapbundle({"pack", pip_manifest({"Top.App"}).string(), "--key", key().string(), "-o", bundle.string(),
                             "--cache-dir", cache().string()});
    EXPECT_EQ(packed.status, 3) << packed.err;
    EXPECT_NE(packed.err.find("base-2.0-py3-none-any.whl"), std::string::npos) << packed.err;
    EXPECT_NE(packed.err.find("sha256"), std::string::npos) << packed.err;
    EXPECT_FALSE(stdfs::exists(bundle));
    expect_no_staging_left();
}

TEST_F(PipTripTest, PrivateIndexNeedsTheCredentialsTheManifestNames)
{
    serve(SimpleFormat::json);
    for (const char* path : {"/simple/top-app/", "/files/top_app-1.0-py3-none-any.whl",
                             "/files/top_app-1.0-py3-none-any.whl.metadata"})
        server.require_basic_auth(path, "reader", "s3cret-token");
    const std::string more = "  username_env: INDEX_USER\n  password_env: INDEX_TOKEN\n";
    auto denied = lock(pip_manifest({"Top.App"}));
    EXPECT_EQ(denied.status, 3) << denied.err;
    EXPECT_NE(denied.err.find("access denied (HTTP 401)"), std::string::npos) << denied.err;

    // ~/.netrc (here $NETRC) is read when the manifest names no variables, as pip does.
    write_text(dir() / "netrc", "machine 127.0.0.1 login reader password s3cret-token\n");
    auto from_netrc = lock(pip_manifest({"Top.App"}), {"NETRC=" + (dir() / "netrc").string()});
    EXPECT_EQ(from_netrc.status, 0) << from_netrc.err;

    auto unset = lock(pip_manifest({"Top.App"}, more), {"INDEX_USER=", "INDEX_TOKEN="});
    EXPECT_EQ(unset.status, 2) << unset.err;
    EXPECT_NE(unset.err.find("INDEX_USER, which is not set"), std::string::npos) << unset.err;

    const std::vector<std::string> env{"INDEX_USER=reader", "INDEX_TOKEN=s3cret-token"};
    auto locked = lock(pip_manifest({"Top.App"}, more), env);
    ASSERT_EQ(locked.status, 0) << locked.err;
    const auto bundle = dir() / "b.tar";
    auto packed = gapbundle({"pack", (dir() / "manifest.yaml").string(), "--key", key().string(), "-o", bundle.string(),
                             "--cache-dir", (dir() / "fresh-cache").string(), "--lock",
                             (dir() / "gapbundle.lock.json").string()},
                            env);
    ASSERT_EQ(packed.status, 0) << packed.err;
    for (const auto& text : {locked.out + locked.err, packed.out + packed.err, read_text(dir() / "gapbundle.lock.json"),
                             read_text(bundle)})
        EXPECT_EQ(text.find("s3cret-token"), std::string::npos);
}

}  // namespace
}  // namespace gapbundle::testing
