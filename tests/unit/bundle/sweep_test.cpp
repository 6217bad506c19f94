// A tiny bundle cut at every 512-byte boundary and with a bit flipped at every offset, through
// verify and unpack in-process (thousands of cases in seconds): every cut fails; every flip fails,
// or passes with a tree identical to the good bundle's (a flip in header bytes nothing reads, or
// in padding), and never when it lands in the index, the signatures or a file's content.
#include "bundle_fixture.hpp"

#include <cstdio>
#include <cstdlib>
#include <map>

namespace gapbundle::bundle::test {
namespace {

namespace stdfs = std::filesystem;

// path → what it is: a file's mode and content, a symlink's target, "dir".
std::map<std::string, std::string> tree(const stdfs::path& root)
{
    std::map<std::string, std::string> out;
    for (const auto& item : stdfs::recursive_directory_iterator(root)) {
        const auto rel = stdfs::relative(item.path(), root).string();
        const auto perms = std::to_string(static_cast<unsigned>(stdfs::symlink_status(item.path()).permissions()));
        if (item.is_symlink())
            out[rel] = "-> " + stdfs::read_symlink(item.path()).string();
        else if (item.is_directory())
            out[rel] = "dir " + perms;
        else
            out[rel] = "file " + perms + " " + read_bytes(item.path());
    }
    return out;
}

class SweepTest : public BundleTest {
protected:
    void SetUp() override
    {
        BundleTest::SetUp();
        Payload payload;
        payload.file("files/a.txt", "alpha content\n");
        payload.file("files/bin/run.sh", "#!/bin/sh\necho beta\n", 0755);
        payload.symlink("files/link", "a.txt");
        m_index_json = to_canonical_json(payload.index());
        m_good = read_bytes(write_good(payload, "good.tar"));
        UnpackOptions options;
        options.verify = trust_options();
        const auto reference = dir() / "reference";
        auto unpacked = unpack_bundle(dir() / "good.tar", reference, options);
        ASSERT_TRUE(unpacked && unpacked->verify.ok());
        m_tree = tree(reference);
        // Unpacks that pass end with fsyncs: on a tmpfs they cost nothing, so every flip is
        // unpacked too, in seconds.
        std::string scratch = stdfs::is_directory("/dev/shm") ? "/dev/shm/gapbundle-sweep.XXXXXX"
                                                              : (dir() / "scratch.XXXXXX").string();
        ASSERT_NE(::mkdtemp(scratch.data()), nullptr) << scratch;
        m_scratch = scratch;
    }

    void TearDown() override
    {
        if (!m_scratch.empty()) stdfs::remove_all(m_scratch);
        BundleTest::TearDown();
    }

    [[nodiscard]] std::vector<std::string> scratch_staging() const
    {
        std::vector<std::string> found;
        for (const auto& item : stdfs::directory_iterator(m_scratch))
            if (item.path().filename().string().find("gapbundle-staging") != std::string::npos)
                found.push_back(item.path().filename().string());
        return found;
    }

    // Verifies and unpacks `bytes`: true when they pass (with the good tree), false when they
    // fail (leaving nothing behind).
    bool passes(const std::string& bytes, const std::string& what)
    {
        const auto file = dir() / "case.tar";
        write_bytes(file, bytes);
        auto report = verify_bundle(file, trust_options());
        EXPECT_TRUE(report) << what << ": " << report.error().message;
        if (!report) return false;
        if (!report->ok()) {
            EXPECT_FALSE(report->problems.empty()) << what;
        }
        const auto dest = m_scratch / "dest";
        UnpackOptions options;
        options.verify = trust_options();
        auto unpacked = unpack_bundle(file, dest, options);
        EXPECT_TRUE(unpacked) << what << ": " << unpacked.error().message;
        if (!unpacked) return false;
        EXPECT_EQ(report->ok(), unpacked->verify.ok()) << what;
        EXPECT_TRUE(leftover_staging().empty() && scratch_staging().empty()) << what;
        if (!unpacked->verify.ok()) {
            EXPECT_FALSE(unpacked->verify.problems.empty()) << what;
            EXPECT_FALSE(stdfs::exists(stdfs::symlink_status(dest))) << what << ": destination created";
            return false;
        }
        EXPECT_EQ(tree(dest), m_tree) << what << ": passed with another tree";
        stdfs::remove_all(dest);
        return true;
    }

    std::string m_index_json;
    std::string m_good;
    std::map<std::string, std::string> m_tree;
    stdfs::path m_scratch;
};

TEST_F(SweepTest, EveryCutAtA512ByteBoundaryFails)
{
    ASSERT_EQ(m_good.size() % 512, 0u);
    for (std::size_t cut = 0; cut < m_good.size(); cut += 512)
        EXPECT_FALSE(passes(m_good.substr(0, cut), "cut at " + std::to_string(cut))) << "cut at " << cut;
}

TEST_F(SweepTest, EveryFlippedBitFailsOrLeavesTheTreeAsItWas)
{
    // Regions no flip may get through: the signed index and each file's content.
    std::vector<std::pair<std::size_t, std::size_t>> guarded;
    for (const std::string& text :
         {m_index_json, std::string("alpha content\n"), std::string("#!/bin/sh\necho beta\n")}) {
        const auto at = m_good.find(text);
        ASSERT_NE(at, std::string::npos);
        guarded.emplace_back(at, at + text.size());
    }

    std::size_t passed = 0;
    for (std::size_t at = 0; at < m_good.size(); ++at) {
        std::string bytes = m_good;
        bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
        const bool ok = passes(bytes, "bit 0 flipped at " + std::to_string(at));
        if (!ok) continue;
        ++passed;
        for (const auto& [begin, end] : guarded)
            EXPECT_FALSE(at >= begin && at < end) << "passed with a flip at " << at;
    }
    // Most of a tar is padding and header fields nobody reads; a count keeps the sweep honest.
    EXPECT_GT(passed, 0u);
    std::printf("%zu of %zu flips passed, with the good tree\n", passed, m_good.size());
    EXPECT_LT(passed, m_good.size());
}

}  // namespace
}  // namespace gapbundle::bundle::test
