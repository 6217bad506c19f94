#include <gapbundle/sources/pypi/index_page.hpp>

#include "../../../src/sources/pypi/html_anchors.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {

// gtest prints files this way (found by ADL, so outside the anonymous namespace).
void PrintTo(const IndexFile& f, std::ostream* out)
{
    *out << "{" << f.filename << " " << f.url << " sha256=" << f.sha256 << " rp=" << f.requires_python
         << " yanked=" << f.yanked << "(" << f.yanked_reason << ") metadata=" << f.has_metadata << "/"
         << f.metadata_sha256.value_or("-") << " size=" << (f.size ? std::to_string(*f.size) : "-") << "}";
}

namespace {

using Strings = std::vector<std::string>;

const std::string k_sha_a = "c05567e9c24a6b9faaa835c4821bad0590fbb9d5779e7caa6e1cc4978e7eb24f";
const std::string k_sha_b = "028ff3aadf0609c1fd278d8ea3089299412a7a8b9bd005dd08b9f8285bcb5cfc";
const std::string k_sha_c = "70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6";
const std::string k_sha_upper = "70761CFE03C773CEB22AA2F671B4757976145175CDFCA038C02654D061D6DCC6";

IndexFile file(std::string filename, std::string url)
{
    return IndexFile{.filename = std::move(filename),
                     .url = std::move(url),
                     .sha256 = {},
                     .requires_python = {},
                     .yanked = false,
                     .yanked_reason = {},
                     .has_metadata = false,
                     .metadata_sha256 = std::nullopt,
                     .size = std::nullopt};
}

// HTML entities and the scanner --------------------------------------------------------------------

struct EntityCase {
    std::string encoded;
    std::string decoded;
};

std::ostream& operator<<(std::ostream& out, const EntityCase& c)
{
    return out << c.encoded;
}

class HtmlEntityTest : public testing::TestWithParam<EntityCase> {};

TEST_P(HtmlEntityTest, DecodesAsABrowserWould)
{
    EXPECT_EQ(decode_html_entities(GetParam().encoded), GetParam().decoded);
}

INSTANTIATE_TEST_SUITE_P(
    Entities, HtmlEntityTest,
    testing::Values(EntityCase{"&gt;=3.8", ">=3.8"}, EntityCase{"&gt;=3.7,&lt;4", ">=3.7,<4"},
                    EntityCase{"&gt;=2.7, !=3.0.*, !=3.1.*", ">=2.7, !=3.0.*, !=3.1.*"}, EntityCase{"a&amp;b", "a&b"},
                    EntityCase{"&quot;q&quot; &apos;s&apos;", "\"q\" 's'"}, EntityCase{"&#62;=3.6", ">=3.6"},
                    EntityCase{"&#x3E;=3.6", ">=3.6"}, EntityCase{"&#X3e;", ">"}, EntityCase{"&#60", "<"},
                    EntityCase{"&gt=3.6", ">=3.6"}, EntityCase{"&lt;&lt", "<<"},
                    EntityCase{"a&nbsp;b",
                               "a\xC2\xA0"
                               "b"},
                    EntityCase{"&#233;", "\xC3\xA9"}, EntityCase{"&#x1F600;", "\xF0\x9F\x98\x80"},
                    EntityCase{"&#0;", "\xEF\xBF\xBD"}, EntityCase{"&#99999999999;", "\xEF\xBF\xBD"},
                    EntityCase{"&#xD800;", "\xEF\xBF\xBD"},
                    // Not entities: kept as written.
                    EntityCase{"AT&T", "AT&T"}, EntityCase{"&unknown;", "&unknown;"}, EntityCase{"&", "&"},
                    EntityCase{"&#;", "&#;"}, EntityCase{"&#x;", "&#x;"}, EntityCase{"?a=1&ltx=2", "?a=1&ltx=2"},
                    EntityCase{"?a=1&amp=2", "?a=1&=2"}, EntityCase{"", ""}));

TEST(HtmlScanTest, ReadsAttributesInEveryQuoting)
{
    const auto elements =
        scan_html(R"(<A HREF='single' data-x=unquoted Data-Y="dou&amp;ble" data-bare data-empty="">text</A>)");
    ASSERT_EQ(elements.size(), 1u);
    const auto& a = elements[0];
    EXPECT_EQ(a.name, "a");
    EXPECT_EQ(a.value("href"), "single");
    EXPECT_EQ(a.value("data-x"), "unquoted");
    EXPECT_EQ(a.value("data-y"), "dou&ble");
    EXPECT_TRUE(a.has("data-bare"));
    EXPECT_EQ(a.value("data-bare"), std::nullopt);
    EXPECT_EQ(a.value("data-empty"), "");
    EXPECT_FALSE(a.has("data-absent"));
    EXPECT_EQ(a.text, "text");
}

TEST(HtmlScanTest, SkipsCommentsScriptsAndOtherTags)
{
    const auto elements = scan_html(
        "<!DOCTYPE html><?xml version='1.0'?><!-- <a href=\"c\">comment</a> -->"
        "<script>var s = '<a href=\"s\">';</script><STYLE>a{}</style><div class=x><a href=\"real\">real</a></div>"
        "<area href=\"not-an-anchor\"><abbr>x</abbr>");
    ASSERT_EQ(elements.size(), 1u);
    EXPECT_EQ(elements[0].value("href"), "real");
}

TEST(HtmlScanTest, TakesAnchorTextWithoutInnerTags)
{
    const auto elements = scan_html("<a href=x>\n  <span>six</span>-1.0&#46;whl <b>!</b>\n</a> after");
    ASSERT_EQ(elements.size(), 1u);
    EXPECT_EQ(elements[0].text, "six-1.0.whl !");
}

TEST(HtmlScanTest, EndsAnUnclosedAnchorAtTheNextOne)
{
    const auto elements = scan_html("<a href=1>one<a href=2>two<br><a href=3>three");
    ASSERT_EQ(elements.size(), 3u);
    EXPECT_EQ(elements[0].text, "one");
    EXPECT_EQ(elements[1].text, "two");
    EXPECT_EQ(elements[2].text, "three");
}

TEST(HtmlScanTest, SurvivesTruncatedAndBrokenMarkup)
{
    for (const std::string broken :
         {"<", "<a", "<a href", "<a href=", "<a href=\"x", "<a href='x' ", "<!--", "<!-- x", "<script>", "</", "</a",
          "< a href=x>", "<a = href=x>", "<a href=x/>t", "<<<>>>", "<a href=\"x\"\"y\">"}) {
        EXPECT_NO_THROW(scan_html(broken)) << broken;
    }
    EXPECT_EQ(scan_html("<a href=\"x").at(0).value("href"), "x");
    EXPECT_EQ(scan_html("< a href=x>").size(), 0u);
    EXPECT_EQ(scan_html("<a = href=x>").at(0).value("href"), "x");
    EXPECT_EQ(scan_html("<a href=x/>t").at(0).value("href"), "x/");
    EXPECT_EQ(scan_html("1 < 2 <a href=y>b</a>").at(0).text, "b");
}

TEST(HtmlScanTest, KeepsBaseAndMetaElements)
{
    const auto elements =
        scan_html("<head><meta name=\"pypi:repository-version\" content=\"1.1\"><base href=\"/b/\"></head>");
    ASSERT_EQ(elements.size(), 2u);
    EXPECT_EQ(elements[0].name, "meta");
    EXPECT_EQ(elements[0].value("content"), "1.1");
    EXPECT_EQ(elements[1].name, "base");
    EXPECT_EQ(elements[1].value("href"), "/b/");
}

// Content types ------------------------------------------------------------------------------------

struct FormatCase {
    std::string content_type;
    std::optional<PageFormat> format;
};

std::ostream& operator<<(std::ostream& out, const FormatCase& c)
{
    return out << c.content_type;
}

class PageFormatTest : public testing::TestWithParam<FormatCase> {};

TEST_P(PageFormatTest, DispatchesOnTheContentType)
{
    const auto format = page_format(GetParam().content_type);
    if (GetParam().format) {
        ASSERT_TRUE(format) << format.error().message;
        EXPECT_EQ(*format, *GetParam().format);
    } else {
        ASSERT_FALSE(format);
        EXPECT_EQ(format.error().code, ErrorCode::download);
    }
}

INSTANTIATE_TEST_SUITE_P(
    ContentTypes, PageFormatTest,
    testing::Values(FormatCase{"application/vnd.pypi.simple.v1+json", PageFormat::json},
                    FormatCase{"Application/VND.PyPI.Simple.V1+JSON", PageFormat::json},
                    FormatCase{"application/vnd.pypi.simple.v1+json; charset=utf-8", PageFormat::json},
                    FormatCase{"application/vnd.pypi.simple.latest+json", PageFormat::json},
                    FormatCase{"application/vnd.pypi.simple.v1+html", PageFormat::html},
                    FormatCase{"text/html", PageFormat::html}, FormatCase{"text/html; charset=utf-8", PageFormat::html},
                    FormatCase{"  TEXT/HTML ;charset=UTF-8", PageFormat::html},
                    FormatCase{"application/vnd.pypi.simple.v2+json", std::nullopt},
                    FormatCase{"application/json", std::nullopt}, FormatCase{"text/plain", std::nullopt},
                    FormatCase{"", std::nullopt}));

TEST(PageFormatTest, NamesTheUnsupportedType)
{
    EXPECT_EQ(page_format("application/vnd.pypi.simple.v2+json").error().message,
              "unsupported simple API media type 'application/vnd.pypi.simple.v2+json' (this client reads v1)");
    EXPECT_EQ(page_format("text/plain; charset=x").error().message,
              "unexpected content type 'text/plain; charset=x' for a simple index page (expected HTML or PEP 691 "
              "JSON)");
    EXPECT_NE(k_simple_accept.find("application/vnd.pypi.simple.v1+json"), std::string_view::npos);
}

// PEP 503 HTML pages -------------------------------------------------------------------------------

Result<ProjectPage> html(const std::string& body, const std::string& url)
{
    return parse_project_page(body, "text/html; charset=utf-8", url);
}

TEST(IndexPageTest, ReadsAPypiHtmlPage)
{
    const std::string body =
        R"(<!DOCTYPE html>
<html>
  <head>
    <meta name="pypi:repository-version" content="1.1">
    <title>Links for idna</title>
  </head>
  <body>
    <h1>Links for idna</h1>
    <a href="https://files.pythonhosted.org/packages/c2/e7/a82b05cf63a603df6e68d59ae6a68bf5064484a0718ea5033660af4b54a9/idna-3.6-py3-none-any.whl#sha256=)" +
        k_sha_a + R"(" data-requires-python="&gt;=3.5" data-dist-info-metadata="sha256=)" + k_sha_b +
        R"(" data-core-metadata="sha256=)" + k_sha_b + R"(">idna-3.6-py3-none-any.whl</a><br />
    <a href="https://files.pythonhosted.org/packages/bf/3f/ea4b9117521a1e9c50344b909be7886dd00a519552724809bb1f486986c2/idna-3.6.tar.gz#sha256=)" +
        k_sha_c + R"(" data-requires-python="&gt;=3.5" >idna-3.6.tar.gz</a><br />
    <a href="https://files.pythonhosted.org/packages/aa/bb/idna-3.0-py2.py3-none-any.whl#sha256=)" +
        k_sha_a +
        R"(" data-requires-python="&gt;=2.7, !=3.0.*" data-yanked="Contains a &lt;bug&gt; &amp; more">idna-3.0-py2.py3-none-any.whl</a><br />
    <a href="https://files.pythonhosted.org/packages/aa/bb/idna-2.9-py2.py3-none-any.whl#sha256=)" +
        k_sha_b +
        R"(" data-yanked>idna-2.9-py2.py3-none-any.whl</a><br />
    </body>
</html>
<!--SERIAL 21961925-->
)";
    const auto page = html(body, "https://pypi.org/simple/idna/");
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->files.size(), 4u);

    auto wheel = file(
        "idna-3.6-py3-none-any.whl",
        "https://files.pythonhosted.org/packages/c2/e7/a82b05cf63a603df6e68d59ae6a68bf5064484a0718ea5033660af4b54a9/"
        "idna-3.6-py3-none-any.whl");
    wheel.sha256 = k_sha_a;
    wheel.requires_python = ">=3.5";
    wheel.has_metadata = true;
    wheel.metadata_sha256 = k_sha_b;
    EXPECT_EQ(page->files[0], wheel);

    auto sdist = file(
        "idna-3.6.tar.gz",
        "https://files.pythonhosted.org/packages/bf/3f/ea4b9117521a1e9c50344b909be7886dd00a519552724809bb1f486986c2/"
        "idna-3.6.tar.gz");
    sdist.sha256 = k_sha_c;
    sdist.requires_python = ">=3.5";
    EXPECT_EQ(page->files[1], sdist);

    EXPECT_TRUE(page->files[2].yanked);
    EXPECT_EQ(page->files[2].yanked_reason, "Contains a <bug> & more");
    EXPECT_EQ(page->files[2].requires_python, ">=2.7, !=3.0.*");
    EXPECT_TRUE(page->files[3].yanked);
    EXPECT_EQ(page->files[3].yanked_reason, "");
    EXPECT_TRUE(page->name.empty());
    EXPECT_TRUE(page->versions.empty());
}

