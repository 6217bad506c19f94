#include <gapbundle/sources/files.hpp>

#include <gapbundle/crypto/sha256.hpp>

#include "support/http_test_server.hpp"
#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace gapbundle::sources {
namespace {

namespace stdfs = std::filesystem;
using gapbundle::testing::write_text;
using manifest::LockedArtifact;

class FilesSourceTest : public gapbundle::testing::TestDirFixture {
protected:
    void SetUp() override
    {
        TestDirFixture::SetUp();
        auto store = store::Store::open(dir() / "cache");
        ASSERT_TRUE(store) << store.error().message;
        m_store.emplace(std::move(*store));
    }

    // Writes m.yaml with `entries` under files: and resolves it.
    Result<std::vector<LockedArtifact>> resolve(const std::string& entries)
    {
        write_text(manifest_file(), "apiVersion: gapbundle/v1\nname: t\nfiles:\n" + entries);
        auto m = manifest::load_manifest(manifest_file());
        if (!m) return std::unexpected(m.error());
        ResolveContext context{*m, m_http, *m_store};
        auto resolved = make_files_kind()->resolve(context);
        if (!resolved) return std::unexpected(resolved.error());
        return std::move(resolved->artifacts);
    }

    [[nodiscard]] stdfs::path manifest_file() const { return dir() / "m.yaml"; }
    [[nodiscard]] std::string where(int line, int column) const
    {
        return manifest_file().string() + ":" + std::to_string(line) + ":" + std::to_string(column);
    }
    store::Store& store() { return *m_store; }

