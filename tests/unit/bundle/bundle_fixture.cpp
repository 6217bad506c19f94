#include "bundle_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/time.hpp>

#include <archive.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <sys/sysmacros.h>

namespace gapbundle::bundle::test {

namespace stdfs = std::filesystem;

Keypair make_key()
{
    auto key = crypto::PrivateKey::generate_ed25519();
    if (!key) throw std::runtime_error(key.error().message);
    auto pub = key->public_key();
    if (!pub) throw std::runtime_error(pub.error().message);
    return Keypair{std::move(*key), std::move(*pub)};
}

void write_pub(const crypto::PublicKey& pub, const stdfs::path& path)
{
    gapbundle::testing::write_text(path, pub.to_pem());
}

void Payload::file(const std::string& path, const std::string& content, std::uint32_t mode)
{
    Entry entry;
    entry.path = path;
    entry.size = content.size();
    entry.sha256 = crypto::sha256_hex(content);
    entry.mode = mode;
    entries.push_back(entry);
    contents[path] = content;
}

void Payload::dir(const std::string& path)
{
    Entry entry;
    entry.path = path;
    entry.type = EntryType::dir;
    entry.mode = 0755;
    entries.push_back(entry);
}

void Payload::symlink(const std::string& path, const std::string& target)
{
    Entry entry;
    entry.path = path;
    entry.type = EntryType::symlink;
    entry.link_target = target;
    entries.push_back(entry);
}

Index Payload::index()
{
    Index index;
    index.name = "sample";
    index.serial = 7;
    index.created = "2026-01-01T00:00:00Z";
    index.expires = expires;
    index.producer = "gapbundle 0.1.0";
    index.manifest_sha256 = crypto::sha256_hex("manifest");
    index.lock_sha256 = crypto::sha256_hex("lock");
    index.entries = entries;
    std::erase_if(index.entries, [](const Entry& e) { return e.path == k_sums_path; });
    const std::string sums = sha256sums_text(index.entries);
    contents[std::string(k_sums_path)] = sums;
    Entry entry;
    entry.path = std::string(k_sums_path);
    entry.size = sums.size();
    entry.sha256 = crypto::sha256_hex(sums);
    index.entries.push_back(entry);
    add_parent_dirs(index.entries);
    return index;
}

std::vector<RawEntry> Payload::stream(const Index& index) const
{
    std::vector<RawEntry> out;
    for (auto position : stream_order(index)) {
        const auto& entry = index.entries[position];
        RawEntry raw;
        raw.path = entry.path;
        raw.mode = entry.mode;
        if (entry.type == EntryType::dir) raw.type = AE_IFDIR;
        if (entry.type == EntryType::symlink) {
            raw.type = AE_IFLNK;
            raw.mode = 0777;
            raw.link = entry.link_target;
        }
        if (entry.type == EntryType::file) raw.content = contents.at(entry.path);
        out.push_back(raw);
    }
    return out;
}

Payload sample_payload()
{
    Payload payload;
    payload.file("files/a.txt", "hello payload\n");
    payload.file("files/tools/run.sh", "#!/bin/sh\necho run\n", 0755);
    std::string big(100 * 1024, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + (i * 7) % 26);
    payload.file("files/big.bin", big);
    payload.symlink("files/link", "a.txt");
    return payload;
}

std::string sign_all(const std::string& index_json, const std::vector<const Keypair*>& keys)
{
    std::vector<Signature> signatures;
    for (const auto* key : keys) {
        auto signature = sign_index(key->key, index_json);
        if (!signature) throw std::runtime_error(signature.error().message);
        signatures.push_back(*signature);
    }
    return signatures_to_json(signatures);
}

void write_raw_bundle(const stdfs::path& out, const std::string& index_json, const std::string& signatures,
                      const std::vector<RawEntry>& entries, TarFormat format)
{
    std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), &archive_write_free);
    if (format == TarFormat::gnu) archive_write_set_format_gnutar(a.get());
    else archive_write_set_format_pax_restricted(a.get());
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open_filename(a.get(), out.c_str()) != ARCHIVE_OK) throw std::runtime_error("open " + out.string());
    std::vector<RawEntry> all{{std::string(k_index_path), AE_IFREG, index_json, 0644, {}, {}},
                              {std::string(k_signatures_path), AE_IFREG, signatures, 0644, {}, {}}};
    all.insert(all.end(), entries.begin(), entries.end());
    for (const auto& raw : all) {
        std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), &archive_entry_free);
        archive_entry_set_pathname(e.get(), raw.path.c_str());
        archive_entry_set_filetype(e.get(), raw.type);
        archive_entry_set_perm(e.get(), raw.mode);
        archive_entry_set_mtime(e.get(), 1700000000, 0);
        archive_entry_set_size(e.get(), raw.type == AE_IFREG ? static_cast<la_int64_t>(raw.content.size()) : 0);
        if (raw.type == AE_IFLNK) archive_entry_set_symlink(e.get(), raw.link.c_str());
        if (raw.type == AE_IFCHR) archive_entry_set_rdev(e.get(), makedev(1, 3));
        if (!raw.hardlink.empty()) archive_entry_set_hardlink(e.get(), raw.hardlink.c_str());
        if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK)
            throw std::runtime_error("header " + raw.path + ": " + archive_error_string(a.get()));
        if (!raw.content.empty()) archive_write_data(a.get(), raw.content.data(), raw.content.size());
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) throw std::runtime_error("close " + out.string());
}

