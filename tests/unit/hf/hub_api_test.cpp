#include <gapbundle/sources/hf/hub_api.hpp>

#include <gtest/gtest.h>

namespace gapbundle::sources::hf {
namespace {

const std::string k_commit = "0123456789abcdef0123456789abcdef01234567";
const std::string k_blob1 = "d7edf6bd2a681fb0175f7735299831ee1b22b812";
const std::string k_blob2 = "7c5d6f5f8e3b2a1c0d9e8f7a6b5c4d3e2f1a0b9c";
const std::string k_sha256 = "403450e234d65943a7dcf7e05a771ce3c92faa84dd07db4ac20f592037a1e4bd";
const RepoId k_model{.type = RepoType::model, .id = "org/name"};
const RepoId k_dataset{.type = RepoType::dataset, .id = "org/data"};

std::string revision_info(const std::string& siblings, const std::string& sha = k_commit)
{
    return R"({"_id":"x","id":"org/name","private":false,"gated":false,"sha":")" + sha +
           R"(","lastModified":"2024-01-01T00:00:00.000Z","siblings":[)" + siblings + "]}";
}

std::string error_of(const Result<RepoListing>& listing)
{
    EXPECT_FALSE(listing);
    if (listing) return {};
    EXPECT_EQ(listing.error().code, ErrorCode::download);
    return listing.error().message;
}

std::string error_of(const Result<std::vector<RepoFile>>& files)
{
    EXPECT_FALSE(files);
    if (files) return {};
    EXPECT_EQ(files.error().code, ErrorCode::download);
    return files.error().message;
}

TEST(HubUrlsTest, BuildsApiAndResolveUrls)
{
    EXPECT_EQ(revision_info_url("https://huggingface.co", k_model, "main"),
              "https://huggingface.co/api/models/org/name/revision/main?blobs=true");
    EXPECT_EQ(revision_info_url("http://mirror", k_dataset, "refs/pr/1"),
              "http://mirror/api/datasets/org/data/revision/refs%2Fpr%2F1?blobs=true");
    EXPECT_EQ(tree_url("https://huggingface.co", k_model, k_commit),
              "https://huggingface.co/api/models/org/name/tree/" + k_commit + "?recursive=true&expand=false");
    EXPECT_EQ(resolve_url("https://huggingface.co", k_model, k_commit, "onnx/model v2.onnx"),
              "https://huggingface.co/org/name/resolve/" + k_commit + "/onnx/model%20v2.onnx");
    EXPECT_EQ(resolve_url("https://huggingface.co", k_dataset, "refs/convert/parquet", "a#b"),
              "https://huggingface.co/datasets/org/data/resolve/refs%2Fconvert%2Fparquet/a%23b");
}

TEST(RevisionInfoTest, ParsesSiblingsWithBlobs)
{
    auto listing = parse_revision_info(
        k_model,
        revision_info(R"({"rfilename":"config.json","size":665,"blobId":")" + k_blob1 + R"("},
            {"rfilename":"onnx/model.safetensors","size":548105171,"blobId":")" +
                      k_blob2 + R"(","lfs":{"sha256":")" + k_sha256 + R"(","size":548105171,"pointerSize":135}})"));
    ASSERT_TRUE(listing) << listing.error().message;
    EXPECT_EQ(listing->commit, k_commit);
    ASSERT_EQ(listing->files.size(), 2u);
    EXPECT_EQ(listing->files[0],
              (RepoFile{.path = "config.json", .size = 665, .git_blob_id = k_blob1, .lfs_sha256 = std::nullopt}));
    EXPECT_EQ(
        listing->files[1],
        (RepoFile{
            .path = "onnx/model.safetensors", .size = 548105171, .git_blob_id = k_blob2, .lfs_sha256 = k_sha256}));
}

TEST(RevisionInfoTest, AcceptsAnEmptyRepoAndNullLfs)
{
    auto empty = parse_revision_info(k_model, revision_info(""));
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->files.empty());
    auto null_lfs = parse_revision_info(
        k_model, revision_info(R"({"rfilename":"a","size":1,"blobId":")" + k_blob1 + R"(","lfs":null})"));
    ASSERT_TRUE(null_lfs) << null_lfs.error().message;
    EXPECT_FALSE(null_lfs->files[0].lfs_sha256);
}

