#pragma once

// A manifest section's tests: parse a manifest made of the standard header and `rest`, in the
// test's own folder, and read its error with that folder left out of the message.

#include <gapbundle/manifest/manifest.hpp>

#include "../../support/test_dir.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gapbundle::manifest {

class ManifestSectionTest : public gapbundle::testing::TestDirFixture {
protected:
    static constexpr const char* k_header = "apiVersion: gapbundle/v1\nname: demo\n";

    Result<Manifest> parse(const std::string& rest) { return parse_manifest(std::string(k_header) + rest, dir() / "m.yaml"); }

    // "(parsed)" when it parses; else the message, which must be a manifest error.
    std::string error_of(const std::string& rest)
    {
        auto manifest = parse(rest);
        if (manifest) return "(parsed)";
        EXPECT_EQ(manifest.error().code, ErrorCode::manifest) << manifest.error().message;
        const std::string prefix = dir().string() + "/";
        std::string message = manifest.error().message;
        for (auto at = message.find(prefix); at != std::string::npos; at = message.find(prefix))
            message.erase(at, prefix.size());
        return message;
    }
};

}  // namespace gapbundle::manifest
