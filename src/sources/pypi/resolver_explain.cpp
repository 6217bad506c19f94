#include "resolver_explain.hpp"

#include <algorithm>
#include <string>
#include <tuple>

namespace gapbundle::sources::pypi {

namespace {

std::string without_marker(const Requirement& requirement)
{
    auto copy = requirement;
    copy.marker.reset();
    return copy.to_string();
}

std::string who_requires(const RequirementInfo& info)
{
    if (info.parent.empty()) {
        return "the request asks for";
    }
    return info.parent + " " + info.parent_version->to_string() + " requires";
}

// "a", "a, and b", "a, b, and c".
std::string join_with_and(const std::vector<std::string>& parts)
{
    std::string text;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            text += i + 1 == parts.size() ? ", and " : ", ";
        }
        text += parts[i];
    }
    return text;
}

std::vector<RequirementInfo> sorted(std::vector<RequirementInfo> infos)
{
    auto key = [](const RequirementInfo& info) {
        return std::make_tuple(info.parent, info.parent_version ? info.parent_version->to_string() : "",
                               without_marker(info.requirement));
    };
    std::ranges::sort(infos, [&](const auto& a, const auto& b) { return key(a) < key(b); });
    return infos;
}

Error no_version(const std::string& name, const std::vector<Candidate>& seen, const RequirementInfo& wanted)
{
    std::vector<std::string> versions;
    for (auto it = seen.rbegin(); it != seen.rend(); ++it) {
        versions.push_back(it->version.to_string() + (it->yanked ? " (yanked)" : ""));
    }
    std::string list;
    for (const auto& version : versions) {
        list += (list.empty() ? "" : ", ") + version;
    }
    auto by = wanted.parent.empty() ? std::string() : " by " + wanted.parent + " " + wanted.parent_version->to_string();
    return Error{ErrorCode::download, "no version of '" + name +
                                          "' fits the target (versions seen: " + (list.empty() ? "none" : list) +
                                          "; wanted " + without_marker(wanted.requirement) + by + ")"};
}

}  // namespace

std::string requested_text(const std::vector<Requirement>& roots)
{
    std::string text;
    for (const auto& root : roots) {
        text += (text.empty() ? "" : ", ") + root.to_string();
    }
    return text;
}

Error explain_conflict(const Conflict& conflict, ResolverMoves& moves, const std::vector<Requirement>& roots)
{
    auto infos = sorted(conflict.requirements);
    if (!conflict.pinned) {
        auto seen = moves.cache().candidates(conflict.name);
        if (!seen) {
            return seen.error();
        }
        for (const auto& info : infos) {
            auto alone = moves.allowed_by(conflict.name, info.requirement.specifier);
            if (!alone) {
                return alone.error();
            }
            if (alone->empty()) {
                return no_version(conflict.name, **seen, info);
            }
        }
    }
    std::vector<std::string> parts;
    for (const auto& info : infos) {
        parts.push_back(who_requires(info) + " " + without_marker(info.requirement));
    }
    for (const auto& constraint : moves.constraints_on(conflict.name)) {
        parts.push_back("the constraint " + without_marker(constraint));
    }
    return Error{ErrorCode::download,
                 "cannot resolve: " + join_with_and(parts) + " (requested: " + requested_text(roots) + ")"};
}

}  // namespace gapbundle::sources::pypi
