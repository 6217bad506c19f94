#include "simple_tree.hpp"

#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <map>
#include <tuple>

namespace gapbundle::sources::pypi {

namespace {

using text::html_escape;

std::string page(const std::string& title, const std::string& body)
{
    return "<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" content=\"1.0\">\n<title>" +
           html_escape(title) + "</title>\n</head>\n<body>\n<h1>" + html_escape(title) + "</h1>\n" + body +
           "</body>\n</html>\n";
}

}  // namespace

std::vector<GeneratedDocument> simple_tree(const std::vector<CarriedFile>& files)
{
    std::map<std::string, std::vector<const CarriedFile*>> by_project;
    for (const auto& file : files) by_project[file.project].push_back(&file);

    std::vector<GeneratedDocument> out;
    std::string root_links;
    for (auto& [project, project_files] : by_project) {
        std::ranges::sort(project_files, {}, &CarriedFile::filename);
        root_links += "<a href=\"" + text::percent_encode(project) + "/\">" + html_escape(project) + "</a><br/>\n";
        std::string links;
        for (const auto* file : project_files) {
            links += "<a href=\"../../files/" + text::percent_encode(file->filename) + "#sha256=" + file->sha256 + "\"";
            if (!file->requires_python.empty())
                links += " data-requires-python=\"" + html_escape(file->requires_python) + "\"";
            links += ">" + html_escape(file->filename) + "</a><br/>\n";
        }
        out.push_back({"pypi/simple/" + project + "/index.html", page("Links for " + project, links)});
    }
    out.push_back({"pypi/simple/index.html", page("Simple index", root_links)});
    std::ranges::sort(out, {}, &GeneratedDocument::bundle_path);
    return out;
}

std::string requirements_lock(const std::vector<CarriedFile>& files, const std::string& header)
{
    std::vector<const CarriedFile*> sorted;
    for (const auto& file : files) sorted.push_back(&file);
    std::ranges::sort(sorted, [](const CarriedFile* a, const CarriedFile* b) {
        return std::tie(a->project, a->filename) < std::tie(b->project, b->filename);
    });
    std::string out = header;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const auto* file = sorted[i];
        if (i == 0 || sorted[i - 1]->project != file->project) {
            if (i != 0) out += "\n";
            out += file->project + "==" + file->version;
        }
        out += " \\\n    --hash=sha256:" + file->sha256;
    }
    if (!sorted.empty()) out += "\n";
    return out;
}

}  // namespace gapbundle::sources::pypi
