#include "pypi_fixtures.hpp"

#include <gapbundle/sources/pypi/wheel_metadata.hpp>

#include "../../support/http_test_server.hpp"
#include "zip_writer.hpp"

#include <gtest/gtest.h>

namespace gapbundle::sources::pypi {
namespace {

using testing::HttpTestServer;
using testing::make_wheel;
using testing::WheelLayout;
using testing::ZipFormat;

const std::string k_file = "demo_pkg-1.0-py3-none-any.whl";
const std::string k_path = "/files/" + k_file;
const std::string k_metadata = "Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0\nRequires-Dist: idna\n";

net::EngineOptions quick()
{
    return fixtures::quick_engine();
}

class WheelMetadataTest : public ::testing::Test {
protected:
    Result<WheelMetadata> read(const std::string& filename = k_file)
    {
        return read_wheel_metadata(server.url(k_path), filename, {}, quick());
    }
    // Every request carried a Range header.
    void expect_only_ranges()
    {
        for (const auto& r : server.requests_to(k_path)) EXPECT_TRUE(r.header("Range")) << r.method;
    }

    HttpTestServer server;
};

TEST_F(WheelMetadataTest, ReadsMetadataFarFromTheTailWithRanges)
{
    const std::string wheel = make_wheel("demo_pkg-1.0.dist-info", k_metadata, WheelLayout::metadata_first);
    server.serve_bytes(k_path, wheel);
    auto m = read();
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->text, k_metadata);
    EXPECT_EQ(m->transfer, WheelTransfer::ranges);
    const auto requests = server.requests_to(k_path);
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].header("Range"), "bytes=-16384");
    const std::string second = requests[1].header("Range").value_or("");
    ASSERT_TRUE(second.starts_with("bytes=0-")) << second;
    EXPECT_LT(std::stoul(second.substr(8)), 1024u) << "more than METADATA's local header and data";
    EXPECT_GT(wheel.size(), 200u << 10);
    expect_only_ranges();
}

TEST_F(WheelMetadataTest, ReadsMetadataInTheTailWithOneRequest)
{
    server.serve_bytes(k_path, make_wheel("demo_pkg-1.0.dist-info", k_metadata, WheelLayout::metadata_last));
    auto m = read();
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->text, k_metadata);
    EXPECT_EQ(server.requests(k_path), 1);
    expect_only_ranges();
}

TEST_F(WheelMetadataTest, ReadsZip64Wheels)
{
    server.serve_bytes(k_path,
                       make_wheel("demo_pkg-1.0.dist-info", k_metadata, WheelLayout::metadata_first, ZipFormat::zip64));
    auto m = read();
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->text, k_metadata);
    expect_only_ranges();
}

TEST_F(WheelMetadataTest, ReadsTheWholeWheelWhenRangeIsIgnored)
{
    server.serve_bytes(k_path, make_wheel("demo_pkg-1.0.dist-info", k_metadata, WheelLayout::metadata_first));
    server.ignore_range(k_path);
    auto m = read();
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->text, k_metadata);
    EXPECT_EQ(m->transfer, WheelTransfer::whole_file);
    EXPECT_EQ(server.requests(k_path), 1);
}

TEST_F(WheelMetadataTest, ReadsTheWholeWheelAfterA416)
{
    server.serve_bytes(k_path, make_wheel("demo_pkg-1.0.dist-info", k_metadata, WheelLayout::metadata_first));
    server.fail_times(k_path, 1, 416);
    auto m = read();
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->text, k_metadata);
    EXPECT_EQ(m->transfer, WheelTransfer::whole_file);
    const auto requests = server.requests_to(k_path);
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_FALSE(requests[1].header("Range"));
}

TEST_F(WheelMetadataTest, FindsTheDistInfoFolderSpelledOtherwise)
{
    server.serve_bytes(k_path, make_wheel("Demo.Pkg-1.0.dist-info", k_metadata, WheelLayout::metadata_last));
    auto m = read();
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->text, k_metadata);
}

TEST_F(WheelMetadataTest, ReportsAWheelWithoutMetadata)
{
    server.serve_bytes(k_path, make_wheel("other-1.0.dist-info", k_metadata, WheelLayout::metadata_last));
    auto m = read();
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, ErrorCode::download);
    EXPECT_EQ(m.error().message, "cannot read the METADATA of " + server.url(k_path) +
                                     ": no demo_pkg-1.0.dist-info/METADATA in the wheel");
}

TEST_F(WheelMetadataTest, NamesTheRedactedUrlOnHostileZips)
{
    std::string wheel = make_wheel("demo_pkg-1.0.dist-info", k_metadata, WheelLayout::metadata_first);
    testing::put_le(wheel, wheel.rfind("PK\x05\x06") + 16, 0x7FFFFFF0, 4);
    server.serve_bytes(k_path, wheel);
    const std::string url = server.url(k_path);
    const std::string secret_url = "http://user:hunter2@" + url.substr(7);
    auto m = read_wheel_metadata(secret_url, k_file, {}, quick());
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, ErrorCode::download);
    EXPECT_EQ(m.error().message.find("hunter2"), std::string::npos) << m.error().message;
    EXPECT_NE(m.error().message.find("cannot read the METADATA of http://***@127.0.0.1"), std::string::npos)
        << m.error().message;
    EXPECT_NE(m.error().message.find("corrupt zip: central directory"), std::string::npos) << m.error().message;
}

TEST_F(WheelMetadataTest, CapsTheWholeWheelFallback)
{
    server.serve_bytes(k_path, make_wheel("demo_pkg-1.0.dist-info", k_metadata, WheelLayout::metadata_first));
    server.ignore_range(k_path);
    WheelMetadataLimits limits;
    limits.max_whole_wheel = 64 << 10;
    auto m = read_wheel_metadata(server.url(k_path), k_file, {}, quick(), limits);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, ErrorCode::download);
    EXPECT_EQ(m.error().message, "cannot read the METADATA of " + server.url(k_path) +
                                     ": the server ignores Range requests and the wheel is larger than 64.0 KiB (the "
                                     "limit for reading it whole)");
}

TEST_F(WheelMetadataTest, ReportsHttpErrors)
{
    auto m = read();
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, "cannot read the METADATA of " + server.url(k_path) + ": HTTP status 404");
    server.serve_bytes(k_path, "x");
    server.require_basic_auth(k_path, "u", "p");
    auto denied = read();
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().message,
              "cannot read the METADATA of " + server.url(k_path) + ": access denied (HTTP 401)");
}

}  // namespace
}  // namespace gapbundle::sources::pypi
