#include <gapbundle/sources/oci/platform.hpp>

#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/sources/oci/reference.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace gapbundle::sources::oci {

namespace {

using nlohmann::json;

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return out;
}

// containerd's specifier component: [A-Za-z0-9_.-]+ (the os part also without '.').
bool is_component(std::string_view s, bool allow_dot)
{
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               (allow_dot && c == '.');
    });
}

std::string join(const std::vector<std::string>& items, std::string_view sep)
{
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

Error index_error(std::string what)
{
    return Error{ErrorCode::download, "invalid image index: " + std::move(what)};
}

// An optional string member; an error when present with another type.
Result<std::optional<std::string>> optional_string(const json& object, const char* key, const std::string& where)
{
    const auto it = object.find(key);
    if (it == object.end()) return std::optional<std::string>{};
    if (!it->is_string()) return std::unexpected(index_error(where + "." + key + " is not a string"));
    return std::optional<std::string>{it->get<std::string>()};
}

Result<Platform> parse_entry_platform(const json& value, const std::string& where, IndexEntry& entry)
{
    if (!value.is_object()) return std::unexpected(index_error(where + " is not an object"));
    Platform platform;
    for (const auto& [key, field] :
         {std::pair{"os", &platform.os}, std::pair{"architecture", &platform.architecture},
          std::pair{"variant", &platform.variant}, std::pair{"os.version", &entry.os_version}}) {
        auto text = optional_string(value, key, where);
        if (!text) return std::unexpected(text.error());
        if (*text) *field = std::move(**text);
    }
    if (const auto features = value.find("os.features"); features != value.end()) {
        if (!features->is_array()) return std::unexpected(index_error(where + ".os.features is not an array"));
        for (const auto& feature : *features) {
            if (!feature.is_string()) return std::unexpected(index_error(where + ".os.features holds a non-string"));
            entry.os_features.push_back(feature.get<std::string>());
        }
    }
    return platform;
}

Result<IndexEntry> parse_entry(const json& value, const std::string& where)
{
    if (!value.is_object()) return std::unexpected(index_error(where + " is not an object"));
    IndexEntry entry;
    auto media_type = optional_string(value, "mediaType", where);
    if (!media_type) return std::unexpected(media_type.error());
    if (!*media_type) return std::unexpected(index_error(where + ".mediaType is missing"));
    entry.media_type = std::move(**media_type);

    auto digest = optional_string(value, "digest", where);
    if (!digest) return std::unexpected(digest.error());
    if (!*digest) return std::unexpected(index_error(where + ".digest is missing"));
    if (auto valid = validate_digest(**digest); !valid) {
        return std::unexpected(index_error(where + ".digest: " + valid.error().message));
    }
    entry.digest = std::move(**digest);

    const auto size = value.find("size");
    if (size == value.end() || !size->is_number_unsigned()) {
        return std::unexpected(index_error(where + ".size is missing or not a non-negative integer"));
    }
    entry.size = size->get<std::uint64_t>();

    if (const auto platform = value.find("platform"); platform != value.end()) {
        auto parsed = parse_entry_platform(*platform, where + ".platform", entry);
        if (!parsed) return std::unexpected(parsed.error());
        entry.platform = std::move(*parsed);
    }
    if (const auto annotations = value.find("annotations"); annotations != value.end()) {
        if (!annotations->is_object()) return std::unexpected(index_error(where + ".annotations is not an object"));
        for (const auto& [key, text] : annotations->items()) {
            if (!text.is_string()) {
                return std::unexpected(index_error(where + ".annotations." + key + " is not a string"));
            }
            entry.annotations.emplace(key, text.get<std::string>());
        }
    }
    return entry;
}

}  // namespace

std::string Platform::to_string() const
{
    std::string out = os + "/" + architecture;
    if (!variant.empty()) out += "/" + variant;
    return out;
}

