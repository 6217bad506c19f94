#pragma once

// conda's explicit environment file (`@EXPLICIT`, CEP 23): one package file per line, in the
// order they install, so that `conda create --offline --file` rebuilds exactly a solution.

#include <gapbundle/sources/conda/record.hpp>

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::conda {

// The records with every dependency before its dependants (depends naming a record of the set;
// a cycle is broken where it closes), ties in name order. The same set in any order gives the
// same order.
std::vector<const RepodataRecord*> install_order(std::span<const RepodataRecord> records);

// "# comment lines\n@EXPLICIT\nLOCATION#sha256:HEX\n..." in install order, where
// `location(record)` says where its file is (a URL or a path relative to where conda runs).
// Every record must have a sha256.
std::string explicit_lock(std::span<const RepodataRecord> records, std::string_view header_comment,
                          const std::function<std::string(const RepodataRecord&)>& location);

}  // namespace gapbundle::sources::conda
