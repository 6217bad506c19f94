// `gapbundle report` end to end: the real binary writes the page for a signed bundle and for an
// index of every kind, and headless Chromium (Debian's) renders it: the DOM it builds must hold a
// row for every component, and a screenshot is kept as the test's artifact.

#include "headless_chromium.hpp"
#include "trip_fixture.hpp"

#include <gapbundle/bundle/index.hpp>

#include <gtest/gtest.h>

#include <set>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

bundle::Entry file(std::string path, std::uint64_t size, char hash)
{
    bundle::Entry entry;
    entry.path = std::move(path);
    entry.size = size;
    entry.sha256 = std::string(64, hash);
    return entry;
}

// An index with a component of every kind, as `inspect --index` exports one.
std::string mixed_index()
{
    bundle::Index index;
    index.name = "mixed";
    index.serial = 7;
    index.created = "2026-12-01T00:00:00Z";
    index.producer = "gapbundle 0.1.0";
    index.manifest_sha256 = std::string(64, '0');
    index.lock_sha256 = std::string(64, '0');
    const std::string layer = std::string(64, '1');
    const std::string blob = std::string(64, '3');
    index.entries = {file("conda/forge/linux-64/zlib-1.3.1-h0_1.conda", 90000, 'e'),
                     file("files/notes.txt", 20, 'f'),
                     file("files/tools/a.bin", 1000, 'a'),
                     file("helm/web-1.2.0.tgz", 900, '2'),
                     file("hf/hub/models--org--m/blobs/" + blob, 7000000, '3'),
                     file("oci/blobs/sha256/" + layer, 5000000, '1'),
                     file("pypi/files/idna-3.7-py3-none-any.whl", 66000, 'd'),
                     file("pypi/files/requests-2.32.3-py3-none-any.whl", 64000, 'b')};
    bundle::add_parent_dirs(index.entries);
    index.components = {
        {"conda", "zlib", "1.3.1", {"conda/forge/linux-64/zlib-1.3.1-h0_1.conda"}, {"zlib"}, {}, {}},
        {"files", "tools/a.bin", "sha256:" + std::string(64, 'a'), {"files/tools/a.bin"},
         {"https://downloads.example/tools/a.bin"}, {}, {}},
        {"helm", "web", "1.2.0", {"helm/web-1.2.0.tgz"}, {"https://charts.example web"}, {}, {}},
        {"huggingface", "models/org/m", std::string(40, 'c'), {"hf/hub/models--org--m/blobs/" + blob}, {"org/m"}, {}, {}},
        {"images", "r.example/app:1.0", "sha256:" + std::string(64, '9'), {"oci/blobs/sha256/" + layer},
         {"helm[0] web 1.2.0 (web: values.yaml line 3)"}, {}, {"linux/amd64", "linux/arm64/v8"}},
        {"pip", "idna", "3.7", {"pypi/files/idna-3.7-py3-none-any.whl"}, {}, {}, {}},
        {"pip", "requests", "2.32.3", {"pypi/files/requests-2.32.3-py3-none-any.whl"}, {"requests"},
         {{"idna", "idna<4,>=2.5"}}, {}},
    };
    return bundle::to_canonical_json(index);
}

class ReportTest : public TripTest {
protected:
    std::string render(const stdfs::path& page) { return render_in_chromium(page, dir()); }
    static std::set<std::pair<std::string, std::string>> rows(const std::string& dom) { return component_rows(dom); }
};

TEST_F(ReportTest, AnIndexOfEveryKindRendersWithEveryComponent)
{
    write_text(dir() / "index.json", mixed_index());
    const auto page = dir() / "report.html";
    auto made = gapbundle({"report", (dir() / "index.json").string(), "-o", page.string()});
    ASSERT_EQ(made.status, 0) << made.err;
    const std::string dom = render(page);
    EXPECT_EQ(rows(dom), (std::set<std::pair<std::string, std::string>>{{"conda", "zlib"},
                                                                       {"files", "tools/a.bin"},
                                                                       {"helm", "web"},
                                                                       {"huggingface", "models/org/m"},
                                                                       {"images", "r.example/app:1.0"},
                                                                       {"pip", "idna"},
                                                                       {"pip", "requests"}}));
    // The files entry names where it came from; the image, its platforms; a file no entry holds
    // is listed on its own.
    EXPECT_NE(dom.find("https://downloads.example/tools/a.bin"), std::string::npos);
    EXPECT_NE(dom.find("linux/arm64/v8"), std::string::npos);
    EXPECT_NE(dom.find(R"(<tr class="loose-file" data-name="files/notes.txt")"), std::string::npos);
    EXPECT_EQ(dom.find(R"(<tr class="loose-file" data-name="files/tools/a.bin")"), std::string::npos);
    EXPECT_NE(dom.find("No signatures: this report was made from an index file."), std::string::npos);
    EXPECT_NE(dom.find("<svg"), std::string::npos);
    EXPECT_NE(dom.find("Who required what"), std::string::npos);
}

