#pragma once

// An in-memory CandidateProvider built from a text graph, one version a line:
//   app 1.0: lib<2 | tool[cli]>=3; python_version >= "3.10"
//   lib 2.0 yanked
// The dependencies are PEP 508 lines separated by " | ".

#include <gapbundle/sources/pypi/project_name.hpp>
#include <gapbundle/sources/pypi/resolver.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {

class MemoryProvider : public CandidateProvider {
public:
    explicit MemoryProvider(const std::string& graph, std::uint32_t shuffle_seed = 0) : m_seed(shuffle_seed)
    {
        std::istringstream lines(graph);
        for (std::string line; std::getline(lines, line);) {
            if (line.find_first_not_of(" \t") != std::string::npos) {
                add_line(line);
            }
        }
    }

    Result<std::vector<Candidate>> candidates(const std::string& canonical) override
    {
        ++candidate_calls;
        auto found = m_candidates.find(canonical);
        auto list = found == m_candidates.end() ? std::vector<Candidate>{} : found->second;
        shuffle(list);
        return list;
    }

    Result<std::vector<Requirement>> dependencies(const Candidate& candidate) override
    {
        ++dependency_calls;
        auto list = m_dependencies.at(candidate.file_id);
        shuffle(list);
        return list;
    }

    int candidate_calls = 0;
    int dependency_calls = 0;

private:
    template <class T>
    void shuffle(std::vector<T>& list)
    {
        if (m_seed != 0) {
            std::mt19937 random(m_seed++);
            std::shuffle(list.begin(), list.end(), random);
        }
    }

    static std::string trim(const std::string& text)
    {
        auto first = text.find_first_not_of(' ');
        auto last = text.find_last_not_of(' ');
        return first == std::string::npos ? "" : text.substr(first, last - first + 1);
    }

    void add_line(const std::string& line)
    {
        auto colon = line.find(':');
        std::istringstream head(line.substr(0, colon));
        std::string name;
        std::string version;
        std::string flag;
        head >> name >> version >> flag;
        auto parsed = Version::parse(version);
        if (!parsed) {
            throw std::invalid_argument(parsed.error().message);
        }
        auto file_id = canonical_name(name) + "-" + version + ".whl";
        m_candidates[canonical_name(name)].push_back(Candidate{
            .name = canonical_name(name), .version = *parsed, .file_id = file_id, .yanked = flag == "yanked"});
        auto& dependencies = m_dependencies[file_id];
        if (colon == std::string::npos) {
            return;
        }
        auto rest = line.substr(colon + 1);
        for (std::size_t start = 0; start <= rest.size();) {
            auto bar = rest.find(" | ", start);
            auto piece = trim(rest.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
            if (!piece.empty()) {
                auto requirement = Requirement::parse(piece);
                if (!requirement) {
                    throw std::invalid_argument(requirement.error().message);
                }
                dependencies.push_back(*requirement);
            }
            start = bar == std::string::npos ? rest.size() + 1 : bar + 3;
        }
    }

    std::uint32_t m_seed;
    std::map<std::string, std::vector<Candidate>> m_candidates;
    std::map<std::string, std::vector<Requirement>> m_dependencies;  // by file_id
};

}  // namespace gapbundle::sources::pypi
