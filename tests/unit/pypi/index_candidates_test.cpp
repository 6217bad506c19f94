#include "../../../src/sources/pypi/index_candidates.hpp"
#include "pypi_fixtures.hpp"

#include "../../support/http_test_server.hpp"

#include <gtest/gtest.h>

namespace gapbundle::sources::pypi {
namespace {

using testing::HttpTestServer;

const std::string k_json = "application/vnd.pypi.simple.v1+json";
const std::string k_a(64, 'a');
const std::string k_b(64, 'b');

struct PageFile {
    PageFile(std::string name, std::string sha = k_a, std::string python = "", bool is_yanked = false)
        : filename(std::move(name)), sha256(std::move(sha)), requires_python(std::move(python)), yanked(is_yanked)
    {
    }
    std::string filename;
    std::string sha256;
    std::string requires_python;
    bool yanked;
};

class IndexCandidatesTest : public ::testing::Test {
protected:
    void serve(const std::string& project, const std::vector<PageFile>& files, HttpTestServer* on = nullptr)
    {
        HttpTestServer& target = on ? *on : server;
        std::string list;
        for (const auto& file : files) {
            list += std::string(list.empty() ? "" : ",") + R"({"filename": ")" + file.filename + R"(", "url": "/files/)" +
                    file.filename + R"(", "hashes": {"sha256": ")" + file.sha256 + R"("}, "requires-python": ")" +
                    file.requires_python + R"(", "yanked": )" + (file.yanked ? "true" : "false") + "}";
        }
        target.serve_bytes("/simple/" + project + "/",
                           R"({"meta": {"api-version": "1.0"}, "name": ")" + project + R"(", "files": [)" + list + "]}",
                           k_json);
    }

    std::vector<std::string> chosen_files(const std::string& project, CandidatePolicy policy)
    {
        IndexClient client(server.url("/simple"), {}, fixtures::quick_engine());
        IndexCandidates candidates({&client}, std::move(policy));
        auto list = candidates.candidates(project);
        EXPECT_TRUE(list) << list.error().message;
        std::vector<std::string> out;
        for (const auto& candidate : list.value_or(std::vector<Candidate>{}))
            out.push_back(candidates.chosen(candidate.file_id).file.filename + (candidate.yanked ? " (yanked)" : ""));
        return out;
    }

    static CandidatePolicy linux311()
    {
        return CandidatePolicy{Target{"3.11", "cp", {"manylinux_2_28_x86_64"}}, Version::parse("3.11.0").value(), {},
                               true, {}};
    }

    HttpTestServer server;
};

TEST_F(IndexCandidatesTest, BestWheelPerVersionNewestFirst)
{
    serve("fast", {{"fast-1.0-py3-none-any.whl"},
                   {"fast-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
                   {"fast-1.0-cp311-abi3-manylinux_2_28_x86_64.whl"},
                   {"fast-1.0-cp311-cp311-win_amd64.whl"},
                   {"fast-2.0-1-py3-none-any.whl"},
                   {"fast-2.0-2-py3-none-any.whl"},
                   {"fast-2.0.tar.gz"},
                   {"fast-3.0-cp311-cp311-manylinux_2_34_x86_64.whl"}});
    EXPECT_EQ(chosen_files("fast", linux311()),
              (std::vector<std::string>{"fast-2.0-2-py3-none-any.whl",
                                        "fast-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"}));
}

TEST_F(IndexCandidatesTest, RequiresPythonAndYankedAndOtherNames)
{
    serve("lib", {{"lib-1.0-py3-none-any.whl", k_a, ">=3.12"},
                  {"lib-0.9-py3-none-any.whl", k_a, ">=3.8,<4"},
                  {"lib-0.8-py3-none-any.whl", k_a, "", true},
                  {"lib-0.7-py3-none-any.whl", k_a, "not a specifier"},
                  {"other-5.0-py3-none-any.whl"},
                  {"lib-bad_version-py3-none-any.whl"}});
    EXPECT_EQ(chosen_files("lib", linux311()),
              (std::vector<std::string>{"lib-0.9-py3-none-any.whl", "lib-0.8-py3-none-any.whl (yanked)",
                                        "lib-0.7-py3-none-any.whl"}));
}

TEST_F(IndexCandidatesTest, SdistsOnlyWhenAllowed)
{
    serve("native", {{"native-1.0-cp311-cp311-win_amd64.whl"}, {"native-1.0.tar.gz"}, {"native-2.0.zip"}});
    auto policy = linux311();
    policy.allow_sdist.insert("native");
    EXPECT_EQ(chosen_files("native", policy), (std::vector<std::string>{"native-2.0.zip", "native-1.0.tar.gz"}));
    policy = linux311();
    policy.only_binary = false;
    EXPECT_EQ(chosen_files("native", policy).size(), 2u);

    IndexClient client(server.url("/simple"), {}, fixtures::quick_engine());
    IndexCandidates binary_only({&client}, linux311());
    auto refused = binary_only.candidates("native");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::download);
    EXPECT_NE(refused.error().message.find("no file of 'native' fits the target (versions tried: 1.0, 2.0; wheel tags "
                                           "offered: cp311-cp311-win_amd64; tags looked for: "
                                           "cp311-cp311-manylinux_2_28_x86_64"),
              std::string::npos)
        << refused.error().message;
}

TEST_F(IndexCandidatesTest, PinnedHashesRestrictTheFiles)
{
    serve("pinned", {{"pinned-2.0-py3-none-any.whl", k_a}, {"pinned-1.0-py3-none-any.whl", k_b}});
    auto policy = linux311();
    policy.pinned_hashes["pinned"] = {"sha256:" + k_b};
    EXPECT_EQ(chosen_files("pinned", policy), std::vector<std::string>{"pinned-1.0-py3-none-any.whl"});
}

TEST_F(IndexCandidatesTest, FirstIndexWithTheProjectWins)
{
    HttpTestServer extra;
    serve("shared", {{"shared-1.0-py3-none-any.whl"}});
    serve("shared", {{"shared-9.0-py3-none-any.whl"}}, &extra);
    serve("only-extra", {{"only_extra-1.0-py3-none-any.whl"}}, &extra);
    IndexClient primary(server.url("/simple"), {}, fixtures::quick_engine());
    IndexClient secondary(extra.url("/simple"), {}, fixtures::quick_engine());
    IndexCandidates candidates({&primary, &secondary}, linux311());
    auto shared = candidates.candidates("shared");
    ASSERT_TRUE(shared) << shared.error().message;
    ASSERT_EQ(shared->size(), 1u);
    EXPECT_EQ(shared->front().version.to_string(), "1.0");
    auto only = candidates.candidates("only-extra");
    ASSERT_TRUE(only) << only.error().message;
    ASSERT_EQ(only->size(), 1u);
    EXPECT_EQ(candidates.chosen(only->front().file_id).index, 1u);
    auto missing = candidates.candidates("nowhere");
    ASSERT_TRUE(missing) << missing.error().message;
    EXPECT_TRUE(missing->empty());
}

}  // namespace
}  // namespace gapbundle::sources::pypi
