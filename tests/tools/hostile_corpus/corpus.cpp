#include "corpus.hpp"

#include "tar_bytes.hpp"
#include "unit/bundle/bundle_fixture.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <stdexcept>

namespace gapbundle::hostile {

namespace {

namespace stdfs = std::filesystem;
using bundle::test::Keypair;
using bundle::test::Payload;
using bundle::test::RawEntry;
using Edit = std::function<void(std::vector<RawEntry>&)>;
// Writes one entry of a hand-made tar in its own way; false: the default way.
using Splice = std::function<bool(std::string& tar, const RawEntry& entry)>;

constexpr std::uint64_t k_ten_gib = 10ull << 30;

RawEntry raw_file(const std::string& path, const std::string& content)
{
    return RawEntry{path, AE_IFREG, content, 0644, {}, {}};
}

void insert_early(std::vector<RawEntry>& stream, std::vector<RawEntry> entries)
{
    stream.insert(stream.begin() + 2, entries.begin(), entries.end());
}

// A path of exactly `bytes` bytes, in components of at most 200 bytes.
std::string long_path(std::size_t bytes)
{
    std::string path;
    while (path.size() < bytes) {
        if (!path.empty()) path += '/';
        path += std::string(std::min<std::size_t>(200, bytes - path.size()), 'p');
        if (bytes - path.size() == 1) path.back() = 'q', path += 'r';  // never end on a lone '/'
    }
    path.resize(bytes);
    return path;
}

std::string deep_path(std::size_t levels)
{
    std::string path = "deep";
    for (std::size_t i = 1; i < levels; ++i) path += "/d";
    return path;
}

std::string default_entry(const RawEntry& entry)
{
    if (entry.type == AE_IFDIR) return header_block(Header{entry.path + "/", '5', 0, 0755, {}, false});
    if (entry.type == AE_IFLNK) return header_block(Header{entry.path, '2', 0, 0777, entry.link, false});
    return header_block(Header{entry.path, '0', entry.content.size(), entry.mode, {}, false}) + padded(entry.content);
}

class Writer {
public:
    explicit Writer(stdfs::path out) : m_out(std::move(out)), m_signer(bundle::test::make_key()) {}

    void run();
    [[nodiscard]] const std::vector<Case>& cases() const { return m_cases; }

private:
    struct Signed {
        std::string json;
        std::string signatures;
        std::vector<RawEntry> stream;
    };
    Signed sign(Payload& payload, std::uint64_t serial = 7) const
    {
        auto index = payload.index();
        index.serial = serial;
        Signed s;
        s.json = bundle::to_canonical_json(index);
        s.signatures = bundle::test::sign_all(s.json, {&m_signer});
        s.stream = payload.stream(index);
        return s;
    }
    // The sample bundle's entries as libarchive writes them, after `edit`.
    void edited(Case c, const Edit& edit);
    // A bundle of `payload`, as libarchive writes it.
    void payload_case(Case c, Payload payload);
    // The sample bundle's entries, in tar written here.
    std::string hand_tar(const Signed& s, const Splice& splice) const;
    void bytes_case(Case c, const std::string& bytes);
    void tar_cases();
    void size_cases();
    void limit_cases();
    void end_cases();
    void write_index() const;

