#pragma once

// The Hub token and endpoint the way huggingface_hub finds them (read at huggingface_hub
// 1.29.0.dev0: constants.py HF_HOME, HF_TOKEN_PATH, ENDPOINT; utils/_auth.py get_token).
// Not followed: HF_OIDC_RESOURCE token exchange, Google Colab secrets, OAuth refresh of the token
// file, and HUGGINGFACE_CO_STAGING.

#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gapbundle::sources::hf {

// Reads one environment variable; nullopt when it is unset (an empty value is still a value).
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

// A secret: no stream operator and no implicit conversion, so it cannot slip into a message.
class HfToken {
public:
    explicit HfToken(std::string secret) : m_secret(std::move(secret)) {}
    [[nodiscard]] const std::string& secret() const { return m_secret; }
    // "Bearer <token>" for the Authorization header.
    [[nodiscard]] std::string authorization() const { return "Bearer " + m_secret; }

private:
    std::string m_secret;
};

// huggingface_hub's _clean_token: every CR and LF removed, then surrounding whitespace; empty ->
// none.
std::optional<std::string> clean_token(std::string_view raw);

// $HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface; "~" and $VAR / ${VAR}
// expanded as Python's expanduser and expandvars do (an unknown variable is left as written).
std::filesystem::path hf_home(const EnvLookup& env);

// $HF_TOKEN_PATH, else hf_home()/token, expanded the same way.
std::filesystem::path hf_token_path(const EnvLookup& env);

// $HF_TOKEN (or the legacy $HUGGING_FACE_HUB_TOKEN when HF_TOKEN is unset or empty), cleaned; if
// that leaves nothing, the cleaned content of the token file; none when the file does not exist.
// A token file that exists but cannot be read is an ErrorCode::io error naming the file.
Result<std::optional<HfToken>> find_hf_token(const EnvLookup& env);

// $HF_ENDPOINT, else `default_endpoint`, with trailing '/' removed ("https://huggingface.co").
std::string hf_endpoint(const EnvLookup& env, std::string_view default_endpoint);

}  // namespace gapbundle::sources::hf
