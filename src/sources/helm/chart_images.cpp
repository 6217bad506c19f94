#include <gapbundle/sources/helm/chart_images.hpp>

#include "yaml_reading.hpp"

#include <gapbundle/sources/oci/reference.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>

namespace gapbundle::sources::helm {

namespace {

using reading::scalar;

class ImageCollector {
public:
    explicit ImageCollector(ImageSearch& out) : m_out(out) {}

    void add(const std::string& text, const std::string& where)
    {
        auto reference = oci::parse_reference(text);
        if (!reference) {
            m_out.notes.push_back(where + ": '" + text + "' is not an image reference (" + reference.error().message + ")");
            return;
        }
        const std::string ref = reference->to_string();
        if (std::ranges::none_of(m_out.images, [&](const FoundImage& found) { return found.ref == ref; }))
            m_out.images.push_back({ref, where});
    }

    void annotations(const Chart& chart, const std::string& who)
    {
        for (const char* key : {"artifacthub.io/images", "helm.sh/images"}) {
            const auto found = chart.metadata.annotations.find(key);
            if (found == chart.metadata.annotations.end()) continue;
            const std::string where = who + ": annotation " + key;
            YAML::Node list;
            try {
                list = YAML::Load(found->second);
            } catch (const YAML::Exception& e) {
                m_out.notes.push_back(where + ": not YAML (" + e.msg + ")");
                continue;
            }
            if (!list.IsSequence()) {
                m_out.notes.push_back(where + ": not a list of {name, image}");
                continue;
            }
            for (const auto& item : list) {
                const std::string image = item.IsMap() ? scalar(item, "image") : std::string();
                if (!image.empty()) add(image, where);
            }
        }
    }

    void values(const Chart& chart, const std::string& who)
    {
        if (chart.values_yaml.empty()) return;
        YAML::Node root;
        try {
            root = YAML::Load(chart.values_yaml);
        } catch (const YAML::Exception& e) {
            m_out.notes.push_back(who + ": values.yaml is not YAML (" + e.msg + ")");
            return;
        }
        m_registry_override.clear();
        if (root.IsMap() && root["global"] && root["global"].IsMap())
            m_registry_override = scalar(root["global"], "imageRegistry");
        m_app_version = chart.metadata.app_version;
        walk(root, who + ": values.yaml");
    }

private:
    void walk(const YAML::Node& node, const std::string& where)
    {
        if (node.IsSequence()) {
            for (const auto& item : node) walk(item, where);
            return;
        }
        if (!node.IsMap()) return;
        if (const std::string repository = scalar(node, "repository"); !repository.empty()) image_map(node, repository, where);
        for (const auto& item : node) {
            const std::string key = item.first.IsScalar() ? item.first.Scalar() : std::string();
            if (item.second.IsScalar() && (key == "image" || key.ends_with("Image"))) image_scalar(item.second, where);
            else walk(item.second, where);
        }
    }

    void image_map(const YAML::Node& node, const std::string& repository, const std::string& where)
    {
        const std::string at = where + " line " + std::to_string(node.Mark().line + 1);
        std::string registry = m_registry_override.empty() ? scalar(node, "registry") : m_registry_override;
        std::string tag = scalar(node, "tag");
        const std::string digest = scalar(node, "digest");
        if (tag.empty() && digest.empty()) tag = m_app_version;
        if (tag.empty() && digest.empty()) {
            m_out.notes.push_back(at + ": repository '" + repository + "' has no tag, digest or appVersion to go with");
            return;
        }
        std::string ref = registry.empty() ? repository : registry + "/" + repository;
        if (!tag.empty()) ref += ":" + tag;
        if (!digest.empty()) ref += "@" + digest;
        add(ref, at);
    }

    void image_scalar(const YAML::Node& node, const std::string& where)
    {
        const std::string& text = node.Scalar();
        // A tag or a digest says it is a reference and not some other string ("IfNotPresent").
        const auto last_slash = text.rfind('/');
        const bool tagged = text.find(':', last_slash == std::string::npos ? 0 : last_slash) != std::string::npos;
        if (text.empty() || (!tagged && text.find('@') == std::string::npos)) return;
        std::string ref = text;
        if (!m_registry_override.empty()) {
            auto reference = oci::parse_reference(text);
            if (reference) {
                reference->registry = m_registry_override;
                ref = reference->to_string();
            }
        }
        add(ref, where + " line " + std::to_string(node.Mark().line + 1));
    }

    ImageSearch& m_out;
    std::string m_registry_override;
    std::string m_app_version;
};

void search(const Chart& chart, const std::string& who, ImageCollector& collector)
{
    collector.annotations(chart, who);
    collector.values(chart, who);
    for (const auto& subchart : chart.subcharts) search(subchart, who + "/" + subchart.metadata.name, collector);
}

}  // namespace

ImageSearch find_chart_images(const Chart& chart)
{
    ImageSearch out;
    ImageCollector collector(out);
    search(chart, chart.metadata.name, collector);
    return out;
}

}  // namespace gapbundle::sources::helm
