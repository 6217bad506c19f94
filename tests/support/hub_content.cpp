#include "support/hub_content.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/text.hpp>

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace gapbundle::testing {

namespace {

// xorshift32: small, deterministic, good enough to make tensors look like noise.
class Noise {
public:
    explicit Noise(std::uint32_t seed) : m_state(seed == 0 ? 0x9e3779b9u : seed) {}
    std::uint32_t next()
    {
        m_state ^= m_state << 13;
        m_state ^= m_state >> 17;
        m_state ^= m_state << 5;
        return m_state;
    }
    // A float in [-0.5, 0.5), as initialised weights are.
    float weight() { return static_cast<float>(next() >> 8) / static_cast<float>(1u << 24) - 0.5f; }

private:
    std::uint32_t m_state;
};

void append_le64(std::string& out, std::uint64_t value)
{
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xffu));
}

struct Tensor {
    std::string name;
    std::vector<std::size_t> shape;
};

std::size_t element_count(const Tensor& tensor)
{
    std::size_t n = 1;
    for (const std::size_t dim : tensor.shape) n *= dim;
    return n;
}

std::string json_text(const nlohmann::ordered_json& value)
{
    return value.dump(2) + "\n";
}

std::string config_json()
{
    nlohmann::ordered_json config = {
        {"architectures", {"LlamaForCausalLM"}},
        {"bos_token_id", 1},
        {"eos_token_id", 2},
        {"hidden_size", 64},
        {"intermediate_size", 128},
        {"max_position_embeddings", 512},
        {"model_type", "llama"},
        {"num_attention_heads", 4},
        {"num_hidden_layers", 1},
        {"num_key_value_heads", 4},
        {"rms_norm_eps", 1e-06},
        {"torch_dtype", "float32"},
        {"transformers_version", "4.44.0"},
        {"vocab_size", 256},
    };
    return json_text(config);
}

std::string tokenizer_json()
{
    nlohmann::ordered_json vocab = nlohmann::ordered_json::object();
    vocab["<unk>"] = 0;
    vocab["<s>"] = 1;
    vocab["</s>"] = 2;
    for (int c = 'a'; c <= 'z'; ++c) vocab[std::string(1, static_cast<char>(c))] = c - 'a' + 3;
    nlohmann::ordered_json tokenizer = {
        {"version", "1.0"},
        {"truncation", nullptr},
        {"padding", nullptr},
        {"added_tokens",
         {{{"id", 0}, {"content", "<unk>"}, {"special", true}},
          {{"id", 1}, {"content", "<s>"}, {"special", true}},
          {{"id", 2}, {"content", "</s>"}, {"special", true}}}},
        {"normalizer", nullptr},
        {"pre_tokenizer", {{"type", "Whitespace"}}},
        {"model",
         {{"type", "BPE"}, {"unk_token", "<unk>"}, {"vocab", vocab}, {"merges", nlohmann::ordered_json::array()}}},
    };
    return json_text(tokenizer);
}

std::string parquet_blob(std::size_t size, std::uint32_t seed)
{
    std::string out = "PAR1";
    Noise noise(seed);
    while (out.size() + 4 < size) out.push_back(static_cast<char>(noise.next() & 0xffu));
    return out + "PAR1";
}

}  // namespace

HubFile::HubFile(std::string file_path, std::string file_bytes, HubStorage file_storage)
    : path(std::move(file_path)), bytes(std::move(file_bytes)), storage(file_storage)
{
}

HubRepo::HubRepo(HubRepoType repo_type, std::string repo_id) : type(repo_type), id(std::move(repo_id)) {}

HubRepo& HubRepo::add(std::string path, std::string bytes, HubStorage storage)
{
    if (commits.empty()) commits.emplace_back();
    commits.front().files.emplace_back(std::move(path), std::move(bytes), storage);
    return *this;
}

std::string sha1_hex(std::string_view bytes)
{
    std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1)
        throw std::runtime_error("sha1_hex: EVP_Digest failed");
    return text::to_hex(std::span(digest.data(), length));
}

std::string git_blob_sha1(std::string_view bytes)
{
    std::string object = "blob " + std::to_string(bytes.size());
    object.push_back('\0');
    object.append(bytes);
    return sha1_hex(object);
}