TEST(RevisionInfoTest, RefusesMissingOrBadFields)
{
    const std::string p = "repo 'org/name': revision info: ";
    EXPECT_EQ(error_of(parse_revision_info(k_model, "{")), p + "body: not valid JSON");
    EXPECT_EQ(error_of(parse_revision_info(k_model, "[]")), p + "body: not a JSON object");
    EXPECT_EQ(error_of(parse_revision_info(k_model, R"({"sha":")" + k_commit + R"(","siblings":[]})")),
              p + "body: no 'id'");
    EXPECT_EQ(error_of(parse_revision_info(k_model, R"({"id":"org/name","siblings":[]})")), p + "body: no 'sha'");
    EXPECT_EQ(error_of(parse_revision_info(k_model, R"({"id":"org/name","sha":")" + k_commit + R"("})")),
              p + "body: no 'siblings'");
    EXPECT_EQ(error_of(parse_revision_info(k_model, revision_info("", "main"))),
              "repo 'org/name': listing: commit: not 40 lowercase hex digits: \"main\"");
    EXPECT_EQ(error_of(parse_revision_info(k_model, revision_info(R"({"rfilename":"a"})"))),
              p + "siblings[0] ('a'): no 'size'");
    EXPECT_EQ(error_of(parse_revision_info(k_model, revision_info(R"({"rfilename":"a","size":1})"))),
              p + "siblings[0] ('a'): no 'blobId'");
    EXPECT_EQ(error_of(parse_revision_info(
                  k_model, revision_info(R"({"rfilename":"a","size":-1,"blobId":")" + k_blob1 + "\"}"))),
              p + "siblings[0] ('a'): 'size' is not a byte count: -1");
    EXPECT_EQ(error_of(parse_revision_info(
                  k_model, revision_info(R"({"rfilename":"a","size":1.5,"blobId":")" + k_blob1 + "\"}"))),
              p + "siblings[0] ('a'): 'size' is not a byte count: 1.5");
    EXPECT_EQ(error_of(parse_revision_info(k_model, revision_info(R"({"rfilename":"a","size":1,"blobId":"ABC"})"))),
              p + "siblings[0] ('a'): 'blobId' is not 40 lowercase hex digits: \"ABC\"");
    EXPECT_EQ(error_of(parse_revision_info(k_model, revision_info(R"({"rfilename":7})"))),
              p + "siblings[0]: 'rfilename' is not a string: 7");
    EXPECT_EQ(error_of(parse_revision_info(k_model, revision_info("3"))), p + "siblings[0]: not an object");
}

TEST(RevisionInfoTest, RefusesBadLfsFields)
{
    const std::string p = "repo 'org/name': revision info: siblings[0] ('m').lfs: ";
    const auto with_lfs = [](const std::string& lfs) {
        return revision_info(R"({"rfilename":"m","size":10,"blobId":")" + k_blob1 + R"(","lfs":)" + lfs + "}");
    };
    EXPECT_EQ(error_of(parse_revision_info(k_model, with_lfs(R"({"size":10})"))), p + "no 'sha256'");
    EXPECT_EQ(
        error_of(parse_revision_info(k_model, with_lfs(R"({"sha256":")" + k_sha256.substr(1) + R"(","size":10})"))),
        p + "'sha256' is not 64 lowercase hex digits: \"" + k_sha256.substr(1) + "\"");
    EXPECT_EQ(error_of(parse_revision_info(k_model, with_lfs(R"({"sha256":")" + k_sha256 + R"("})"))), p + "no 'size'");
    EXPECT_EQ(error_of(parse_revision_info(k_model, with_lfs(R"({"sha256":")" + k_sha256 + R"(","size":11})"))),
              p + "size 11 differs from the file's 10");
    EXPECT_EQ(error_of(parse_revision_info(k_model, with_lfs("\"x\""))),
              "repo 'org/name': revision info: siblings[0] ('m'): 'lfs' is not an object: \"x\"");
}

