#include <gapbundle/ops/check.hpp>

#include "channel_state.hpp"
#include "unpack_steps.hpp"

#include <gapbundle/ops/audit.hpp>
#include <gapbundle/util/crash_point.hpp>
#include <gapbundle/util/time.hpp>

#include <algorithm>
#include <cstdlib>

namespace gapbundle::ops {

namespace {

std::filesystem::path from_environment(const char* variable, const char* fallback)
{
    const char* value = std::getenv(variable);
    return value && *value ? value : fallback;
}

}  // namespace

Result<bundle::VerifyOptions> verify_options(const TrustOptions& trust)
{
    if (trust.threshold < 1) return fail(ErrorCode::usage, "--threshold must be at least 1");
    std::vector<std::filesystem::path> sources = trust.trust;
    if (sources.empty()) {
        const auto folder = default_trust_dir();
        std::error_code ec;
        if (!std::filesystem::is_directory(folder, ec))
            return fail(ErrorCode::usage, "no trusted keys: pass --trust FILE.pub (or a folder of them), or put the "
                                          "operator's keys in " + folder.string());
        sources.push_back(folder);
    }
    auto keys = bundle::load_trust(sources);
    if (!keys) return std::unexpected(keys.error());
    bundle::VerifyOptions options;
    options.trust = std::move(*keys);
    options.threshold = trust.threshold;
    options.now = time::now();
    options.allow_downgrade = trust.allow_downgrade;
    options.ignore_expiry = trust.ignore_expiry;
    options.channel = trust.channel;
    if (!trust.state_dir.empty()) {
        auto state = load_channel_state(trust.state_dir);
        if (!state) return std::unexpected(state.error());
        options.now = std::max(options.now, state->newest_created);
        options.accepted = std::move(state->accepted);
    }
    return options;
}

std::filesystem::path default_trust_dir()
{
    return from_environment("GAPBUNDLE_TRUST_DIR", "/etc/gapbundle/trust.d");
}

std::filesystem::path default_state_dir()
{
    return from_environment("GAPBUNDLE_STATE_DIR", "/var/lib/gapbundle");
}

void audit(const TrustOptions& trust, const std::string& command, const std::filesystem::path& subject,
           bundle::VerifyReport* report, const std::optional<Error>& error)
{
    if (trust.state_dir.empty()) return;
    auto st = append_audit(trust.state_dir, AuditEvent{command, subject.string(), report, error});
    if (!st && report) report->notes.push_back("the audit log was not written: " + st.error().message);
}

Result<bundle::VerifyReport> verify(const std::filesystem::path& bundle, const TrustOptions& trust)
{
    auto options = verify_options(trust);
    auto report = options ? bundle::verify_bundle(bundle, *options) : std::unexpected(options.error());
    audit(trust, "verify", bundle, report ? &*report : nullptr, report ? std::nullopt : std::optional(report.error()));
    return report;
}

Result<bundle::UnpackReport> unpack_unrecorded(const std::filesystem::path& bundle,
                                               const std::filesystem::path& destination, const TrustOptions& trust,
                                               bundle::ExistingDestination existing, bundle::BeforeMove before_move,
                                               std::filesystem::path base_tree)
{
    if (!trust.state_dir.empty()) {
        if (auto st = prepare_channel_state(trust.state_dir); !st) return std::unexpected(st.error());
        if (auto st = settle_anchors(trust.state_dir); !st) return std::unexpected(st.error());
    }
    auto options = verify_options(trust);
    if (!options) return std::unexpected(options.error());
    bundle::UnpackOptions unpack_options;
    unpack_options.verify = std::move(*options);
    unpack_options.existing = existing;
    unpack_options.before_move = std::move(before_move);
    unpack_options.base_tree = std::move(base_tree);
    return bundle::unpack_bundle(bundle, destination, unpack_options);
}

Status record_unpacked(const TrustOptions& trust, const bundle::VerifyReport& report,
                       const std::filesystem::path& destination)
{
    if (trust.state_dir.empty() || !report.ok()) return {};
    if (auto st = record_accepted(trust.state_dir, *report.index, report.index_sha256); !st)
        return std::unexpected(st.error().context(destination.string() + " was unpacked, but its channel state was not recorded"));
    crash::point("state-recorded");
    // Left behind, the anchor would still resolve to this bundle; removed, it cannot outlive a
    // later change of its holder.
    if (auto st = clear_anchor(trust.state_dir, bundle::channel_of(*report.index)); !st) return st;
    crash::point("anchor-cleared");
    return {};
}

Result<bundle::UnpackReport> unpack(const std::filesystem::path& bundle, const std::filesystem::path& destination,
                                    const TrustOptions& trust, bundle::ExistingDestination existing)
{
    bundle::BeforeMove anchor;
    UniqueFd anchor_alive;  // held until the anchor is cleared
    if (!trust.state_dir.empty()) {
        // The tree's own gapbundle/index.json, once renamed into place, is what the anchor resolves against.
        anchor = [&trust, &anchor_alive](const bundle::VerifyReport& verified, const std::filesystem::path& dest) {
            auto alive = write_anchor(trust.state_dir, *verified.index, verified.index_sha256, dest);
            if (!alive) return Status(std::unexpected(alive.error()));
            anchor_alive = std::move(*alive);
            return Status{};
        };
    }
    auto report = unpack_unrecorded(bundle, destination, trust, existing, std::move(anchor));
    if (report && report->verify.ok()) crash::point("unpack-committed");
    if (report) {
        if (auto st = record_unpacked(trust, report->verify, destination); !st) report = std::unexpected(st.error());
    }
    audit(trust, "unpack", bundle, report ? &report->verify : nullptr, report ? std::nullopt : std::optional(report.error()));
    return report;
}

Result<bundle::UnverifiedHead> inspect(const std::filesystem::path& bundle)
{
    return bundle::read_head(bundle);
}

}  // namespace gapbundle::ops
