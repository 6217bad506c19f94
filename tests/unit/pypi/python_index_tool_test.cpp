// tests/tools/pypi_index.py, HttpTestServer::serve_simple_index and the pip oracle, checked
// against our own page parser and index client and against the distribution's pip.

#include "pypi_fixtures.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/pypi/index_client.hpp>
#include <gapbundle/sources/pypi/index_page.hpp>

#include "../../support/http_test_server.hpp"
#include "../../support/python_index.hpp"
#include "../../support/test_dir.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace gapbundle::sources::pypi {
namespace {

namespace stdfs = std::filesystem;
using testing::HttpTestServer;
using testing::ResolvedPackage;
using testing::SimpleFormat;

// A diamond (Top.App → left-lib, right_lib → base) with an extra (right_lib[fast] → speedy), a
// Windows-only marker (winonly), a yanked newest base, and speedy as a cp311 manylinux wheel
// beside a cp312 win_amd64 one. Names are requested as METADATA spells them (see python_index.hpp).
const std::string k_spec = R"({"projects": {
  "Top.App": {"versions": {"1.0": {"requires_dist": ["left-lib>=1", "right_lib[fast]>=2",
                                                     "winonly; sys_platform == 'win32'"],
                                   "requires_python": ">=3.8"}}},
  "left-lib": {"versions": {"1.0": {"requires_dist": ["base<3"]},
                            "1.1": {"requires_dist": ["base>=2,<3"], "sdist": true}}},
  "right_lib": {"versions": {"2.0": {"requires_dist": ["base>=1", "speedy; extra == \"fast\""],
                                     "provides_extra": ["fast"]}}},
  "base": {"versions": {"1.0": {}, "2.0": {"requires_python": ">=3.8,<4"}, "3.0": {"yanked": "bad <build>"}}},
  "speedy": {"versions": {"1.0": {"tags": ["cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
                                           "cp312-cp312-win_amd64"]}}},
  "winonly": {"versions": {"1.0": {}}}
}})";

const std::string k_json = "application/vnd.pypi.simple.v1+json";

std::vector<ResolvedPackage> linux_set()
{
    return {{"base", "2.0"}, {"left-lib", "1.1"}, {"right-lib", "2.0"}, {"speedy", "1.0"}, {"top-app", "1.0"}};
}

std::string name_of(SimpleFormat format)
{
    switch (format) {
        case SimpleFormat::json:
            return "json";
        case SimpleFormat::html:
            return "html";
        case SimpleFormat::negotiate:
            return "negotiate";
    }
    return "?";
}

class PythonIndexToolTest : public testing::TestDirFixture {
public:
    // One index for the suite: building is quick, but pip runs are not, and they share it.
    static void SetUpTestSuite()
    {
        const char* tmp = std::getenv("TMPDIR");
        std::string templ = (stdfs::path(tmp && *tmp ? tmp : "/tmp") / "gapbundle-python-index.XXXXXX").string();
        if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed for " + templ);
        s_root = new stdfs::path(templ);
        auto built =
            testing::build_python_index(k_spec, *s_root / "index", {.metadata_files = true, .distro_wheels = true});
        if (!built) throw std::runtime_error(built.error().message);
        s_index = new testing::PythonIndex(*built);
    }
    static void TearDownTestSuite()
    {
        std::error_code ec;
        if (s_root) stdfs::remove_all(*s_root, ec);
        delete s_index;
        delete s_root;
        s_index = nullptr;
        s_root = nullptr;
    }

protected:
    static const testing::PythonIndex& index() { return *s_index; }

    void serve(SimpleFormat format)
    {
        server.serve_simple_index("/simple", index().simple, format);
        server.serve_dir("/files", index().files);
    }
    [[nodiscard]] std::string index_url() const { return server.url("/simple/"); }

    httplib::Result get(const std::string& path, const std::string& accept = "")
    {
        httplib::Client client("127.0.0.1", server.port());
        httplib::Headers headers;
        if (!accept.empty()) headers.emplace("Accept", accept);
        return client.Get(path, headers);
    }

    HttpTestServer server;

private:
    static inline stdfs::path* s_root = nullptr;
    static inline testing::PythonIndex* s_index = nullptr;
};

TEST_F(PythonIndexToolTest, WritesTheSameBytesEveryRun)
{
    auto again = testing::build_python_index(k_spec, dir() / "again", {.metadata_files = true, .distro_wheels = true});
    ASSERT_TRUE(again) << again.error().message;
    std::vector<std::string> names;
    for (const auto& entry : stdfs::recursive_directory_iterator(index().root)) {
        if (!entry.is_regular_file()) continue;
        const auto rel = stdfs::relative(entry.path(), index().root);
        names.push_back(rel.string());
        EXPECT_EQ(crypto::sha256_hex(testing::read_text(entry.path())),
                  crypto::sha256_hex(testing::read_text(again->root / rel)))
            << rel;
    }
    EXPECT_TRUE(std::ranges::count(names, "files/speedy-1.0-cp312-cp312-win_amd64.whl.metadata") == 1);
    EXPECT_TRUE(std::ranges::count(names, "files/left_lib-1.1.tar.gz") == 1);
    EXPECT_TRUE(std::ranges::count(names, "files/pip-23.0.1-py3-none-any.whl") == 1);
    EXPECT_TRUE(std::ranges::count(names, "simple/top-app/index.json") == 1);
}

