#include "trust_flags.hpp"

namespace gapbundle::cli {

void TrustFlags::add_to(CLI::App& command)
{
    command.add_option("-t,--trust", trust, "Trusted public key (.pub) or folder of them; repeatable")->required();
    command.add_option("--threshold", threshold, "Distinct trusted keys that must have signed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
}

ops::TrustOptions TrustFlags::options() const
{
    return ops::TrustOptions{{trust.begin(), trust.end()}, threshold};
}

}  // namespace gapbundle::cli
