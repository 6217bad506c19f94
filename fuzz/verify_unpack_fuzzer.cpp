// libFuzzer target: verify + unpack. The input is a bundle file (tar or tar.zst). It is unpacked
// twice into a temp root made once per process: into a missing destination, and merged into a
// destination that already holds a file and a symlink planted to point out of it.
//
// The trusted key is fuzz/fuzz_signer.pub (compiled in), plus the .pub files or folders listed in
// GAPBUNDLE_FUZZ_TRUST (':'-separated); scripts/fuzz.sh signs its seeds with fuzz/fuzz_signer.key, so
// the fuzzer reaches the parsing behind the signature check too.
//
// Invariants, checked after each unpack (abort() when one breaks, so libFuzzer keeps the input):
// - a refused bundle changes nothing in the temp root: no destination, no staging folder left,
//   the merge destination as it was;
// - an accepted bundle leaves exactly the index's entries (type, mode, content, link target) plus
//   gapbundle/index.json (the authenticated bytes) and its signatures in the destination, and for
//   the merge, what was there before, unchanged;
// - nothing else in the temp root changes, whatever the bundle says: a sentinel folder beside the
//   destination (the planted symlink's target) and the input file itself.

#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/bundle/unpacker.hpp>
#include <gapbundle/crypto/keys.hpp>
#include <gapbundle/crypto/sha256.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <sys/stat.h>

namespace {

namespace stdfs = std::filesystem;
using namespace gapbundle;

// fuzz/fuzz_signer.pub
constexpr std::string_view k_fuzz_signer_pub = "-----BEGIN PUBLIC KEY-----\n"
                                               "MCowBQYDK2VwAyEAEcCnoj7J3mEkxgNtsfytTTe8HG8RfGcLw2fXNOaEW6g=\n"
                                               "-----END PUBLIC KEY-----\n";

// An expected description ending in this matches any content (the signatures file).
constexpr std::string_view k_any_content = " *";

[[noreturn]] void violated(const std::string& what)
{
    std::fprintf(stderr, "verify_unpack_fuzzer: invariant broken: %s\n", what.c_str());
    std::abort();
}

[[noreturn]] void setup_failed(const std::string& what)
{
    std::fprintf(stderr, "verify_unpack_fuzzer: cannot set up: %s\n", what.c_str());
    std::exit(4);
}

// What one path in a tree is: "file 644 <sha256>", "dir 755", "symlink <target>".
using Tree = std::map<std::string, std::string>;

std::string describe(const stdfs::path& path)
{
    struct stat st{};
    if (::lstat(path.c_str(), &st) != 0) violated(path.string() + ": cannot stat while describing the tree");
    char mode[8];
    std::snprintf(mode, sizeof mode, "%o", static_cast<unsigned>(st.st_mode & 07777));
    if (S_ISLNK(st.st_mode)) {
        std::error_code ec;
        auto target = stdfs::read_symlink(path, ec);
        return "symlink " + (ec ? std::string("?") : target.string());
    }
    if (S_ISDIR(st.st_mode)) return std::string("dir ") + mode;
    if (S_ISREG(st.st_mode)) {
        // Read whole (the files are at most an input's size): sha256_file's 1 MiB buffer per file
        // made each run slower than all the code it checks.
        std::ifstream in(path, std::ios::binary);
        const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) violated(path.string() + ": cannot read while describing the tree");
        return std::string("file ") + mode + " " + crypto::sha256_hex(content);
    }
    return std::string("other ") + mode;
}

