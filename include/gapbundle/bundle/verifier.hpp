#pragma once

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/util/error.hpp>
#include <gapbundle/util/time.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::bundle {

// One reason a bundle fails; `path` names the entry (or the bundle itself).
struct Problem {
    std::string path;
    std::string kind;  // missing, extra, size, hash, type, mode, duplicate, unsafe_path, order,
                       // signature, untrusted, threshold, expired, channel, rollback, equivocation,
                       // format, truncated, trailing, case_collision, volume; unpacking a delta: base
    std::string message;
};

// The last bundle the gap side accepted on a channel (ops keeps them under --state-dir).
struct AcceptedBundle {
    std::uint64_t serial = 0;
    std::string index_sha256;
};

struct VerifyOptions {
    TrustSet trust;
    int threshold = 1;
    // Expiry is checked against this: ops passes the later of the clock and the newest `created`
    // it accepted, so that a clock set back cannot revive an expired bundle.
    time::Seconds now = 0;
    // By channel: a lower serial than accepted is a rollback, the same serial with another index
    // equivocation; the same bundle again passes.
    std::map<std::string, AcceptedBundle, std::less<>> accepted;
    bool allow_downgrade = false;  // a rollback passes, with a note
    bool ignore_expiry = false;    // an expired bundle passes, with a note
    // The channel the operator expects: a bundle signed for another one is refused.
    std::optional<std::string> channel;
};

struct VerifyReport {
    std::optional<Index> index;              // set once index.json parsed
    std::vector<std::string> signers;        // trusted key ids that signed
    std::vector<Problem> problems;
    std::vector<std::string> notes;          // what did not stop it: signature remarks, overrides used
    std::string index_sha256;                // of the signed index.json, once authenticated
    std::uint64_t files = 0;                 // payload files checked
    std::uint64_t bytes = 0;                 // payload bytes hashed
    // A delta's files the bundle does not carry: verify counts them (from_base); unpack --store
    // copies and hashes them from the base release (files_from_base).
    std::uint64_t from_base = 0;
    std::uint64_t files_from_base = 0;
    bool authenticated = false;              // the index carries `threshold` trusted signatures and is not expired
    [[nodiscard]] bool ok() const { return authenticated && problems.empty(); }
};

// Receives each entry while the verifier streams the bundle. The verifier authenticates the
// index before the first call, checks path, type and declared size against it before
// begin_file, and the hash after the last chunk; it calls abort() on any problem.
class EntrySink {
public:
    virtual ~EntrySink() = default;
    virtual Status make_dir(const Entry& entry) = 0;
    virtual Status make_symlink(const Entry& entry) = 0;
    virtual Status begin_file(const Entry& entry) = 0;
    virtual Status write(std::span<const std::byte> chunk) = 0;
    virtual Status end_file(const Entry& entry) = 0;  // called only when size and hash matched
    // Called once, after authentication and before any entry, with the signatures file's exact
    // bytes (the sink's to keep). Not the index's: parse_index proved them the canonical text of
    // the index the report holds, which writes them again (for 100,000 files they are 15 MB).
    virtual Status accept_head(std::string signatures_bytes)
    {
        (void)signatures_bytes;
        return {};
    }
    virtual void abort() {}  // the verifier found a problem; nothing more will be called
};

// One streaming pass: read index.json and its signatures, authenticate, then hash every entry.
// Returns an Error only for local failures (cannot open, sink I/O); everything wrong with the
// bundle is a Problem in the report. With a sink, stops at the first problem.
Result<VerifyReport> verify_bundle(const std::filesystem::path& bundle, const VerifyOptions& options,
                                   EntrySink* sink = nullptr);

inline constexpr std::uint64_t k_max_signatures_bytes = 1ull << 20;

// Reads only the index and signatures, trusting nothing (for inspect).
struct UnverifiedHead {
    Index index;
    std::string index_bytes;
    std::vector<Signature> signatures;
};
Result<UnverifiedHead> read_head(const std::filesystem::path& bundle);

// The same without the index's bytes: the index is parsed as it is read and only its digest kept,
// for commands that compare releases and check no signature (14 MB less at 66,000 files).
struct UnverifiedIndex {
    Index index;
    std::string index_sha256;
    std::vector<Signature> signatures;
};
Result<UnverifiedIndex> read_index(const std::filesystem::path& bundle);

}  // namespace gapbundle::bundle
