#pragma once

// Pieces of specifier parsing shared with the PEP 508 requirement parser, which reports
// errors with its own prefix and a column instead of Specifier::parse's wording.

#include <gapbundle/sources/pypi/specifier.hpp>

#include <optional>
#include <string_view>

namespace gapbundle::sources::pypi {

// Reads an operator at text[pos...] ("===" before "==", "<=" before "<") and moves pos past it.
std::optional<SpecifierOperator> read_operator(std::string_view text, std::size_t& pos);

// Checks the version against what the operator allows. The error message is the rule alone:
// "a local version label is only allowed with == and !=".
Result<Specifier> make_specifier(SpecifierOperator op, std::string_view version_text);

}  // namespace gapbundle::sources::pypi