TEST(RevisionInfoTest, RefusesUnsafePaths)
{
    const std::string p = "repo 'org/name': revision info: siblings[0]: unsafe path ";
    const auto named = [](const std::string& path) {
        return revision_info(R"({"rfilename":")" + path + R"(","size":1,"blobId":")" + k_blob1 + "\"}");
    };
    EXPECT_EQ(error_of(parse_revision_info(k_model, named("../etc/passwd"))),
              p + "'../etc/passwd': '.' or '..' component");
    EXPECT_EQ(error_of(parse_revision_info(k_model, named("/abs"))), p + "'/abs': absolute");
    EXPECT_EQ(error_of(parse_revision_info(k_model, named("a//b"))), p + "'a//b': empty component");
    EXPECT_EQ(error_of(parse_revision_info(k_model, named("a\\\\b"))), p + "'a\\b': backslash");
    EXPECT_EQ(error_of(parse_revision_info(k_model, named(""))), p + "'': empty");
    EXPECT_EQ(error_of(parse_revision_info(k_model, named("a/./b"))), p + "'a/./b': '.' or '..' component");
}

TEST(RevisionInfoTest, RefusesDuplicatesAndFileFolderClashes)
{
    const auto file = [](const std::string& path) {
        return R"({"rfilename":")" + path + R"(","size":1,"blobId":")" + k_blob1 + "\"}";
    };
    EXPECT_EQ(error_of(parse_revision_info(k_model, revision_info(file("a.txt") + "," + file("a.txt")))),
              "repo 'org/name': listing: 'a.txt': listed twice");
    EXPECT_EQ(
        error_of(parse_revision_info(k_model, revision_info(file("a/b/c") + "," + file("a.txt") + "," + file("a/b")))),
        "repo 'org/name': listing: 'a/b/c': 'a/b' is also listed as a file");
    auto fine = parse_revision_info(k_model, revision_info(file("a/b") + "," + file("a.b") + "," + file("a-b/c")));
    EXPECT_TRUE(fine) << fine.error().message;
}

TEST(TreePageTest, ParsesFilesAndSkipsDirectories)
{
    auto files = parse_tree_page(k_model, R"([
        {"type":"file","oid":")" + k_blob1 + R"(","size":665,"path":"config.json"},
        {"type":"directory","oid":")" + k_blob2 +
                                              R"(","size":0,"path":"onnx"},
        {"type":"file","oid":")" + k_blob2 + R"(","size":548105171,"path":"onnx/model.onnx",
         "lfs":{"oid":")" + k_sha256 + R"(","size":548105171,"pointerSize":135},"xetHash":"abc"}])");
    ASSERT_TRUE(files) << files.error().message;
    ASSERT_EQ(files->size(), 2u);
    EXPECT_EQ((*files)[0],
              (RepoFile{.path = "config.json", .size = 665, .git_blob_id = k_blob1, .lfs_sha256 = std::nullopt}));
    EXPECT_EQ((*files)[1],
              (RepoFile{.path = "onnx/model.onnx", .size = 548105171, .git_blob_id = k_blob2, .lfs_sha256 = k_sha256}));
}

