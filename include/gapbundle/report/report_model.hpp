#pragma once

// What `gapbundle report` shows, built from a bundle's signed index alone (so that it works on both
// sides of the gap) as one JSON document: `report --json` prints it, and the HTML page is rendered
// from it, so the two never disagree.

#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/ops/index_document.hpp>

#include <nlohmann/json.hpp>

#include <optional>

namespace gapbundle::report {

struct ReportInput {
    const ops::IndexDocument* document = nullptr;
    // The check of the signatures against this host's trusted keys, when there are any to check.
    std::optional<bundle::SignatureCheck> trust;
    const ops::IndexDocument* base = nullptr;  // --base OLDER: what changed since
};

// Keys, in this order:
// - "bundle": name, channel, serial, created, expires, producer, index_sha256, manifest_sha256,
//   lock_sha256, source ("bundle" or "index"), base (a delta's base) ;
// - "signatures": [{keyid, trusted: true | false | null when nothing was checked}];
// - "totals": entries, files, bytes, and "areas": [{area, kind, files, bytes}] by top folder;
// - "kinds": {kind: [component]}, each component {name, version, requested, dependencies,
//   files: [{path, size, sha256}], bytes} plus what its kind adds (pip: tags; conda: build,
//   channel, subdir; images: digest; huggingface: commit; helm: images);
// - "files": the entries under files/ ({path, size, sha256} or {path, link});
// - "trees": {"pip": [node], "conda": [node]}, node {name, version, requirement, children,
//   repeated: true when the node was expanded higher up};
// - "sizes": the largest components [{kind, name, version, bytes}] (at most 20);
// - "changes" (with a base): {base: {name, serial, index_sha256}, kinds: {kind: {added, removed,
//   changed}}, folders: {folder: {added, removed, changed}}, old_bytes, new_bytes}.
// With FileLists::left_out, the components have no "files" and there is no "files" key: the
// HTML page takes those lists from the index as it writes them (66,000 files as JSON objects
// are 50 MB), and only --json prints the whole model.
enum class FileLists { listed, left_out };
nlohmann::ordered_json report_model(const ReportInput& input, FileLists lists = FileLists::listed);

}  // namespace gapbundle::report
