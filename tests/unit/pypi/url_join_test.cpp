#include "../../../src/sources/pypi/url_join.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace gapbundle::sources::pypi {
namespace {

struct JoinCase {
    std::string base;
    std::string reference;
    std::string expected;
};

std::ostream& operator<<(std::ostream& out, const JoinCase& c)
{
    return out << "resolve_url(" << c.base << ", " << c.reference << ")";
}

class ResolveUrlTest : public testing::TestWithParam<JoinCase> {};

TEST_P(ResolveUrlTest, ResolvesAsRfc3986)
{
    EXPECT_EQ(resolve_url(GetParam().base, GetParam().reference), GetParam().expected);
}

constexpr const char* k_rfc_base = "http://a/b/c/d;p?q";

// RFC 3986 section 5.4.1, every normal example.
INSTANTIATE_TEST_SUITE_P(
    Rfc3986Normal, ResolveUrlTest,
    testing::Values(JoinCase{k_rfc_base, "g:h", "g:h"}, JoinCase{k_rfc_base, "g", "http://a/b/c/g"},
                    JoinCase{k_rfc_base, "./g", "http://a/b/c/g"}, JoinCase{k_rfc_base, "g/", "http://a/b/c/g/"},
                    JoinCase{k_rfc_base, "/g", "http://a/g"}, JoinCase{k_rfc_base, "//g", "http://g"},
                    JoinCase{k_rfc_base, "?y", "http://a/b/c/d;p?y"}, JoinCase{k_rfc_base, "g?y", "http://a/b/c/g?y"},
                    JoinCase{k_rfc_base, "#s", "http://a/b/c/d;p?q#s"}, JoinCase{k_rfc_base, "g#s", "http://a/b/c/g#s"},
                    JoinCase{k_rfc_base, "g?y#s", "http://a/b/c/g?y#s"}, JoinCase{k_rfc_base, ";x", "http://a/b/c/;x"},
                    JoinCase{k_rfc_base, "g;x", "http://a/b/c/g;x"},
                    JoinCase{k_rfc_base, "g;x?y#s", "http://a/b/c/g;x?y#s"},
                    JoinCase{k_rfc_base, "", "http://a/b/c/d;p?q"}, JoinCase{k_rfc_base, ".", "http://a/b/c/"},
                    JoinCase{k_rfc_base, "./", "http://a/b/c/"}, JoinCase{k_rfc_base, "..", "http://a/b/"},
                    JoinCase{k_rfc_base, "../", "http://a/b/"}, JoinCase{k_rfc_base, "../g", "http://a/b/g"},
                    JoinCase{k_rfc_base, "../..", "http://a/"}, JoinCase{k_rfc_base, "../../", "http://a/"},
                    JoinCase{k_rfc_base, "../../g", "http://a/g"}));

// RFC 3986 section 5.4.2, the abnormal examples (strict parser).
INSTANTIATE_TEST_SUITE_P(
    Rfc3986Abnormal, ResolveUrlTest,
    testing::Values(
        JoinCase{k_rfc_base, "../../../g", "http://a/g"}, JoinCase{k_rfc_base, "../../../../g", "http://a/g"},
        JoinCase{k_rfc_base, "/./g", "http://a/g"}, JoinCase{k_rfc_base, "/../g", "http://a/g"},
        JoinCase{k_rfc_base, "g.", "http://a/b/c/g."}, JoinCase{k_rfc_base, ".g", "http://a/b/c/.g"},
        JoinCase{k_rfc_base, "g..", "http://a/b/c/g.."}, JoinCase{k_rfc_base, "..g", "http://a/b/c/..g"},
        JoinCase{k_rfc_base, "./../g", "http://a/b/g"}, JoinCase{k_rfc_base, "./g/.", "http://a/b/c/g/"},
        JoinCase{k_rfc_base, "g/./h", "http://a/b/c/g/h"}, JoinCase{k_rfc_base, "g/../h", "http://a/b/c/h"},
        JoinCase{k_rfc_base, "g;x=1/./y", "http://a/b/c/g;x=1/y"}, JoinCase{k_rfc_base, "g;x=1/../y", "http://a/b/c/y"},
        JoinCase{k_rfc_base, "g?y/./x", "http://a/b/c/g?y/./x"},
        JoinCase{k_rfc_base, "g?y/../x", "http://a/b/c/g?y/../x"},
        JoinCase{k_rfc_base, "g#s/./x", "http://a/b/c/g#s/./x"},
        JoinCase{k_rfc_base, "g#s/../x", "http://a/b/c/g#s/../x"}, JoinCase{k_rfc_base, "http:g", "http:g"}));

// What package indexes put in their links.
INSTANTIATE_TEST_SUITE_P(
    IndexLinks, ResolveUrlTest,
    testing::Values(
        // PyPI: absolute file URLs on another host.
        JoinCase{
            "https://pypi.org/simple/numpy/",
            "https://files.pythonhosted.org/packages/ab/cd/numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl#sha256=0",
            "https://files.pythonhosted.org/packages/ab/cd/numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl#sha256=0"},
        // devpi and pypiserver: relative to the project page.
        JoinCase{"http://127.0.0.1:3141/root/pypi/+simple/idna/", "../../+f/0ab/idna-3.7-py3-none-any.whl#sha256=1",
                 "http://127.0.0.1:3141/root/pypi/+f/0ab/idna-3.7-py3-none-any.whl#sha256=1"},
        JoinCase{"http://localhost:8080/simple/six/", "../../packages/six-1.16.0-py2.py3-none-any.whl",
                 "http://localhost:8080/packages/six-1.16.0-py2.py3-none-any.whl"},
        // python -m http.server: bare file names next to the listing.
        JoinCase{"http://127.0.0.1:8000/wheels/", "six-1.16.0-py2.py3-none-any.whl",
                 "http://127.0.0.1:8000/wheels/six-1.16.0-py2.py3-none-any.whl"},
        JoinCase{"http://127.0.0.1:8000/wheels/index.html", "six-1.16.0.tar.gz",
                 "http://127.0.0.1:8000/wheels/six-1.16.0.tar.gz"},
        JoinCase{"http://127.0.0.1:8000/wheels", "six.whl", "http://127.0.0.1:8000/six.whl"},
        JoinCase{"http://127.0.0.1:8000", "six.whl", "http://127.0.0.1:8000/six.whl"},
        // Artifactory: absolute paths on the same host, scheme-relative links to a CDN.
        JoinCase{"https://art.example.com/artifactory/api/pypi/pypi-remote/simple/requests/",
                 "/artifactory/api/pypi/pypi-remote/packages/requests-2.32.3.tar.gz#sha256=2",
                 "https://art.example.com/artifactory/api/pypi/pypi-remote/packages/requests-2.32.3.tar.gz#sha256=2"},
        JoinCase{"https://art.example.com/simple/x/", "//cdn.example.com/x-1.0.whl",
                 "https://cdn.example.com/x-1.0.whl"},
        JoinCase{"http://art.example.com/simple/x/", "//cdn.example.com/x-1.0.whl", "http://cdn.example.com/x-1.0.whl"},
        // Ports, user info, queries and percent escapes pass through as written.
        JoinCase{"https://user:tok@host:8443/simple/a/", "a-1.0.whl", "https://user:tok@host:8443/simple/a/a-1.0.whl"},
        JoinCase{"https://host/simple/a/?page=2", "a-1.0.whl?token=x", "https://host/simple/a/a-1.0.whl?token=x"},
        JoinCase{"https://host/simple/torch/", "torch-2.3.0%2Bcpu-cp311-cp311-linux_x86_64.whl",
                 "https://host/simple/torch/torch-2.3.0%2Bcpu-cp311-cp311-linux_x86_64.whl"},
        JoinCase{"https://host/simple/a/", "?x=1", "https://host/simple/a/?x=1"},
        JoinCase{"https://host/simple/a/", "#frag", "https://host/simple/a/#frag"},
        JoinCase{"https://host/simple/a/#old", "#new", "https://host/simple/a/#new"},
        JoinCase{"https://host/simple/a/#old", "", "https://host/simple/a/"},
        JoinCase{"https://host/simple/a/", "./././a.whl", "https://host/simple/a/a.whl"},
        JoinCase{"https://host/simple/a/", "../../../../../etc/a.whl", "https://host/etc/a.whl"},
        JoinCase{"https://host/simple/a/", "b/../c/./d.whl", "https://host/simple/a/c/d.whl"},
        JoinCase{"https://host/simple/a/", "HTTPS://Other/x.whl", "HTTPS://Other/x.whl"},
        JoinCase{"https://host/simple/a/", "file:///srv/x.whl", "file:///srv/x.whl"},
        JoinCase{"https://host/simple/a/", "https://other/p/../q/./x.whl", "https://other/q/x.whl"}));

TEST(UrlJoinTest, StripsTheFragmentOnly)
{
    EXPECT_EQ(strip_fragment("https://h/p/a.whl?x=1#sha256=ab"), "https://h/p/a.whl?x=1");
    EXPECT_EQ(strip_fragment("https://h/p/a.whl"), "https://h/p/a.whl");
    EXPECT_EQ(strip_fragment("#only"), "");
}

TEST(UrlJoinTest, TakesTheLastPathSegmentDecoded)
{
    EXPECT_EQ(last_path_segment("https://h/p/torch-2.3.0%2Bcpu-cp311-cp311-linux_x86_64.whl?x=/y#z/w"),
              "torch-2.3.0+cpu-cp311-cp311-linux_x86_64.whl");
    EXPECT_EQ(last_path_segment("https://h/p/dir/"), "");
    EXPECT_EQ(last_path_segment("https://h"), "");
    EXPECT_EQ(last_path_segment("a.whl"), "a.whl");
    EXPECT_EQ(last_path_segment("https://h/a%20b.tar.gz"), "a b.tar.gz");
}

TEST(UrlJoinTest, DecodesPercentEscapesAndKeepsMalformedOnes)
{
    EXPECT_EQ(percent_decode("a%2Bb%2bc"), "a+b+c");
    EXPECT_EQ(percent_decode("100%"), "100%");
    EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
    EXPECT_EQ(percent_decode("%41%42"), "AB");
    EXPECT_EQ(percent_decode(""), "");
}

}  // namespace
}  // namespace gapbundle::sources::pypi
