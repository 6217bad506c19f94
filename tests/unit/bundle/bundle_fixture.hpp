#pragma once

// Helpers for the bundle tests: keys, a payload model, and a raw tar writer that can write
// any entry (hostile ones included) after a correctly signed index.

#include "support/test_dir.hpp"

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/bundle/unpacker.hpp>
#include <gapbundle/bundle/verifier.hpp>
#include <gapbundle/bundle/writer.hpp>
#include <gapbundle/crypto/keys.hpp>

#include <archive_entry.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gapbundle::bundle::test {

struct Keypair {
    crypto::PrivateKey key;
    crypto::PublicKey pub;
};
Keypair make_key();
// Writes the public key as `path` (a .pub PEM file).
void write_pub(const crypto::PublicKey& pub, const std::filesystem::path& path);

// One tar entry exactly as the test wants it written.
struct RawEntry {
    std::string path;
    unsigned type = AE_IFREG;
    std::string content;
    unsigned mode = 0644;
    std::string link;      // symlink target
    std::string hardlink;  // hardlink target
};

// What a bundle should contain; index() and stream() derive the signed index and the tar entries.
struct Payload {
    std::vector<Entry> entries;
    std::map<std::string, std::string> contents;
    std::optional<std::string> expires;

    void file(const std::string& path, const std::string& content, std::uint32_t mode = 0644);
    void dir(const std::string& path);
    void symlink(const std::string& path, const std::string& target);
    // Adds parent folders, gapbundle/ and gapbundle/SHA256SUMS.
    [[nodiscard]] Index index();
    // The tar entries of `index` in stream order, with their contents.
    [[nodiscard]] std::vector<RawEntry> stream(const Index& index) const;
};

// A small payload: files/a.txt, files/tools/run.sh (0755), files/big.bin (100 KiB), files/link -> a.txt.
Payload sample_payload();

std::string sign_all(const std::string& index_json, const std::vector<const Keypair*>& keys);

// index.json, index.json.sig, then `entries` in order (uncompressed pax tar).
enum class TarFormat { pax, gnu };
void write_raw_bundle(const std::filesystem::path& out, const std::string& index_json, const std::string& signatures,
                      const std::vector<RawEntry>& entries, TarFormat format = TarFormat::pax);

// Adds `stream`'s entries to `writer`, in order (throws on failure).
void write_entries(BundleWriter& writer, const std::vector<RawEntry>& stream);

// The same bundle through BundleWriter.
void write_with_writer(const std::filesystem::path& out, const Index& index, const std::string& signatures,
                       const std::vector<RawEntry>& stream, const WriterOptions& options);

std::string read_bytes(const std::filesystem::path& path);
void write_bytes(const std::filesystem::path& path, const std::string& bytes);
// Replaces one byte of the first occurrence of `needle` (at `offset` inside it) in the file.
void flip_byte_after(const std::filesystem::path& path, const std::string& needle, std::size_t offset);

time::Seconds test_now();  // 2026-06-01T00:00:00Z

class BundleTest : public gapbundle::testing::TestDirFixture {
protected:
    void SetUp() override;

    [[nodiscard]] VerifyOptions trust_options(int threshold = 1) const;
    // Writes `payload` as a good bundle signed by m_signer through write_raw_bundle.
    std::filesystem::path write_good(Payload& payload, const std::string& name = "b.tar");
    // The same through BundleWriter, zstd-compressed, as b.tar.zst.
    std::filesystem::path write_zstd(Payload& payload);
    // Files beside the destination whose name says they are staging folders.
    [[nodiscard]] std::vector<std::string> leftover_staging() const;
    // Expects verify to report a `kind` problem naming `path`, and unpack to leave nothing behind.
    void expect_rejected(const std::filesystem::path& bundle, const std::string& kind, const std::string& path,
                         const VerifyOptions& options);
    void expect_rejected(const std::filesystem::path& bundle, const std::string& kind, const std::string& path)
    {
        expect_rejected(bundle, kind, path, trust_options());
    }

    std::optional<Keypair> m_signer;
    std::optional<Keypair> m_other;
};

}  // namespace gapbundle::bundle::test
