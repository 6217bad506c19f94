#pragma once

#include "support/run_binary.hpp"
#include "support/test_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::testing {

// Runs the real gapbundle binary in the test's own folder: a signing key, a cache, helpers to
// write manifests and to check that a destination was left untouched.
class TripTest : public TestDirFixture {
protected:
    void SetUp() override;

    RunResult gapbundle(const std::vector<std::string>& args, const std::vector<std::string>& env = {});
    // Writes manifest.yaml with the given `files:` entries (YAML lines, already indented).
    std::filesystem::path write_manifest(const std::string& files_yaml, const std::string& extra_top = "");
    // data/model.bin (300,003 bytes), data/sub/notes.txt and card.md, and the manifest listing them
    // (card.md as docs/card.md); returns the manifest.
    std::filesystem::path write_local_payload();
    // pack with the default key and cache; asserts exit 0.
    void pack_ok(const std::filesystem::path& manifest, const std::filesystem::path& bundle,
                 const std::vector<std::string>& extra = {});
    static nlohmann::json json_of(const RunResult& result);
    // No file or folder below dir() whose name contains "staging".
    void expect_no_staging_left() const;

    std::filesystem::path key() const { return dir() / "signer.key"; }
    std::filesystem::path pub() const { return dir() / "signer.pub"; }
    std::filesystem::path cache() const { return dir() / "cache"; }
};

// Flips one byte at `offset`.
void flip_byte(const std::filesystem::path& file, std::uint64_t offset);
// Offset of the first occurrence of `needle` in the file, or npos.
std::uint64_t find_bytes(const std::filesystem::path& file, const std::string& needle);

}  // namespace gapbundle::testing
