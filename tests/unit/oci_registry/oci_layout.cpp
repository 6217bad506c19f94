#include "oci_layout.hpp"

#include "support/test_dir.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/oci/media_types.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>

namespace gapbundle::testing {

namespace mt = sources::oci::media_types;

namespace {

void put_octal(char* field, std::size_t width, std::uint64_t value)
{
    std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
}

nlohmann::json to_json(const Descriptor& d)
{
    return {{"mediaType", d.media_type}, {"digest", d.digest}, {"size", d.size}};
}

}  // namespace

std::string tar_with_file(const std::string& name, const std::string& content)
{
    char header[512] = {};
    std::memcpy(header, name.data(), std::min<std::size_t>(name.size(), 99));
    put_octal(header + 100, 8, 0644);
    put_octal(header + 108, 8, 0);
    put_octal(header + 116, 8, 0);
    put_octal(header + 124, 12, content.size());
    put_octal(header + 136, 12, 1700000000);
    header[156] = '0';
    std::memcpy(header + 257, "ustar", 6);
    std::memcpy(header + 263, "00", 2);
    std::memset(header + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : header) sum += c;
    std::snprintf(header + 148, 8, "%06o", sum);
    header[155] = ' ';
    std::string out(header, sizeof(header));
    out += content;
    out.append((512 - content.size() % 512) % 512, '\0');
    out.append(1024, '\0');
    return out;
}

OciLayout::OciLayout(std::filesystem::path folder) : m_folder(std::move(folder))
{
    write_text(m_folder / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    std::filesystem::create_directories(m_folder / "blobs" / "sha256");
    tag({}, "");  // an empty index.json
}

Descriptor OciLayout::add_blob(const std::string& media_type, const std::string& bytes)
{
    const std::string hex = crypto::sha256_hex(bytes);
    write_text(m_folder / "blobs" / "sha256" / hex, bytes);
    return {media_type, "sha256:" + hex, bytes.size()};
}

BuiltImage OciLayout::add_image(const std::string& architecture,
                                const std::vector<std::pair<std::string, std::string>>& files)
{
    BuiltImage image;
    nlohmann::json diff_ids = nlohmann::json::array();
    for (const auto& [name, content] : files) {
        std::string layer = tar_with_file(name, content);
        image.layers.push_back(add_blob(std::string(mt::k_oci_layer_tar), layer));
        diff_ids.push_back(image.layers.back().digest);
        image.layer_bytes.push_back(std::move(layer));
    }
    const nlohmann::json config = {{"architecture", architecture},
                                   {"os", "linux"},
                                   {"config", nlohmann::json::object()},
                                   {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}};
    image.config = add_blob(std::string(mt::k_oci_config), config.dump());
    nlohmann::json layers = nlohmann::json::array();
    for (const Descriptor& layer : image.layers) layers.push_back(to_json(layer));
    const nlohmann::json manifest = {
        {"schemaVersion", 2}, {"mediaType", mt::k_oci_manifest}, {"config", to_json(image.config)}, {"layers", layers}};
    image.manifest_bytes = manifest.dump();
    image.manifest = add_blob(std::string(mt::k_oci_manifest), image.manifest_bytes);
    return image;
}

Descriptor OciLayout::add_index(const std::vector<std::pair<BuiltImage, std::string>>& images_and_arch)
{
    nlohmann::json manifests = nlohmann::json::array();
    for (const auto& [image, arch] : images_and_arch) {
        nlohmann::json entry = to_json(image.manifest);
        entry["platform"] = {{"architecture", arch}, {"os", "linux"}};
        manifests.push_back(entry);
    }
    const nlohmann::json index = {{"schemaVersion", 2}, {"mediaType", mt::k_oci_index}, {"manifests", manifests}};
    return add_blob(std::string(mt::k_oci_index), index.dump());
}

void OciLayout::tag(const Descriptor& descriptor, const std::string& name)
{
    if (!name.empty()) m_tags.emplace_back(descriptor, name);
    nlohmann::json manifests = nlohmann::json::array();
    for (const auto& [d, t] : m_tags) {
        nlohmann::json entry = to_json(d);
        entry["annotations"] = {{"org.opencontainers.image.ref.name", t}};
        manifests.push_back(entry);
    }
    const nlohmann::json index = {{"schemaVersion", 2}, {"mediaType", mt::k_oci_index}, {"manifests", manifests}};
    write_text(m_folder / "index.json", index.dump());
}

SampleImages add_sample_images(OciLayout& layout, const std::string& first_ref, const std::string& second_ref,
                               const std::string& index_ref)
{
    const std::string shared = std::string(50000, 's') + "shared base layer\n";
    SampleImages images;
    images.first = layout.add_image("amd64", {{"base.txt", shared}, {"first.txt", "only in the first\n"}});
    images.second = layout.add_image("amd64", {{"base.txt", shared}, {"second.txt", "only in the second\n"}});
    images.amd64 = layout.add_image("amd64", {{"m.txt", "multi amd64\n"}});
    images.arm64 = layout.add_image("arm64", {{"m.txt", "multi arm64\n"}});
    images.index = layout.add_index({{images.amd64, "amd64"}, {images.arm64, "arm64"}});
    layout.tag(images.first.manifest, first_ref);
    layout.tag(images.second.manifest, second_ref);
    layout.tag(images.index, index_ref);
    return images;
}

}  // namespace gapbundle::testing
