#pragma once

// gapbundle/sbom.cdx.json: the bundle's inventory as a CycloneDX 1.5 JSON document, derived from
// the index alone (docs/bundle-format.md §3.5), so that any CycloneDX tool can read what crosses.

#include <gapbundle/bundle/index.hpp>

#include <string>

namespace gapbundle::bundle {

// The package URL of a component: pkg:pypi, pkg:oci, pkg:huggingface, pkg:conda, or pkg:generic
// for a kind without a purl type of its own.
std::string purl_of(const Component& component);

// The SBOM text of `index` read in pieces, so that pack need not hold it (one piece per component
// and per file of `files/`). It reads the components and the file entries outside gapbundle/, so
// it reads the same before and after SHA256SUMS and the SBOM's own entry join the index.
class SbomReader : public PieceReader {
public:
    explicit SbomReader(const Index& index) : m_index(&index) {}
    explicit SbomReader(Index&&) = delete;  // it reads the index as it goes

private:
    bool next_piece(std::string& piece) override;

    enum class Stage { head, components, files, dependencies, tail, done };
    const Index* m_index;
    Stage m_stage = Stage::head;
    std::size_t m_next = 0;  // the next component, entry or dependency of this stage
    bool m_first = true;     // no element written yet in the current list
};

// The whole SBOM text (tests, small indexes).
std::string sbom_text(const Index& index);

}  // namespace gapbundle::bundle