std::string lfs_pointer(std::string_view bytes)
{
    return "version https://git-lfs.github.com/spec/v1\noid sha256:" + crypto::sha256_hex(bytes) + "\nsize " +
           std::to_string(bytes.size()) + "\n";
}

std::string safetensors_file(std::size_t megabytes, std::uint32_t seed)
{
    constexpr std::size_t k_width = 64;
    const std::size_t rows = megabytes == 0 ? 4 : megabytes * (1u << 20) / (4 * k_width);
    const std::vector<Tensor> tensors = {
        {"model.embed_tokens.weight", {rows / 2, k_width}},
        {"model.layers.0.self_attn.q_proj.weight", {rows / 4, k_width}},
        {"model.norm.weight", {k_width}},
        {"lm_head.weight", {rows - rows / 2 - rows / 4, k_width}},
    };
    nlohmann::ordered_json header = {{"__metadata__", {{"format", "pt"}}}};
    std::size_t offset = 0;
    for (const auto& tensor : tensors) {
        const std::size_t end = offset + 4 * element_count(tensor);
        header[tensor.name] = {{"dtype", "F32"}, {"shape", tensor.shape}, {"data_offsets", {offset, end}}};
        offset = end;
    }
    std::string text = header.dump();
    while (text.size() % 8 != 0) text.push_back(' ');
    std::string out;
    out.reserve(8 + text.size() + offset);
    append_le64(out, text.size());
    out += text;
    Noise noise(seed);
    for (std::size_t i = 0; i < offset / 4; ++i) {
        const float value = noise.weight();
        char raw[4];
        std::memcpy(raw, &value, 4);  // little-endian on every machine this runs on
        out.append(raw, 4);
    }
    return out;
}

HubRepo tiny_model_repo(std::string id, std::size_t megabytes)
{
    HubRepo repo(HubRepoType::model, std::move(id));
    const nlohmann::ordered_json generation = {
        {"bos_token_id", 1}, {"eos_token_id", 2}, {"do_sample", false}, {"transformers_version", "4.44.0"}};
    const nlohmann::ordered_json tokenizer_config = {{"add_bos_token", true},
                                                     {"add_eos_token", false},
                                                     {"bos_token", "<s>"},
                                                     {"eos_token", "</s>"},
                                                     {"model_max_length", 512},
                                                     {"unk_token", "<unk>"},
                                                     {"tokenizer_class", "PreTrainedTokenizerFast"}};
    const nlohmann::ordered_json special = {{"bos_token", "<s>"}, {"eos_token", "</s>"}, {"unk_token", "<unk>"}};
    const nlohmann::ordered_json params = {{"dim", 64}, {"n_layers", 1}, {"n_heads", 4}, {"vocab_size", 256}};
    repo.add(".gitattributes",
             "*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.pth filter=lfs diff=lfs merge=lfs -text\n")
        .add("README.md", "---\nlicense: apache-2.0\nlibrary_name: transformers\n---\n\n# " + repo.id +
                              "\n\nA tiny model for gapbundle's tests.\n")
        .add("config.json", config_json())
        .add("generation_config.json", json_text(generation))
        .add("tokenizer.json", tokenizer_json())
        .add("tokenizer_config.json", json_text(tokenizer_config))
        .add("special_tokens_map.json", json_text(special))
        .add("model.safetensors", safetensors_file(megabytes, 1), HubStorage::lfs)
        .add("original/params.json", json_text(params))
        .add("original/consolidated.00.pth", safetensors_file(0, 2), HubStorage::lfs);
    return repo;
}

HubRepo tiny_dataset_repo(std::string id)
{
    HubRepo repo(HubRepoType::dataset, std::move(id));
    repo.add(".gitattributes", "*.parquet filter=lfs diff=lfs merge=lfs -text\n")
        .add("README.md",
             "---\nlicense: cc-by-4.0\nconfigs:\n- config_name: default\n  data_files:\n"
             "  - split: train\n    path: data/train-*\n---\n\n# " +
                 repo.id + "\n")
        .add("data/train.csv", "text,label\nhello,1\nworld,0\n")
        .add("data/test.csv", "text,label\nfoo,1\n")
        .add("data/validation.jsonl", "{\"text\": \"bar\", \"label\": 0}\n")
        .add("data/train-00000-of-00001.parquet", parquet_blob(300 * 1024, 7), HubStorage::lfs);
    return repo;
}

}  // namespace gapbundle::testing
