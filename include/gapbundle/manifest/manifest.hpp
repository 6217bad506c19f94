#pragma once

#include <gapbundle/util/error.hpp>
#include <gapbundle/util/time.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::manifest {

struct Mark {
    int line = 0;    // 1-based
    int column = 0;  // 1-based
    std::filesystem::path file{};  // a file the manifest names (a conda environment file); empty: the manifest
};

// http:// or https:// (downloaded), as opposed to file:// and local paths.
bool is_remote_url(std::string_view url);

struct FileSpec {
    std::string url;                    // http(s)://, file://, or a path relative to the manifest
    std::optional<std::string> sha256;  // lowercase hex
    std::optional<std::string> path;    // under files/ in the bundle; default the URL's file name
    Mark mark;                          // where the entry starts
    std::string target;                 // `path`, else the URL's (or local path's) file name; checked safe

    // http:// or https:// (downloaded); anything else is a local file or folder.
    [[nodiscard]] bool is_remote() const;
};

// One `images:` entry. The reference and platforms are checked by the images kind (which knows the
// grammar); here they are kept as written.
struct ImageSpec {
    std::string ref;                     // "python:3.11-slim", "quay.io/a/b@sha256:..."
    std::vector<std::string> platforms;  // as written; empty means the default (linux/amd64)
    Mark mark;
};

// One `registries:` entry: how to talk to a registry host. Never holds a secret itself.
struct RegistrySettings {
    std::string host;                         // "nvcr.io", "registry.local:5000", "docker.io"
    std::optional<std::string> username_env;  // names of environment variables
    std::optional<std::string> password_env;
    bool insecure = false;                    // plain http
    Mark mark;
};

// A line of text in the manifest (a requirement, a constraint, a file name, a channel), kept as
// written: the kind it belongs to parses it and names `mark` in its errors.
struct TextLine {
    std::string text;
    Mark mark;
};
using PipLine = TextLine;

// `pip: target:` — the gap's interpreter, never this host's.
struct PipTarget {
    std::string python;                  // "3.11" or "3.11.9"
    std::vector<std::string> platforms;  // wheel platform tags, best first
    std::string implementation = "cp";
    Mark mark;
};

// The `pip:` section. Credentials come from environment variables it names, or ~/.netrc.
struct PipSpec {
    std::string index = "https://pypi.org/simple";
    std::vector<std::string> extra_indexes;
    PipTarget target;
    std::vector<PipLine> requirements;
    std::vector<PipLine> requirements_files;  // relative to the manifest's folder
    std::vector<PipLine> constraints;
    bool only_binary = true;
    std::vector<PipLine> allow_sdist;  // project names whose sdists may be carried
    bool allow_prereleases = false;
    std::optional<std::string> username_env;  // for every index of the section
    std::optional<std::string> password_env;
    Mark mark;
};

// One `huggingface: repos:` entry. Repo id, revision and patterns are checked by the kind.
struct HfRepoSpec {
    std::string repo;                  // "meta-llama/Llama-3.1-8B-Instruct"
    std::string type = "model";        // model | dataset
    std::string revision = "main";     // branch, tag or commit; the lock pins the commit
    std::vector<std::string> allow;    // fnmatch patterns, as huggingface_hub's allow_patterns
    std::vector<std::string> ignore;
    Mark mark;
};

// The `huggingface:` section. The token comes from HF_TOKEN or huggingface_hub's token file.
struct HuggingFaceSpec {
    std::string endpoint = "https://huggingface.co";  // HF_ENDPOINT overrides it
    std::vector<HfRepoSpec> repos;
    Mark mark;
};

// The `conda:` section, with the environment files it names already merged in: their channels
// after the manifest's, their dependencies after its specs, and their `pip:` lists in the `pip:`
// section (requirements, and `-r FILE` as requirements_files with FILE made absolute).
struct CondaSpec {
    std::vector<TextLine> channels;  // names or URLs as written, highest priority first, unique
    std::vector<std::string> subdirs;  // the target's platform subdir (at most one), then "noarch"
    std::map<std::string, std::string> virtual_packages;  // "__glibc" -> "2.28"
    std::vector<TextLine> specs;       // MatchSpecs: the manifest's, then each environment file's
    std::vector<TextLine> environment_files;  // as written, relative to the manifest's folder
    Mark mark;
};

// One `helm:` entry: a chart from a classic chart repository or from an OCI registry.
struct HelmChartSpec {
    enum class Images { automatic, none, listed };
    std::string repo;     // https://… (classic), empty for an OCI chart
    std::string chart;    // the chart's name in the repository; for OCI, the last path segment
    std::string oci;      // "oci://registry/path/name", empty for a classic chart
    std::string version;  // a constraint as helm reads it ("^18.1", "15.5.20"); empty: the newest release
    bool devel = false;   // pre-releases too, as `helm pull --devel`
    Images images = Images::automatic;
    std::vector<TextLine> listed_images;  // when `images` is a list
    Mark mark;
};

struct Expiry {
    enum class Kind { duration, absolute };
    Kind kind = Kind::duration;
    time::Seconds value = 0;  // seconds after `created`, or a point in time
};

struct Manifest {
    std::filesystem::path file;  // as given
    std::string sha256;          // of the file's exact bytes
    std::string name;
    std::string channel;  // `channel`, default the name: the gap side keeps serials per channel
    std::optional<std::uint64_t> serial;
    std::optional<Expiry> expires;
    std::vector<FileSpec> files;
    std::vector<ImageSpec> images;
    std::vector<RegistrySettings> registries;  // in manifest order, hosts unique
    std::optional<PipSpec> pip;
    std::optional<HuggingFaceSpec> huggingface;
    std::optional<CondaSpec> conda;
    std::vector<HelmChartSpec> helm;

    // The settings for a registry host, if the manifest has any.
    [[nodiscard]] const RegistrySettings* registry(std::string_view host) const;

    [[nodiscard]] std::filesystem::path dir() const;  // folder relative paths resolve against
    // The absolute, normalised local path of a file:// URL or a path (relative to dir()).
    [[nodiscard]] std::filesystem::path local_path(const FileSpec& spec) const;
    // "FILE:LINE:COL", for messages about an entry.
    [[nodiscard]] std::string location(const Mark& mark) const;
};

inline constexpr std::string_view k_api_version = "gapbundle/v1";

// Errors are ErrorCode::manifest with "FILE:LINE:COL: message".
Result<Manifest> load_manifest(const std::filesystem::path& file);
Result<Manifest> parse_manifest(std::string_view yaml, const std::filesystem::path& file);

}  // namespace gapbundle::manifest
