#pragma once

#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <string>

namespace gapbundle::ops {

struct KeygenResult {
    std::filesystem::path private_key;  // PREFIX.key, 0600
    std::filesystem::path public_key;   // PREFIX.pub
    std::string key_id;
};

Result<KeygenResult> keygen(const std::filesystem::path& prefix);

}  // namespace gapbundle::ops
