#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/sources/oci/platform.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace gapbundle::sources::oci {
namespace {

std::string digest_of(char c)
{
    return "sha256:" + std::string(64, c);
}

Platform platform(std::string os, std::string architecture, std::string variant = "")
{
    return Platform{std::move(os), std::move(architecture), std::move(variant)};
}

// Shaped like docker.io/library/python:3.11-slim as BuildKit pushes it: an OCI index with an
// attestation manifest after each image.
std::string python_index()
{
    const std::string m = R"("mediaType":"application/vnd.oci.image.manifest.v1+json",)";
    const auto attestation = [&](char self, char of) {
        return "{" + m + R"("digest":")" + digest_of(self) + R"(","size":839,)" +
               R"("annotations":{"vnd.docker.reference.digest":")" + digest_of(of) +
               R"(","vnd.docker.reference.type":"attestation-manifest"},)" +
               R"("platform":{"architecture":"unknown","os":"unknown"}})";
    };
    return R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)"
           "{" +
           m + R"("digest":")" + digest_of('a') + R"(","size":1013,)" +
           R"("annotations":{"com.docker.official-images.bashbrew.arch":"amd64",)"
           R"("org.opencontainers.image.base.name":"debian:bookworm-slim"},)"
           R"("platform":{"architecture":"amd64","os":"linux"}},)" +
           attestation('1', 'a') + "," + "{" + m + R"("digest":")" + digest_of('b') +
           R"(","size":1013,"platform":{"architecture":"arm","os":"linux","variant":"v5"}},)" + "{" + m +
           R"("digest":")" + digest_of('c') +
           R"(","size":1013,"platform":{"architecture":"arm","os":"linux","variant":"v7"}},)" + "{" + m +
           R"("digest":")" + digest_of('d') +
           R"(","size":1013,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}},)" +
           attestation('2', 'd') + "," + "{" + m + R"("digest":")" + digest_of('e') +
           R"(","size":1013,"platform":{"architecture":"386","os":"linux"}},)" + "{" + m + R"("digest":")" +
           digest_of('f') + R"(","size":1013,"platform":{"architecture":"ppc64le","os":"linux"}}]})";
}

// A Docker manifest list (schema 2) as older registries serve it.
const std::string k_docker_list = R"({
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
   "manifests": [
      {
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "size": 528,
         "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
         "platform": {"architecture": "amd64", "os": "linux"}
      },
      {
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "size": 528,
         "digest": "sha256:2222222222222222222222222222222222222222222222222222222222222222",
         "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}
      },
      {
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "size": 1125,
         "digest": "sha256:3333333333333333333333333333333333333333333333333333333333333333",
         "platform": {"architecture": "amd64", "os": "windows", "os.version": "10.0.17763.6189",
                      "os.features": ["win32k"]}
      }
   ]
})";

constexpr std::string_view k_image = "docker.io/library/python:3.11-slim";

TEST(IndexTest, ParsesEveryDescriptorInOrder)
{
    auto entries = parse_index(python_index());
    ASSERT_TRUE(entries) << entries.error().message;
    ASSERT_EQ(entries->size(), 8u);
    const auto& first = (*entries)[0];
    EXPECT_EQ(first.media_type, media_types::k_oci_manifest);
    EXPECT_EQ(first.digest, digest_of('a'));
    EXPECT_EQ(first.size, 1013u);
    ASSERT_TRUE(first.platform);
    EXPECT_EQ(*first.platform, platform("linux", "amd64"));
    EXPECT_EQ(first.annotations.at("org.opencontainers.image.base.name"), "debian:bookworm-slim");
    EXPECT_FALSE(first.is_attestation());
    EXPECT_TRUE((*entries)[1].is_attestation());
    EXPECT_EQ((*entries)[4].platform->variant, "v8");
}

TEST(IndexTest, ParsesDockerManifestListWithWindowsFields)
{
    auto entries = parse_index(k_docker_list);
    ASSERT_TRUE(entries) << entries.error().message;
    ASSERT_EQ(entries->size(), 3u);
    EXPECT_EQ((*entries)[0].media_type, media_types::k_docker_manifest);
    EXPECT_EQ((*entries)[2].os_version, "10.0.17763.6189");
    EXPECT_EQ((*entries)[2].os_features, std::vector<std::string>{"win32k"});
}

