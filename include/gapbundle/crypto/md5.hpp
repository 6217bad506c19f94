#pragma once

#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <string>

namespace gapbundle::crypto {

// The file's MD5 in lowercase hex. Only for checking a download against a channel that gives
// nothing stronger (old conda repodata); never for anything gapbundle signs or indexes.
Result<std::string> md5_file_hex(const std::filesystem::path& path);

}  // namespace gapbundle::crypto