TEST(IndexPageTest, ReadsADevpiHtmlPage)
{
    const std::string body = R"(<!DOCTYPE html>
<html><head><title>root/pypi/: links for idna</title></head><body><h1>root/pypi/: links for idna</h1>

<a href="../../+f/c05/567e9c24a6b9f/idna-3.6-py3-none-any.whl#sha256=)" +
                             k_sha_a +
                             R"(" data-requires-python="&gt;=3.5">idna-3.6-py3-none-any.whl</a><br/>
<a href="../../+e/https_files.pythonhosted.org_packages_bf_3f/idna-3.6.tar.gz#sha256=)" +
                             k_sha_c +
                             R"(" data-requires-python="&gt;=3.5">idna-3.6.tar.gz</a><br/>
</body></html>)";
    const auto page = html(body, "http://127.0.0.1:3141/root/pypi/+simple/idna/");
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->files.size(), 2u);
    EXPECT_EQ(page->files[0].url, "http://127.0.0.1:3141/root/pypi/+f/c05/567e9c24a6b9f/idna-3.6-py3-none-any.whl");
    EXPECT_EQ(page->files[0].sha256, k_sha_a);
    EXPECT_EQ(page->files[0].requires_python, ">=3.5");
    EXPECT_EQ(page->files[1].url,
              "http://127.0.0.1:3141/root/pypi/+e/https_files.pythonhosted.org_packages_bf_3f/idna-3.6.tar.gz");
    EXPECT_EQ(page->files[1].filename, "idna-3.6.tar.gz");
}