// Every path under `root` (not following symlinks), relative to it.
Tree snapshot(const stdfs::path& root)
{
    Tree tree;
    std::error_code ec;
    for (stdfs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
        tree[it->path().lexically_relative(root).string()] = describe(it->path());  // not relative(): it follows symlinks
    if (ec) violated(root.string() + ": cannot list: " + ec.message());
    return tree;
}

// `tree` without the paths at and under `prefix`.
Tree without(Tree tree, const std::string& prefix)
{
    std::erase_if(tree, [&](const auto& item) {
        return item.first == prefix || item.first.starts_with(prefix + "/");
    });
    return tree;
}

std::string first_difference(const Tree& expected, const Tree& actual)
{
    for (const auto& [path, what] : expected) {
        auto it = actual.find(path);
        if (it == actual.end()) return path + ": missing (expected " + what + ")";
        const bool matches = what.ends_with(k_any_content)
                                 ? it->second.starts_with(what.substr(0, what.size() - k_any_content.size() + 1))
                                 : it->second == what;
        if (!matches) return path + ": is " + it->second + ", expected " + what;
    }
    for (const auto& [path, what] : actual)
        if (!expected.contains(path)) return path + ": unexpected " + what;
    return {};
}

void expect_same(const Tree& expected, const Tree& actual, const std::string& what)
{
    if (auto difference = first_difference(expected, actual); !difference.empty()) violated(what + ": " + difference);
}

// The tree an accepted bundle must leave under its destination, relative to it.
Tree expected_tree(const bundle::VerifyReport& report, const std::string& prefix)
{
    if (!report.index) violated("an accepted bundle has no index");
    Tree tree;
    char mode[8];
    for (const auto& entry : report.index->entries) {
        std::snprintf(mode, sizeof mode, "%o", static_cast<unsigned>(entry.mode));
        std::string what;
        switch (entry.type) {
        case bundle::EntryType::file: what = std::string("file ") + mode + " " + entry.sha256; break;
        case bundle::EntryType::dir: what = std::string("dir ") + mode; break;
        case bundle::EntryType::symlink: what = "symlink " + entry.link_target; break;
        }
        tree[prefix + entry.path] = what;
    }
    tree.try_emplace(prefix + "gapbundle", "dir 755");
    tree[prefix + std::string(bundle::k_index_path)] = "file 644 " + report.index_sha256;
    tree[prefix + std::string(bundle::k_signatures_path)] = "file 644" + std::string(k_any_content);
    return tree;
}

class FuzzRoot {
public:
    FuzzRoot()
    {
        const char* base = std::getenv("GAPBUNDLE_FUZZ_TMP");
        if (!base || !*base) base = std::getenv("TMPDIR");
        if (!base || !*base) base = "/tmp";
        std::string pattern = std::string(base) + "/verify_unpack_fuzzer.XXXXXX";
        if (!::mkdtemp(pattern.data())) setup_failed(pattern + ": mkdtemp failed");
        m_root = pattern;
        std::error_code ec;
        stdfs::create_directories(m_root / "sentinel" / "inner", ec);
        stdfs::create_directories(m_root / "in", ec);
        stdfs::create_directories(m_root / "work", ec);
        if (ec) setup_failed(m_root.string() + ": " + ec.message());
        std::ofstream(m_root / "sentinel" / "keep.txt") << "must stay as it is\n";
        std::ofstream(m_root / "sentinel" / "inner" / "deep.txt") << "so must this\n";
        m_trust = load_trust();
    }
    ~FuzzRoot()
    {
        std::error_code ec;
        stdfs::remove_all(m_root, ec);
    }

    void run(std::string_view bundle_bytes)
    {
        const stdfs::path input = m_root / "in" / "bundle";
        std::ofstream(input, std::ios::binary | std::ios::trunc).write(bundle_bytes.data(), static_cast<std::streamsize>(bundle_bytes.size()));
        unpack_fresh(input);
        unpack_merge(input);
    }

private:
    static bundle::TrustSet load_trust()
    {
        bundle::TrustSet trust;
        auto key = crypto::PublicKey::from_pem(k_fuzz_signer_pub, "fuzz/fuzz_signer.pub");
        if (!key) setup_failed(key.error().message);
        trust.keys.push_back(std::move(*key));
        if (const char* list = std::getenv("GAPBUNDLE_FUZZ_TRUST"); list && *list) {
            std::vector<stdfs::path> paths;
            std::string_view rest(list);
            while (!rest.empty()) {
                const auto colon = rest.find(':');
                if (colon != 0) paths.emplace_back(rest.substr(0, colon));
                rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
            }
            auto more = bundle::load_trust(paths);
            if (!more) setup_failed("GAPBUNDLE_FUZZ_TRUST: " + more.error().message);
            for (auto& extra : more->keys) trust.keys.push_back(std::move(extra));
        }
        return trust;
    }

    [[nodiscard]] bundle::UnpackOptions options(bundle::ExistingDestination existing) const
    {
        bundle::UnpackOptions options;
        options.verify.trust = m_trust;
        options.verify.threshold = 1;
        options.verify.now = 0;  // no seed ever expires, so that runs do not depend on the clock
        options.existing = existing;
        return options;
    }

    void clear(const stdfs::path& path)
    {
        std::error_code ec;
        stdfs::remove_all(path, ec);
        if (ec) setup_failed(path.string() + ": cannot remove: " + ec.message());
    }

    // Into a destination that does not exist yet.
    void unpack_fresh(const stdfs::path& input)
    {
        const stdfs::path dest = m_root / "work" / "dest";
        const Tree before = snapshot(m_root);
        auto report = bundle::unpack_bundle(input, dest, options(bundle::ExistingDestination::refuse));
        const Tree after = snapshot(m_root);
        if (!report || !report->verify.ok()) {
            expect_same(before, after, "a refused bundle changed the temp root");
        } else {
            expect_same(without(before, "work/dest"), without(after, "work/dest"),
                        "an accepted bundle changed something beside its destination");
            Tree expected = expected_tree(report->verify, "work/dest/");
            expected["work/dest"] = "dir 755";
            Tree unpacked;
            for (const auto& [path, what] : after)
                if (path == "work/dest" || path.starts_with("work/dest/")) unpacked[path] = what;
            expect_same(expected, unpacked, "an accepted bundle's destination is not its index");
        }
        clear(dest);
    }

    // Merged into a destination holding a file and a symlink to the sentinel folder.
    void unpack_merge(const stdfs::path& input)
    {
        const stdfs::path dest = m_root / "work" / "merged";
        std::error_code ec;
        stdfs::create_directories(dest, ec);
        std::ofstream(dest / "existing.txt") << "was here first\n";
        stdfs::create_directory_symlink("../../sentinel", dest / "planted", ec);
        if (ec) setup_failed(dest.string() + ": " + ec.message());

        const Tree before = snapshot(m_root);
        auto report = bundle::unpack_bundle(input, dest, options(bundle::ExistingDestination::merge));
        const Tree after = snapshot(m_root);
        if (!report || !report->verify.ok()) {
            expect_same(before, after, "a refused merge changed the temp root");
        } else {
            expect_same(without(before, "work/merged"), without(after, "work/merged"),
                        "an accepted merge changed something beside its destination");
            Tree expected = expected_tree(report->verify, "work/merged/");
            for (const auto& [path, what] : before)
                if (path.starts_with("work/merged")) expected.try_emplace(path, what);
            Tree merged;
            for (const auto& [path, what] : after)
                if (path == "work/merged" || path.starts_with("work/merged/")) merged[path] = what;
            expect_same(expected, merged, "an accepted merge is not what was there plus the index");
        }
        clear(dest);
    }

    stdfs::path m_root;
    bundle::TrustSet m_trust;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static FuzzRoot root;
    root.run(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
