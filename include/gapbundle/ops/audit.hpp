#pragma once

#include <gapbundle/bundle/verifier.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace gapbundle::ops {

// The gap side's append-only audit log, STATE_DIR/audit.jsonl: one JSON line per verify, unpack,
// install and refusal. Each record holds its own digest ("hash": SHA-256 of its JSON without that
// key) and the previous record's ("prev"; 64 zeros for the first), so that an edited record fails
// its own hash and a removed, added or reordered one breaks the chain where it happened.
struct AuditEvent {
    std::string command;                           // "verify", "unpack", "install pip", ...
    std::string subject;                           // the bundle, or the unpacked folder installed from
    const bundle::VerifyReport* report = nullptr;  // what verify found, when it ran
    std::optional<Error> error;                    // the run failed before or outside verification
};

// Appends one record (under an exclusive lock, fsynced). The result is "ok", "refused" (verify
// found problems) or "error".
Status append_audit(const std::filesystem::path& state_dir, const AuditEvent& event);

// For install, which reads an unpacked tree: its gapbundle/index.json gives the bundle's identity.
Status append_install_audit(const std::filesystem::path& state_dir, const std::string& command,
                            const std::filesystem::path& unpacked, const std::optional<Error>& error);

struct AuditCheck {
    std::size_t records = 0;
    std::optional<std::string> broken;  // "LOG:LINE: why", the first record that does not hold
};
// A missing log is an empty one.
Result<AuditCheck> verify_audit(const std::filesystem::path& state_dir);

}  // namespace gapbundle::ops