TEST(IndexPageTest, ReadsAPythonHttpServerListing)
{
    const std::string body = R"(<!DOCTYPE HTML>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Directory listing for /wheels/</title>
</head>
<body>
<h1>Directory listing for /wheels/</h1>
<hr>
<ul>
<li><a href="older/">older/</a></li>
<li><a href="six-1.16.0-py2.py3-none-any.whl">six-1.16.0-py2.py3-none-any.whl</a></li>
<li><a href="torch-2.3.0%2Bcpu-cp311-cp311-linux_x86_64.whl">torch-2.3.0+cpu-cp311-cp311-linux_x86_64.whl</a></li>
<li><a href="Jinja2-3.1.4.tar.gz">Jinja2-3.1.4.tar.gz</a></li>
</ul>
<hr>
</body>
</html>
)";
    const auto page = html(body, "http://127.0.0.1:8000/wheels/");
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(
        page->files,
        (std::vector<IndexFile>{
            file("six-1.16.0-py2.py3-none-any.whl", "http://127.0.0.1:8000/wheels/six-1.16.0-py2.py3-none-any.whl"),
            file("torch-2.3.0+cpu-cp311-cp311-linux_x86_64.whl",
                 "http://127.0.0.1:8000/wheels/torch-2.3.0%2Bcpu-cp311-cp311-linux_x86_64.whl"),
            file("Jinja2-3.1.4.tar.gz", "http://127.0.0.1:8000/wheels/Jinja2-3.1.4.tar.gz")}));
}

