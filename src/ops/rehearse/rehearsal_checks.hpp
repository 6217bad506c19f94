#pragma once

// One check per kind for `rehearse`, each run on the unpacked tree with the network already cut.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/ops/rehearse.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::ops::rehearsal {

struct Tree {
    std::filesystem::path root;   // the unpacked bundle
    std::filesystem::path work;   // scratch space beside it (venvs, a registry's storage)
    const bundle::Index* index = nullptr;

    [[nodiscard]] std::vector<const bundle::Component*> components(std::string_view kind) const;
};

KindRehearsal rehearse_pip(const Tree& tree);
KindRehearsal rehearse_huggingface(const Tree& tree);
KindRehearsal rehearse_images(const Tree& tree);
KindRehearsal rehearse_conda(const Tree& tree);
KindRehearsal rehearse_helm(const Tree& tree);

// The program's path when `name` is an executable on PATH.
std::optional<std::filesystem::path> find_program(std::string_view name);

// The lines of a tool's output worth repeating: those starting with one of `prefixes`, at most 20.
std::vector<std::string> lines_starting_with(std::string_view output, std::initializer_list<std::string_view> prefixes);

}  // namespace gapbundle::ops::rehearsal
