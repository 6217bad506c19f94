#include "support/hub_content.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace gapbundle::testing {
namespace {

std::uint64_t read_le64(std::string_view bytes)
{
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
    return value;
}

// Checks the file as the safetensors format says and returns its header.
nlohmann::json check_safetensors(const std::string& file)
{
    EXPECT_GE(file.size(), 8u);
    const std::uint64_t length = read_le64(file);
    EXPECT_EQ(length % 8, 0u);
    EXPECT_LE(8 + length, file.size());
    const auto header = nlohmann::json::parse(file.substr(8, length));
    const std::size_t data = file.size() - 8 - length;
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    for (const auto& [name, tensor] : header.items()) {
        if (name == "__metadata__") continue;
        EXPECT_EQ(tensor["dtype"], "F32");
        std::size_t elements = 1;
        for (const auto& dim : tensor["shape"]) elements *= dim.get<std::size_t>();
        const auto begin = tensor["data_offsets"][0].get<std::size_t>();
        const auto end = tensor["data_offsets"][1].get<std::size_t>();
        EXPECT_EQ(end - begin, 4 * elements) << name;
        spans.emplace_back(begin, end);
    }
    std::ranges::sort(spans);
    std::size_t at = 0;
    for (const auto& [begin, end] : spans) {
        EXPECT_EQ(begin, at);
        at = end;
    }
    EXPECT_EQ(at, data);
    return header;
}

TEST(HubContentTest, SafetensorsFileIsValidAndSized)
{
    const std::string file = safetensors_file(2, 7);
    const auto header = check_safetensors(file);
    EXPECT_EQ(header["__metadata__"]["format"], "pt");
    EXPECT_GE(header.size(), 4u);
    EXPECT_GE(file.size(), 2u << 20);
    EXPECT_LT(file.size(), (2u << 20) + 4096);
    check_safetensors(safetensors_file(0, 1));
}

TEST(HubContentTest, SafetensorsFileFollowsSeed)
{
    EXPECT_EQ(safetensors_file(1, 3), safetensors_file(1, 3));
    EXPECT_NE(safetensors_file(1, 3), safetensors_file(1, 4));
}

TEST(HubContentTest, LfsPointerNamesSha256AndSize)
{
    EXPECT_EQ(lfs_pointer("abc"),
              "version https://git-lfs.github.com/spec/v1\n"
              "oid sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nsize 3\n");
}

TEST(HubContentTest, TinyModelRepoHasRealShape)
{
    const HubRepo repo = tiny_model_repo();
    EXPECT_EQ(repo.type, HubRepoType::model);
    ASSERT_EQ(repo.commits.size(), 1u);
    std::set<std::string> lfs;
    std::set<std::string> git;
    for (const auto& file : repo.commits[0].files) {
        (file.storage == HubStorage::lfs ? lfs : git).insert(file.path);
        if (file.path.ends_with(".json")) {
            EXPECT_TRUE(nlohmann::json::accept(file.bytes)) << file.path;
        }
        if (file.path == "model.safetensors") check_safetensors(file.bytes);
    }
    EXPECT_EQ(lfs, (std::set<std::string>{"model.safetensors", "original/consolidated.00.pth"}));
    for (const char* name : {"config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                             "special_tokens_map.json", "README.md", "original/params.json"})
        EXPECT_TRUE(git.contains(name)) << name;
}

TEST(HubContentTest, TinyDatasetRepoHasDataFiles)
{
    const HubRepo repo = tiny_dataset_repo();
    EXPECT_EQ(repo.type, HubRepoType::dataset);
    int lfs = 0;
    int data = 0;
    for (const auto& file : repo.commits[0].files) {
        lfs += file.storage == HubStorage::lfs ? 1 : 0;
        data += file.path.starts_with("data/") ? 1 : 0;
    }
    EXPECT_EQ(lfs, 1);
    EXPECT_EQ(data, 4);
}

}  // namespace
}  // namespace gapbundle::testing