TEST(IndexPageTest, ReadsAnArtifactoryPageWithABaseElement)
{
    const std::string body = R"(<html>
<head><meta name="pypi:repository-version" content="1.0"/><title>Links for requests</title>
<base href="https://art.example.com/artifactory/api/pypi/pypi-remote/simple/requests/"></head>
<body>
<h1>Links for requests</h1>
<a data-requires-python="&gt;=3.8" href="../../packages/packages/f9/9b/requests-2.32.3-py3-none-any.whl#sha256=)" +
                             k_sha_c + R"(" rel="internal">requests-2.32.3-py3-none-any.whl</a><br/>
<a href="/artifactory/api/pypi/pypi-remote/packages/packages/63/70/requests-2.32.3.tar.gz#sha256=)" +
                             k_sha_upper +
                             R"(" rel="internal">requests-2.32.3.tar.gz</a><br/>
<a href="//cdn.example.com/requests-2.31.0-py3-none-any.whl#md5=0123456789abcdef0123456789abcdef">requests-2.31.0-py3-none-any.whl</a>
</body>
</html>)";
    const auto page =
        html(body, "https://user:secret@art.example.com/artifactory/api/pypi/pypi-remote/simple/requests");
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->files.size(), 3u);
    EXPECT_EQ(page->files[0].url,
              "https://art.example.com/artifactory/api/pypi/pypi-remote/packages/packages/f9/9b/"
              "requests-2.32.3-py3-none-any.whl");
    EXPECT_EQ(page->files[0].requires_python, ">=3.8");
    EXPECT_EQ(
        page->files[1].url,
        "https://art.example.com/artifactory/api/pypi/pypi-remote/packages/packages/63/70/requests-2.32.3.tar.gz");
    EXPECT_EQ(page->files[1].sha256, k_sha_c);  // lowercased
    EXPECT_EQ(page->files[2].url, "https://cdn.example.com/requests-2.31.0-py3-none-any.whl");
    EXPECT_EQ(page->files[2].sha256, "");  // an md5 is no sha256
}

