#include <gapbundle/report/html_report.hpp>
#include <gapbundle/report/report_json.hpp>
#include <gapbundle/report/report_model.hpp>

#include <gtest/gtest.h>

namespace gapbundle::report {
namespace {

using json = nlohmann::ordered_json;

bundle::Entry file(std::string path, std::uint64_t size, char hash)
{
    bundle::Entry entry;
    entry.path = std::move(path);
    entry.size = size;
    entry.sha256 = std::string(64, hash);
    return entry;
}

// A mixed bundle: pip with a dependency chain and a cycle, conda, an image a chart asked for, a
// chart, a model repo and loose files.
ops::IndexDocument mixed()
{
    ops::IndexDocument document;
    document.index_sha256 = std::string(64, 'f');
    auto& index = document.index;
    index.name = "nightly";
    index.serial = 20261201;
    index.created = "2026-12-01T00:00:00Z";
    index.producer = "gapbundle 0.1.0";
    index.entries = {file("files/tools/a.bin", 1000, 'a'),
                     file("pypi/files/requests-2.32.3-py3-none-any.whl", 64000, 'b'),
                     file("pypi/files/urllib3-2.2.2-py3-none-any.whl", 120000, 'c'),
                     file("pypi/files/idna-3.7-py3-none-any.whl", 66000, 'd'),
                     file("conda/forge/linux-64/zlib-1.3.1-h4ab18f5_1.conda", 90000, 'e'),
                     file("oci/blobs/sha256/" + std::string(64, '1'), 5000000, '1'),
                     file("helm/web-1.2.0.tgz", 900, '2'),
                     file("hf/hub/models--org--m/blobs/" + std::string(64, '3'), 7000000, '3')};
    index.components = {
        {"conda", "zlib", "1.3.1", {"conda/forge/linux-64/zlib-1.3.1-h4ab18f5_1.conda"}, {"zlib"}, {}, {}},
        {"helm", "web", "1.2.0", {"helm/web-1.2.0.tgz"}, {"https://charts.example web ^1"}, {}, {}},
        {"huggingface", "models/org/m", std::string(40, 'c'), {"hf/hub/models--org--m/blobs/" + std::string(64, '3')}, {"org/m"}, {}, {}},
        {"images", "r.example/app:1.0", "sha256:" + std::string(64, '9'), {"oci/blobs/sha256/" + std::string(64, '1')},
         {"helm[0] web 1.2.0 (web: values.yaml line 3)"}, {}, {"linux/amd64", "linux/arm64"}},
        {"pip", "idna", "3.7", {"pypi/files/idna-3.7-py3-none-any.whl"}, {}, {{"requests", "requests; extra == 'x'"}}, {}},
        {"pip", "requests", "2.32.3", {"pypi/files/requests-2.32.3-py3-none-any.whl"}, {"requests>=2"},
         {{"idna", "idna<4,>=2.5"}, {"urllib3", "urllib3<3,>=1.21.1"}}, {}},
        {"pip", "urllib3", "2.2.2", {"pypi/files/urllib3-2.2.2-py3-none-any.whl"}, {}, {}, {}},
    };
    return document;
}

TEST(ReportModelTest, ListsEveryComponentWithWhatItsKindAdds)
{
    const auto document = mixed();
    const auto model = report_model({&document, std::nullopt, nullptr});
    EXPECT_EQ(model["bundle"]["name"], "nightly");
    EXPECT_EQ(model["bundle"]["channel"], "nightly");
    EXPECT_TRUE(model["bundle"]["expires"].is_null());
    EXPECT_EQ(model["totals"]["files"], 8);
    EXPECT_EQ(model["totals"]["bytes"], 1000 + 64000 + 120000 + 66000 + 90000 + 5000000 + 900 + 7000000);
    ASSERT_EQ(model["kinds"]["pip"].size(), 3u);
    EXPECT_EQ(model["kinds"]["pip"][1]["tags"], json::array({"py3-none-any"}));
    const auto& zlib = model["kinds"]["conda"][0];
    EXPECT_EQ(zlib["build"], "h4ab18f5_1");
    EXPECT_EQ(zlib["channel"], "forge");
    EXPECT_EQ(zlib["subdir"], "linux-64");
    EXPECT_EQ(model["kinds"]["helm"][0]["images"], json::array({"r.example/app:1.0"}));
    EXPECT_EQ(model["kinds"]["images"][0]["files"][0]["sha256"], std::string(64, '1'));
    EXPECT_EQ(model["kinds"]["images"][0]["platforms"], json::array({"linux/amd64", "linux/arm64"}));
    EXPECT_EQ(model["files"].size(), 1u);
    EXPECT_EQ(model["sizes"][0]["name"], "models/org/m");  // the largest first
}

TEST(ReportModelTest, TreesStartAtWhatWasRequestedAndStopAtCycles)
{
    const auto document = mixed();
    const auto model = report_model({&document, std::nullopt, nullptr});
    const auto& roots = model["trees"]["pip"];
    ASSERT_EQ(roots.size(), 1u);
    EXPECT_EQ(roots[0]["name"], "requests");
    ASSERT_EQ(roots[0]["children"].size(), 2u);
    const auto& idna = roots[0]["children"][0];
    EXPECT_EQ(idna["requirement"], "idna<4,>=2.5");
    ASSERT_EQ(idna["children"].size(), 1u);  // idna → requests again: shown, not expanded
    EXPECT_TRUE(idna["children"][0]["repeated"].get<bool>());
}

TEST(ReportModelTest, SignersAreMarkedByTheTrustCheckAndChangesAreListed)
{
    auto document = mixed();
    document.signatures = {{"k1", "ed25519", "x"}, {"k2", "ed25519", "y"}};
    auto base = mixed();
    base.index.serial = 20261130;
    base.index.components[5].version = "2.31.0";
    bundle::SignatureCheck check;
    check.trusted_signers = {"k1"};
    const auto model = report_model({&document, check, &base});
    EXPECT_EQ(model["signatures"][0]["trusted"], true);
    EXPECT_EQ(model["signatures"][1]["trusted"], false);
    const auto& changed = model["changes"]["kinds"]["pip"]["changed"];
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0]["name"], "requests");
    EXPECT_EQ(changed[0]["old_version"], "2.31.0");
    EXPECT_EQ(model["changes"]["base"]["serial"], 20261130);
}

