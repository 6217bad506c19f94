#pragma once

// Bundles that are signed but not whole, as only a bug or a hand would make them: a verified
// bundle rewritten with some entries (or whole components) dropped, its SHA256SUMS and SBOM
// remade, its serial one higher, and its index re-signed with a test key. What rehearse must catch, since verify cannot.

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace gapbundle::testing {

struct Surgery {
    std::vector<std::string> drop_paths;  // entries (files or links) to leave out
    std::vector<std::pair<std::string, std::string>> drop_components;  // (kind, name): the component and its files
    std::map<std::string, std::string> replace;  // file path → its new content (a repodata.json, an index.yaml)
};

// `tree` is `bundle` unpacked (the payload is read from it); `key` a private key file whose
// public key the test trusts. Throws std::runtime_error when anything fails.
void rewrite_bundle(const std::filesystem::path& bundle, const std::filesystem::path& tree,
                    const std::filesystem::path& key, const std::filesystem::path& out, const Surgery& surgery);

}  // namespace gapbundle::testing
