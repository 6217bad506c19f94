#include "trip_fixture.hpp"

#include <fstream>

namespace gapbundle::testing {

namespace stdfs = std::filesystem;

void TripTest::SetUp()
{
    TestDirFixture::SetUp();
    auto result = gapbundle({"keygen", "--out", (dir() / "signer").string()});
    ASSERT_EQ(result.status, 0) << result.err;
}

RunResult TripTest::gapbundle(const std::vector<std::string>& args, const std::vector<std::string>& env)
{
    return run_gapbundle(args, dir(), env);
}

stdfs::path TripTest::write_manifest(const std::string& files_yaml, const std::string& extra_top)
{
    const auto path = dir() / "manifest.yaml";
    write_text(path, "apiVersion: gapbundle/v1\nname: trip\n" + extra_top + "files:\n" + files_yaml);
    return path;
}

stdfs::path TripTest::write_local_payload()
{
    write_text(dir() / "data/model.bin", std::string(300000, 'w') + "end");
    write_text(dir() / "data/sub/notes.txt", "notes\n");
    write_text(dir() / "card.md", "# card\n");
    return write_manifest("  - url: data\n  - url: card.md\n    path: docs/card.md\n");
}

void TripTest::pack_ok(const stdfs::path& manifest, const stdfs::path& bundle, const std::vector<std::string>& extra)
{
    std::vector<std::string> args{"pack", manifest.string(), "--key", key().string(), "-o", bundle.string(),
                                  "--cache-dir", cache().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = gapbundle(args);
    ASSERT_EQ(result.status, 0) << result.out << result.err;
}

nlohmann::json TripTest::json_of(const RunResult& result)
{
    return nlohmann::json::parse(result.out);
}

void TripTest::expect_no_staging_left() const
{
    for (const auto& entry : stdfs::recursive_directory_iterator(dir()))
        EXPECT_EQ(entry.path().filename().string().find("staging"), std::string::npos) << entry.path();
}

void flip_byte(const stdfs::path& file, std::uint64_t offset)
{
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(static_cast<std::streamoff>(offset));
    char c = 0;
    io.get(c);
    io.seekp(static_cast<std::streamoff>(offset));
    io.put(static_cast<char>(c ^ 0x20));
}

std::uint64_t find_bytes(const stdfs::path& file, const std::string& needle)
{
    const std::string content = read_text(file);
    const auto pos = content.find(needle);
    return pos == std::string::npos ? std::string::npos : pos;
}

}  // namespace gapbundle::testing