TEST_F(ReportTest, ASignedBundleNamesItsSignerAndWhetherThisHostTrustsIt)
{
    const auto bundle = dir() / "b.tar";
    pack_ok(write_local_payload(), bundle);
    const auto page = dir() / "report.html";
    auto trusted = gapbundle({"report", bundle.string(), "-o", page.string(), "--trust", pub().string()});
    ASSERT_EQ(trusted.status, 0) << trusted.err;
    const std::string dom = render(page);
    EXPECT_NE(dom.find("trusted, signature valid"), std::string::npos);
    // One row per files entry: the folder and the file, each with its source as written.
    EXPECT_EQ(rows(dom), (std::set<std::pair<std::string, std::string>>{{"files", "data"}, {"files", "docs/card.md"}}));
    EXPECT_NE(dom.find("2 file(s)"), std::string::npos);

    auto other = gapbundle({"keygen", "--out", (dir() / "other").string()});
    ASSERT_EQ(other.status, 0) << other.err;
    auto untrusted = gapbundle({"--json", "report", bundle.string(), "--trust", (dir() / "other.pub").string()});
    ASSERT_EQ(untrusted.status, 0) << untrusted.err;
    EXPECT_EQ(json_of(untrusted)["signatures"][0]["trusted"], false);
}

TEST_F(ReportTest, BadInputsAreRefusedNamingThem)
{
    auto missing = gapbundle({"report", (dir() / "nope.tar").string(), "-o", (dir() / "r.html").string()});
    EXPECT_EQ(missing.status, 4) << missing.err;
    EXPECT_NE(missing.err.find("nope.tar"), std::string::npos) << missing.err;
    EXPECT_FALSE(stdfs::exists(dir() / "r.html"));
    write_text(dir() / "bad.json", "{\"not\": \"an index\"}");
    auto bad = gapbundle({"report", (dir() / "bad.json").string(), "-o", (dir() / "r.html").string()});
    EXPECT_NE(bad.status, 0);
    EXPECT_NE(bad.err.find("bad.json"), std::string::npos) << bad.err;
    EXPECT_FALSE(stdfs::exists(dir() / "r.html"));
    auto no_output = gapbundle({"report", (dir() / "bad.json").string()});
    EXPECT_EQ(no_output.status, 2) << no_output.err;
}

// The page is written as it is made: a write that fails part way leaves no page, and no part of one.
TEST_F(ReportTest, AWriteThatFailsPartWayLeavesNoPage)
{
    write_text(dir() / "index.json", mixed_index());
    stdfs::create_directories(dir() / "out");
    const auto page = dir() / "out" / "report.html";
    RunOptions options;
    options.file_size_limit = 4096;  // the page is about 10 KB
    auto cut = run_program(gapbundle_binary(), {"report", (dir() / "index.json").string(), "-o", page.string()}, dir(),
                           options);
    EXPECT_EQ(cut.status, 4) << cut.err;
    EXPECT_NE(cut.err.find("report.html"), std::string::npos) << cut.err;
    EXPECT_TRUE(stdfs::is_empty(dir() / "out"));
    auto missing_folder = gapbundle({"report", (dir() / "index.json").string(), "-o", (dir() / "no/such/r.html").string()});
    EXPECT_EQ(missing_folder.status, 4) << missing_folder.err;
    EXPECT_NE(missing_folder.err.find("no/such/r.html"), std::string::npos) << missing_folder.err;
    auto whole = gapbundle({"report", (dir() / "index.json").string(), "-o", page.string()});
    ASSERT_EQ(whole.status, 0) << whole.err;
    EXPECT_GT(stdfs::file_size(page), 4096u);
    EXPECT_TRUE(read_text(page).ends_with("</body></html>\n"));
}

}  // namespace
}  // namespace gapbundle::testing