TEST(IndexPageTest, ResolvesARelativeBaseAgainstThePage)
{
    const auto page =
        html("<base href=\"../files/\"><a href=\"a-1.0.tar.gz\">a</a><base href=\"/ignored/\">", "https://h/simple/a/");
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->files.at(0).url, "https://h/simple/files/a-1.0.tar.gz");
}

TEST(IndexPageTest, ReadsEveryMetadataAttributeForm)
{
    const std::string body =
        "<a href=a-1-py3-none-any.whl data-core-metadata=true>1</a>"
        "<a href=b-1-py3-none-any.whl data-dist-info-metadata=\"sha256=" +
        k_sha_b +
        "\">2</a>"
        "<a href=c-1-py3-none-any.whl data-core-metadata=\"sha512=abcd\">3</a>"
        "<a href=d-1-py3-none-any.whl data-core-metadata=false>4</a>"
        "<a href=e-1-py3-none-any.whl data-core-metadata>5</a>"
        "<a href=f-1-py3-none-any.whl data-core-metadata=true data-dist-info-metadata=\"sha256=" +
        k_sha_a +
        "\">6</a>"
        "<a href=g-1-py3-none-any.whl data-gpg-sig=true>7</a>";
    const auto page = html(body, "https://h/simple/x/");
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->files.size(), 7u);
    const std::vector<bool> has = {true, true, true, false, false, true, false};
    const std::vector<std::optional<std::string>> sha = {std::nullopt, k_sha_b,      std::nullopt, std::nullopt,
                                                         std::nullopt, std::nullopt, std::nullopt};
    for (std::size_t i = 0; i < has.size(); ++i) {
        EXPECT_EQ(page->files[i].has_metadata, has[i]) << page->files[i].filename;
        EXPECT_EQ(page->files[i].metadata_sha256, sha[i]) << page->files[i].filename;
    }
}

TEST(IndexPageTest, SkipsLinksThatAreNoFiles)
{
    const auto page = html(
        "<a>no href</a><a href=\"\">empty</a><a href=\"../\">Parent</a><a href=\"sub/\">sub</a>"
        "<a href=\"?C=N;O=D\">Name</a><a href=\"x-1.0.zip#\">x</a>",
        "https://h/simple/x/");
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->files.size(), 1u);
    EXPECT_EQ(page->files[0], file("x-1.0.zip", "https://h/simple/x/x-1.0.zip"));
}

TEST(IndexPageTest, DecodesEntitiesInHrefs)
{
    const auto page =
        html("<a href=\"https://h/f/a-1.0.tar.gz?x=1&amp;y=2#sha256=" + k_sha_a + "\">a</a>", "https://h/simple/a/");
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->files.at(0).url, "https://h/f/a-1.0.tar.gz?x=1&y=2");
    EXPECT_EQ(page->files.at(0).filename, "a-1.0.tar.gz");
    EXPECT_EQ(page->files.at(0).sha256, k_sha_a);
}

TEST(IndexPageTest, RefusesANewerHtmlApi)
{
    const auto page = html("<meta name=\"pypi:repository-version\" content=\"2.0\"><a href=a.whl>a</a>",
                           "https://user:pw@h/simple/a/");
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::download);
    EXPECT_EQ(page.error().message,
              "index page https://***@h/simple/a/: unsupported simple API version '2.0' (this client reads 1.x)");
    EXPECT_TRUE(html("<meta name=\"pypi:repository-version\" content=\"1.4\"><a href=a.whl>a</a>", "https://h/"));
}

TEST(IndexPageTest, RefusesABadFragmentHash)
{
    const auto page = html("<a href=\"a-1.0.tar.gz#sha256=abc\">a</a>", "https://h/simple/a/");
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().message,
              "index page https://h/simple/a/: file a-1.0.tar.gz: sha256 'abc' is not 64 hex digits");
}

