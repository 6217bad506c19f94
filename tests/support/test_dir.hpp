#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace gapbundle::testing {

// Base fixture: each test gets its own folder under $TMPDIR/gapbundle-tests, removed when the
// test passes and kept (and printed) when it fails.
class TestDirFixture : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    [[nodiscard]] const std::filesystem::path& dir() const { return m_dir; }

private:
    std::filesystem::path m_dir;
};

// Writes `content` to `path`, creating parent folders.
void write_text(const std::filesystem::path& path, const std::string& content);
std::string read_text(const std::filesystem::path& path);

}  // namespace gapbundle::testing
