#include "trust_flags.hpp"

namespace gapbundle::cli {

void TrustFlags::add_to(CLI::App& command)
{
    command.add_option("-t,--trust", trust,
                       "Trusted public key (.pub) or folder of them; repeatable (default " +
                           ops::default_trust_dir().string() + ")");
    command.add_option("--threshold", threshold, "Distinct trusted keys that must have signed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command.add_option("--state-dir", state_dir, "Where the serial and index accepted per channel are kept")
        ->capture_default_str();
    command.add_flag("--allow-downgrade", allow_downgrade, "Accept a serial older than the channel's last (noted)");
    command.add_flag("--ignore-expiry", ignore_expiry, "Accept an expired bundle (noted)");
    command.add_option("--channel", channel, "Accept only bundles of this channel");
}

ops::TrustOptions TrustFlags::options() const
{
    std::optional<std::string> only_channel;
    if (!channel.empty()) only_channel = channel;
    return ops::TrustOptions{{trust.begin(), trust.end()}, threshold, state_dir, allow_downgrade, ignore_expiry,
                             only_channel};
}

}  // namespace gapbundle::cli
