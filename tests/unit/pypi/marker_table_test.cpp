#include "pypi_fixtures.hpp"

#include <gapbundle/sources/pypi/markers.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

// Expectations computed with pypa/packaging 26's Marker.evaluate for the two targets below
// (scratch script, not part of the build).

namespace gapbundle::sources::pypi {
namespace {

const MarkerEnvironment k_linux_cpython311 = fixtures::linux_cpython("3.11.9");

const MarkerEnvironment k_macos_arm64_cpython312{.python_version = "3.12",
                                                 .python_full_version = "3.12.1",
                                                 .implementation_name = "cpython",
                                                 .implementation_version = "3.12.1",
                                                 .platform_python_implementation = "CPython",
                                                 .platform_machine = "arm64",
                                                 .platform_system = "Darwin",
                                                 .platform_release = "23.4.0",
                                                 .platform_version = "Darwin Kernel Version 23.4.0",
                                                 .sys_platform = "darwin",
                                                 .os_name = "posix",
                                                 .extra = ""};

struct EvalCase {
    std::string marker;
    bool linux;
    bool macos;
};

struct ExtraCase {
    std::string marker;
    std::vector<std::string> extras;
    bool expected;
};

const std::vector<EvalCase> k_targets = {
    {.marker = "python_version < \"3.12\"", .linux = true, .macos = false},
    {.marker = "python_version >= \"3.8\"", .linux = true, .macos = true},
    {.marker = "python_version > \"3.11\"", .linux = false, .macos = true},
    {.marker = "python_version >= \"3.11.2\"", .linux = false, .macos = true},
    {.marker = "python_full_version >= \"3.11.2\"", .linux = true, .macos = true},
    {.marker = "python_full_version < \"3.11.10\"", .linux = true, .macos = false},
    {.marker = "python_version == \"3.11\"", .linux = true, .macos = false},
    {.marker = "python_version == \"3.11.*\"", .linux = true, .macos = false},
    {.marker = "python_version != \"3.11.*\"", .linux = false, .macos = true},
    {.marker = "python_version ~= \"3.10\"", .linux = true, .macos = true},
    {.marker = "python_version ~= \"3.12\"", .linux = false, .macos = true},
    {.marker = "python_version === \"3.11\"", .linux = true, .macos = false},
    {.marker = "python_version in \"3.10 3.11\"", .linux = true, .macos = false},
    {.marker = "python_version not in \"3.10 3.11\"", .linux = false, .macos = true},
    {.marker = "\"3.11\" <= python_version", .linux = true, .macos = true},
    {.marker = "\"3.12\" > python_version", .linux = true, .macos = false},
    {.marker = "python_version<'3'", .linux = false, .macos = false},
    {.marker = "python_version == \"3\"", .linux = false, .macos = false},
    {.marker = "python_version < \"3.12.0a1\"", .linux = true, .macos = false},
    {.marker = "python_full_version < \"3.12.1rc1\"", .linux = true, .macos = false},
    {.marker = "python_version == \"3.11.0\"", .linux = true, .macos = false},
    {.marker = "sys_platform == \"linux\"", .linux = true, .macos = false},
    {.marker = "sys_platform == \"darwin\"", .linux = false, .macos = true},
    {.marker = "sys_platform != \"win32\"", .linux = true, .macos = true},
    {.marker = "sys_platform == \"win32\"", .linux = false, .macos = false},
    {.marker = "sys_platform == 'linux' and platform_machine == 'x86_64'", .linux = true, .macos = false},
    {.marker = "platform_machine == \"aarch64\" or platform_machine == \"arm64\"", .linux = false, .macos = true},
    {.marker = "platform_machine in \"x86_64 AMD64\"", .linux = true, .macos = false},
    {.marker = "platform_machine not in \"x86_64 AMD64\"", .linux = false, .macos = true},
    {.marker = "\"arm\" in platform_machine", .linux = false, .macos = true},
    {.marker = "platform_system == \"Linux\"", .linux = true, .macos = false},
    {.marker = "platform_system == \"Darwin\" and platform_machine == \"arm64\"", .linux = false, .macos = true},
    {.marker = "os_name == \"nt\"", .linux = false, .macos = false},
    {.marker = "os_name == \"posix\"", .linux = true, .macos = true},
    {.marker = "os.name == \"posix\"", .linux = true, .macos = true},
    {.marker = "sys.platform == \"linux\"", .linux = true, .macos = false},
    {.marker = "platform.machine == \"arm64\"", .linux = false, .macos = true},
    {.marker = "python_implementation == \"CPython\"", .linux = true, .macos = true},
    {.marker = "platform_python_implementation != \"PyPy\"", .linux = true, .macos = true},
    {.marker = "implementation_name == \"cpython\"", .linux = true, .macos = true},
    {.marker = "implementation_version >= \"3.12\"", .linux = false, .macos = true},
    {.marker = "platform_release >= \"20\"", .linux = false, .macos = true},
    {.marker = "platform_release == \"\"", .linux = true, .macos = false},
    {.marker = "platform_version == \"\"", .linux = true, .macos = false},
    {.marker = "\"Darwin\" in platform_version", .linux = false, .macos = true},
    {.marker = "sys_platform < \"linux\"", .linux = false, .macos = false},
    {.marker = "sys_platform <= \"linux\"", .linux = true, .macos = false},
    {.marker = "sys_platform >= \"darwin\"", .linux = false, .macos = true},
    {.marker = "sys_platform > \"a\"", .linux = false, .macos = false},
    {.marker = "python_version < \"3.9\" or python_version >= \"3.12\"", .linux = false, .macos = true},
    {.marker = "os_name == \"nt\" or sys_platform == \"darwin\" and python_version >= \"3.12\"",
     .linux = false,
     .macos = true},
    {.marker = "(os_name == \"nt\" or sys_platform == \"darwin\") and python_version >= \"3.12\"",
     .linux = false,
     .macos = true},
    {.marker = "((python_version >= \"3.11\"))", .linux = true, .macos = true},
    {.marker = "python_version >= \"3.11\" and (platform_machine == \"x86_64\" or platform_machine == \"arm64\") and "
               "os_name == \"posix\"",
     .linux = true,
     .macos = true},
    {.marker = "sys_platform == \"linux\" or sys_platform == \"darwin\" or sys_platform == \"win32\"",
     .linux = true,
     .macos = true},
    {.marker = "extra == \"socks\"", .linux = false, .macos = false},
    {.marker = "extra != \"socks\"", .linux = true, .macos = true},
    {.marker = "python_version >= \"3\" and extra == \"Socks_Proxy\"", .linux = false, .macos = false},
    {.marker = "sys_platform == \"Linux\"", .linux = false, .macos = false},
    {.marker = "platform_machine == \"X86_64\"", .linux = false, .macos = false},
    {.marker = "platform_machine in 'x86'", .linux = false, .macos = false},
    {.marker = "python_full_version == \"3.11.*\"", .linux = true, .macos = false},
    {.marker = "implementation_version != \"3.11.9\"", .linux = false, .macos = true},
    {.marker = "python_version <= \"3.11\"", .linux = true, .macos = false},
    {.marker = "python_version >= \"3.12\" and implementation_name != \"pypy\"", .linux = false, .macos = true},
};
const std::vector<ExtraCase> k_extras = {
    {.marker = "extra == \"socks\"", .extras = {"socks"}, .expected = true},
    {.marker = "extra == \"socks\"", .extras = {}, .expected = false},
    {.marker = "extra == \"Socks\"", .extras = {"SOCKS"}, .expected = true},
    {.marker = "extra == \"socks_proxy\"", .extras = {"socks-proxy"}, .expected = true},
    {.marker = "extra == \"socks.proxy\"", .extras = {"Socks__Proxy"}, .expected = true},
    {.marker = "extra == \"a\" or extra == \"b\"", .extras = {"b"}, .expected = true},
    {.marker = "extra == \"a\" and extra == \"b\"", .extras = {"a", "b"}, .expected = false},
    {.marker = "extra != \"a\"", .extras = {"a"}, .expected = true},
    {.marker = "extra == \"test\" and sys_platform == \"linux\"", .extras = {"test"}, .expected = true},
    {.marker = "extra == \"test\" and sys_platform == \"darwin\"", .extras = {"test"}, .expected = false},
    {.marker = "\"test\" == extra", .extras = {"Test"}, .expected = true},
    {.marker = "extra == \"docs\"", .extras = {"test", "docs"}, .expected = true},
};

Marker parse(const std::string& text)
{
    auto marker = Marker::parse(text);
    if (!marker) ADD_FAILURE() << marker.error().message;
    return marker.value_or(Marker(MarkerNode{}));
}

class MarkerTargetTest : public ::testing::TestWithParam<EvalCase> {};

TEST_P(MarkerTargetTest, EvaluatesForTheTargetAsPackagingDoes)
{
    const auto& c = GetParam();
    const auto marker = parse(c.marker);
    auto linux = marker.evaluate(k_linux_cpython311);
    ASSERT_TRUE(linux) << linux.error().message;
    EXPECT_EQ(*linux, c.linux) << c.marker << " on linux";
    auto macos = marker.evaluate(k_macos_arm64_cpython312);
    ASSERT_TRUE(macos) << macos.error().message;
    EXPECT_EQ(*macos, c.macos) << c.marker << " on macos";
    // The printed form means the same thing.
    auto again = Marker::parse(marker.to_string());
    ASSERT_TRUE(again) << marker.to_string();
    EXPECT_EQ(*again->evaluate(k_linux_cpython311), c.linux) << marker.to_string();
    EXPECT_EQ(*again->evaluate(k_macos_arm64_cpython312), c.macos) << marker.to_string();
}

INSTANTIATE_TEST_SUITE_P(Packaging, MarkerTargetTest, ::testing::ValuesIn(k_targets));

class MarkerExtraTest : public ::testing::TestWithParam<ExtraCase> {};

TEST_P(MarkerExtraTest, HoldsForTheBaseOrAnyRequestedExtra)
{
    const auto& c = GetParam();
    auto result = parse(c.marker).evaluate(k_linux_cpython311, c.extras);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(*result, c.expected) << c.marker;
}

INSTANTIATE_TEST_SUITE_P(Packaging, MarkerExtraTest, ::testing::ValuesIn(k_extras));

}  // namespace
}  // namespace gapbundle::sources::pypi
