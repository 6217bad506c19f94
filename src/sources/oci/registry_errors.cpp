#include "registry_errors.hpp"

#include <nlohmann/json.hpp>

namespace gapbundle::sources::oci::detail {

std::string registry_error_detail(const std::string& body)
{
    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object() || !json.contains("errors") || !json["errors"].is_array() || json["errors"].empty())
        return "";
    const auto& first = json["errors"][0];
    if (!first.is_object()) return "";
    const auto text = [&first](const char* key) {
        const auto it = first.find(key);
        return it != first.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const std::string code = text("code");
    const std::string message = text("message");
    if (code.empty() && message.empty()) return "";
    return " (" + code + (code.empty() || message.empty() ? "" : ": ") + message + ")";
}

}  // namespace gapbundle::sources::oci::detail
