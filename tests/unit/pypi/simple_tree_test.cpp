#include "../../../src/sources/pypi/simple_tree.hpp"

#include <gapbundle/sources/pypi/index_page.hpp>

#include <gtest/gtest.h>

namespace gapbundle::sources::pypi {
namespace {

const std::string k_a(64, 'a');
const std::string k_b(64, 'b');

std::vector<CarriedFile> sample()
{
    return {
        CarriedFile{"zlib-ng", "1.0", "zlib_ng-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", k_b, ""},
        CarriedFile{"attrs", "23.1.0", "attrs-23.1.0-py3-none-any.whl", k_a, ">=3.7,<4"},
        CarriedFile{"odd", "1.0+local", "odd-1.0+local.tar.gz", k_b, ""},
    };
}

TEST(SimpleTree, PagesParseBackToTheFiles)
{
    const auto documents = simple_tree(sample());
    ASSERT_EQ(documents.size(), 4u);
    EXPECT_EQ(documents[0].bundle_path, "pypi/simple/attrs/index.html");
    EXPECT_EQ(documents[1].bundle_path, "pypi/simple/index.html");
    EXPECT_EQ(documents[2].bundle_path, "pypi/simple/odd/index.html");
    EXPECT_EQ(documents[3].bundle_path, "pypi/simple/zlib-ng/index.html");

    auto root = parse_root_html(documents[1].content, "file:///b/pypi/simple/");
    ASSERT_TRUE(root) << root.error().message;
    EXPECT_EQ(*root, (std::vector<std::string>{"attrs", "odd", "zlib-ng"}));

    auto attrs = parse_project_html(documents[0].content, "file:///b/pypi/simple/attrs/");
    ASSERT_TRUE(attrs) << attrs.error().message;
    ASSERT_EQ(attrs->files.size(), 1u);
    EXPECT_EQ(attrs->files[0].filename, "attrs-23.1.0-py3-none-any.whl");
    EXPECT_EQ(attrs->files[0].url, "file:///b/pypi/files/attrs-23.1.0-py3-none-any.whl");
    EXPECT_EQ(attrs->files[0].sha256, k_a);
    EXPECT_EQ(attrs->files[0].requires_python, ">=3.7,<4");
    EXPECT_NE(documents[0].content.find("data-requires-python=\"&gt;=3.7,&lt;4\""), std::string::npos);

    auto odd = parse_project_html(documents[2].content, "file:///b/pypi/simple/odd/");
    ASSERT_TRUE(odd) << odd.error().message;
    ASSERT_EQ(odd->files.size(), 1u);
    EXPECT_EQ(odd->files[0].filename, "odd-1.0+local.tar.gz");
    EXPECT_NE(documents[2].content.find("odd-1.0%2Blocal.tar.gz#sha256="), std::string::npos);
}

TEST(SimpleTree, RequirementsLockPinsEveryFileByHash)
{
    std::vector<CarriedFile> files = sample();
    files.push_back(CarriedFile{"attrs", "23.1.0", "attrs-23.1.0.tar.gz", k_b, ""});
    EXPECT_EQ(requirements_lock(files, "# header\n"),
              "# header\n"
              "attrs==23.1.0 \\\n    --hash=sha256:" + k_a + " \\\n    --hash=sha256:" + k_b + "\n"
              "odd==1.0+local \\\n    --hash=sha256:" + k_b + "\n"
              "zlib-ng==1.0 \\\n    --hash=sha256:" + k_b + "\n");
    EXPECT_EQ(requirements_lock({}, "# header\n"), "# header\n");
}

}  // namespace
}  // namespace gapbundle::sources::pypi