TEST(HtmlReportTest, IsSelfContainedAndEscapesWhatTheIndexSays)
{
    auto document = mixed();
    document.index.components[1].requested = {"<script>alert(1)</script>"};
    const std::string html = render_html(report_model({&document, std::nullopt, nullptr}), document.index);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    for (const char* outside : {"src=", "href=", "<link", "@import", "url("})  // nothing is fetched
        EXPECT_EQ(html.find(outside), std::string::npos) << outside;
    EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
    EXPECT_NE(html.find("data-kind=\"pip\" data-name=\"requests\" data-version=\"2.32.3\""), std::string::npos);
    EXPECT_NE(html.find("<svg"), std::string::npos);
}

// Many files in one files component: more than one piece of the page.
ops::IndexDocument many_files(int count)
{
    auto document = mixed();
    bundle::Component folder{"files", "files/data", "tree:" + std::string(64, '0'), {}, {"/srv/data/"}, {}, {}};
    char name[32];
    for (int i = 0; i < count; ++i) {
        std::snprintf(name, sizeof name, "files/data/f%05d.bin", i);
        document.index.entries.push_back(file(name, 100 + static_cast<std::uint64_t>(i), 'a'));
        folder.paths.push_back(name);
    }
    document.index.components.push_back(std::move(folder));
    return document;
}

