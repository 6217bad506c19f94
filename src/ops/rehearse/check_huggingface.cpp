// Hugging Face: every snapshot holds every file its tree cache lists, and every link resolves.

#include "rehearsal_checks.hpp"

#include <gapbundle/sources/hf/repo_id.hpp>
#include <gapbundle/util/fs.hpp>

#include <nlohmann/json.hpp>

namespace gapbundle::ops::rehearsal {

namespace {

namespace stdfs = std::filesystem;

// "models--org--name" → "models/org/name" (datasets--, spaces-- alike).
std::string repo_name(const std::string& folder)
{
    std::string out;
    for (std::size_t start = 0;;) {
        const auto separator = folder.find("--", start);
        out += folder.substr(start, separator - start);
        if (separator == std::string::npos) return out;
        out += '/';
        start = separator + 2;
    }
}

// hf/hub's folder for a component named "models/ORG/NAME" (or "datasets/..."), as huggingface_hub names it.
std::string cache_folder(const std::string& component_name)
{
    namespace hf = sources::hf;
    const auto slash = component_name.find('/');
    const auto type = std::string_view(component_name).substr(0, slash) == hf::api_plural(hf::RepoType::dataset)
                          ? hf::RepoType::dataset
                          : hf::RepoType::model;
    return hf::repo_folder_name({type, component_name.substr(slash + 1)});
}

std::size_t check_snapshot(const stdfs::path& repo, const std::string& name, const stdfs::path& tree_file,
                           KindRehearsal& out)
{
    const std::string commit = tree_file.stem().string();
    const std::string where = name + "@" + commit.substr(0, 12);
    auto text = fs::read_small_file(tree_file, 64 << 20);
    if (!text) {
        out.problems.push_back(where + ": " + text.error().message);
        return 0;
    }
    const auto document = nlohmann::json::parse(*text, nullptr, false);
    if (!document.is_object() || !document.contains("files") || !document["files"].is_object()) {
        out.problems.push_back(where + ": trees/" + tree_file.filename().string() + " is not a tree cache");
        return 0;
    }
    const stdfs::path snapshot = repo / "snapshots" / commit;
    std::size_t files = 0;
    for (const auto& [path, file] : document["files"].items()) {
        ++files;
        const stdfs::path link = snapshot / path;
        std::error_code ec;
        if (!stdfs::is_symlink(link, ec) && !stdfs::exists(link, ec)) {
            out.problems.push_back(where + ": " + path + " is in trees/" + tree_file.filename().string() +
                                   " but not in the snapshot");
            continue;
        }
        if (!stdfs::is_regular_file(link, ec)) {
            out.problems.push_back(where + ": " + path + " does not resolve to a file");
            continue;
        }
        const auto size = stdfs::file_size(link, ec);
        if (file.contains("size") && file["size"].is_number_unsigned() && size != file["size"].get<std::uint64_t>())
            out.problems.push_back(where + ": " + path + " is " + std::to_string(size) + " bytes, the tree cache says " +
                                   std::to_string(file["size"].get<std::uint64_t>()));
    }
    return files;
}

// A link in a snapshot that leads nowhere (one the tree cache does not list included).
void check_links(const stdfs::path& repo, const std::string& name, KindRehearsal& out)
{
    std::error_code ec;
    const stdfs::path snapshots = repo / "snapshots";
    if (!stdfs::is_directory(snapshots, ec)) return;
    for (auto it = stdfs::recursive_directory_iterator(snapshots, ec); !ec && it != stdfs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_symlink(ec) && !stdfs::exists(it->path(), ec))
            out.problems.push_back(name + ": " + stdfs::relative(it->path(), repo).string() + " is a broken link");
    }
}

}  // namespace

KindRehearsal rehearse_huggingface(const Tree& tree)
{
    KindRehearsal out{"huggingface", Verdict::passed, {}, {}, {}};
    const stdfs::path hub = tree.root / "hf" / "hub";
    std::error_code ec;
    std::size_t repos = 0;
    std::size_t files = 0;
    if (stdfs::is_directory(hub, ec)) {
        for (const auto& repo : stdfs::directory_iterator(hub, ec)) {
            if (!repo.is_directory() || repo.path().filename().string().find("--") == std::string::npos) continue;
            ++repos;
            const std::string name = repo_name(repo.path().filename().string());
            const stdfs::path trees = repo.path() / "trees";
            bool any = false;
            if (stdfs::is_directory(trees, ec)) {
                for (const auto& tree_file : stdfs::directory_iterator(trees, ec)) {
                    if (tree_file.path().extension() != ".json") continue;
                    any = true;
                    files += check_snapshot(repo.path(), name, tree_file.path(), out);
                }
            }
            if (!any) out.problems.push_back(name + ": no tree cache (trees/COMMIT.json) to check its snapshot against");
            check_links(repo.path(), name, out);
        }
    }
    for (const auto* component : tree.components("huggingface")) {
        const std::string folder = cache_folder(component->name);
        if (!stdfs::is_directory(hub / folder / "snapshots" / component->version, ec))
            out.problems.push_back(component->name + "@" + component->version.substr(0, 12) +
                                   ": the index names it, but hf/hub/" + folder + " has no such snapshot");
    }
    out.checked.push_back(std::to_string(repos) + " repo(s): every one of " + std::to_string(files) +
                          " file(s) their tree caches list is in its snapshot and resolves");
    out.verdict = out.problems.empty() ? Verdict::passed : Verdict::failed;
    return out;
}

}  // namespace gapbundle::ops::rehearsal
