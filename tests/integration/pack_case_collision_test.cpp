// pack refuses paths that differ only in letter case, which the gap side would refuse: nothing is written.
#include "trip_fixture.hpp"

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class PackCaseCollisionTest : public TripTest {};

TEST_F(PackCaseCollisionTest, RefusesPathsDifferingOnlyInCase)
{
    write_text(dir() / "one.md", "one\n");
    write_text(dir() / "two.md", "two\n");
    const auto manifest = write_manifest("  - url: one.md\n    path: docs/README.md\n"
                                         "  - url: two.md\n    path: docs/readme.md\n");
    const auto bundle = dir() / "b.tar";
    auto pack = gapbundle({"pack", manifest.string(), "--key", key().string(), "-o", bundle.string(), "--cache-dir",
                           cache().string()});
    EXPECT_EQ(pack.status, 2) << pack.out << pack.err;
    EXPECT_NE(pack.err.find("files/docs/readme.md and files/docs/README.md differ only in letter case"),
              std::string::npos)
        << pack.err;
    EXPECT_FALSE(stdfs::exists(bundle));
}

}  // namespace
}  // namespace gapbundle::testing