// PEP 691 JSON pages -------------------------------------------------------------------------------

Result<ProjectPage> json(const std::string& body, const std::string& url = "https://pypi.org/simple/idna/")
{
    return parse_project_page(body, "application/vnd.pypi.simple.v1+json", url);
}

TEST(IndexPageTest, ReadsAPypiJsonPage)
{
    const std::string body = R"({"meta": {"api-version": "1.1", "_last-serial": 21961925}, "name": "idna",
 "versions": ["3.0", "3.6"],
 "files": [
  {"filename": "idna-3.6-py3-none-any.whl",
   "url": "https://files.pythonhosted.org/packages/c2/e7/idna-3.6-py3-none-any.whl",
   "hashes": {"sha256": ")" + k_sha_a +
                             R"(", "blake2b_256": "ffff"}, "requires-python": ">=3.5",
   "core-metadata": {"sha256": ")" +
                             k_sha_b + R"("}, "data-dist-info-metadata": {"sha256": "x"},
   "dist-info-metadata": {"sha256": ")" +
                             k_sha_b + R"("},
   "gpg-sig": false, "yanked": false, "size": 61567, "upload-time": "2023-11-25T15:40:52.604554Z"},
  {"filename": "idna-3.6.tar.gz", "url": "https://files.pythonhosted.org/packages/bf/3f/idna-3.6.tar.gz",
   "hashes": {"sha256": ")" + k_sha_c +
                             R"("}, "requires-python": ">=3.5", "core-metadata": false,
   "yanked": false, "size": 175426},
  {"filename": "idna-3.0-py2.py3-none-any.whl", "url": "https://files.pythonhosted.org/packages/aa/bb/idna-3.0-py2.py3-none-any.whl",
   "hashes": {}, "requires-python": null, "yanked": "Contains a bug", "size": 1}
 ]})";
    const auto page = json(body);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->name, "idna");
    EXPECT_EQ(page->versions, (Strings{"3.0", "3.6"}));
    ASSERT_EQ(page->files.size(), 3u);

    auto wheel =
        file("idna-3.6-py3-none-any.whl", "https://files.pythonhosted.org/packages/c2/e7/idna-3.6-py3-none-any.whl");
    wheel.sha256 = k_sha_a;
    wheel.requires_python = ">=3.5";
    wheel.has_metadata = true;
    wheel.metadata_sha256 = k_sha_b;
    wheel.size = 61567;
    EXPECT_EQ(page->files[0], wheel);

    auto sdist = file("idna-3.6.tar.gz", "https://files.pythonhosted.org/packages/bf/3f/idna-3.6.tar.gz");
    sdist.sha256 = k_sha_c;
    sdist.requires_python = ">=3.5";
    sdist.size = 175426;
    EXPECT_EQ(page->files[1], sdist);

    auto yanked = file("idna-3.0-py2.py3-none-any.whl",
                       "https://files.pythonhosted.org/packages/aa/bb/idna-3.0-py2.py3-none-any.whl");
    yanked.yanked = true;
    yanked.yanked_reason = "Contains a bug";
    yanked.size = 1;
    EXPECT_EQ(page->files[2], yanked);
}

TEST(IndexPageTest, ReadsRelativeJsonUrlsAndFragmentHashes)
{
    const std::string body = R"({"meta": {"api-version": "1.0"}, "name": "a", "files": [
  {"filename": "a-1.0-py3-none-any.whl", "url": "../../files/a-1.0-py3-none-any.whl#sha256=)" +
                             k_sha_a +
                             R"(", "hashes": {}},
  {"filename": "a-1.0.tar.gz", "url": "/files/a-1.0.tar.gz#sha256=)" +
                             k_sha_b + R"(", "hashes": {"sha256": ")" + k_sha_c + R"("}}]})";
    const auto page = json(body, "http://127.0.0.1:8080/simple/a/");
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->files.size(), 2u);
    EXPECT_EQ(page->files[0].url, "http://127.0.0.1:8080/files/a-1.0-py3-none-any.whl");
    EXPECT_EQ(page->files[0].sha256, k_sha_a);
    // The hashes dictionary wins over a fragment.
    EXPECT_EQ(page->files[1].url, "http://127.0.0.1:8080/files/a-1.0.tar.gz");
    EXPECT_EQ(page->files[1].sha256, k_sha_c);
}