TEST(ReportModelTest, LeftOutFileListsChangeNothingOnThePage)
{
    const auto document = many_files(50);
    const auto listed = report_model({&document, std::nullopt, nullptr});
    const auto left_out = report_model({&document, std::nullopt, nullptr}, FileLists::left_out);
    EXPECT_EQ(listed["kinds"]["files"][0]["files"].size(), 50u);
    EXPECT_FALSE(left_out["kinds"]["files"][0].contains("files"));
    EXPECT_EQ(left_out["kinds"]["files"][0]["bytes"], listed["kinds"]["files"][0]["bytes"]);
    EXPECT_EQ(listed["files"].size(), 1u);  // files/tools/a.bin, in no component
    EXPECT_FALSE(left_out.contains("files"));
    const std::string page = render_html(left_out, document.index);
    EXPECT_EQ(page, render_html(listed, document.index));
    EXPECT_NE(page.find("<summary>50 file(s)</summary>"), std::string::npos);
    EXPECT_NE(page.find("<li>files/data/f00049.bin <span class=\"muted\">149 B</span>"), std::string::npos)
        << page.substr(0, 2000);
    EXPECT_NE(page.find(R"(<tr class="loose-file" data-name="files/tools/a.bin">)"), std::string::npos);
}

// What --json printed when it held the whole model: dumped, parsed with sorted keys, indented.
std::string whole_model_json(const ops::IndexDocument& document)
{
    const auto model = report_model({&document, std::nullopt, nullptr});
    return nlohmann::json::parse(model.dump()).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string written_json(const ops::IndexDocument& document, std::size_t* pieces = nullptr)
{
    std::string out;
    const auto model = report_model({&document, std::nullopt, nullptr}, FileLists::left_out);
    auto st = write_report_json(model, document.index, [&](std::string_view piece) -> Status {
        out += piece;
        if (pieces) ++*pieces;
        return {};
    });
    EXPECT_TRUE(st) << st.error().message;
    return out;
}

TEST(ReportJsonTest, IsTheWholeModelsDocumentWrittenInPieces)
{
    auto document = many_files(3000);
    bundle::Entry link;
    link.path = "files/tools/latest";
    link.type = bundle::EntryType::symlink;
    link.link_target = "a.bin";
    document.index.entries.push_back(link);
    document.index.components[0].requested = {"z\"quoted\"\n", "caf\xc3\xa9"};
    std::size_t pieces = 0;
    const std::string written = written_json(document, &pieces);
    EXPECT_EQ(written, whole_model_json(document));
    EXPECT_GT(pieces, 3u);
    EXPECT_NE(written.find(R"("link": "a.bin",)"), std::string::npos);
    EXPECT_NE(written.find(R"("path": "files/data/f02999.bin",)"), std::string::npos);

    ops::IndexDocument empty;
    empty.index.name = "empty";
    empty.index_sha256 = std::string(64, 'f');
    const std::string bare = written_json(empty);
    EXPECT_EQ(bare, whole_model_json(empty));
    EXPECT_NE(bare.find(R"("files": [],)"), std::string::npos) << bare;
    EXPECT_NE(bare.find(R"("kinds": {},)"), std::string::npos) << bare;
}

TEST(HtmlReportTest, IsWrittenInPiecesAndStopsAtTheSinksFirstError)
{
    const auto document = many_files(3000);
    const auto model = report_model({&document, std::nullopt, nullptr}, FileLists::left_out);
    std::vector<std::size_t> pieces;
    std::string joined;
    auto st = write_html(model, document.index, [&](std::string_view piece) -> Status {
        pieces.push_back(piece.size());
        joined += piece;
        return {};
    });
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_GT(pieces.size(), 3u);
    EXPECT_LT(std::ranges::max(pieces), std::size_t{80} << 10);
    EXPECT_EQ(joined, render_html(model, document.index));
    EXPECT_TRUE(joined.ends_with("</body></html>\n"));

    int calls = 0;
    st = write_html(model, document.index, [&](std::string_view) -> Status {
        if (++calls == 2) return fail(ErrorCode::io, "r.html: No space left on device");
        return {};
    });
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().message, "r.html: No space left on device");
    EXPECT_EQ(calls, 2);  // nothing written after the error
}

}  // namespace
}  // namespace gapbundle::report
