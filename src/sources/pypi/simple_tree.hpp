#pragma once

// The documents the pip kind writes into a bundle: a PEP 503 Simple API tree over pypi/files/
// and a hash-pinned requirements file. Private to the pip kind.

#include <string>
#include <vector>

namespace gapbundle::sources::pypi {

struct CarriedFile {
    std::string project;  // canonical name
    std::string version;  // as resolved
    std::string filename;
    std::string sha256;
    std::string requires_python;  // as the index gave it, "" for none
};

struct GeneratedDocument {
    std::string bundle_path;  // "pypi/simple/index.html"
    std::string content;
};

// pypi/simple/index.html and pypi/simple/<project>/index.html, whose links point at
// ../../files/<file>#sha256=<hex>, so that `pip install --index-url file://DIR/pypi/simple`
// works from the unpacked tree. Sorted by path.
std::vector<GeneratedDocument> simple_tree(const std::vector<CarriedFile>& files);

// pypi/requirements.lock: "name==version --hash=sha256:..." for every carried file, sorted by
// name, for `pip install --require-hashes --no-index --find-links pypi/files -r ...`.
std::string requirements_lock(const std::vector<CarriedFile>& files, const std::string& header);

}  // namespace gapbundle::sources::pypi