struct JsonFlagsCase {
    std::string entry_fields;
    bool yanked;
    std::string yanked_reason;
    bool has_metadata;
    std::optional<std::string> metadata_sha256;
};

std::ostream& operator<<(std::ostream& out, const JsonFlagsCase& c)
{
    return out << c.entry_fields;
}

class JsonFileFlagsTest : public testing::TestWithParam<JsonFlagsCase> {};

TEST_P(JsonFileFlagsTest, ReadsYankedAndMetadataLikePip)
{
    const std::string body = R"({"meta": {"api-version": "1.1"}, "name": "a", "files": [{"filename": "a-1.0.tar.gz",
        "url": "a-1.0.tar.gz", "hashes": {})" +
                             GetParam().entry_fields + "}]}";
    const auto page = json(body);
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->files.size(), 1u);
    EXPECT_EQ(page->files[0].yanked, GetParam().yanked);
    EXPECT_EQ(page->files[0].yanked_reason, GetParam().yanked_reason);
    EXPECT_EQ(page->files[0].has_metadata, GetParam().has_metadata);
    EXPECT_EQ(page->files[0].metadata_sha256, GetParam().metadata_sha256);
}

INSTANTIATE_TEST_SUITE_P(
    Flags, JsonFileFlagsTest,
    testing::Values(
        JsonFlagsCase{"", false, "", false, std::nullopt},
        JsonFlagsCase{R"(, "yanked": true)", true, "", false, std::nullopt},
        JsonFlagsCase{R"(, "yanked": false)", false, "", false, std::nullopt},
        JsonFlagsCase{R"(, "yanked": "broken build")", true, "broken build", false, std::nullopt},
        JsonFlagsCase{R"(, "yanked": "")", false, "", false, std::nullopt},
        JsonFlagsCase{R"(, "yanked": null)", false, "", false, std::nullopt},
        JsonFlagsCase{R"(, "core-metadata": true)", false, "", true, std::nullopt},
        JsonFlagsCase{R"(, "core-metadata": false)", false, "", false, std::nullopt},
        JsonFlagsCase{R"(, "core-metadata": {})", false, "", true, std::nullopt},
        JsonFlagsCase{R"(, "core-metadata": {"sha512": "ab"})", false, "", true, std::nullopt},
        JsonFlagsCase{R"(, "core-metadata": {"sha256": ")" + k_sha_upper + R"("})", false, "", true, k_sha_c},
        JsonFlagsCase{R"(, "dist-info-metadata": true)", false, "", true, std::nullopt},
        JsonFlagsCase{R"(, "dist-info-metadata": {"sha256": ")" + k_sha_a + R"("})", false, "", true, k_sha_a},
        // PEP 714: core-metadata wins over the old name.
        JsonFlagsCase{R"(, "core-metadata": false, "dist-info-metadata": true)", false, "", false, std::nullopt},
        JsonFlagsCase{R"(, "core-metadata": "true")", false, "", false, std::nullopt}));

struct BadJsonCase {
    std::string body;
    std::string why;
};

std::ostream& operator<<(std::ostream& out, const BadJsonCase& c)
{
    return out << c.body;
}

class BadJsonPageTest : public testing::TestWithParam<BadJsonCase> {};

TEST_P(BadJsonPageTest, FailsNamingThePage)
{
    const auto page = json(GetParam().body, "https://tok:x@idx.example/simple/a/");
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::download);
    EXPECT_EQ(page.error().message, "index page https://***@idx.example/simple/a/: " + GetParam().why);
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, BadJsonPageTest,
    testing::Values(
        BadJsonCase{"", "not a JSON object"}, BadJsonCase{"<html></html>", "not a JSON object"},
        BadJsonCase{"[1, 2]", "not a JSON object"},
        BadJsonCase{R"({"meta": {"api-version": "1.0"}, "files": [)", "not a JSON object"},
        BadJsonCase{R"({"files": []})", "no meta.api-version"},
        BadJsonCase{R"({"meta": {}, "files": []})", "no meta.api-version"},
        BadJsonCase{R"({"meta": {"api-version": 1.0}, "files": []})", "no meta.api-version"},
        BadJsonCase{R"({"meta": {"api-version": "2.0"}, "files": []})",
                    "unsupported simple API version '2.0' (this client reads 1.x)"},
        BadJsonCase{R"({"meta": {"api-version": "10.1"}, "files": []})",
                    "unsupported simple API version '10.1' (this client reads 1.x)"},
        BadJsonCase{R"({"meta": {"api-version": "1."}, "files": []})",
                    "unsupported simple API version '1.' (this client reads 1.x)"},
        BadJsonCase{R"({"meta": {"api-version": "1.0"}})", "no files array"},
        BadJsonCase{R"({"meta": {"api-version": "1.0"}, "files": {}})", "no files array"},
        BadJsonCase{R"({"meta": {"api-version": "1.0"}, "files": [1]})", "a files entry is not an object"},
        BadJsonCase{R"({"meta": {"api-version": "1.0"}, "files": [{"url": "a"}]})", "a files entry has no filename"},
        BadJsonCase{R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "", "url": "a"}]})",
                    "a files entry has no filename"},
        BadJsonCase{R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "a.whl", "hashes": {}}]})",
                    "file a.whl: no url"},
        BadJsonCase{
            R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "a.whl", "url": "a.whl", "hashes": {"sha256": "zz"}}]})",
            "file a.whl: sha256 'zz' is not 64 hex digits"},
        BadJsonCase{R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "a.whl", "url": "a.whl", "hashes": {},
                        "core-metadata": {"sha256": "12"}}]})",
                    "file a.whl: sha256 '12' is not 64 hex digits"}));

