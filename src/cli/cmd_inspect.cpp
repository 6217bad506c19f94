#include "commands.hpp"
#include "output.hpp"

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/ops/check.hpp>
#include <gapbundle/util/json_text.hpp>
#include <gapbundle/util/text.hpp>

#include <cstdio>
#include <memory>
#include <string_view>

namespace gapbundle::cli {

namespace {

// The document print_json would print, with the index as the value of "index". The index is
// indented from its signed text as it is written: as a JSON tree it took 2 KB a file.
int print_inspect_json(const bundle::UnverifiedHead& head)
{
    auto signatures = nlohmann::json::array();
    for (const auto& s : head.signatures) signatures.push_back({{"keyid", s.keyid}, {"alg", s.alg}});
    const nlohmann::json document{{"command", "inspect"},
                                  {"result", "ok"},
                                  {"verified", false},
                                  {"index", nlohmann::json(nlohmann::json::value_t::discarded)},
                                  {"signatures", signatures}};
    const std::string outer = document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::string_view marker = "<discarded>";
    const auto at = outer.find("\"index\": " + std::string(marker));
    const auto index_at = at + std::string_view("\"index\": ").size();
    std::fwrite(outer.data(), 1, index_at, stdout);
    json_text::write_indented(head.index_bytes, 1,
                              [](std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), stdout); });
    const auto rest = std::string_view(outer).substr(index_at + marker.size());
    std::fwrite(rest.data(), 1, rest.size(), stdout);
    std::fputc('\n', stdout);
    return std::fflush(stdout) == 0 && !std::ferror(stdout) ? 0 : 4;
}

}  // namespace

CommandRunner add_inspect(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand("inspect", "List a bundle's index without verifying it");
    auto bundle_path = std::make_shared<std::string>();
    command->add_option("bundle", *bundle_path, "Bundle file")->required();
    auto index_only = std::make_shared<bool>(false);
    command->add_flag("--index", *index_only,
                      "Print the bundle's index.json exactly as signed (for pack --base on another machine)");
    return [&global, bundle_path, index_only] {
        auto head = ops::inspect(*bundle_path);
        if (!head) return report_error(global, "inspect", head.error());
        if (*index_only) {
            std::fwrite(head->index_bytes.data(), 1, head->index_bytes.size(), stdout);
            return std::fflush(stdout) == 0 ? 0 : 4;
        }
        const auto& index = head->index;
        if (global.json) return print_inspect_json(*head);
        std::printf("UNVERIFIED: nothing below has been checked; run gapbundle verify to trust it\n");
        std::printf("name:     %s\nchannel:  %s\nserial:   %llu\ncreated:  %s\nexpires:  %s\nproducer: %s\n",
                    index.name.c_str(), bundle::channel_of(index).c_str(), static_cast<unsigned long long>(index.serial),
                    index.created.c_str(),
                    index.expires ? index.expires->c_str() : "never", index.producer.c_str());
        if (index.base)
            std::printf("delta on: serial %llu (index sha256 %s)\n", static_cast<unsigned long long>(index.base->serial),
                        index.base->index_sha256.c_str());
        if (!index.volumes.empty()) {
            std::uint64_t carried = 0;
            for (const auto& volume : index.volumes) carried += volume.size;
            std::printf("volumes:  this head and %zu more (%s), named like it with .001 to .%03zu\n",
                        index.volumes.size(), text::human_bytes(carried).c_str(), index.volumes.size());
        }
        for (const auto& s : head->signatures) std::printf("signed by key %s (%s), not checked\n", s.keyid.c_str(), s.alg.c_str());
        std::uint64_t total = 0;
        for (const auto& entry : index.entries) {
            total += entry.size;
            if (entry.type == bundle::EntryType::file)
                std::printf("%04o %12llu %s %s%s\n", entry.mode, static_cast<unsigned long long>(entry.size),
                            entry.sha256.substr(0, 12).c_str(), entry.path.c_str(),
                            entry.from_base() ? (" (from the base: " + std::string(entry.path_in_base()) + ")").c_str() : "");
            else
                std::printf("%04o %12s %-12s %s/\n", entry.mode, "-", std::string(to_string(entry.type)).c_str(), entry.path.c_str());
        }
        std::printf("%zu entries, %s\n", index.entries.size(), text::human_bytes(total).c_str());
        return 0;
    };
}

}  // namespace gapbundle::cli