    stdfs::path m_out;
    Keypair m_signer;
    std::vector<Case> m_cases;
};

void Writer::bytes_case(Case c, const std::string& bytes)
{
    if (c.file.empty()) c.file = c.name + ".tar";
    bundle::test::write_bytes(m_out / c.file, bytes);
    m_cases.push_back(std::move(c));
}

void Writer::edited(Case c, const Edit& edit)
{
    auto payload = bundle::test::sample_payload();
    auto s = sign(payload);
    edit(s.stream);
    c.file = c.name + ".tar";
    bundle::test::write_raw_bundle(m_out / c.file, s.json, s.signatures, s.stream);
    m_cases.push_back(std::move(c));
}

void Writer::payload_case(Case c, Payload payload)
{
    auto s = sign(payload);
    c.file = c.name + ".tar";
    bundle::test::write_raw_bundle(m_out / c.file, s.json, s.signatures, s.stream);
    m_cases.push_back(std::move(c));
}

std::string Writer::hand_tar(const Signed& s, const Splice& splice) const
{
    std::string tar;
    tar += default_entry(raw_file(std::string(bundle::k_index_path), s.json));
    tar += default_entry(raw_file(std::string(bundle::k_signatures_path), s.signatures));
    for (const auto& entry : s.stream)
        if (!splice || !splice(tar, entry)) tar += default_entry(entry);
    return tar;
}

void Writer::run()
{
    stdfs::create_directories(m_out);
    bundle::test::write_pub(m_signer.pub, m_out / "signer.pub");
    {
        auto payload = bundle::test::sample_payload();
        auto s = sign(payload, 6);
        bundle::test::write_raw_bundle(m_out / "seed.tar", s.json, s.signatures, s.stream);
    }
    payload_case(Case{"good", {}, 0, {}, {}, {}, "control: the sample bundle, untouched, passes", false, {}},
                 bundle::test::sample_payload());
    tar_cases();
    size_cases();
    limit_cases();
    end_cases();
    write_index();
}

// The entries themselves: paths, types, modes, duplicates, case, links.
void Writer::tar_cases()
{
    edited({"extra", {}, 1, "extra", "files/zz.txt", {}, "an entry the index does not list", true, {}},
           [](auto& s) { s.push_back(raw_file("files/zz.txt", "x")); });
    edited({"missing", {}, 1, "missing", "files/big.bin", {}, "an entry the index lists is absent", false, {}},
           [](auto& s) { std::erase_if(s, [](const RawEntry& e) { return e.path == "files/big.bin"; }); });
    edited(
        {"duplicate", {}, 1, "duplicate", "files/a.txt", {}, "the same path twice: a later entry would win", true, {}},
        [](auto& s) { s.push_back(raw_file("files/a.txt", "hello payload\n")); });
    edited({"dotdot", {}, 1, "unsafe_path", "../x", {}, "a '..' path escaping the destination", true, {}},
           [](auto& s) { insert_early(s, {raw_file("../x", "escape")}); });
    edited({"absolute", {}, 1, "unsafe_path", "/etc/x", {}, "an absolute path", false, {}},
           [](auto& s) { insert_early(s, {raw_file("/etc/x", "escape")}); });
    edited({"symlink_out", {}, 1, "unsafe_path", "evil", {}, "a symlink pointing out of the tree", false, {}},
           [](auto& s) {
               insert_early(s, {RawEntry{"evil", AE_IFLNK, {}, 0777, "../..", {}}});
           });
    edited({"write_through_symlink",
            {},
            1,
            "unsafe_path",
            "evil",
            {},
            "an absolute symlink, then a file through it",
            true,
            {}},
           [](auto& s) {
               insert_early(s, {RawEntry{"evil", AE_IFLNK, {}, 0777, "/tmp", {}}, raw_file("evil/x", "through")});
           });
    edited({"symlink_then_file",
            {},
            1,
            "extra",
            "files/link/x",
            {},
            "a file under a signed symlink (files/link -> a.txt): it would be written through the link",
            true,
            {}},
           [](auto& s) { s.push_back(raw_file("files/link/x", "through the link")); });
    {
        Payload payload = bundle::test::sample_payload();
        payload.symlink("files/sub", "tools");
        payload.file("files/sub/x.txt", "through the link\n");
        payload_case({"signed_symlink_then_file",
                      {},
                      1,
                      "format",
                      "gapbundle/index.json",
                      "its parent folder is not a dir entry",
                      "the signed index itself lists a file under a symlink to a folder",
                      false,
                      {}},
                     payload);
    }
    edited({"dir_then_symlink",
            {},
            1,
            "duplicate",
            "files/tools",
            {},
            "folder files/tools, then a symlink of the same name (libarchive #1566: fixups through it)",
            true,
            {}},
           [](auto& s) {
               const auto at = std::ranges::find_if(s, [](const RawEntry& e) { return e.path == "files/tools"; });
               s.insert(at + 1, RawEntry{"files/tools", AE_IFLNK, {}, 0777, "a.txt", {}});
           });
    edited({"char_device", {}, 1, "type", "null", {}, "a character device", false, {}}, [](auto& s) {
        insert_early(s, {RawEntry{"null", AE_IFCHR, {}, 0666, {}, {}}});
    });
    edited({"fifo", {}, 1, "type", "pipe", {}, "a FIFO", false, {}}, [](auto& s) {
        insert_early(s, {RawEntry{"pipe", AE_IFIFO, {}, 0644, {}, {}}});
    });
    edited({"hardlink", {}, 1, "unsafe_path", "hard", {}, "a hardlink out of the tree (CVE-2016-5418)", true, {}},
           [](auto& s) {
               insert_early(s, {RawEntry{"hard", AE_IFREG, {}, 0644, {}, "../target"}});
           });
    edited({"setuid", {}, 1, "mode", "files/tools/run.sh", {}, "a setuid bit on a signed file", false, {}},
           [](auto& s) {
               for (auto& e : s)
                   if (e.path == "files/tools/run.sh") e.mode = 04755;
           });
    edited({"backslash", {}, 1, "unsafe_path", "files\\..\\..\\x", {}, "backslashes, '..' on Windows", false, {}},
           [](auto& s) { insert_early(s, {raw_file("files\\..\\..\\x", "escape")}); });
    edited({"drive_letter", {}, 1, "unsafe_path", "C:/x", {}, "a drive letter", false, {}},
           [](auto& s) { insert_early(s, {raw_file("C:/x", "escape")}); });
    {
        Payload payload = bundle::test::sample_payload();
        payload.file("files/A.txt", "upper\n");
        payload_case({"case_collision",
                      {},
                      1,
                      "case_collision",
                      "files/a.txt",
                      "files/A.txt",
                      "files/A.txt and files/a.txt, one file on a case-insensitive file system",
                      true,
                      {}},
                     payload);
    }
    payload_case({"dest_symlink",
                  {},
                  2,
                  {},
                  {},
                  "is a symlink",
                  "a good bundle, --to naming a symlink planted to a folder elsewhere",
                  false,
                  "dest_symlink"},
                 bundle::test::sample_payload());
    payload_case({"planted_symlink",
                  {},
                  2,
                  {},
                  {},
                  "not empty",
                  "a good bundle, the destination already holding files -> a folder elsewhere",
                  false,
                  "planted_symlink"},
                 bundle::test::sample_payload());
}

// Sizes: headers against the index, pax against ustar, sparse maps, bombs.
void Writer::size_cases()
{
    auto payload = bundle::test::sample_payload();
    const auto s = sign(payload);
    const auto on = [](const std::string& path, std::function<std::string(const RawEntry&)> make) -> Splice {
        return [path, make](std::string& tar, const RawEntry& e) {
            if (e.path != path) return false;
            tar += make(e);
            return true;
        };
    };
    edited({"entry_longer_than_index",
            {},
            1,
            "size",
            "files/a.txt",
            "the index 14",
            "an entry longer than the index says",
            true,
            {}},
           [](auto& st) {
               for (auto& e : st)
                   if (e.path == "files/a.txt") e.content += "and more bytes";
           });
    bytes_case(
        {"pax_size_disagrees",
         {},
         1,
         "format",
         "files/a.txt",
         "disagrees with the ustar size",
         "pax size 14, ustar size 526 hiding a header: readers that trust ustar see other entries "
         "(TARmageddon)",
         true,
         {}},
        hand_tar(s, on("files/a.txt",
                       [](const RawEntry& e) {
                           const std::string hidden = header_block(Header{"files/evil", '0', 0, 0644, {}, false});
                           return pax_header('x', "PaxHeader/a.txt", {{"path", e.path}, {"size", "14"}}) +
                                  header_block(Header{e.path, '0', 14 + 512, 0644, {}, false}) + padded(e.content) +
                                  hidden;
                       })) +
            end_marker());
    bytes_case({"pax_global",
                {},
                1,
                "format",
                "pax_global_header",
                "global pax headers",
                "a global pax header ('g') that would rename every entry after it",
                false,
                {}},
               hand_tar(s, on("files/a.txt",
                              [](const RawEntry& e) {
                                  return pax_header('g', "pax_global_header", {{"path", "evil"}}) + default_entry(e);
                              })) +
                   end_marker());
    bytes_case(
        {"pax_gnu_sparse",
         {},
         1,
         "type",
         "files/a.txt",
         "sparse",
         "a pax GNU.sparse 1.0 entry: holes the index cannot describe",
         true,
         {}},
        hand_tar(s, on("files/a.txt",
                       [](const RawEntry& e) {
                           const std::string data = "1\n0\n14\n" + std::string(512 - 7, '\0') + e.content;
                           return pax_header('x', "PaxHeader/a.txt",
                                             {{"path", e.path},
                                              {"GNU.sparse.major", "1"},
                                              {"GNU.sparse.minor", "0"},
                                              {"GNU.sparse.name", e.path},
                                              {"GNU.sparse.realsize", "14"}}) +
                                  header_block(Header{"GNUSparseFile.0/a.txt", '0', data.size(), 0644, {}, false}) +
                                  padded(data);
                       })) +
            end_marker());
    bytes_case(
        {"gnu_sparse_S", {}, 1, "format", "files/a.txt", {}, "a GNU 'S' sparse header", false, {}},
        hand_tar(s,
                 on("files/a.txt",
                    [](const RawEntry& e) {
                        return header_block(Header{e.path, 'S', e.content.size(), 0644, {}, true}) + padded(e.content);
                    })) +
            end_marker());
    // Bombs: a few hundred kilobytes of zstd standing for 10 GiB of zeros, in every place one fits.
    {
        // The tar up to files/a.txt's header (which claims 10 GiB), then its 10 GiB of zeros.
        bool reached = false;
        const auto prefix = hand_tar(s, [&](std::string& tar, const RawEntry& e) {
            if (reached) return true;
            if (e.path != "files/a.txt") return false;
            reached = true;
            tar += pax_header('x', "PaxHeader/a.txt", {{"path", e.path}, {"size", std::to_string(k_ten_gib)}}) +
                   header_block(Header{e.path, '0', 0, 0644, {}, false});
            return true;
        });
        ZstdFrame frame;
        frame.raw(prefix);
        frame.run('\0', k_ten_gib);
        bytes_case({"zstd_bomb_entry",
                    "zstd_bomb_entry.tar.zst",
                    1,
                    "size",
                    "files/a.txt",
                    "10737418240",
                    "files/a.txt's header claims 10 GiB of zeros (340 KB of zstd); refused at the header",
                    true,
                    {}},
                   frame.finish());
    }
    {
        ZstdFrame frame;
        frame.raw(hand_tar(s, nullptr) + end_marker());
        frame.run('\0', k_ten_gib);
        bytes_case({"zstd_bomb_trailing",
                    "zstd_bomb_trailing.tar.zst",
                    1,
                    "trailing",
                    {},
                    "more than 1048576 bytes",
                    "10 GiB of zeros after the end-of-archive marker; refused after the first MiB",
                    true,
                    {}},
                   frame.finish());
    }
    {
        // A real 100 MB index (spaces: not canonical either) in a small zstd file: the cap (64 MiB)
        // is checked against its header before any of it is read.
        constexpr std::uint64_t k_hundred_mb = 100ull << 20;
        ZstdFrame frame;
        frame.raw(header_block(Header{std::string(bundle::k_index_path), '0', k_hundred_mb, 0644, {}, false}));
        frame.run(' ', k_hundred_mb);
        frame.raw(end_marker());
        bytes_case({"index_100mb",
                    "index_100mb.tar.zst",
                    1,
                    "format",
                    "gapbundle/index.json",
                    "larger than 67108864 bytes",
                    "an index of 100 MB; refused by its size before it is buffered",
                    true,
                    {}},
                   frame.finish());
    }
}

// Path length and depth: the caps (4096 bytes, 64 levels, 255 bytes a component) and just inside.
void Writer::limit_cases()
{
    const std::string at_cap = long_path(4096);
    const std::string over_cap = long_path(4097);
    edited({"long_path_unsigned",
            {},
            1,
            "unsafe_path",
            over_cap,
            "longer than 4096 bytes",
            "an unlisted entry with a 4097-byte path",
            false,
            {}},
           [&](auto& s) { insert_early(s, {raw_file(over_cap, "long")}); });
    edited({"deep_tree_unsigned",
            {},
            1,
            "unsafe_path",
            deep_path(300),
            "deeper than 64 levels",
            "an unlisted entry 300 folders deep",
            false,
            {}},
           [](auto& s) { insert_early(s, {raw_file(deep_path(300), "deep")}); });
    {
        Payload payload = bundle::test::sample_payload();
        payload.file(over_cap, "long\n");
        payload_case({"long_path_signed",
                      {},
                      1,
                      "format",
                      "gapbundle/index.json",
                      "longer than 4096 bytes",
                      "the signed index lists a 4097-byte path",
                      true,
                      {}},
                     payload);
    }
    {
        Payload payload = bundle::test::sample_payload();
        payload.file(deep_path(300), "deep\n");
        payload_case({"deep_tree_signed",
                      {},
                      1,
                      "format",
                      "gapbundle/index.json",
                      "deeper than 64 levels",
                      "the signed index lists a file 300 folders deep",
                      false,
                      {}},
                     payload);
    }
    {
        Payload payload = bundle::test::sample_payload();
        payload.file(at_cap, "long\n");
        payload_case(
            {"long_path_at_cap", {}, 0, {}, {}, {}, "a signed 4096-byte path: at the cap, unpacked", false, {}},
            payload);
    }
    {
        Payload payload = bundle::test::sample_payload();
        payload.file(deep_path(64), "deep\n");
        payload_case(
            {"deep_tree_at_cap", {}, 0, {}, {}, {}, "a signed file 64 levels deep: at the cap, unpacked", false, {}},
            payload);
    }
}

// What comes after the last entry.
void Writer::end_cases()
{
    auto payload = bundle::test::sample_payload();
    const auto s = sign(payload);
    const std::string tar = hand_tar(s, nullptr);
    bytes_case({"trailing_garbage",
                {},
                1,
                "trailing",
                {},
                "after the end-of-archive marker",
                "bytes after the end-of-archive marker (another tar reader may read on)",
                true,
                {}},
               tar + end_marker() + "GARBAGE AFTER THE END\n");
    bytes_case({"trailing_after_padding",
                {},
                1,
                "trailing",
                {},
                "after the end-of-archive marker",
                "a record of zero padding, then bytes",
                false,
                {}},
               tar + end_marker() + std::string(9216, '\0') + padded("hidden"));
    bytes_case({"trailing_header",
                {},
                1,
                "trailing",
                {},
                "after the end-of-archive marker",
                "one zero block, then a whole tar entry libarchive never reads",
                false,
                {}},
               tar + std::string(512, '\0') + default_entry(raw_file("files/hidden", "hidden")) + end_marker());
    bytes_case({"record_padding",
                {},
                0,
                {},
                {},
                {},
                "control: zeros filling a 10 KiB record after the end, accepted",
                false,
                {}},
               tar + end_marker() + std::string(10240 - (tar.size() + 1024) % 10240, '\0'));
    bytes_case({"no_end_marker",
                {},
                1,
                "truncated",
                {},
                "end-of-archive marker",
                "the archive stops after its last entry (a cut exactly between entries)",
                false,
                {}},
               tar);
    bytes_case({"truncated", {}, 1, "truncated", "files/big.bin", {}, "cut in the middle of files/big.bin", true, {}},
               tar.substr(0, tar.rfind("files/big.bin") + 512 + 4000));
    {
        ZstdFrame frame;
        frame.raw(tar + end_marker());
        bytes_case({"zstd_trailing_garbage",
                    "zstd_trailing_garbage.tar.zst",
                    1,
                    "format",
                    {},
                    "zstd",
                    "bytes after the zstd frame",
                    false,
                    {}},
                   frame.finish() + "GARBAGE AFTER THE FRAME");
    }
    {
        ZstdFrame frame;
        frame.raw(tar + end_marker());
        const auto whole = frame.finish();
        bytes_case({"zstd_truncated",
                    "zstd_truncated.tar.zst",
                    1,
                    "truncated",
                    {},
                    "truncated zstd stream",
                    "a zstd stream cut in its last block",
                    false,
                    {}},
                   whole.substr(0, whole.size() - 100));
    }
}

void Writer::write_index() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : m_cases)
        list.push_back({{"name", c.name},
                        {"file", c.file},
                        {"exit", c.exit_code},
                        {"kind", c.kind},
                        {"path", c.path},
                        {"message", c.message},
                        {"why", c.why},
                        {"store", c.store},
                        {"setup", c.setup}});
    const nlohmann::json doc = {{"signer", "signer.pub"}, {"seed", "seed.tar"}, {"cases", list}};
    bundle::test::write_bytes(m_out / "cases.json", doc.dump(2) + "\n");
}

}  // namespace

std::vector<Case> write_corpus(const std::filesystem::path& out)
{
    Writer writer(out);
    writer.run();
    return writer.cases();
}

}  // namespace gapbundle::hostile