TEST(TreePageTest, RefusesBadEntries)
{
    const std::string p = "repo 'org/name': tree: ";
    EXPECT_EQ(error_of(parse_tree_page(k_model, "{}")), p + "body: not a JSON array");
    EXPECT_EQ(error_of(parse_tree_page(k_model, R"([{"path":"a"}])")), p + "entry 0: no 'type'");
    EXPECT_EQ(error_of(parse_tree_page(k_model, R"([{"type":"submodule","path":"a"}])")),
              p + "entry 0: unknown type \"submodule\"");
    EXPECT_EQ(error_of(parse_tree_page(k_model, R"([{"type":"directory","path":"../a"}])")),
              p + "entry 0: unsafe path '../a': '.' or '..' component");
    EXPECT_EQ(error_of(parse_tree_page(k_model, R"([{"type":"file","path":"a","size":1,"oid":"xyz"}])")),
              p + "entry 0 ('a'): 'oid' is not 40 lowercase hex digits: \"xyz\"");
    // The tree names the LFS sha256 "oid", not "sha256".
    EXPECT_EQ(error_of(parse_tree_page(k_model, R"([{"type":"file","path":"a","size":1,"oid":")" + k_blob1 +
                                                    R"(","lfs":{"sha256":")" + k_sha256 + R"(","size":1}}])")),
              p + "entry 0 ('a').lfs: no 'oid'");
}

TEST(TreePageTest, PagesMakeOneListing)
{
    auto first = parse_tree_page(k_model, R"([{"type":"file","oid":")" + k_blob1 + R"(","size":1,"path":"a"}])");
    auto second = parse_tree_page(k_model, R"([{"type":"file","oid":")" + k_blob2 + R"(","size":2,"path":"b/c"}])");
    ASSERT_TRUE(first && second);
    std::vector<RepoFile> files = *first;
    files.insert(files.end(), second->begin(), second->end());
    auto listing = make_listing(k_model, k_commit, files);
    ASSERT_TRUE(listing) << listing.error().message;
    EXPECT_EQ(listing->commit, k_commit);
    EXPECT_EQ(listing->files.size(), 2u);
    files.push_back(files.front());
    EXPECT_EQ(error_of(make_listing(k_model, k_commit, files)), "repo 'org/name': listing: 'a': listed twice");
    EXPECT_EQ(error_of(make_listing(k_model, std::string(40, 'G'), {})),
              "repo 'org/name': listing: commit: not 40 lowercase hex digits: \"" + std::string(40, 'G') + "\"");
}

std::optional<std::string> next_of(std::string_view header)
{
    auto next = next_page_url(k_model, header);
    EXPECT_TRUE(next) << next.error().message;
    if (!next) return std::nullopt;
    return *next;
}

TEST(LinkHeaderTest, FindsTheNextPage)
{
    EXPECT_EQ(
        next_of(R"(<https://huggingface.co/api/models/org/name/tree/main?recursive=true&cursor=abc>; rel="next")"),
        "https://huggingface.co/api/models/org/name/tree/main?recursive=true&cursor=abc");
    EXPECT_EQ(next_of(R"(<https://h/p?a=1>; rel="prev", <https://h/p?a=3>; rel="next")"), "https://h/p?a=3");
    EXPECT_EQ(next_of(R"(<https://h/n>;rel=next,<https://h/l>; rel="last")"), "https://h/n");
    EXPECT_EQ(next_of(R"(<https://h/a,b>; rel="next")"), "https://h/a,b");  // a comma not before '<' stays in the URL
}

TEST(LinkHeaderTest, NoNextPage)
{
    EXPECT_EQ(next_of(""), std::nullopt);
    EXPECT_EQ(next_of(R"(<https://h/p>; rel="prev")"), std::nullopt);
    EXPECT_EQ(next_of(R"(<https://h/p>; rel="next last")"), std::nullopt);  // httpx keys links by the whole rel
    EXPECT_EQ(next_of(R"(<https://h/p>)"), std::nullopt);
}

TEST(LinkHeaderTest, RefusesRelativeOrOtherSchemes)
{
    auto relative = next_page_url(k_model, R"(</api/models/org/name/tree/main?cursor=x>; rel="next")");
    ASSERT_FALSE(relative);
    EXPECT_EQ(relative.error().code, ErrorCode::download);
    EXPECT_EQ(relative.error().message,
              "repo 'org/name': tree: Link header: the next page is not an absolute http(s) "
              "URL: '/api/models/org/name/tree/main?cursor=x'");
    EXPECT_FALSE(next_page_url(k_model, R"(<file:///etc/passwd>; rel="next")"));
}

}  // namespace
}  // namespace gapbundle::sources::hf