    gapbundle::testing::HttpTestServer m_server;

private:
    net::CurlGlobal m_curl;
    static net::EngineOptions engine_options()
    {
        net::EngineOptions options;
        options.max_attempts = 2;
        options.backoff_initial = std::chrono::milliseconds(10);
        return options;
    }
    std::optional<store::Store> m_store;

protected:
    net::HttpEngine m_http{engine_options()};
};

std::vector<std::string> paths_of(const std::vector<LockedArtifact>& artifacts)
{
    std::vector<std::string> out;
    for (const auto& a : artifacts) out.push_back(a.bundle_path);
    return out;
}

TEST_F(FilesSourceTest, KindsAreRegisteredInAFixedOrder)
{
    const auto kinds = all_kinds();
    ASSERT_EQ(kinds.size(), 6u);
    EXPECT_EQ(kinds[0]->name(), "files");
    EXPECT_EQ(kinds[1]->name(), "helm");  // before images: it hands them the images its charts deploy
    EXPECT_EQ(kinds[2]->name(), "images");
    EXPECT_EQ(kinds[3]->name(), "pip");
    EXPECT_EQ(kinds[4]->name(), "huggingface");
    EXPECT_EQ(kinds[5]->name(), "conda");
}

TEST_F(FilesSourceTest, ResolvesLocalFiles)
{
    write_text(dir() / "data" / "model.bin", "weights");
    write_text(dir() / "run.sh", "#!/bin/sh\n");
    stdfs::permissions(dir() / "run.sh", stdfs::perms::owner_exec, stdfs::perm_options::add);
    auto artifacts = resolve("  - url: run.sh\n    path: bin/run\n"
                             "  - url: file://" + (dir() / "data" / "model.bin").string() + "\n");
    ASSERT_TRUE(artifacts) << artifacts.error().message;
    ASSERT_EQ(artifacts->size(), 2u);
    const LockedArtifact run{"files", "files/bin/run", "file://" + (dir() / "run.sh").string(), 10,
                             crypto::sha256_hex("#!/bin/sh\n"), 0755, "files[0]", std::nullopt, std::nullopt};
    const LockedArtifact model{"files", "files/model.bin", "file://" + (dir() / "data" / "model.bin").string(), 7,
                               crypto::sha256_hex("weights"), 0644, "files[1]", std::nullopt, std::nullopt};
    EXPECT_EQ((*artifacts)[0], run);
    EXPECT_EQ((*artifacts)[1], model);
}

TEST_F(FilesSourceTest, ResolvesFolderRecursivelyAndSorted)
{
    write_text(dir() / "configs" / "z.yaml", "z");
    write_text(dir() / "configs" / "a" / "b" / "deep.json", "{}");
    write_text(dir() / "configs" / "a.txt", "a");
    stdfs::create_directories(dir() / "configs" / "empty");
    auto artifacts = resolve("  - url: ./configs/\n  - url: configs\n    path: etc/conf\n");
    ASSERT_TRUE(artifacts) << artifacts.error().message;
    EXPECT_EQ(paths_of(*artifacts),
              (std::vector<std::string>{"files/configs/a.txt", "files/configs/a/b/deep.json", "files/configs/z.yaml",
                                        "files/etc/conf/a.txt", "files/etc/conf/a/b/deep.json", "files/etc/conf/z.yaml"}));
    EXPECT_EQ((*artifacts)[1].url, "file://" + (dir() / "configs" / "a" / "b" / "deep.json").string());
    EXPECT_EQ((*artifacts)[1].origin, "files[0]");
    EXPECT_EQ((*artifacts)[4].origin, "files[1]");
    EXPECT_EQ((*artifacts)[1].sha256, crypto::sha256_hex("{}"));
}

// A folder's version hashes its "PATH SHA256" lines, so that any changed file changes it; a
// single file's is its own digest. Written out here independently of how the kind builds it.
TEST_F(FilesSourceTest, ComponentVersionsHashAFoldersListingOrNameTheFile)
{
    write_text(dir() / "configs" / "z.yaml", "z");
    write_text(dir() / "configs" / "a" / "deep.json", "{}");
    write_text(dir() / "tool.bin", "tool");
    write_text(manifest_file(), "apiVersion: gapbundle/v1\nname: t\nfiles:\n  - url: ./configs/\n  - url: tool.bin\n");
    auto m = manifest::load_manifest(manifest_file());
    ASSERT_TRUE(m) << m.error().message;
    ResolveContext context{*m, m_http, store()};
    auto resolved = make_files_kind()->resolve(context);
    ASSERT_TRUE(resolved) << resolved.error().message;
    const auto& components = resolved->components;
    ASSERT_EQ(components.size(), 2u);
    const std::string listing = "files/configs/a/deep.json " + crypto::sha256_hex("{}") + "\n" +
                                "files/configs/z.yaml " + crypto::sha256_hex("z") + "\n";
    EXPECT_EQ(components[0].name, "configs");
    EXPECT_EQ(components[0].version, "tree:" + crypto::sha256_hex(listing));
    EXPECT_EQ(components[0].paths, (PathList{"files/configs/a/deep.json", "files/configs/z.yaml"}));
    EXPECT_EQ(components[1].name, "tool.bin");
    EXPECT_EQ(components[1].version, "sha256:" + crypto::sha256_hex("tool"));
    EXPECT_EQ(components[1].paths, (PathList{"files/tool.bin"}));
}

TEST_F(FilesSourceTest, AcceptsMatchingSha256)
{
    write_text(dir() / "a.txt", "hello");
    auto artifacts = resolve("  - url: a.txt\n    sha256: " + crypto::sha256_hex("hello") + "\n");
    ASSERT_TRUE(artifacts) << artifacts.error().message;
    EXPECT_EQ(artifacts->at(0).sha256, crypto::sha256_hex("hello"));
}

TEST_F(FilesSourceTest, RejectsLocalSha256Mismatch)
{
    write_text(dir() / "a.txt", "hello");
    const std::string wrong(64, '0');
    auto artifacts = resolve("  - url: https://example.org/x\n  - url: a.txt\n    sha256: " + wrong + "\n");
    ASSERT_FALSE(artifacts);
    EXPECT_EQ(artifacts.error().code, ErrorCode::download);
    EXPECT_EQ(artifacts.error().message, where(5, 5) + ": files[1]: " + (dir() / "a.txt").string() + ": sha256 is " +
                                             crypto::sha256_hex("hello") + ", the manifest expects " + wrong);
}

TEST_F(FilesSourceTest, RejectsSha256ForFolder)
{
    write_text(dir() / "configs" / "a", "a");
    auto artifacts = resolve("  - url: configs\n    sha256: " + std::string(64, '0') + "\n");
    ASSERT_FALSE(artifacts);
    EXPECT_EQ(artifacts.error().code, ErrorCode::manifest);
    EXPECT_EQ(artifacts.error().message,
              where(4, 5) + ": files[0]: " + (dir() / "configs").string() + " is a folder; 'sha256' is for a single file");
}

TEST_F(FilesSourceTest, RejectsMissingPath)
{
    auto artifacts = resolve("  - url: nope/missing.bin\n");
    ASSERT_FALSE(artifacts);
    EXPECT_EQ(artifacts.error().code, ErrorCode::manifest);
    EXPECT_EQ(artifacts.error().message, where(4, 5) + ": files[0]: no such file: " + (dir() / "nope/missing.bin").string());
}

TEST_F(FilesSourceTest, RejectsDuplicateAfterFolderExpansion)
{
    write_text(dir() / "configs" / "x.json", "1");
    write_text(dir() / "other.json", "2");
    auto artifacts = resolve("  - url: configs\n  - url: other.json\n    path: configs/x.json\n");
    ASSERT_FALSE(artifacts);
    EXPECT_EQ(artifacts.error().code, ErrorCode::manifest);
    EXPECT_EQ(artifacts.error().message, where(5, 5) + ": files[1]: 'files/configs/x.json' is also carried by files[0]");
}

TEST_F(FilesSourceTest, RejectsDuplicateWithRemoteBeforeDownloading)
{
    write_text(dir() / "configs" / "x.json", "1");
    m_server.serve_bytes("/x.json", "remote");
    auto artifacts = resolve("  - url: " + m_server.url("/x.json") + "\n    path: configs/x.json\n  - url: configs\n");
    ASSERT_FALSE(artifacts);
    EXPECT_EQ(artifacts.error().message, where(6, 5) + ": files[1]: 'files/configs/x.json' is also carried by files[0]");
    EXPECT_EQ(m_server.requests("/x.json"), 0);
}

TEST_F(FilesSourceTest, RejectsFileWhereFolderIsNeeded)
{
    write_text(dir() / "configs" / "x.json", "1");
    write_text(dir() / "plain", "2");
    auto artifacts = resolve("  - url: plain\n    path: configs\n  - url: configs\n    path: configs/sub\n");
    ASSERT_FALSE(artifacts);
    EXPECT_EQ(artifacts.error().code, ErrorCode::manifest);
    EXPECT_EQ(artifacts.error().message, where(6, 5) + ": files[1]: 'files/configs/sub/x.json' needs 'files/configs' "
                                                      "to be a folder, but files[0] carries a file there");
}

TEST_F(FilesSourceTest, RejectsSymlinkLeavingFolder)
{
    write_text(dir() / "secret", "s");
    write_text(dir() / "configs" / "sub" / "ok", "o");
    stdfs::create_symlink("../../secret", dir() / "configs" / "sub" / "link");
    auto artifacts = resolve("  - url: configs\n");
    ASSERT_FALSE(artifacts);
    EXPECT_EQ(artifacts.error().code, ErrorCode::manifest);
    EXPECT_EQ(artifacts.error().message, where(4, 5) + ": files[0]: " + (dir() / "configs/sub/link").string() +
                                             ": symlink points outside the folder (to ../../secret)");
}

TEST_F(FilesSourceTest, FollowsSymlinkInsideFolder)
{
    write_text(dir() / "configs" / "real.txt", "r");
    stdfs::create_symlink("real.txt", dir() / "configs" / "alias.txt");
    auto artifacts = resolve("  - url: configs\n");
    ASSERT_TRUE(artifacts) << artifacts.error().message;
    EXPECT_EQ(paths_of(*artifacts), (std::vector<std::string>{"files/configs/alias.txt", "files/configs/real.txt"}));
    EXPECT_EQ((*artifacts)[0].sha256, crypto::sha256_hex("r"));
}

TEST_F(FilesSourceTest, RejectsSymlinkToFolderAndSpecialFiles)
{
    write_text(dir() / "configs" / "sub" / "a", "a");
    stdfs::create_symlink("sub", dir() / "configs" / "loop");
    auto linked = resolve("  - url: configs\n");
    ASSERT_FALSE(linked);
    EXPECT_EQ(linked.error().message,
              where(4, 5) + ": files[0]: " + (dir() / "configs/loop").string() + ": symlink to a folder or special file");

    stdfs::remove(dir() / "configs" / "loop");
    ASSERT_EQ(::mkfifo((dir() / "configs" / "pipe").c_str(), 0644), 0);
    auto fifo = resolve("  - url: configs\n");
    ASSERT_FALSE(fifo);
    EXPECT_EQ(fifo.error().code, ErrorCode::manifest);
    EXPECT_EQ(fifo.error().message,
              where(4, 5) + ": files[0]: " + (dir() / "configs/pipe").string() + ": not a regular file, folder or symlink");
    auto direct = resolve("  - url: configs/pipe\n");
    ASSERT_FALSE(direct);
    EXPECT_EQ(direct.error().message,
              where(4, 5) + ": files[0]: " + (dir() / "configs/pipe").string() + ": not a regular file or folder");
}

TEST_F(FilesSourceTest, DownloadsRemoteFilesIntoStore)
{
    m_server.serve_bytes("/models/tokenizer.model", "tokens");
    m_server.serve_bytes("/tools/run.py", "print()");
    auto artifacts = resolve("  - url: " + m_server.url("/models/tokenizer.model") + "\n    path: models/tok.model\n"
                             "  - url: " + m_server.url("/tools/run.py") + "\n");
    ASSERT_TRUE(artifacts) << artifacts.error().message;
    const LockedArtifact tok{"files", "files/models/tok.model", m_server.url("/models/tokenizer.model"), 6,
                             crypto::sha256_hex("tokens"), 0644, "files[0]", std::nullopt, std::nullopt};
    const LockedArtifact run{"files", "files/run.py", m_server.url("/tools/run.py"), 7, crypto::sha256_hex("print()"),
                             0644, "files[1]", std::nullopt, std::nullopt};
    ASSERT_EQ(artifacts->size(), 2u);
    EXPECT_EQ((*artifacts)[0], tok);
    EXPECT_EQ((*artifacts)[1], run);
    EXPECT_TRUE(store().contains(crypto::sha256_hex("tokens")));
    EXPECT_TRUE(store().contains(crypto::sha256_hex("print()")));
}

TEST_F(FilesSourceTest, SkipsDownloadWhenStoreHasTheBlob)
{
    m_server.serve_bytes("/a.bin", "abc");
    const auto entry = "  - url: " + m_server.url("/a.bin") + "\n    sha256: " + crypto::sha256_hex("abc") + "\n";
    auto first = resolve(entry);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(m_server.requests("/a.bin"), 1);
    auto second = resolve(entry);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(m_server.requests("/a.bin"), 1);
    EXPECT_EQ(*first, *second);
    EXPECT_EQ((*second)[0].size, 3u);
}

TEST_F(FilesSourceTest, RejectsRemoteSha256Mismatch)
{
    m_server.serve_bytes("/a.bin", "abc");
    auto artifacts = resolve("  - url: " + m_server.url("/a.bin") + "\n    sha256: " + std::string(64, '0') + "\n");
    ASSERT_FALSE(artifacts);
    EXPECT_EQ(artifacts.error().code, ErrorCode::download);
    EXPECT_TRUE(artifacts.error().message.starts_with(where(4, 5) + ": files[0]")) << artifacts.error().message;
    EXPECT_NE(artifacts.error().message.find(m_server.url("/a.bin")), std::string::npos) << artifacts.error().message;
}

TEST_F(FilesSourceTest, ReportsHttpErrorsAsNetworkErrors)
{
    m_server.serve_bytes("/ok.bin", "ok");
    auto artifacts = resolve("  - url: " + m_server.url("/ok.bin") + "\n  - url: " + m_server.url("/missing.bin") + "\n");
    ASSERT_FALSE(artifacts);
    EXPECT_EQ(artifacts.error().code, ErrorCode::network);
    EXPECT_TRUE(artifacts.error().message.starts_with(where(5, 5) + ": files[1]")) << artifacts.error().message;
    EXPECT_EQ(exit_status_for(artifacts.error().code), 3);
    EXPECT_TRUE(store().contains(crypto::sha256_hex("ok")));  // what did arrive is kept
}

}  // namespace
}  // namespace gapbundle::sources