TEST_F(PythonIndexToolTest, LeavesOutMetadataFilesWhenAsked)
{
    auto bare = testing::build_python_index(k_spec, dir() / "bare", {.metadata_files = false, .distro_wheels = false});
    ASSERT_TRUE(bare) << bare.error().message;
    EXPECT_FALSE(stdfs::exists(bare->files / "base-2.0-py3-none-any.whl.metadata"));
    EXPECT_TRUE(stdfs::exists(bare->files / "base-2.0-py3-none-any.whl"));
    EXPECT_FALSE(stdfs::exists(bare->simple / "pip"));
    auto page = parse_project_json(testing::read_text(bare->simple / "base" / "index.json"), "http://x/simple/base/");
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->files.size(), 3u);
    EXPECT_FALSE(page->files[0].has_metadata);
}

TEST_F(PythonIndexToolTest, ReportsABadSpecWithTheToolsMessage)
{
    auto bad = testing::build_python_index(R"({"projects": {"x": {"versions": {"1.0": {"tagz": []}}}}})", dir() / "bad",
                                           {.metadata_files = true, .distro_wheels = false});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("pypi_index.py: error: x 1.0: unknown keys ['tagz']"), std::string::npos)
        << bad.error().message;
}

class PythonIndexServedTest : public PythonIndexToolTest, public ::testing::WithParamInterface<SimpleFormat> {};

TEST_P(PythonIndexServedTest, PagesParseAndMetadataMatches)
{
    serve(GetParam());
    auto root = get("/simple/", std::string(k_simple_accept));
    ASSERT_TRUE(root);
    ASSERT_EQ(root->status, 200);
    auto names = parse_root_page(root->body, root->get_header_value("Content-Type"), index_url());
    ASSERT_TRUE(names) << names.error().message;
    EXPECT_EQ(*names, (std::vector<std::string>{"base", "left-lib", "pip", "right_lib", "setuptools", "speedy",
                                                "Top.App", "wheel", "winonly"}));

    IndexClient client(index_url(), net::Credentials{}, fixtures::quick_engine());
    auto page = client.project("BASE");
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->files.size(), 3u);
    const IndexFile& two = page->files[1];
    EXPECT_EQ(two.filename, "base-2.0-py3-none-any.whl");
    EXPECT_EQ(two.url, server.url("/files/base-2.0-py3-none-any.whl"));
    EXPECT_EQ(two.requires_python, ">=3.8,<4");
    EXPECT_EQ(two.sha256, crypto::sha256_hex(testing::read_text(index().files / two.filename)));
    EXPECT_TRUE(two.has_metadata);
    EXPECT_TRUE(page->files[2].yanked);
    EXPECT_EQ(page->files[2].yanked_reason, "bad <build>");
    if (GetParam() == SimpleFormat::json) {
        EXPECT_EQ(page->versions, (std::vector<std::string>{"1.0", "2.0", "3.0"}));
        EXPECT_EQ(two.size, stdfs::file_size(index().files / two.filename));
    }

    auto right = client.project("right-lib");
    ASSERT_TRUE(right) << right.error().message;
    ASSERT_EQ(right->files.size(), 1u);
    auto metadata = client.metadata(right->files[0]);
    ASSERT_TRUE(metadata) << metadata.error().message;
    EXPECT_EQ(metadata->name, "right_lib");
    EXPECT_EQ(metadata->requires_dist, (std::vector<std::string>{"base>=1", "speedy; extra == \"fast\""}));
    EXPECT_EQ(metadata->provides_extra, std::vector<std::string>{"fast"});

    auto pip = client.project("pip");
    ASSERT_TRUE(pip) << pip.error().message;
    ASSERT_EQ(pip->files.size(), 1u);
    auto pip_metadata = client.metadata(pip->files[0]);
    ASSERT_TRUE(pip_metadata) << pip_metadata.error().message;
    EXPECT_EQ(pip_metadata->version, "23.0.1");
    EXPECT_EQ(pip_metadata->requires_python, ">=3.7");
}

TEST_P(PythonIndexServedTest, FaultsApplyToPages)
{
    serve(GetParam());
    server.fail_times("/simple/base/", 1, 503);
    auto failed = get("/simple/base/");
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->status, 503);
    EXPECT_EQ(get("/simple/base/")->status, 200);

    server.require_basic_auth("/simple/", "user", "secret");
    EXPECT_EQ(get("/simple/")->status, 401);
    httplib::Client client("127.0.0.1", server.port());
    client.set_basic_auth("user", "secret");
    EXPECT_EQ(client.Get("/simple/")->status, 200);
}

INSTANTIATE_TEST_SUITE_P(PythonIndex, PythonIndexServedTest,
                         ::testing::Values(SimpleFormat::json, SimpleFormat::html, SimpleFormat::negotiate),
                         [](const ::testing::TestParamInfo<SimpleFormat>& param) { return name_of(param.param); });

