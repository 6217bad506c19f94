#include <gapbundle/bundle/sbom.hpp>

#include "support/cyclonedx_schema.hpp"
#include "support/test_dir.hpp"

#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace gapbundle::bundle {
namespace {

using nlohmann::json;

const std::string k_hex_a(64, 'a');
const std::string k_hex_b(64, 'b');
const std::string k_hex_c(64, 'c');
const std::string k_digest = "sha256:" + std::string(64, 'd');

Component component(std::string kind, std::string name, std::string version, std::vector<std::string> paths = {})
{
    return Component{std::move(kind), std::move(name), std::move(version), PathList(paths.begin(), paths.end()), {}, {}, {}};
}

Entry file(std::string path, const std::string& sha256)
{
    return Entry{std::move(path), EntryType::file, BasePath::none, 0644, 1, sha256, ""};
}

// A mixed index: pip with a dependency graph, an image, a model, and carried files.
Index mixed_index()
{
    Index index;
    index.name = "nightly";
    index.channel = "ml";
    index.serial = 7;
    index.created = "2026-01-01T00:00:00Z";
    index.producer = "gapbundle 0.1.0";
    index.manifest_sha256 = k_hex_a;
    index.lock_sha256 = k_hex_b;
    index.entries = {
        Entry{"files", EntryType::dir, BasePath::none, 0755, 0, "", ""},
        file("files/a b.txt", k_hex_a),
        Entry{"files/link", EntryType::symlink, BasePath::none, 0, 0, "", "a b.txt"},
        Entry{"gapbundle", EntryType::dir, BasePath::none, 0755, 0, "", ""},
        file(std::string(k_sums_path), k_hex_c),
        file("hf/hub/models--org--bert/blobs/" + k_hex_b, k_hex_b),
        file("hf/hub/models--org--bert/blobs/" + k_hex_c, k_hex_c),
        file("oci/blobs/sha256/" + k_hex_a, k_hex_a),
        file("oci/blobs/sha256/" + k_hex_c, k_hex_c),
        file("oci/index.json", k_hex_b),
        file("pypi/files/idna-3.7-py3-none-any.whl", k_hex_b),
        file("pypi/files/requests-2.31.0-py3-none-any.whl", k_hex_a),
    };
    auto requests = component("pip", "requests", "2.31.0", {"pypi/files/requests-2.31.0-py3-none-any.whl"});
    requests.requested = {"requests>=2"};
    // Two requirements on one project (markers) and one on a project the target did not need.
    requests.dependencies = {{"idna", "idna<4,>=2.5"}, {"idna", "idna>=2; python_version>='3'"}, {"zzz", "zzz"}};
    auto carried = component("files", "a b.txt", "sha256:" + k_hex_a, {"files/a b.txt"});
    carried.requested = {"https://downloads.example/a%20b.txt"};
    index.components = {
        std::move(carried),
        component("huggingface", "models/org/bert", "ABCDEF0123",
                  {"hf/hub/models--org--bert/blobs/" + k_hex_b, "hf/hub/models--org--bert/blobs/" + k_hex_c}),
        component("images", "localhost:5000/team/app:1.0", k_digest,
                  {"oci/blobs/sha256/" + k_hex_a, "oci/blobs/sha256/" + k_hex_c}),
        component("pip", "idna", "3.7", {"pypi/files/idna-3.7-py3-none-any.whl"}),
        std::move(requests),
    };
    return index;
}

const json* find_component(const json& sbom, std::string_view name)
{
    for (const auto& item : sbom.at("components"))
        if (item.at("name") == name) return &item;
    return nullptr;
}

TEST(PurlTest, NamesEachKindAsThePurlSpecSays)
{
    EXPECT_EQ(purl_of(component("pip", "requests", "2.31.0")), "pkg:pypi/requests@2.31.0");
    EXPECT_EQ(purl_of(component("pip", "torch", "2.3.0+cpu")), "pkg:pypi/torch@2.3.0%2Bcpu");
    EXPECT_EQ(purl_of(component("images", "localhost:5000/team/app:1.0", k_digest)),
              "pkg:oci/app@sha256%3A" + std::string(64, 'd') + "?repository_url=localhost:5000/team/app&tag=1.0");
    EXPECT_EQ(purl_of(component("images", "registry.example/app@" + k_digest, k_digest)),
              "pkg:oci/app@sha256%3A" + std::string(64, 'd') + "?repository_url=registry.example/app");
    EXPECT_EQ(purl_of(component("huggingface", "models/org/bert", "ABCDEF")), "pkg:huggingface/org/bert@abcdef");
    EXPECT_EQ(purl_of(component("huggingface", "models/gpt2", "abc")), "pkg:huggingface/gpt2@abc");
    EXPECT_EQ(purl_of(component("huggingface", "datasets/org/squad", "abc")),
              "pkg:huggingface/org/squad@abc?repository_url=https://huggingface.co/datasets");
    EXPECT_EQ(purl_of(component("conda", "numpy", "1.26.4")), "pkg:conda/numpy@1.26.4");
    EXPECT_EQ(purl_of(component("helm", "redis", "18.1.0")), "pkg:generic/helm/redis@18.1.0");
}

TEST(SbomTest, ListsEveryComponentWithItsPurlAndHashes)
{
    const Index index = mixed_index();
    const json sbom = json::parse(sbom_text(index));
    EXPECT_EQ(sbom.at("bomFormat"), "CycloneDX");
    EXPECT_EQ(sbom.at("specVersion"), "1.5");
    EXPECT_EQ(sbom.at("metadata").at("component").at("name"), "nightly");
    // Four components and the one carried file: the files entry that carries it is that file.
    ASSERT_EQ(sbom.at("components").size(), 5u);

    const json* requests = find_component(sbom, "requests");
    ASSERT_NE(requests, nullptr);
    EXPECT_EQ(requests->at("type"), "library");
    EXPECT_EQ(requests->at("purl"), "pkg:pypi/requests@2.31.0");
    EXPECT_EQ(requests->at("hashes"), json::parse(R"([{"alg":"SHA-256","content":")" + k_hex_a + R"("}])"));

    const json* image = find_component(sbom, "localhost:5000/team/app:1.0");
    ASSERT_NE(image, nullptr);
    EXPECT_EQ(image->at("type"), "container");
    EXPECT_EQ(image->at("version"), k_digest);
    ASSERT_EQ(image->at("components").size(), 2u);  // its blobs, each hashed
    EXPECT_EQ(image->at("components")[1].at("hashes")[0].at("content"), k_hex_c);

    const json* model = find_component(sbom, "models/org/bert");
    ASSERT_NE(model, nullptr);
    EXPECT_EQ(model->at("type"), "machine-learning-model");
    EXPECT_EQ(model->at("purl"), "pkg:huggingface/org/bert@abcdef0123");

    const json* carried = find_component(sbom, "files/a b.txt");
    ASSERT_NE(carried, nullptr);
    EXPECT_EQ(carried->at("type"), "file");
    EXPECT_EQ(carried->at("purl"), "pkg:generic/a%20b.txt?checksum=sha256:" + k_hex_a);
    EXPECT_EQ(carried->at("externalReferences"),
              json::parse(R"([{"type":"distribution","url":"https://downloads.example/a%20b.txt"}])"));
    // Not components: the links, the layout's own index.json, gapbundle/.
    EXPECT_EQ(find_component(sbom, "files/link"), nullptr);
    EXPECT_EQ(find_component(sbom, "oci/index.json"), nullptr);
    EXPECT_EQ(find_component(sbom, std::string(k_sums_path)), nullptr);
}

TEST(SbomTest, DependenciesNameEachRequiredComponentOnce)
{
    const json sbom = json::parse(sbom_text(mixed_index()));
    ASSERT_EQ(sbom.at("dependencies").size(), 1u);
    const json& dependency = sbom.at("dependencies")[0];
    EXPECT_EQ(dependency.at("ref"), "gapbundle:pip/requests@2.31.0");
    EXPECT_EQ(dependency.at("dependsOn"), json::array({"gapbundle:pip/idna@3.7"}));
}

TEST(SbomTest, SaysNothingThatChangesFromOneBuildOfTheSameContentToTheNext)
{
    Index night1 = mixed_index();
    Index night2 = mixed_index();
    night2.serial = 8;
    night2.created = "2026-01-02T00:00:00Z";
    night2.manifest_sha256 = k_hex_c;
    night2.lock_sha256 = k_hex_c;
    night2.base = BaseRef{"ml", 7, k_hex_a};
    EXPECT_EQ(sbom_text(night1), sbom_text(night2));
    // Nor does its own entry, once in the index, change what it says.
    night2.entries.push_back(file(std::string(k_sbom_path), k_hex_a));
    std::ranges::sort(night2.entries, {}, &Entry::path);
    EXPECT_EQ(sbom_text(night1), sbom_text(night2));
    night2.components.pop_back();
    EXPECT_NE(sbom_text(night1), sbom_text(night2));
}

// Files are written without a JSON value per file: the text must be what dump() of that value gives,
// or a bundle packed by one version would carry a different SBOM for the same content.
TEST(SbomTest, EachFileIsWrittenAsTheDumpOfItsJsonObject)
{
    Index index = mixed_index();
    const std::vector<std::string> odd = {"files/q\"uote", "files/back\\slash", "files/caf\xc3\xa9",
                                          "files/bad\xff", "files/tab\tx"};
    for (const auto& path : odd) index.entries.push_back(file(path, k_hex_c));
    std::ranges::sort(index.entries, {}, &Entry::path);
    const std::string text = sbom_text(index);
    const auto expected = [](const Entry& entry, const char* url) {
        json out = {{"type", "file"},
                    {"bom-ref", "gapbundle:" + entry.path},
                    {"name", entry.path},
                    {"hashes", json::array({{{"alg", "SHA-256"}, {"content", entry.sha256}}})}};
        out["purl"] = "pkg:generic/" + text::percent_encode(entry.path.substr(6)) + "?checksum=sha256:" + entry.sha256;
        if (url) out["externalReferences"] = json::array({{{"type", "distribution"}, {"url", url}}});
        return out.dump(-1, ' ', false, json::error_handler_t::replace);
    };
    const Entry* carried = find_entry(index.entries, "files/a b.txt");
    ASSERT_NE(carried, nullptr);
    EXPECT_NE(text.find(expected(*carried, "https://downloads.example/a%20b.txt")), std::string::npos) << text;
    for (const auto& path : odd) {
        const Entry* entry = find_entry(index.entries, path);
        ASSERT_NE(entry, nullptr);
        EXPECT_NE(text.find(expected(*entry, nullptr)), std::string::npos) << path << "\n" << text;
    }
}

TEST(SbomTest, AnEmptyBundleStillWritesAValidDocument)
{
    Index index;
    index.name = "empty";
    index.producer = "gapbundle 0.1.0";
    const json sbom = json::parse(sbom_text(index));
    EXPECT_TRUE(sbom.at("components").empty());
    EXPECT_TRUE(sbom.at("dependencies").empty());
}

class SbomSchemaTest : public testing::TestDirFixture {};

TEST_F(SbomSchemaTest, TheMixedIndexSbomValidatesAgainstCycloneDx15)
{
    const auto document = dir() / "sbom.cdx.json";
    testing::write_text(document, sbom_text(mixed_index()));
    const auto checked = testing::validate_cyclonedx(document, dir());
    EXPECT_EQ(checked.status, 0) << checked.err;
}

TEST_F(SbomSchemaTest, TheValidatorRefusesADocumentTheSchemaForbids)
{
    // So that a pass above means something: a component type CycloneDX 1.5 does not have.
    json sbom = json::parse(sbom_text(mixed_index()));
    sbom["components"][0]["type"] = "wheel";
    const auto document = dir() / "bad.cdx.json";
    testing::write_text(document, sbom.dump());
    const auto checked = testing::validate_cyclonedx(document, dir());
    EXPECT_EQ(checked.status, 1) << checked.err;
    EXPECT_NE(checked.err.find("components/0/type"), std::string::npos) << checked.err;
}

}  // namespace
}  // namespace gapbundle::bundle