TEST(IndexTest, AcceptsIndexWithoutMediaTypeOrPlatform)
{
    const std::string index =
        R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
        R"("digest":")" +
        digest_of('9') + R"(","size":0}]})";
    auto entries = parse_index(index);
    ASSERT_TRUE(entries) << entries.error().message;
    ASSERT_EQ(entries->size(), 1u);
    EXPECT_FALSE((*entries)[0].platform);
    EXPECT_FALSE((*entries)[0].is_attestation());
}

TEST(IndexTest, SelectsWantedPlatformsInWantedOrder)
{
    auto selected = select_platforms(python_index(), {platform("linux", "arm64"), platform("linux", "amd64")}, k_image);
    ASSERT_TRUE(selected) << selected.error().message;
    ASSERT_EQ(selected->size(), 2u);
    EXPECT_EQ((*selected)[0].digest, digest_of('d'));
    EXPECT_EQ((*selected)[1].digest, digest_of('a'));
}

TEST(IndexTest, SelectsThroughAliasesAndArmVariants)
{
    auto selected =
        select_platforms(python_index(),
                         {platform("linux", "x86_64"), platform("linux", "aarch64"), platform("linux", "arm"),
                          platform("linux", "arm", "v5"), platform("linux", "i386")},
                         k_image);
    ASSERT_TRUE(selected) << selected.error().message;
    ASSERT_EQ(selected->size(), 5u);
    EXPECT_EQ((*selected)[0].digest, digest_of('a'));
    EXPECT_EQ((*selected)[1].digest, digest_of('d'));
    EXPECT_EQ((*selected)[2].digest, digest_of('c'));  // arm defaults to v7
    EXPECT_EQ((*selected)[3].digest, digest_of('b'));
    EXPECT_EQ((*selected)[4].digest, digest_of('e'));
}

TEST(IndexTest, ListsAnEntryWantedTwiceOnce)
{
    auto selected =
        select_platforms(python_index(), {platform("linux", "arm64"), platform("linux", "arm64", "v8")}, k_image);
    ASSERT_TRUE(selected) << selected.error().message;
    ASSERT_EQ(selected->size(), 1u);
    EXPECT_EQ((*selected)[0].digest, digest_of('d'));
}

TEST(IndexTest, NeverSelectsAttestations)
{
    auto selected = select_platforms(python_index(), {platform("unknown", "unknown")}, k_image);
    ASSERT_FALSE(selected);
    EXPECT_EQ(selected.error().code, ErrorCode::manifest);
    EXPECT_EQ(selected.error().message,
              "no unknown/unknown image in docker.io/library/python:3.11-slim (available: linux/amd64, linux/arm/v5, "
              "linux/arm/v7, linux/arm64/v8, linux/386, linux/ppc64le)");
}

TEST(IndexTest, SkipsAttestationByAnnotationWhateverItsPlatform)
{
    const std::string index = R"({"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)"
                              R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                              digest_of('7') +
                              R"(","size":10,"platform":{"os":"linux","architecture":"amd64"},)"
                              R"("annotations":{"vnd.docker.reference.type":"attestation-manifest"}},)"
                              R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                              digest_of('8') + R"(","size":11,"platform":{"os":"linux","architecture":"amd64"}}]})";
    auto selected = select_platforms(index, {platform("linux", "amd64")}, "registry.local/app:1");
    ASSERT_TRUE(selected) << selected.error().message;
    ASSERT_EQ(selected->size(), 1u);
    EXPECT_EQ((*selected)[0].digest, digest_of('8'));
}

TEST(IndexTest, MissingPlatformNamesWhatIsAvailable)
{
    auto selected = select_platforms(python_index(), {platform("linux", "amd64"), platform("linux", "s390x")}, k_image);
    ASSERT_FALSE(selected);
    EXPECT_EQ(selected.error().code, ErrorCode::manifest);
    EXPECT_EQ(selected.error().message,
              "no linux/s390x image in docker.io/library/python:3.11-slim (available: linux/amd64, linux/arm/v5, "
              "linux/arm/v7, linux/arm64/v8, linux/386, linux/ppc64le)");

    auto two = select_platforms(k_docker_list, {platform("linux", "s390x"), platform("linux", "arm", "v6")},
                                "example.com/app:1");
    ASSERT_FALSE(two);
    EXPECT_EQ(two.error().message,
              "no linux/s390x, linux/arm/v6 image in example.com/app:1 (available: linux/amd64, linux/arm64/v8, "
              "windows/amd64)");
}

