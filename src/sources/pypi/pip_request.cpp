#include "pip_request.hpp"

#include <gapbundle/sources/pypi/project_name.hpp>
#include <gapbundle/sources/pypi/requirements_file.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>

namespace gapbundle::sources::pypi {

namespace {

std::string without_trailing_slash(std::string url)
{
    while (url.ends_with('/')) url.pop_back();
    return url;
}

Status add_lines(const manifest::Manifest& manifest, const std::vector<manifest::PipLine>& lines, const char* key,
                 std::vector<Requirement>& out)
{
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto requirement = Requirement::parse(lines[i].text);
        if (!requirement)
            return std::unexpected(requirement.error().context(manifest.location(lines[i].mark) + ": pip: " + key + "[" +
                                                               std::to_string(i) + "]"));
        out.push_back(std::move(*requirement));
    }
    return {};
}

void add_pins(PipRequest& request, const std::vector<RequirementLine>& lines)
{
    for (const auto& line : lines)
        if (!line.hashes.empty())
            request.pinned_hashes[canonical_name(line.requirement.name)].insert(line.hashes.begin(), line.hashes.end());
}

Status add_file(const manifest::Manifest& manifest, const manifest::PipLine& line, PipRequest& request)
{
    std::filesystem::path path = line.text;
    if (path.is_relative()) path = manifest.dir() / path;
    const std::string where = manifest.location(line.mark) + ": pip: requirements_files";
    auto file = read_requirements_file(path);
    if (!file) return std::unexpected(file.error().context(where));
    for (auto& line_read : file->requirements) request.roots.push_back(line_read.requirement);
    for (auto& line_read : file->constraints) request.constraints.push_back(line_read.requirement);
    add_pins(request, file->requirements);
    add_pins(request, file->constraints);
    if (file->index_url && without_trailing_slash(*file->index_url) != request.indexes.front())
        return fail(ErrorCode::manifest, where + ": " + path.string() + " sets --index-url " +
                                             text::redact_url(*file->index_url) + " but the manifest's pip index is " +
                                             text::redact_url(request.indexes.front()) +
                                             "; set 'pip: index' in the manifest instead");
    for (const auto& extra : file->extra_index_urls) {
        std::string url = without_trailing_slash(extra);
        if (std::ranges::find(request.indexes, url) == request.indexes.end()) request.indexes.push_back(std::move(url));
    }
    if (file->pre) request.allow_prereleases = true;
    return {};
}

}  // namespace

Result<PipRequest> gather_request(const manifest::Manifest& manifest, const manifest::PipSpec& spec)
{
    PipRequest request;
    request.allow_prereleases = spec.allow_prereleases;
    request.indexes.push_back(without_trailing_slash(spec.index));
    for (const auto& extra : spec.extra_indexes) {
        std::string url = without_trailing_slash(extra);
        if (std::ranges::find(request.indexes, url) == request.indexes.end()) request.indexes.push_back(std::move(url));
    }
    if (auto st = add_lines(manifest, spec.requirements, "requirements", request.roots); !st)
        return std::unexpected(st.error());
    if (auto st = add_lines(manifest, spec.constraints, "constraints", request.constraints); !st)
        return std::unexpected(st.error());
    for (const auto& line : spec.requirements_files)
        if (auto st = add_file(manifest, line, request); !st) return std::unexpected(st.error());
    return request;
}

}  // namespace gapbundle::sources::pypi
