// A lock may hold symbolic links (the hub cache's snapshots are links into its blobs): pack
// writes them as symlink entries, verify checks them, unpack makes them.

#include "trip_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class LockLinksTest : public TripTest {
protected:
    // A lock of manifest.yaml (one local file) with `link` → `target` added.
    stdfs::path lock_with_link(const std::string& link, const std::string& target)
    {
        write_text(dir() / "data.bin", "weights");
        const auto manifest = write_manifest("  - url: ./data.bin\n    path: models/data.bin\n");
        auto locked = gapbundle({"lock", manifest.string(), "--cache-dir", cache().string()});
        EXPECT_EQ(locked.status, 0) << locked.err;
        auto lock = nlohmann::json::parse(read_text(dir() / "gapbundle.lock.json"));
        lock["artifacts"].push_back({{"kind", "files"}, {"bundle_path", link}, {"link", target}, {"origin", "files[0]"}});
        auto& artifacts = lock["artifacts"];
        std::sort(artifacts.begin(), artifacts.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
            return a["bundle_path"].get<std::string>() < b["bundle_path"].get<std::string>();
        });
        write_text(dir() / "gapbundle.lock.json", lock.dump(2) + "\n");
        return manifest;
    }
};

TEST_F(LockLinksTest, PackWritesLinksThatUnpackMakes)
{
    const auto manifest = lock_with_link("files/current/data.bin", "../models/data.bin");
    const auto bundle = dir() / "b.tar";
    pack_ok(manifest, bundle, {"--lock", (dir() / "gapbundle.lock.json").string()});
    const auto out = dir() / "out";
    auto unpacked = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", out.string()});
    ASSERT_EQ(unpacked.status, 0) << unpacked.err;
    const auto link = out / "files" / "current" / "data.bin";
    ASSERT_TRUE(stdfs::is_symlink(link));
    EXPECT_EQ(stdfs::read_symlink(link), "../models/data.bin");
    EXPECT_EQ(read_text(link), "weights");
}

TEST_F(LockLinksTest, ALinkLeavingTheTreeIsRefusedBeforeAnythingIsWritten)
{
    const auto manifest = lock_with_link("files/escape", "../../../etc/passwd");
    const auto bundle = dir() / "b.tar";
    auto packed = gapbundle({"pack", manifest.string(), "--key", key().string(), "-o", bundle.string(), "--cache-dir",
                             cache().string(), "--lock", (dir() / "gapbundle.lock.json").string()});
    EXPECT_EQ(packed.status, 2) << packed.err;
    EXPECT_NE(packed.err.find("files/escape"), std::string::npos) << packed.err;
    EXPECT_NE(packed.err.find("leaves the tree"), std::string::npos) << packed.err;
    EXPECT_FALSE(stdfs::exists(bundle));
}

}  // namespace
}  // namespace gapbundle::testing