TEST_F(PythonIndexToolTest, NegotiatesTheFormatByAccept)
{
    serve(SimpleFormat::negotiate);
    const auto type_for = [&](const std::string& accept) {
        auto res = get("/simple/base/", accept);
        if (!res || res->status != 200) return std::string("failed");
        EXPECT_EQ(res->get_header_value("Vary"), "Accept");
        return res->get_header_value("Content-Type");
    };
    EXPECT_EQ(type_for(std::string(k_simple_accept)), k_json);
    EXPECT_EQ(type_for(""), "text/html");
    EXPECT_EQ(type_for("*/*"), "text/html");
    EXPECT_EQ(type_for("text/html"), "text/html");
    EXPECT_EQ(type_for("application/vnd.pypi.simple.v1+json"), k_json);
    EXPECT_EQ(type_for("application/vnd.pypi.simple.latest+json"), k_json);
    EXPECT_EQ(type_for("application/vnd.pypi.simple.v1+json; q=0.5, text/html; q=0.9"), "text/html");
    EXPECT_EQ(type_for("application/vnd.pypi.simple.v1+json;q=0, */*"), "text/html");
    EXPECT_EQ(type_for("application/*"), "application/vnd.pypi.simple.v1+html");
    EXPECT_EQ(type_for("image/png"), "text/html");

    auto json = get("/simple/base/", k_json);
    auto html = get("/simple/base/", "text/html");
    ASSERT_TRUE(json && html);
    EXPECT_EQ(json->body, testing::read_text(index().simple / "base" / "index.json"));
    EXPECT_EQ(html->body, testing::read_text(index().simple / "base" / "index.html"));
}

TEST_F(PythonIndexToolTest, RedirectsToTheCanonicalSlashForm)
{
    serve(SimpleFormat::json);
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"/simple/base", "/simple/base/"},
                                   {"/simple/Top.App/", "/simple/top-app/"},
                                   {"/simple/Top.App", "/simple/top-app/"}}) {
        auto res = get(from);
        ASSERT_TRUE(res) << from;
        EXPECT_EQ(res->status, 301) << from;
        EXPECT_EQ(res->get_header_value("Location"), to) << from;
    }
    EXPECT_EQ(get("/simple/nothing/")->status, 404);
    EXPECT_EQ(get("/simple/nothing")->status, 404);
    EXPECT_EQ(get("/simple/base/index.json")->status, 404);
}

TEST_F(PythonIndexToolTest, PipResolvesTheDiamondFromJson)
{
    serve(SimpleFormat::json);
    auto resolved = testing::pip_report(index_url(), {"Top.App"}, {}, {});
    ASSERT_TRUE(resolved) << resolved.error().message;
    EXPECT_EQ(*resolved, linux_set());
}

TEST_F(PythonIndexToolTest, PipResolvesTheDiamondFromHtmlWithMetadataFiles)
{
    serve(SimpleFormat::html);
    auto resolved = testing::pip_report(index_url(), {"Top.App"}, {}, {});
    ASSERT_TRUE(resolved) << resolved.error().message;
    EXPECT_EQ(*resolved, linux_set());
    // pip 23.0 resolves from the PEP 658 files, then fetches the wheels all the same.
    EXPECT_EQ(server.requests("/files/top_app-1.0-py3-none-any.whl.metadata"), 1);
}

TEST_F(PythonIndexToolTest, PipResolvesForWindowsAndReportsFailures)
{
    serve(SimpleFormat::negotiate);
    const testing::PipTarget windows{.python_version = "3.12", .platforms = {"win_amd64"}, .implementation = "cp"};
    auto resolved = testing::pip_report(index_url(), {"Top.App"}, windows, {});
    ASSERT_TRUE(resolved) << resolved.error().message;
    // speedy from its win_amd64 wheel; no winonly: pip evaluates markers for the host, not the target.
    EXPECT_EQ(*resolved, linux_set());

    auto none = testing::pip_report(index_url(), {"speedy"},
                                    {.python_version = "3.10", .platforms = {"win_amd64"}, .implementation = "cp"}, {});
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("No matching distribution found for speedy"), std::string::npos)
        << none.error().message;
}

TEST_F(PythonIndexToolTest, VenvInstallImportsTheGeneratedPackage)
{
    serve(SimpleFormat::json);
    const stdfs::path venv = dir() / "venv";
    auto made = testing::make_venv(venv);
    ASSERT_TRUE(made) << made.error().message;
    auto install = testing::run_in_venv(venv, {"-m", "pip", "install", "--index-url", index_url(), "Top.App"});
    ASSERT_EQ(install.status, 0) << install.err;
    auto run =
        testing::run_in_venv(venv, {"-c", "import top_app, speedy; print(top_app.__version__, speedy.__file__)"});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(run.out.starts_with("1.0 ")) << run.out;
    EXPECT_NE(run.out.find("/venv/lib/python3.11/site-packages/speedy/__init__.py"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace gapbundle::sources::pypi
