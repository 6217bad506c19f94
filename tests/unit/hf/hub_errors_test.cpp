#include <gapbundle/sources/hf/hub_errors.hpp>

#include <gtest/gtest.h>

namespace gapbundle::sources::hf {
namespace {

const HubTarget k_api{.repo = RepoId{.type = RepoType::model, .id = "org/name"}, .revision = "main", .file = ""};
const HubTarget k_file{
    .repo = RepoId{.type = RepoType::model, .id = "org/name"}, .revision = "v2", .file = "onnx/m.onnx"};
const HubTarget k_dataset{.repo = RepoId{.type = RepoType::dataset, .id = "org/data"}, .revision = "main", .file = ""};

HubAnswer answer(long status, std::string code = {}, std::string message = {}, std::string retry_after = {})
{
    return HubAnswer{.status = status,
                     .error_code = std::move(code),
                     .error_message = std::move(message),
                     .retry_after = std::move(retry_after)};
}

std::string message_of(const HubTarget& target, const HubAnswer& hub_answer)
{
    const Error error = hub_error(target, hub_answer);
    EXPECT_EQ(error.code, ErrorCode::network);
    return error.message;
}

TEST(HubErrorTest, RepoNotFound)
{
    EXPECT_EQ(message_of(k_api, answer(404, "RepoNotFound", "Repository not found")),
              "repo 'org/name' not found, or private: check the name, or set HF_TOKEN to a token with access "
              "(HTTP 404, RepoNotFound)");
    EXPECT_EQ(message_of(k_dataset, answer(404, "RepoNotFound")),
              "dataset 'org/data' not found, or private: check the name, or set HF_TOKEN to a token with access "
              "(HTTP 404, RepoNotFound)");
}

TEST(HubErrorTest, Plain401IsRepoNotFoundOrPrivate)
{
    // The Hub answers 401 for missing and private repos alike when no token is sent.
    EXPECT_EQ(
        message_of(k_api, answer(401)),
        "repo 'org/name' not found, or private: check the name, or set HF_TOKEN to a token with access (HTTP 401)");
    EXPECT_EQ(message_of(k_api, answer(401, "RepoNotFound", "Repository not found")),
              "repo 'org/name' not found, or private: check the name, or set HF_TOKEN to a token with access "
              "(HTTP 401, RepoNotFound)");
}

TEST(HubErrorTest, RefusedToken)
{
    EXPECT_EQ(message_of(k_api, answer(401, "", "Invalid credentials in Authorization header")),
              "the Hub refused the token for repo 'org/name': set HF_TOKEN (or the token file) to a valid token, or "
              "unset it for public repos (HTTP 401)");
}

TEST(HubErrorTest, RevisionNotFound)
{
    EXPECT_EQ(message_of(k_file, answer(404, "RevisionNotFound", "Invalid rev id: v2")),
              "repo 'org/name' has no revision 'v2' (HTTP 404, RevisionNotFound)");
}

TEST(HubErrorTest, EntryNotFound)
{
    EXPECT_EQ(message_of(k_file, answer(404, "EntryNotFound", "Entry not found")),
              "repo 'org/name' has no file 'onnx/m.onnx' at revision 'v2' (HTTP 404, EntryNotFound)");
}

TEST(HubErrorTest, GatedRepoWhetherUnauthenticatedOrNotGranted)
{
    const std::string expected =
        "repo 'org/name' is gated: accept its conditions on the Hub and set HF_TOKEN to a "
        "token with access (HTTP ";
    EXPECT_EQ(message_of(k_api, answer(401, "GatedRepo", "Access to model org/name is restricted.")),
              expected + "401, GatedRepo)");
    EXPECT_EQ(message_of(k_file, answer(403, "GatedRepo")), expected + "403, GatedRepo)");
}

TEST(HubErrorTest, DisabledRepo)
{
    EXPECT_EQ(message_of(k_api, answer(403, "", "Access to this resource is disabled.")),
              "repo 'org/name' is disabled on the Hub: its files cannot be downloaded (HTTP 403)");
    EXPECT_EQ(message_of(k_api, answer(403, "DisabledRepo")),
              "repo 'org/name' is disabled on the Hub: its files cannot be downloaded (HTTP 403)");
}

TEST(HubErrorTest, ErrorCodeWinsOverStatus)
{
    // As in hf_raise_for_status: the header decides before the status code.
    EXPECT_EQ(message_of(k_api, answer(401, "RevisionNotFound")),
              "repo 'org/name' has no revision 'main' (HTTP 401, RevisionNotFound)");
}

TEST(HubErrorTest, RateLimitedWithRetryAfter)
{
    EXPECT_EQ(message_of(k_api, answer(429, "", "", "30")),
              "the Hub is rate-limiting requests for repo 'org/name' (HTTP 429): retry after 30 seconds");
    EXPECT_EQ(message_of(k_api, answer(429, "", "", "1")),
              "the Hub is rate-limiting requests for repo 'org/name' (HTTP 429): retry after 1 second");
    EXPECT_EQ(
        message_of(k_api, answer(429, "", "", "Wed, 21 Oct 2026 07:28:00 GMT")),
        "the Hub is rate-limiting requests for repo 'org/name' (HTTP 429): retry after Wed, 21 Oct 2026 07:28:00 GMT");
    EXPECT_EQ(message_of(k_api, answer(429, "", "Too many requests")),
              "the Hub is rate-limiting requests for repo 'org/name' (HTTP 429): retry later (the Hub says: Too many "
              "requests)");
}

TEST(HubErrorTest, ForbiddenAndBadRequest)
{
    EXPECT_EQ(message_of(k_file, answer(403, "", "Token lacks read permission")),
              "access to file 'onnx/m.onnx' of repo 'org/name' at revision 'v2' is forbidden: HF_TOKEN's token lacks "
              "the permission (HTTP 403) (the Hub says: Token lacks read permission)");
    EXPECT_EQ(message_of(k_api, answer(400, "", "Invalid request")),
              "the Hub refused the request for repo 'org/name' at revision 'main' (HTTP 400) (the Hub says: Invalid "
              "request)");
}

TEST(HubErrorTest, AnyOtherStatus)
{
    EXPECT_EQ(message_of(k_api, answer(500)), "HTTP 500 from the Hub for repo 'org/name' at revision 'main'");
    EXPECT_EQ(message_of(k_file, answer(502, "", "Bad gateway")),
              "HTTP 502 from the Hub for file 'onnx/m.onnx' of repo 'org/name' at revision 'v2' (the Hub says: Bad "
              "gateway)");
    EXPECT_EQ(message_of(k_api, answer(404)), "HTTP 404 from the Hub for repo 'org/name' at revision 'main'");
}

TEST(HubErrorTest, ServerTextIsOneShortLine)
{
    const std::string message = message_of(k_api, answer(500, "", "line\nbreak\x01" + std::string(300, 'x')));
    EXPECT_NE(message.find("line?break?xxx"), std::string::npos);
    EXPECT_EQ(message.find('\n'), std::string::npos);
    EXPECT_NE(message.find("...)"), std::string::npos);
    EXPECT_LT(message.size(), 300u);
}

TEST(HubErrorTest, NeverShowsTheToken)
{
    const std::string token = "hf_SECRETsecretSECRETsecret";
    for (long status : {400L, 401L, 403L, 404L, 429L, 500L}) {
        for (const char* code : {"", "RepoNotFound", "GatedRepo", "EntryNotFound", "RevisionNotFound"}) {
            const Error error = hub_error(k_file, answer(status, code, "bad token " + token + " here", token), token);
            EXPECT_EQ(error.message.find(token), std::string::npos) << error.message;
            EXPECT_EQ(error.message.find("SECRET"), std::string::npos) << error.message;
        }
    }
    EXPECT_EQ(hub_error(k_api, answer(500, "", "echo " + token), token).message,
              "HTTP 500 from the Hub for repo 'org/name' at revision 'main' (the Hub says: echo ***)");
}

}  // namespace
}  // namespace gapbundle::sources::hf