Result<Platform> parse_platform(std::string_view text)
{
    const auto bad = [&](std::string why) {
        return fail(ErrorCode::manifest, "invalid platform '" + std::string(text) + "': " + std::move(why));
    };
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto slash = text.find('/', start);
        parts.push_back(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (parts.size() < 2 || parts.size() > 3) {
        return bad("expected os/architecture[/variant], e.g. linux/amd64 or linux/arm/v7");
    }
    if (!is_component(parts[0], false)) return bad("os '" + std::string(parts[0]) + "' is not a valid name");
    for (std::size_t i = 1; i < parts.size(); ++i) {
        if (!is_component(parts[i], true)) return bad("'" + std::string(parts[i]) + "' is not a valid name");
    }
    Platform platform{lower(parts[0]), lower(parts[1]), parts.size() == 3 ? lower(parts[2]) : std::string()};
    return platform;
}

Platform normalize(const Platform& platform)
{
    Platform out{lower(platform.os), lower(platform.architecture), lower(platform.variant)};
    if (out.os == "macos") out.os = "darwin";
    auto& arch = out.architecture;
    auto& variant = out.variant;
    if (arch == "i386") {
        arch = "386";
        variant.clear();
    } else if (arch == "x86_64" || arch == "x86-64" || arch == "amd64") {
        arch = "amd64";
        if (variant == "v1") variant.clear();
    } else if (arch == "aarch64" || arch == "arm64") {
        arch = "arm64";
        if (variant == "8" || variant == "v8" || variant == "v8.0") variant.clear();
        if (variant == "9" || variant == "9.0" || variant == "v9.0") variant = "v9";
    } else if (arch == "armhf") {
        arch = "arm";
        variant = "v7";
    } else if (arch == "armel") {
        arch = "arm";
        variant = "v6";
    } else if (arch == "arm") {
        if (variant.empty() || variant == "7") variant = "v7";
        if (variant == "5" || variant == "6" || variant == "8") variant = "v" + variant;
    }
    return out;
}

bool matches(const Platform& wanted, const Platform& candidate)
{
    return normalize(wanted) == normalize(candidate);
}

Result<PlatformSelection> parse_platform_list(const std::vector<std::string>& items)
{
    PlatformSelection selection;
    if (items.empty()) {
        selection.platforms.push_back(Platform{"linux", "amd64", ""});
        return selection;
    }
    if (std::find(items.begin(), items.end(), "all") != items.end()) {
        if (items.size() != 1) return fail(ErrorCode::manifest, "platform 'all' cannot be combined with others");
        selection.scope = PlatformScope::all;
        return selection;
    }
    for (const auto& item : items) {
        auto platform = parse_platform(item);
        if (!platform) return std::unexpected(platform.error());
        selection.platforms.push_back(std::move(*platform));
    }
    return selection;
}

bool IndexEntry::is_attestation() const
{
    const auto type = annotations.find(std::string(media_types::k_docker_reference_type_annotation));
    if (type != annotations.end() && type->second == media_types::k_attestation_manifest) return true;
    return platform && platform->os == "unknown" && platform->architecture == "unknown";
}

Result<std::vector<IndexEntry>> parse_index(std::string_view index_json)
{
    const json root = json::parse(index_json.begin(), index_json.end(), nullptr, false);
    if (root.is_discarded()) return std::unexpected(index_error("not valid JSON"));
    if (!root.is_object()) return std::unexpected(index_error("not a JSON object"));
    auto media_type = optional_string(root, "mediaType", "index");
    if (!media_type) return std::unexpected(media_type.error());
    if (*media_type && !media_types::is_index(**media_type)) {
        return std::unexpected(index_error("mediaType is '" + **media_type + "', not an image index or manifest list"));
    }
    const auto manifests = root.find("manifests");
    if (manifests == root.end() || !manifests->is_array()) {
        return std::unexpected(index_error("no \"manifests\" array"));
    }
    std::vector<IndexEntry> entries;
    entries.reserve(manifests->size());
    for (std::size_t i = 0; i < manifests->size(); ++i) {
        auto entry = parse_entry((*manifests)[i], "manifests[" + std::to_string(i) + "]");
        if (!entry) return std::unexpected(entry.error());
        entries.push_back(std::move(*entry));
    }
    return entries;
}

Result<std::vector<IndexEntry>> select_platforms(std::string_view index_json, const std::vector<Platform>& wanted,
                                                 std::string_view image_name)
{
    auto entries = parse_index(index_json);
    if (!entries) return std::unexpected(entries.error().context(image_name));

    std::vector<IndexEntry> selected;
    std::vector<std::string> missing;
    for (const auto& platform : wanted) {
        const auto found = std::find_if(entries->begin(), entries->end(), [&](const IndexEntry& entry) {
            return entry.platform && !entry.is_attestation() && matches(platform, *entry.platform);
        });
        if (found == entries->end()) {
            missing.push_back(platform.to_string());
            continue;
        }
        const bool already = std::any_of(selected.begin(), selected.end(),
                                         [&](const IndexEntry& entry) { return entry.digest == found->digest; });
        if (!already) selected.push_back(*found);
    }
    if (!missing.empty()) {
        std::vector<std::string> available;
        for (const auto& entry : *entries) {
            if (!entry.platform || entry.is_attestation()) continue;
            auto name = entry.platform->to_string();
            if (std::find(available.begin(), available.end(), name) == available.end()) available.push_back(name);
        }
        return fail(ErrorCode::manifest, "no " + join(missing, ", ") + " image in " + std::string(image_name) +
                                             " (available: " + (available.empty() ? "none" : join(available, ", ")) +
                                             ")");
    }
    return selected;
}

std::string make_index(const std::vector<IndexEntry>& entries, std::string_view media_type)
{
    using ordered = nlohmann::ordered_json;
    ordered manifests = ordered::array();
    for (const auto& entry : entries) {
        ordered descriptor = ordered::object();
        descriptor["mediaType"] = entry.media_type;
        descriptor["digest"] = entry.digest;
        descriptor["size"] = entry.size;
        if (entry.platform) {
            ordered platform = ordered::object();
            platform["architecture"] = entry.platform->architecture;
            platform["os"] = entry.platform->os;
            if (!entry.os_version.empty()) platform["os.version"] = entry.os_version;
            if (!entry.os_features.empty()) platform["os.features"] = entry.os_features;
            if (!entry.platform->variant.empty()) platform["variant"] = entry.platform->variant;
            descriptor["platform"] = std::move(platform);
        }
        if (!entry.annotations.empty()) {
            ordered annotations = ordered::object();
            for (const auto& [key, value] : entry.annotations) annotations[key] = value;  // std::map: sorted
            descriptor["annotations"] = std::move(annotations);
        }
        manifests.push_back(std::move(descriptor));
    }
    ordered index = ordered::object();
    index["schemaVersion"] = 2;
    index["mediaType"] = std::string(media_type);
    index["manifests"] = std::move(manifests);
    return index.dump(-1, ' ', false, ordered::error_handler_t::replace);
}

}  // namespace gapbundle::sources::oci
