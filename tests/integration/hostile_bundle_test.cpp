// Hostile archives through the real binary: each must fail verify and unpack with exit 1,
// naming the path, with the destination never created and no staging folder left.
#include "../unit/bundle/bundle_fixture.hpp"
#include "trip_fixture.hpp"

#include <functional>
#include <ostream>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;
using bundle::test::RawEntry;
using Edit = std::function<void(std::vector<RawEntry>&)>;

RawEntry raw_file(const std::string& path, const std::string& content)
{
    return RawEntry{path, AE_IFREG, content, 0644, {}, {}};
}

void insert_early(std::vector<RawEntry>& stream, std::vector<RawEntry> entries)
{
    stream.insert(stream.begin() + 2, entries.begin(), entries.end());
}

struct Hostile {
    const char* name;
    Edit edit;
    const char* path;  // the problem line must name it
    const char* kind;
};

void PrintTo(const Hostile& h, std::ostream* os)
{
    *os << h.name;
}

class HostileBundleTest : public TestDirFixture, public ::testing::WithParamInterface<Hostile> {};

TEST_P(HostileBundleTest, FailsVerifyAndUnpackWithExitOne)
{
    const auto signer = bundle::test::make_key();
    bundle::test::write_pub(signer.pub, dir() / "signer.pub");
    auto payload = bundle::test::sample_payload();
    const auto index = payload.index();
    const auto json = bundle::to_canonical_json(index);
    auto stream = payload.stream(index);
    GetParam().edit(stream);
    const auto bundle_path = dir() / "hostile.tar";
    bundle::test::write_raw_bundle(bundle_path, json, bundle::test::sign_all(json, {&signer}), stream);

    auto verify = run_gapbundle({"verify", bundle_path.string(), "--trust", (dir() / "signer.pub").string()}, dir());
    EXPECT_EQ(verify.status, 1) << verify.out << verify.err;
    const std::string expected = std::string(GetParam().path) + ": " + GetParam().kind + ":";
    EXPECT_NE(verify.out.find(expected), std::string::npos) << "wanted '" << expected << "' in:\n" << verify.out;

    const auto destination = dir() / "dest";
    auto unpack = run_gapbundle({"unpack", bundle_path.string(), "--trust", (dir() / "signer.pub").string(), "--to",
                                 destination.string()}, dir());
    EXPECT_EQ(unpack.status, 1) << unpack.out << unpack.err;
    EXPECT_NE(unpack.out.find(GetParam().path), std::string::npos) << unpack.out;
    EXPECT_FALSE(stdfs::exists(destination));
    EXPECT_FALSE(stdfs::exists(dir().parent_path() / "x"));
    for (const auto& entry : stdfs::directory_iterator(dir()))
        EXPECT_EQ(entry.path().filename().string().find("staging"), std::string::npos) << entry.path();
}

INSTANTIATE_TEST_SUITE_P(
    Archives, HostileBundleTest,
    ::testing::Values(
        Hostile{"extra", [](auto& s) { s.push_back(raw_file("files/zz.txt", "x")); }, "files/zz.txt", "extra"},
        Hostile{"missing",
                [](auto& s) { std::erase_if(s, [](const RawEntry& e) { return e.path == "files/big.bin"; }); },
                "files/big.bin", "missing"},
        Hostile{"duplicate", [](auto& s) { s.push_back(raw_file("files/a.txt", "hello payload\n")); }, "files/a.txt",
                "duplicate"},
        Hostile{"dotdot", [](auto& s) { insert_early(s, {raw_file("../x", "escape")}); }, "../x", "unsafe_path"},
        Hostile{"absolute", [](auto& s) { insert_early(s, {raw_file("/etc/x", "escape")}); }, "/etc/x", "unsafe_path"},
        Hostile{"symlink_out", [](auto& s) { insert_early(s, {RawEntry{"evil", AE_IFLNK, {}, 0777, "../..", {}}}); },
                "evil", "unsafe_path"},
        Hostile{"write_through_symlink",
                [](auto& s) {
                    insert_early(s, {RawEntry{"evil", AE_IFLNK, {}, 0777, "/tmp", {}}, raw_file("evil/x", "through")});
                },
                "evil", "unsafe_path"},
        Hostile{"char_device", [](auto& s) { insert_early(s, {RawEntry{"null", AE_IFCHR, {}, 0666, {}, {}}}); }, "null",
                "type"},
        Hostile{"hardlink", [](auto& s) { insert_early(s, {RawEntry{"hard", AE_IFREG, {}, 0644, {}, "../target"}}); },
                "hard", "unsafe_path"},
        Hostile{"setuid",
                [](auto& s) {
                    for (auto& e : s)
                        if (e.path == "files/tools/run.sh") e.mode = 04755;
                },
                "files/tools/run.sh", "mode"},
        Hostile{"backslash", [](auto& s) { insert_early(s, {raw_file("files\\..\\..\\x", "escape")}); },
                "files\\..\\..\\x", "unsafe_path"},
        Hostile{"drive_letter", [](auto& s) { insert_early(s, {raw_file("C:/x", "escape")}); }, "C:/x", "unsafe_path"},
        Hostile{"fifo", [](auto& s) { insert_early(s, {RawEntry{"pipe", AE_IFIFO, {}, 0644, {}, {}}}); }, "pipe",
                "type"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

}  // namespace
}  // namespace gapbundle::testing
