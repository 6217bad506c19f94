// Cases follow docker/distribution's reference/normalize_test.go and reference_test.go (the
// reference strings; expectations rewritten for our fully normalised Reference).
#include <gapbundle/sources/oci/reference.hpp>

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <utility>

namespace gapbundle::sources::oci {
namespace {

const std::string k_ff64(64, 'f');
const std::string k_digest_ff = "sha256:" + k_ff64;
const std::string k_redis_digest = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";

std::string repeat(std::string_view s, std::size_t n)
{
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// A gtest-safe name: "c<index>_" plus the input's letters and digits, cut short.
std::string case_name(std::size_t index, const std::string& input)
{
    std::string out = "c" + std::to_string(index) + "_";
    for (char c : input.substr(0, 40)) {
        out += ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '_';
    }
    return out;
}

struct ValidCase {
    std::string input;
    std::string full;      // to_string()
    std::string familiar;  // familiar()
    std::string registry;
    std::string repository;
};

void PrintTo(const ValidCase& c, std::ostream* os)
{
    *os << c.input;
}

class ReferenceValidTest : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ReferenceValidTest, ParsesAndNormalises)
{
    const auto& c = GetParam();
    auto ref = parse_reference(c.input);
    ASSERT_TRUE(ref) << c.input << ": " << ref.error().message;
    EXPECT_EQ(ref->to_string(), c.full);
    EXPECT_EQ(ref->familiar(), c.familiar);
    EXPECT_EQ(ref->registry, c.registry);
    EXPECT_EQ(ref->repository, c.repository);
    EXPECT_EQ(ref->name(), c.registry + "/" + c.repository);

