#include <gapbundle/sources/hf/hub_errors.hpp>

#include <algorithm>

namespace gapbundle::sources::hf {

namespace {

constexpr std::string_view k_disabled_message = "Access to this resource is disabled.";
constexpr std::string_view k_invalid_credentials = "Invalid credentials in Authorization header";
constexpr std::size_t k_max_server_text = 200;

// Server text for a message: printable ASCII on one line, cut short.
std::string one_line(std::string_view text)
{
    std::string out;
    for (char c : text.substr(0, std::min(text.size(), k_max_server_text))) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u >= 0x7f) ? '?' : c;
    }
    if (text.size() > k_max_server_text) out += "...";
    return out;
}

std::string server_says(const HubAnswer& answer)
{
    return answer.error_message.empty() ? "" : " (the Hub says: " + one_line(answer.error_message) + ")";
}

std::string at_revision(const HubTarget& target)
{
    return target.revision.empty() ? "" : " at revision '" + target.revision + "'";
}

// "repo 'org/name'", plus the file and revision when there are.
std::string what(const HubTarget& target)
{
    std::string text = target.file.empty() ? "" : "file '" + target.file + "' of ";
    return text + describe(target.repo) + at_revision(target);
}

bool all_digits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error network(std::string message)
{
    return Error{ErrorCode::network, std::move(message)};
}

}  // namespace

namespace {

Error classify(const HubTarget& target, const HubAnswer& answer)
{
    const std::string repo = describe(target.repo);
    const std::string status = "HTTP " + std::to_string(answer.status);
    if (answer.error_code == "RevisionNotFound")
        return network(repo + " has no revision '" + target.revision + "' (" + status + ", RevisionNotFound)");
    if (answer.error_code == "EntryNotFound")
        return network(repo + " has no file '" + target.file + "'" + at_revision(target) + " (" + status +
                       ", EntryNotFound)");
    if (answer.error_code == "GatedRepo")
        return network(repo + " is gated: accept its conditions on the Hub and set HF_TOKEN to a token with access (" +
                       status + ", GatedRepo)");
    if (answer.error_message == k_disabled_message || answer.error_code == "DisabledRepo")
        return network(repo + " is disabled on the Hub: its files cannot be downloaded (" + status + ")");
    if (answer.status == 401 && answer.error_message == k_invalid_credentials)
        return network("the Hub refused the token for " + repo +
                       ": set HF_TOKEN (or the token file) to a valid token, or unset it for public repos (" + status +
                       ")");
    if (answer.error_code == "RepoNotFound" || answer.status == 401)
        return network(repo + " not found, or private: check the name, or set HF_TOKEN to a token with access (" +
                       status + (answer.error_code.empty() ? "" : ", " + answer.error_code) + ")");
    if (answer.status == 400)
        return network("the Hub refused the request for " + what(target) + " (" + status + ")" + server_says(answer));
    if (answer.status == 403)
        return network("access to " + what(target) + " is forbidden: HF_TOKEN's token lacks the permission (" + status +
                       ")" + server_says(answer));
    if (answer.status == 429) {
        std::string when = "later";
        if (all_digits(answer.retry_after))
            when = "after " + answer.retry_after + (answer.retry_after == "1" ? " second" : " seconds");
        else if (!answer.retry_after.empty())
            when = "after " + one_line(answer.retry_after);
        return network("the Hub is rate-limiting requests for " + repo + " (" + status + "): retry " + when +
                       server_says(answer));
    }
    return network(status + " from the Hub for " + what(target) + server_says(answer));
}

}  // namespace

Error hub_error(const HubTarget& target, const HubAnswer& answer, std::string_view token)
{
    Error error = classify(target, answer);
    if (token.empty()) return error;
    for (auto at = error.message.find(token); at != std::string::npos; at = error.message.find(token, at + 3))
        error.message.replace(at, token.size(), "***");
    return error;
}

}  // namespace gapbundle::sources::hf
