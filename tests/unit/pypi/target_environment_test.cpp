#include <gapbundle/sources/pypi/target_environment.hpp>

#include <gtest/gtest.h>

namespace gapbundle::sources::pypi {
namespace {

MarkerEnvironment environment_of(const std::string& python, std::vector<std::string> platforms)
{
    auto environment = marker_environment(Target{python, "cp", std::move(platforms)});
    EXPECT_TRUE(environment) << environment.error().message;
    return environment.value_or(MarkerEnvironment{});
}

TEST(TargetEnvironment, LinuxFromManylinux)
{
    const auto env = environment_of("3.11", {"manylinux_2_28_x86_64", "manylinux_2_17_x86_64"});
    EXPECT_EQ(env.python_version, "3.11");
    EXPECT_EQ(env.python_full_version, "3.11.0");
    EXPECT_EQ(env.implementation_name, "cpython");
    EXPECT_EQ(env.implementation_version, "3.11.0");
    EXPECT_EQ(env.platform_python_implementation, "CPython");
    EXPECT_EQ(env.platform_system, "Linux");
    EXPECT_EQ(env.sys_platform, "linux");
    EXPECT_EQ(env.os_name, "posix");
    EXPECT_EQ(env.platform_machine, "x86_64");
    EXPECT_EQ(env.platform_release, "");
}

TEST(TargetEnvironment, PatchLevelIsKept)
{
    const auto env = environment_of("3.12.4", {"musllinux_1_2_aarch64"});
    EXPECT_EQ(env.python_version, "3.12");
    EXPECT_EQ(env.python_full_version, "3.12.4");
    EXPECT_EQ(env.platform_machine, "aarch64");
    EXPECT_EQ(env.sys_platform, "linux");
}

TEST(TargetEnvironment, WindowsAndMac)
{
    auto env = environment_of("3.10", {"win_amd64"});
    EXPECT_EQ(env.platform_system, "Windows");
    EXPECT_EQ(env.sys_platform, "win32");
    EXPECT_EQ(env.os_name, "nt");
    EXPECT_EQ(env.platform_machine, "AMD64");
    EXPECT_EQ(environment_of("3.10", {"win32"}).platform_machine, "x86");
    EXPECT_EQ(environment_of("3.10", {"win_arm64"}).platform_machine, "ARM64");
    env = environment_of("3.12", {"macosx_11_0_arm64"});
    EXPECT_EQ(env.platform_system, "Darwin");
    EXPECT_EQ(env.sys_platform, "darwin");
    EXPECT_EQ(env.platform_machine, "arm64");
    EXPECT_EQ(environment_of("3.12", {"macosx_10_9_x86_64"}).platform_machine, "x86_64");
    EXPECT_EQ(environment_of("3.12", {"linux_armv7l"}).platform_machine, "armv7l");
}

TEST(TargetEnvironment, RefusesMixedSystemsAndBadTargets)
{
    auto mixed = marker_environment(Target{"3.11", "cp", {"manylinux_2_28_x86_64", "win_amd64"}});
    ASSERT_FALSE(mixed);
    EXPECT_EQ(mixed.error().code, ErrorCode::manifest);
    EXPECT_NE(mixed.error().message.find("manylinux_2_28_x86_64 and win_amd64 are for different systems"),
              std::string::npos)
        << mixed.error().message;
    auto machines = marker_environment(Target{"3.11", "cp", {"manylinux_2_28_x86_64", "manylinux_2_28_aarch64"}});
    ASSERT_FALSE(machines);
    EXPECT_FALSE(marker_environment(Target{"2.7", "cp", {"manylinux_2_28_x86_64"}}));
    EXPECT_FALSE(marker_environment(Target{"3.11", "pp", {"manylinux_2_28_x86_64"}}));
    EXPECT_FALSE(marker_environment(Target{"3.11", "cp", {"manylinux_x86_64"}}));
}

}  // namespace
}  // namespace gapbundle::sources::pypi
