#include <gapbundle/ops/rehearse.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/network_namespace.hpp>

#include "rehearsal_checks.hpp"

#include <algorithm>
#include <cstdlib>
#include <unistd.h>

namespace gapbundle::ops {

namespace rehearsal {

std::vector<const bundle::Component*> Tree::components(std::string_view kind) const
{
    std::vector<const bundle::Component*> out;
    for (const auto& component : index->components)
        if (component.kind == kind) out.push_back(&component);
    return out;
}

std::optional<std::filesystem::path> find_program(std::string_view name)
{
    const char* path = std::getenv("PATH");
    std::string_view rest = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        const std::string_view folder = rest.substr(0, colon);
        rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        if (folder.empty()) continue;
        const auto candidate = std::filesystem::path(folder) / name;
        if (::access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate)) return candidate;
    }
    return std::nullopt;
}

std::vector<std::string> lines_starting_with(std::string_view output, std::initializer_list<std::string_view> prefixes)
{
    std::vector<std::string> out;
    while (!output.empty() && out.size() < 20) {
        const auto end = output.find('\n');
        std::string_view line = output.substr(0, end);
        output = end == std::string_view::npos ? std::string_view() : output.substr(end + 1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        if (line.empty()) continue;
        for (const auto prefix : prefixes)
            if (line.starts_with(prefix)) {
                out.emplace_back(line);
                break;
            }
    }
    return out;
}

}  // namespace rehearsal

bool RehearseResult::passed() const
{
    return verify.ok() &&
           std::ranges::none_of(kinds, [](const KindRehearsal& k) { return k.verdict == Verdict::failed; });
}

Result<RehearseResult> rehearse(const RehearseOptions& options)
{
    // A delta holds only what changed: what it completes is what must install. (Unverified: only
    // for a clearer refusal; the unpack below verifies.)
    if (auto head = inspect(options.bundle); head && head->index.base)
        return fail(ErrorCode::usage, options.bundle.string() + " is a delta on serial " +
                                          std::to_string(head->index.base->serial) +
                                          ": rehearse the full bundle, whose content is what must install");
    const auto parent = options.work_parent.empty() ? std::filesystem::temp_directory_path() : options.work_parent;
    auto work = fs::TempDir::create(parent, "gapbundle-rehearse-");
    if (!work) return std::unexpected(work.error());
    const auto root = work->path() / "tree";

    TrustOptions trust = options.trust;
    trust.state_dir.clear();  // a rehearsal accepts nothing on the channel's behalf
    auto unpacked = unpack(options.bundle, root, trust, bundle::ExistingDestination::refuse);
    if (!unpacked) return std::unexpected(unpacked.error());
    RehearseResult result;
    result.verify = std::move(unpacked->verify);
    if (!result.verify.ok()) return result;
    if (!options.cut_network) {
        result.isolation = "not cut (--no-isolation): the checks ran with this host's network";
    } else if (auto cut = netns::cut_network(); !cut) {
        result.isolation = cut.error().message + "; the checks ran with this host's network";
    } else {
        result.isolated = true;
        result.isolation = "cut: a network namespace with loopback only";
    }

    const rehearsal::Tree tree{root, work->path(), &*result.verify.index};
    const auto has = [&](std::string_view kind, std::string_view folder) {
        return !tree.components(kind).empty() || std::filesystem::exists(root / folder);
    };
    if (has("pip", "pypi")) result.kinds.push_back(rehearsal::rehearse_pip(tree));
    if (has("huggingface", "hf")) result.kinds.push_back(rehearsal::rehearse_huggingface(tree));
    if (has("images", "oci")) result.kinds.push_back(rehearsal::rehearse_images(tree));
    if (has("conda", "conda")) result.kinds.push_back(rehearsal::rehearse_conda(tree));
    if (has("helm", "helm")) result.kinds.push_back(rehearsal::rehearse_helm(tree));
    return result;
}

}  // namespace gapbundle::ops
