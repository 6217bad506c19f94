#pragma once

// The file names of a bundle written in volumes (pack --split-size): BUNDLE.000 holds the head
// (index.json and its signatures), BUNDLE.001 onwards the rest of the stream, cut into pieces.
// Their concatenation, in order, is an ordinary bundle.

#include <cstddef>
#include <filesystem>
#include <optional>

namespace gapbundle::bundle {

// BUNDLE.NNN, NNN the volume number on three digits.
std::filesystem::path volume_path(const std::filesystem::path& bundle, std::size_t number);

// BUNDLE for BUNDLE.000; nullopt for any other name.
std::optional<std::filesystem::path> volume_set_of(const std::filesystem::path& first_volume);

// The number NNN of a name ending in .NNN, if it has one (to tell a user who gave a later volume
// which one to give instead).
std::optional<std::size_t> volume_number_of(const std::filesystem::path& path);

}  // namespace gapbundle::bundle