TEST(IndexTest, MissingPlatformWithNoPlatformsSaysNone)
{
    const std::string index = R"({"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                              R"("digest":")" +
                              digest_of('9') + R"(","size":3}]})";
    auto selected = select_platforms(index, {platform("linux", "amd64")}, "r.io/a:b");
    ASSERT_FALSE(selected);
    EXPECT_EQ(selected.error().message, "no linux/amd64 image in r.io/a:b (available: none)");
}

TEST(IndexTest, SelectingNothingGivesNothing)
{
    auto selected = select_platforms(python_index(), {}, k_image);
    ASSERT_TRUE(selected);
    EXPECT_TRUE(selected->empty());
}

struct BadIndexCase {
    std::string name;
    std::string json;
    std::string message;  // after "<image>: invalid image index: "
};

void PrintTo(const BadIndexCase& c, std::ostream* os)
{
    *os << c.json;
}

class IndexRejectTest : public ::testing::TestWithParam<BadIndexCase> {};

TEST_P(IndexRejectTest, RejectsWithPath)
{
    const auto& c = GetParam();
    auto entries = parse_index(c.json);
    ASSERT_FALSE(entries);
    EXPECT_EQ(entries.error().code, ErrorCode::download);
    EXPECT_EQ(entries.error().message, "invalid image index: " + c.message);

    auto selected = select_platforms(c.json, {platform("linux", "amd64")}, "r.io/a:b");
    ASSERT_FALSE(selected);
    EXPECT_EQ(selected.error().message, "r.io/a:b: invalid image index: " + c.message);
}

const std::string k_oci_manifest_type = R"("mediaType":"application/vnd.oci.image.manifest.v1+json")";
std::string one_entry(const std::string& body)
{
    return R"({"manifests":[{)" + body + "}]}";
}
std::string with_digest(const std::string& rest)
{
    return k_oci_manifest_type + R"(,"digest":")" + std::string("sha256:") + std::string(64, 'a') + "\"" + rest;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, IndexRejectTest,
    ::testing::Values(
        BadIndexCase{"NotJson", "{\"manifests\": [", "not valid JSON"}, BadIndexCase{"Empty", "", "not valid JSON"},
        BadIndexCase{"Array", "[]", "not a JSON object"},
        BadIndexCase{"SingleManifest",
                     R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]})",
                     "mediaType is 'application/vnd.oci.image.manifest.v1+json', not an image index or manifest list"},
        BadIndexCase{"NoManifests", R"({"schemaVersion":2})", "no \"manifests\" array"},
        BadIndexCase{"ManifestsNotArray", R"({"manifests":{}})", "no \"manifests\" array"},
        BadIndexCase{"MediaTypeNotString", R"({"mediaType":2,"manifests":[]})", "index.mediaType is not a string"},
        BadIndexCase{"EntryNotObject", R"({"manifests":[1]})", "manifests[0] is not an object"},
        BadIndexCase{"EntryMediaTypeMissing", one_entry(R"("size":1)"), "manifests[0].mediaType is missing"},
        BadIndexCase{"DigestMissing", one_entry(k_oci_manifest_type + R"(,"size":1)"),
                     "manifests[0].digest is missing"},
        BadIndexCase{"DigestBad", one_entry(k_oci_manifest_type + R"(,"digest":"sha256:abc","size":1)"),
                     "manifests[0].digest: invalid sha256 digest 'sha256:abc' (expected 64 lowercase hex digits)"},
        BadIndexCase{"SizeMissing", one_entry(with_digest("")),
                     "manifests[0].size is missing or not a non-negative integer"},
        BadIndexCase{"SizeNegative", one_entry(with_digest(R"(,"size":-1)")),
                     "manifests[0].size is missing or not a non-negative integer"},
        BadIndexCase{"SizeFloat", one_entry(with_digest(R"(,"size":1.5)")),
                     "manifests[0].size is missing or not a non-negative integer"},
        BadIndexCase{"SizeString", one_entry(with_digest(R"(,"size":"12")")),
                     "manifests[0].size is missing or not a non-negative integer"},
        BadIndexCase{"PlatformNotObject", one_entry(with_digest(R"(,"size":1,"platform":"linux/amd64")")),
                     "manifests[0].platform is not an object"},
        BadIndexCase{"OsNotString", one_entry(with_digest(R"(,"size":1,"platform":{"os":1,"architecture":"amd64"})")),
                     "manifests[0].platform.os is not a string"},
        BadIndexCase{
            "FeaturesNotArray",
            one_entry(with_digest(R"(,"size":1,"platform":{"os":"windows","architecture":"amd64","os.features":"x"})")),
            "manifests[0].platform.os.features is not an array"},
        BadIndexCase{"AnnotationNotString", one_entry(with_digest(R"(,"size":1,"annotations":{"a":1})")),
                     "manifests[0].annotations.a is not a string"}),
    [](const ::testing::TestParamInfo<BadIndexCase>& param) { return param.param.name; });