TEST(IndexPageTest, AcceptsEveryApi1MinorVersion)
{
    for (const std::string version : {"1", "1.0", "1.1", "1.4", "1.99"}) {
        const auto page = json(R"({"meta": {"api-version": ")" + version + R"("}, "files": []})");
        EXPECT_TRUE(page) << version << ": " << page.error().message;
    }
}

TEST(IndexPageTest, RefusesAnUnknownContentType)
{
    const auto page = parse_project_page("{}", "application/octet-stream", "https://h/simple/a/");
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().message,
              "index page https://h/simple/a/: unexpected content type 'application/octet-stream' for a simple index "
              "page (expected HTML or PEP 691 JSON)");
}

// Root pages ---------------------------------------------------------------------------------------

TEST(IndexPageTest, ReadsARootHtmlPage)
{
    const std::string body = R"(<!DOCTYPE html>
<html>
  <head>
    <meta name="pypi:repository-version" content="1.1">
    <title>Simple index</title>
  </head>
  <body>
    <a href="/simple/0/">0</a>
    <a href="/simple/zope-interface/">zope.interface</a>
    <a href="/simple/pydantic-core/">
      pydantic_core
    </a>
    <a href="/simple/at-t/">AT&amp;T</a>
    <a>no href</a>
    <a href="/simple/empty/"></a>
  </body>
</html>)";
    const auto names = parse_root_page(body, "text/html", "https://pypi.org/simple/");
    ASSERT_TRUE(names) << names.error().message;
    EXPECT_EQ(*names, (Strings{"0", "zope.interface", "pydantic_core", "AT&T"}));
}

TEST(IndexPageTest, ReadsARootJsonPage)
{
    const auto names = parse_root_page(
        R"({"meta": {"_last-serial": 1, "api-version": "1.0"}, "projects": [{"name": "Frob"}, {"name": "spamspamspam", "_x": 1}]})",
        "application/vnd.pypi.simple.v1+json", "https://pypi.org/simple/");
    ASSERT_TRUE(names) << names.error().message;
    EXPECT_EQ(*names, (Strings{"Frob", "spamspamspam"}));
}

TEST(IndexPageTest, RefusesBrokenRootPages)
{
    const std::string url = "https://pypi.org/simple/";
    EXPECT_EQ(parse_root_json(R"({"meta": {"api-version": "1.0"}})", url).error().message,
              "index page https://pypi.org/simple/: no projects array");
    EXPECT_EQ(parse_root_json(R"({"meta": {"api-version": "1.0"}, "projects": [{"nom": "x"}]})", url).error().message,
              "index page https://pypi.org/simple/: a projects entry has no name");
    EXPECT_EQ(parse_root_json(R"({"meta": {"api-version": "3.0"}, "projects": []})", url).error().message,
              "index page https://pypi.org/simple/: unsupported simple API version '3.0' (this client reads 1.x)");
    EXPECT_EQ(parse_root_html(R"(<meta name="pypi:repository-version" content="2">)", url).error().message,
              "index page https://pypi.org/simple/: unsupported simple API version '2' (this client reads 1.x)");
    EXPECT_EQ(parse_root_page("", "text/plain", url).error().code, ErrorCode::download);
}

}  // namespace
}  // namespace gapbundle::sources::pypi
