#pragma once

// The image archive tests' layout: the sample layout of oci_layout.hpp (two single-platform images
// sharing a layer, and a two-platform index), named by full references as a bundle names them.

#include "oci_layout.hpp"

#include "support/run_binary.hpp"
#include "support/test_dir.hpp"

#include <gapbundle/sources/oci/image_archive.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <optional>

namespace gapbundle::testing {

inline constexpr const char* k_app_ref = "127.0.0.1:5000/demo/app:1.0";
inline constexpr const char* k_python_ref = "docker.io/library/python:3.11-slim";
inline constexpr const char* k_multi_ref = "docker.io/library/multi:2";

class ImageArchiveTest : public TestDirFixture {
protected:
    void SetUp() override
    {
        TestDirFixture::SetUp();
        m_layout = std::make_unique<OciLayout>(dir() / "layout");
        SampleImages images = add_sample_images(*m_layout, k_app_ref, k_python_ref, k_multi_ref);
        m_app = std::move(images.first);
        m_python = std::move(images.second);
        m_amd64 = std::move(images.amd64);
        m_arm64 = std::move(images.arm64);
        m_index = images.index;
    }

    [[nodiscard]] std::filesystem::path layout() const { return m_layout->folder(); }
    [[nodiscard]] std::filesystem::path output() const { return dir() / "images.tar"; }

    Result<sources::oci::ArchiveResult> write(const sources::oci::ArchiveOptions& options = {}) const
    {
        return sources::oci::write_image_archive(layout(), output(), options);
    }

    // Runs a tool; the test fails with its output when it exits non-zero.
    RunResult run(const std::string& program, const std::vector<std::string>& args) const
    {
        const auto scratch = dir() / "scratch";
        std::filesystem::create_directories(scratch);
        RunResult result = run_program(program, args, scratch);
        EXPECT_EQ(result.status, 0) << program << " failed:\n" << result.out << result.err;
        return result;
    }

    // One member of the archive, read with tar.
    std::string member(const std::string& name) const { return run("/usr/bin/tar", {"-xOf", output(), name}).out; }
    nlohmann::json member_json(const std::string& name) const { return nlohmann::json::parse(member(name)); }

    static std::string blob_member(const Descriptor& d) { return "blobs/sha256/" + d.digest.substr(7); }

    std::unique_ptr<OciLayout> m_layout;
    BuiltImage m_app, m_python, m_amd64, m_arm64;
    Descriptor m_index;
};

}  // namespace gapbundle::testing