TEST(IndexTest, MakeIndexWritesStableCompactJson)
{
    auto selected = select_platforms(python_index(), {platform("linux", "amd64"), platform("linux", "arm64")}, k_image);
    ASSERT_TRUE(selected) << selected.error().message;
    const auto text = make_index(*selected, media_types::k_oci_index);
    EXPECT_EQ(text, R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)"
                    R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                        digest_of('a') +
                        R"(","size":1013,"platform":{"architecture":"amd64","os":"linux"},)"
                        R"("annotations":{"com.docker.official-images.bashbrew.arch":"amd64",)"
                        R"("org.opencontainers.image.base.name":"debian:bookworm-slim"}},)"
                        R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                        digest_of('d') +
                        R"(","size":1013,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]})");
    EXPECT_EQ(make_index(*selected, media_types::k_oci_index), text);
}

TEST(IndexTest, MakeIndexRoundTripsThroughParse)
{
    auto entries = parse_index(k_docker_list);
    ASSERT_TRUE(entries);
    const auto text = make_index(*entries, media_types::k_docker_manifest_list);
    EXPECT_NE(text.find(R"("platform":{"architecture":"amd64","os":"windows","os.version":"10.0.17763.6189",)"
                        R"("os.features":["win32k"]})"),
              std::string::npos)
        << text;
    auto again = parse_index(text);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, *entries);
    // Same descriptors in, same bytes out.
    EXPECT_EQ(make_index(*again, media_types::k_docker_manifest_list), text);
}

TEST(IndexTest, MakeIndexOfNothingIsAnEmptyIndex)
{
    EXPECT_EQ(make_index({}, media_types::k_oci_index),
              R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})");
}

TEST(IndexTest, MakeIndexEscapesAndKeepsUtf8)
{
    IndexEntry entry;
    entry.media_type = std::string(media_types::k_oci_manifest);
    entry.digest = digest_of('0');
    entry.size = 18446744073709551615u;
    entry.annotations = {{"note", "quote \" and caf\xc3\xa9"}};
    const auto text = make_index({entry}, media_types::k_oci_index);
    EXPECT_NE(text.find(R"("size":18446744073709551615,"annotations":{"note":"quote \" and caf)"
                        "\xc3\xa9"
                        R"("})"),
              std::string::npos)
        << text;
    auto again = parse_index(text);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->at(0), entry);
}

TEST(MediaTypesTest, AcceptListsIndexAndManifestTypes)
{
    const std::string accept(media_types::k_manifest_accept);
    for (auto type : {media_types::k_oci_index, media_types::k_oci_manifest, media_types::k_docker_manifest_list,
                      media_types::k_docker_manifest}) {
        EXPECT_NE(accept.find(type), std::string::npos) << type;
    }
    EXPECT_TRUE(media_types::is_index(media_types::k_docker_manifest_list));
    EXPECT_TRUE(media_types::is_index(media_types::k_oci_index));
    EXPECT_FALSE(media_types::is_index(media_types::k_oci_manifest));
    EXPECT_TRUE(media_types::is_image_manifest(media_types::k_docker_manifest));
    EXPECT_FALSE(media_types::is_image_manifest(media_types::k_helm_chart_config));
}

}  // namespace
}  // namespace gapbundle::sources::oci