    // The full and the familiar form parse back to the same reference.
    auto again = parse_reference(ref->to_string());
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, *ref);
    auto from_familiar = parse_reference(ref->familiar());
    ASSERT_TRUE(from_familiar) << from_familiar.error().message;
    EXPECT_EQ(*from_familiar, *ref);
}

const std::string k_long_ok = repeat("a/", 122) + "a";     // docker.io/ + 245 = 255
const std::string k_long_path = "docker.io/" + k_long_ok;  // 255 characters

INSTANTIATE_TEST_SUITE_P(
    Docker, ReferenceValidTest,
    ::testing::Values(
        // Docker Hub defaulting.
        ValidCase{"python:3.11-slim", "docker.io/library/python:3.11-slim", "python:3.11-slim", "docker.io",
                  "library/python"},
        ValidCase{"debian", "docker.io/library/debian:latest", "debian:latest", "docker.io", "library/debian"},
        ValidCase{"library/debian", "docker.io/library/debian:latest", "debian:latest", "docker.io", "library/debian"},
        ValidCase{"docker.io/debian", "docker.io/library/debian:latest", "debian:latest", "docker.io",
                  "library/debian"},
        ValidCase{"docker.io/library/debian", "docker.io/library/debian:latest", "debian:latest", "docker.io",
                  "library/debian"},
        ValidCase{"index.docker.io/debian", "docker.io/library/debian:latest", "debian:latest", "docker.io",
                  "library/debian"},
        ValidCase{"index.docker.io/library/debian", "docker.io/library/debian:latest", "debian:latest", "docker.io",
                  "library/debian"},
        ValidCase{"docker/docker", "docker.io/docker/docker:latest", "docker/docker:latest", "docker.io",
                  "docker/docker"},
        ValidCase{"docker.io/docker/docker", "docker.io/docker/docker:latest", "docker/docker:latest", "docker.io",
                  "docker/docker"},
        ValidCase{"index.docker.io/docker/docker", "docker.io/docker/docker:latest", "docker/docker:latest",
                  "docker.io", "docker/docker"},
        ValidCase{"fooo/bar", "docker.io/fooo/bar:latest", "fooo/bar:latest", "docker.io", "fooo/bar"},
        ValidCase{"other/library", "docker.io/other/library:latest", "other/library:latest", "docker.io",
                  "other/library"},
        ValidCase{"library/foo/bar", "docker.io/library/foo/bar:latest", "library/foo/bar:latest", "docker.io",
                  "library/foo/bar"},
        ValidCase{"store/foo/bar", "docker.io/store/foo/bar:latest", "store/foo/bar:latest", "docker.io",
                  "store/foo/bar"},
        ValidCase{"ubuntu-12.04-base", "docker.io/library/ubuntu-12.04-base:latest", "ubuntu-12.04-base:latest",
                  "docker.io", "library/ubuntu-12.04-base"},
        ValidCase{"test_com/foo", "docker.io/test_com/foo:latest", "test_com/foo:latest", "docker.io", "test_com/foo"},
        ValidCase{"dbcc1", "docker.io/library/dbcc1:latest", "dbcc1:latest", "docker.io", "library/dbcc1"},
        ValidCase{"thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
                  "docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest",
                  "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest", "docker.io",
                  "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev"},
        // 63 hex digits is a name, not an image ID; 64 behind a registry is a name too.
        ValidCase{"dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
                  "docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9:latest",
                  "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9:latest", "docker.io",
                  "library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9"},
        ValidCase{"docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
                  "docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:latest",
                  "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:latest", "docker.io",
                  "library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a"},
        // Separators.
        ValidCase{"docker-rules/docker", "docker.io/docker-rules/docker:latest", "docker-rules/docker:latest",
                  "docker.io", "docker-rules/docker"},
        ValidCase{"docker---rules/docker", "docker.io/docker---rules/docker:latest", "docker---rules/docker:latest",
                  "docker.io", "docker---rules/docker"},
        ValidCase{"dock__er/docker", "docker.io/dock__er/docker:latest", "dock__er/docker:latest", "docker.io",
                  "dock__er/docker"},
        ValidCase{"d/docker", "docker.io/d/docker:latest", "d/docker:latest", "docker.io", "d/docker"},
        ValidCase{"jess/t", "docker.io/jess/t:latest", "jess/t:latest", "docker.io", "jess/t"},
        // No registry part: "host:port" without a slash is a name and a tag.
        ValidCase{"test.com:tag", "docker.io/library/test.com:tag", "test.com:tag", "docker.io", "library/test.com"},
        ValidCase{"test.com:5000", "docker.io/library/test.com:5000", "test.com:5000", "docker.io", "library/test.com"},
        ValidCase{"192.168.0.1", "docker.io/library/192.168.0.1:latest", "192.168.0.1:latest", "docker.io",
                  "library/192.168.0.1"},
        ValidCase{"192.168.0.1:80", "docker.io/library/192.168.0.1:80", "192.168.0.1:80", "docker.io",
                  "library/192.168.0.1"},
        ValidCase{"foo_bar.com:8080", "docker.io/library/foo_bar.com:8080", "foo_bar.com:8080", "docker.io",
                  "library/foo_bar.com"},
        ValidCase{"foo/foo_bar.com:8080", "docker.io/foo/foo_bar.com:8080", "foo/foo_bar.com:8080", "docker.io",
                  "foo/foo_bar.com"},
        ValidCase{"localhost", "docker.io/library/localhost:latest", "localhost:latest", "docker.io",
                  "library/localhost"},
        // Other registries: no library/ prefix.
        ValidCase{"nvcr.io/nvidia/tritonserver:24.08-py3", "nvcr.io/nvidia/tritonserver:24.08-py3",
                  "nvcr.io/nvidia/tritonserver:24.08-py3", "nvcr.io", "nvidia/tritonserver"},
        ValidCase{"ghcr.io/foo", "ghcr.io/foo:latest", "ghcr.io/foo:latest", "ghcr.io", "foo"},
        ValidCase{"example.com/private/moonbase", "example.com/private/moonbase:latest",
                  "example.com/private/moonbase:latest", "example.com", "private/moonbase"},
        ValidCase{"example.com:8000/privatebasee", "example.com:8000/privatebasee:latest",
                  "example.com:8000/privatebasee:latest", "example.com:8000", "privatebasee"},
        ValidCase{"127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase:latest",
                  "127.0.0.1:8000/private/moonbase:latest", "127.0.0.1:8000", "private/moonbase"},
        ValidCase{"127.0.0.1:5000/library/debian", "127.0.0.1:5000/library/debian:latest",
                  "127.0.0.1:5000/library/debian:latest", "127.0.0.1:5000", "library/debian"},
        ValidCase{"127.0.0.1:5000/debian", "127.0.0.1:5000/debian:latest", "127.0.0.1:5000/debian:latest",
                  "127.0.0.1:5000", "debian"},
        ValidCase{"192.168.0.1:8/debian", "192.168.0.1:8/debian:latest", "192.168.0.1:8/debian:latest", "192.168.0.1:8",
                  "debian"},
        ValidCase{"192.168.1.1/repo", "192.168.1.1/repo:latest", "192.168.1.1/repo:latest", "192.168.1.1", "repo"},
        ValidCase{"192.168.1.1:5000/repo:5050", "192.168.1.1:5000/repo:5050", "192.168.1.1:5000/repo:5050",
                  "192.168.1.1:5000", "repo"},
        ValidCase{"test:5000/repo", "test:5000/repo:latest", "test:5000/repo:latest", "test:5000", "repo"},
        ValidCase{"test-com:8080/foo", "test-com:8080/foo:latest", "test-com:8080/foo:latest", "test-com:8080", "foo"},
        ValidCase{"localhost/foo", "localhost/foo:latest", "localhost/foo:latest", "localhost", "foo"},
        ValidCase{"localhost:5000/foo/bar:1", "localhost:5000/foo/bar:1", "localhost:5000/foo/bar:1", "localhost:5000",
                  "foo/bar"},
        ValidCase{"Example.COM/foo", "Example.COM/foo:latest", "Example.COM/foo:latest", "Example.COM", "foo"},
        ValidCase{"sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
                  "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux"},
        ValidCase{"b.gcr.io/test.example.com/my-app:test.example.com",
                  "b.gcr.io/test.example.com/my-app:test.example.com",
                  "b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app"},
        ValidCase{"xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com/myimage:xn--n3h.com",
                  "xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage"},
        ValidCase{"xn--n3h.com:18080/foo", "xn--n3h.com:18080/foo:latest", "xn--n3h.com:18080/foo:latest",
                  "xn--n3h.com:18080", "foo"},
        ValidCase{"lowercase:Uppercase", "docker.io/library/lowercase:Uppercase", "lowercase:Uppercase", "docker.io",
                  "library/lowercase"},
        // IPv6 hosts in brackets.
        ValidCase{"[fc00::1]:5000/docker", "[fc00::1]:5000/docker:latest", "[fc00::1]:5000/docker:latest",
                  "[fc00::1]:5000", "docker"},
        ValidCase{"[fc00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000/library/debian:latest",
                  "[fc00:1:2:3:4:5:6:7]:5000/library/debian:latest", "[fc00:1:2:3:4:5:6:7]:5000", "library/debian"},
        ValidCase{"[2001:db8::1]/repo", "[2001:db8::1]/repo:latest", "[2001:db8::1]/repo:latest", "[2001:db8::1]",
                  "repo"},
        ValidCase{"[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]/repo:tag",
                  "[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo"},
        ValidCase{"[2001:db8::]:5000/repo", "[2001:db8::]:5000/repo:latest", "[2001:db8::]:5000/repo:latest",
                  "[2001:db8::]:5000", "repo"},
        ValidCase{"[::1]:5000/repo", "[::1]:5000/repo:latest", "[::1]:5000/repo:latest", "[::1]:5000", "repo"},
        ValidCase{"[2001:db8::1]:5000/repo:tag@" + k_digest_ff, "[2001:db8::1]:5000/repo:tag@" + k_digest_ff,
                  "[2001:db8::1]:5000/repo:tag@" + k_digest_ff, "[2001:db8::1]:5000", "repo"},
        // Digests: no default tag; a tag and a digest are both kept.
        ValidCase{"redis@" + k_redis_digest, "docker.io/library/redis@" + k_redis_digest, "redis@" + k_redis_digest,
                  "docker.io", "library/redis"},
        ValidCase{"dmcgowan/myapp@" + k_redis_digest, "docker.io/dmcgowan/myapp@" + k_redis_digest,
                  "dmcgowan/myapp@" + k_redis_digest, "docker.io", "dmcgowan/myapp"},
        ValidCase{"test:5000/repo@" + k_digest_ff, "test:5000/repo@" + k_digest_ff, "test:5000/repo@" + k_digest_ff,
                  "test:5000", "repo"},
        ValidCase{"test:5000/repo:tag@" + k_digest_ff, "test:5000/repo:tag@" + k_digest_ff,
                  "test:5000/repo:tag@" + k_digest_ff, "test:5000", "repo"},
        ValidCase{
            "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
            "docker.io/library/busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
            "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa", "docker.io",
            "library/busybox"},
        ValidCase{"xn--7o8h.com/myimage:xn--7o8h.com@sha512:" + std::string(128, 'f'),
                  "xn--7o8h.com/myimage:xn--7o8h.com@sha512:" + std::string(128, 'f'),
                  "xn--7o8h.com/myimage:xn--7o8h.com@sha512:" + std::string(128, 'f'), "xn--7o8h.com", "myimage"},
        // Longest tag; name exactly 255 characters.
        ValidCase{"repo:" + std::string(128, 't'), "docker.io/library/repo:" + std::string(128, 't'),
                  "repo:" + std::string(128, 't'), "docker.io", "library/repo"},
        ValidCase{k_long_ok, k_long_path + ":latest", k_long_ok + ":latest", "docker.io", k_long_ok}),
    [](const ::testing::TestParamInfo<ValidCase>& param) { return case_name(param.index, param.param.input); });

struct InvalidCase {
    std::string input;
    std::string why;  // the message after "invalid image reference '<input>': "
};

void PrintTo(const InvalidCase& c, std::ostream* os)
{
    *os << c.input;
}

class ReferenceInvalidTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(ReferenceInvalidTest, RejectsWithReason)
{
    const auto& c = GetParam();
    auto ref = parse_reference(c.input);
    ASSERT_FALSE(ref) << c.input << " parsed as " << ref->to_string();
    EXPECT_EQ(ref.error().code, ErrorCode::manifest);
    EXPECT_EQ(ref.error().message, "invalid image reference '" + c.input + "': " + c.why);
}

const std::string k_component_rule = "' (lowercase letters and digits, separated by '.', '_', '__' or dashes)";
std::string bad_component(const std::string& part)
{
    return "invalid repository name component '" + part + k_component_rule;
}
const std::string k_tag_rule = "' (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')";
std::string bad_tag(const std::string& tag)
{
    return "invalid tag '" + tag + k_tag_rule;
}

INSTANTIATE_TEST_SUITE_P(
    Docker, ReferenceInvalidTest,
    ::testing::Values(
        InvalidCase{"", "reference is empty"}, InvalidCase{"Foo/bar", "repository name must be lowercase"},
        InvalidCase{"FOO/bar", "repository name must be lowercase"},
        InvalidCase{"docker/Docker", "repository name must be lowercase"},
        InvalidCase{"docker.io/docker/Docker", "repository name must be lowercase"},
        InvalidCase{"Uppercase:tag", "repository name must be lowercase"},
        InvalidCase{"test:5000/Uppercase/lowercase:tag", "repository name must be lowercase"},
        InvalidCase{"1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
                    "a 64-digit hexadecimal string is an image ID, not a repository name"},
        InvalidCase{"https://github.com/docker/docker", "invalid registry host 'https:'"},
        InvalidCase{"-docker.io/docker/docker", "invalid registry host '-docker.io'"},
        InvalidCase{"fc00::1:5000/debian", "invalid registry host 'fc00::1:5000'"},
        InvalidCase{"[fe80::1%eth0]:5000/debian", "invalid registry host '[fe80::1%eth0]:5000'"},
        InvalidCase{"[2001:db8:3:4::192.0.2.33]:5000/debian",
                    "invalid registry host '[2001:db8:3:4::192.0.2.33]:5000'"},
        InvalidCase{"registry.local:abc/repo", "invalid registry host 'registry.local:abc'"},
        InvalidCase{"registry.local:/repo", "invalid registry host 'registry.local:'"},
        InvalidCase{"[::1]x/repo", "invalid registry host '[::1]x'"},
        InvalidCase{"bad_host.com/repo", "invalid registry host 'bad_host.com'"},
        InvalidCase{"[2001:db8::1]:5000", bad_component("[2001:db8::1]")}, InvalidCase{"[fc00::1]", bad_tag("1]")},
        InvalidCase{"-docker", bad_component("-docker")}, InvalidCase{"-docker/docker", bad_component("-docker")},
        InvalidCase{"docker-/docker", bad_component("docker-")},
        InvalidCase{"-docker-/docker", bad_component("-docker-")}, InvalidCase{"____/____", bad_component("____")},
        InvalidCase{"_docker/_docker", bad_component("_docker")},
        InvalidCase{"dock..er/docker", "invalid registry host 'dock..er'"},
        InvalidCase{"dock_.er/docker", "invalid registry host 'dock_.er'"},
        InvalidCase{"dock-.er/docker", "invalid registry host 'dock-.er'"},
        InvalidCase{"dock___er/docker", bad_component("dock___er")}, InvalidCase{"docker///docker", bad_component("")},
        InvalidCase{"docker.io/docker///docker", bad_component("")}, InvalidCase{"docker/", bad_component("")},
        InvalidCase{"aa/asdf$$^/aa", bad_component("asdf$$^")}, InvalidCase{"my image", bad_component("my image")},
        InvalidCase{":justtag", "repository name is empty"}, InvalidCase{"@" + k_digest_ff, "repository name is empty"},
        InvalidCase{"repo:", bad_tag("")}, InvalidCase{"repo:-tag", bad_tag("-tag")},
        InvalidCase{"repo:.tag", bad_tag(".tag")}, InvalidCase{"repo:ta+g", bad_tag("ta+g")},
        InvalidCase{"repo:" + std::string(129, 't'), bad_tag(std::string(129, 't'))},
        InvalidCase{"repo@", "invalid digest '' (expected algorithm:hex)"},
        InvalidCase{"repo@sha256", "invalid digest 'sha256' (expected algorithm:hex)"},
        InvalidCase{"repo@sha256:ffffffffffffffffffffffffffffffffff",
                    "invalid sha256 digest 'sha256:ffffffffffffffffffffffffffffffffff' (expected 64 lowercase hex "
                    "digits)"},
        InvalidCase{"repo@sha256:" + std::string(64, 'F'),
                    "invalid sha256 digest 'sha256:" + std::string(64, 'F') + "' (expected 64 lowercase hex digits)"},
        InvalidCase{"validname@invaliddigest:" + k_ff64,
                    "unsupported digest algorithm 'invaliddigest' (sha256, sha384 or sha512)"},
        InvalidCase{"[fe80::1%@invalidzone]:5000/repo",
                    "unsupported digest algorithm 'invalidzone]' (sha256, sha384 or sha512)"},
        InvalidCase{repeat("a/", 128) + "a:tag", "name is 267 characters long, more than 255"},
        InvalidCase{repeat("a/", 123) + "a", "name is 257 characters long, more than 255"},
        InvalidCase{"this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_"
                    "because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_"
                    "than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker",
                    "name is 288 characters long, more than 255"}),
    [](const ::testing::TestParamInfo<InvalidCase>& param) { return case_name(param.index, param.param.input); });

TEST(ReferenceTest, KeepsTagAndDigestSeparately)
{
    auto ref = parse_reference("registry.local:5000/team/app:1.2@" + k_digest_ff);
    ASSERT_TRUE(ref) << ref.error().message;
    EXPECT_EQ(ref->registry, "registry.local:5000");
    EXPECT_EQ(ref->repository, "team/app");
    EXPECT_EQ(ref->tag, "1.2");
    EXPECT_EQ(ref->digest, k_digest_ff);
}

TEST(ReferenceTest, DefaultsTagOnlyWithoutDigest)
{
    auto tagged = parse_reference("python");
    ASSERT_TRUE(tagged);
    EXPECT_EQ(tagged->tag, "latest");
    EXPECT_FALSE(tagged->digest);

    auto pinned = parse_reference("python@" + k_digest_ff);
    ASSERT_TRUE(pinned);
    EXPECT_FALSE(pinned->tag);
    EXPECT_EQ(pinned->digest, k_digest_ff);
}

TEST(ReferenceTest, ApiHostIsRegistryOneForDockerHub)
{
    EXPECT_EQ(parse_reference("python:3.11")->api_host(), "registry-1.docker.io");
    EXPECT_EQ(parse_reference("index.docker.io/library/python")->api_host(), "registry-1.docker.io");
    EXPECT_EQ(parse_reference("ghcr.io/org/app")->api_host(), "ghcr.io");
    EXPECT_EQ(parse_reference("localhost:5000/app")->api_host(), "localhost:5000");
    EXPECT_EQ(parse_reference("[::1]:5000/app")->api_host(), "[::1]:5000");
}

TEST(ReferenceTest, TagOrDigestPrefersDigest)
{
    EXPECT_EQ(parse_reference("python:3.11-slim")->tag_or_digest(), "3.11-slim");
    EXPECT_EQ(parse_reference("python")->tag_or_digest(), "latest");
    EXPECT_EQ(parse_reference("python@" + k_digest_ff)->tag_or_digest(), k_digest_ff);
    EXPECT_EQ(parse_reference("python:3.11@" + k_digest_ff)->tag_or_digest(), k_digest_ff);

    Reference bare{"docker.io", "library/python", std::nullopt, std::nullopt};
    EXPECT_EQ(bare.tag_or_digest(), "latest");
    EXPECT_EQ(bare.to_string(), "docker.io/library/python");
    EXPECT_EQ(bare.familiar(), "python");
}

TEST(ReferenceTest, FamiliarKeepsNestedLibraryPaths)
{
    EXPECT_EQ(parse_reference("docker.io/library/foo/bar:1")->familiar(), "library/foo/bar:1");
    EXPECT_EQ(parse_reference("docker.io/libraryx/foo:1")->familiar(), "libraryx/foo:1");
    EXPECT_EQ(parse_reference("quay.io/library/foo:1")->familiar(), "quay.io/library/foo:1");
}

TEST(ReferenceTest, FamiliarKeepsDockerHubWhenThePathLooksLikeARegistry)
{
    // Docker would print "a.b/c:1", which parses as registry a.b; keep the round trip exact.
    const std::pair<std::string, std::string> cases[] = {{"docker.io/a.b/c:1", "docker.io/a.b/c:1"},
                                                         {"docker.io/localhost/c:1", "docker.io/localhost/c:1"},
                                                         {"docker.io/library/a.b/c:1", "library/a.b/c:1"},
                                                         {"docker.io/library/a.b:1", "a.b:1"}};
    for (const auto& [text, familiar] : cases) {
        auto ref = parse_reference(text);
        ASSERT_TRUE(ref) << text << ": " << ref.error().message;
        EXPECT_EQ(ref->familiar(), familiar);
        auto again = parse_reference(ref->familiar());
        ASSERT_TRUE(again) << again.error().message;
        EXPECT_EQ(*again, *ref);
    }
}

TEST(ReferenceTest, ValidatesDigestsOnTheirOwn)
{
    EXPECT_TRUE(validate_digest(k_digest_ff));
    EXPECT_TRUE(validate_digest("sha384:" + std::string(96, 'a')));
    EXPECT_TRUE(validate_digest("sha512:" + std::string(128, '0')));
    EXPECT_FALSE(validate_digest("sha384:" + k_ff64));
    EXPECT_FALSE(validate_digest("sha256:" + std::string(63, 'f') + "g"));
    EXPECT_FALSE(validate_digest(":" + k_ff64));
    auto md5 = validate_digest("md5:d41d8cd98f00b204e9800998ecf8427e");
    ASSERT_FALSE(md5);
    EXPECT_EQ(md5.error().message, "unsupported digest algorithm 'md5' (sha256, sha384 or sha512)");
}

}  // namespace
}  // namespace gapbundle::sources::oci
