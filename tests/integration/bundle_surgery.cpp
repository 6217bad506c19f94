#include "bundle_surgery.hpp"

#include "support/test_dir.hpp"

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/bundle/sbom.hpp>
#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/bundle/verifier.hpp>
#include <gapbundle/bundle/writer.hpp>
#include <gapbundle/crypto/keys.hpp>
#include <gapbundle/crypto/sha256.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace gapbundle::testing {

namespace {

template <typename T>
T checked(Result<T> result, const std::string& what)
{
    if (!result) throw std::runtime_error(what + ": " + result.error().message);
    return std::move(*result);
}

void checked(const Status& status, const std::string& what)
{
    if (!status) throw std::runtime_error(what + ": " + status.error().message);
}

void set_file(bundle::Index& index, std::string_view path, const std::string& content)
{
    auto it = std::ranges::find(index.entries, path, &bundle::Entry::path);
    if (it == index.entries.end()) throw std::runtime_error(std::string(path) + " is not in the index");
    it->size = content.size();
    it->sha256 = crypto::sha256_hex(content);
}

}  // namespace

void rewrite_bundle(const std::filesystem::path& bundle, const std::filesystem::path& tree,
                    const std::filesystem::path& key, const std::filesystem::path& out, const Surgery& surgery)
{
    bundle::Index index = checked(bundle::read_head(bundle), "reading " + bundle.string()).index;
    ++index.serial;  // a later release of the channel, not a second index under the same serial
    std::set<std::string> dropped(surgery.drop_paths.begin(), surgery.drop_paths.end());
    std::erase_if(index.components, [&](const bundle::Component& component) {
        const bool drop = std::ranges::find(surgery.drop_components, std::pair(component.kind, component.name)) !=
                          surgery.drop_components.end();
        if (drop)
            for (const auto path : component.paths) dropped.emplace(path);
        return drop;
    });
    std::erase_if(index.entries, [&](const bundle::Entry& entry) { return dropped.contains(entry.path); });
    for (auto& component : index.components) {
        PathList kept;
        for (const auto path : component.paths)
            if (!dropped.contains(std::string(path))) kept.push_back(path);
        component.paths = std::move(kept);
    }

    for (const auto& [path, content] : surgery.replace) set_file(index, path, content);
    const std::string sbom = bundle::sbom_text(index);
    set_file(index, bundle::k_sbom_path, sbom);
    const std::string sums = bundle::sha256sums_text(index.entries);  // it leaves itself out
    set_file(index, bundle::k_sums_path, sums);

    const std::string index_json = bundle::to_canonical_json(index);
    const auto private_key = checked(crypto::PrivateKey::load_pem_file(key), "loading " + key.string());
    const auto signature = checked(bundle::sign_index(private_key, index_json), "signing");

    auto writer = checked(bundle::BundleWriter::create(out, {}), "creating " + out.string());
    checked(writer.add_bytes(bundle::k_index_path, index_json), "index");
    checked(writer.add_bytes(bundle::k_signatures_path, bundle::signatures_to_json({signature})), "signatures");
    for (const std::size_t position : bundle::stream_order(index)) {
        const auto& entry = index.entries[position];
        if (entry.type == bundle::EntryType::dir) {
            checked(writer.add_dir(entry.path, entry.mode), entry.path);
        } else if (entry.type == bundle::EntryType::symlink) {
            checked(writer.add_symlink(entry.path, entry.link_target), entry.path);
        } else {
            const auto replaced = surgery.replace.find(entry.path);
            const std::string content = entry.path == bundle::k_sbom_path   ? sbom
                                        : entry.path == bundle::k_sums_path ? sums
                                        : replaced != surgery.replace.end() ? replaced->second
                                                                            : read_text(tree / entry.path);
            checked(writer.add_bytes(entry.path, content, entry.mode), entry.path);
        }
    }
    checked(writer.commit(), "committing " + out.string());
}

}  // namespace gapbundle::testing
