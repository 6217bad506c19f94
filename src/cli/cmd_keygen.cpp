#include "commands.hpp"
#include "output.hpp"

#include <gapbundle/ops/keygen.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

CommandRunner add_keygen(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand("keygen", "Create an Ed25519 signing key pair (PREFIX.key, PREFIX.pub)");
    auto prefix = std::make_shared<std::string>();
    command->add_option("-o,--out", *prefix, "Path prefix of the key files")->required();
    return [&global, prefix] {
        auto result = ops::keygen(*prefix);
        if (!result) return report_error(global, "keygen", result.error());
        if (global.json)
            print_json({{"command", "keygen"},
                        {"result", "ok"},
                        {"private_key", result->private_key.string()},
                        {"public_key", result->public_key.string()},
                        {"key_id", result->key_id}});
        else
            std::printf("%s\n", result->key_id.c_str());
        if (!global.quiet && !global.json)
            std::fprintf(stderr, "gapbundle: wrote %s (private, mode 0600) and %s\n", result->private_key.c_str(),
                         result->public_key.c_str());
        return 0;
    };
}

}  // namespace gapbundle::cli