void write_entries(BundleWriter& writer, const std::vector<RawEntry>& stream)
{
    const auto check = [](const Status& st) {
        if (!st) throw std::runtime_error(st.error().message);
    };
    for (const auto& raw : stream) {
        if (raw.type == AE_IFDIR) check(writer.add_dir(raw.path));
        else if (raw.type == AE_IFLNK) check(writer.add_symlink(raw.path, raw.link));
        else {
            std::size_t at = 0;
            auto hash = writer.add_stream(raw.path, raw.content.size(), raw.mode,
                                          [&](std::span<std::byte> buffer) -> Result<std::size_t> {
                                              const auto n = std::min(buffer.size(), raw.content.size() - at);
                                              std::memcpy(buffer.data(), raw.content.data() + at, n);
                                              at += n;
                                              return n;
                                          });
            if (!hash) throw std::runtime_error(hash.error().message);
        }
    }
}

void write_with_writer(const stdfs::path& out, const Index& index, const std::string& signatures,
                       const std::vector<RawEntry>& stream, const WriterOptions& options)
{
    auto writer = BundleWriter::create(out, options);
    if (!writer) throw std::runtime_error(writer.error().message);
    const auto check = [](const Status& st) {
        if (!st) throw std::runtime_error(st.error().message);
    };
    check(writer->add_bytes(k_index_path, to_canonical_json(index)));
    check(writer->add_bytes(k_signatures_path, signatures));
    write_entries(*writer, stream);
    check(writer->commit());
}

std::string read_bytes(const stdfs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const stdfs::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

void flip_byte_after(const stdfs::path& path, const std::string& needle, std::size_t offset)
{
    auto bytes = read_bytes(path);
    const auto at = bytes.find(needle);
    if (at == std::string::npos) throw std::runtime_error("'" + needle + "' not in " + path.string());
    char& c = bytes[at + offset];
    c = c == 'A' ? 'B' : 'A';
    write_bytes(path, bytes);
}

time::Seconds test_now()
{
    return *time::parse_rfc3339("2026-06-01T00:00:00Z");
}

void BundleTest::SetUp()
{
    TestDirFixture::SetUp();
    m_signer = make_key();
    m_other = make_key();
}

VerifyOptions BundleTest::trust_options(int threshold) const
{
    VerifyOptions options;
    options.trust.keys.push_back(m_signer->pub);
    options.threshold = threshold;
    options.now = test_now();
    return options;
}

stdfs::path BundleTest::write_good(Payload& payload, const std::string& name)
{
    const auto index = payload.index();
    const auto json = to_canonical_json(index);
    const auto out = dir() / name;
    write_raw_bundle(out, json, sign_all(json, {&*m_signer}), payload.stream(index));
    return out;
}

stdfs::path BundleTest::write_zstd(Payload& payload)
{
    const auto index = payload.index();
    const auto json = to_canonical_json(index);
    WriterOptions options;
    options.compression = Compression::zstd;
    const auto out = dir() / "b.tar.zst";
    write_with_writer(out, index, sign_all(json, {&*m_signer}), payload.stream(index), options);
    return out;
}

std::vector<std::string> BundleTest::leftover_staging() const
{
    std::vector<std::string> found;
    for (const auto& item : stdfs::directory_iterator(dir())) {
        const auto name = item.path().filename().string();
        if (name.find("gapbundle-staging") != std::string::npos) found.push_back(name);
    }
    return found;
}

void BundleTest::expect_rejected(const stdfs::path& bundle, const std::string& kind, const std::string& path,
                                 const VerifyOptions& options)
{
    auto report = verify_bundle(bundle, options);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_FALSE(report->ok());
    const bool named = std::ranges::any_of(report->problems, [&](const Problem& p) {
        return p.kind == kind && p.path == path && p.message.find(path) != std::string::npos;
    });
    std::string all;
    for (const auto& p : report->problems) all += "  [" + p.kind + "] " + p.path + ": " + p.message + "\n";
    EXPECT_TRUE(named) << "expected a " << kind << " problem naming " << path << ", got:\n" << all;

    const auto dest = dir() / "dest";
    UnpackOptions unpack;
    unpack.verify = options;
    auto unpacked = unpack_bundle(bundle, dest, unpack);
    ASSERT_TRUE(unpacked) << unpacked.error().message;
    EXPECT_FALSE(unpacked->verify.ok());
    EXPECT_FALSE(unpacked->verify.problems.empty());
    EXPECT_FALSE(stdfs::exists(stdfs::symlink_status(dest))) << "destination was created";
    EXPECT_TRUE(leftover_staging().empty()) << "staging folder left behind";
}

}  // namespace gapbundle::bundle::test
