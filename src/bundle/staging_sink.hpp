#pragma once

// The EntrySink of unpack: creates each verified entry below a private staging folder,
// never following a symlink (private to the bundle layer).

#include "writeback_pacer.hpp"

#include <gapbundle/bundle/verifier.hpp>
#include <gapbundle/util/file_handles.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gapbundle::bundle::detail {

class StagingSink final : public EntrySink {
public:
    static Result<StagingSink> open(const std::filesystem::path& staging);

    Status make_dir(const Entry& entry) override;
    Status make_symlink(const Entry& entry) override;
    Status begin_file(const Entry& entry) override;
    Status write(std::span<const std::byte> chunk) override;
    Status end_file(const Entry& entry) override;
    Status accept_head(std::string signatures_bytes) override;
    void abort() override;

    // After a clean verification: writes gapbundle/index.json (again from `index`, a piece at a
    // time, and it must hash to `index_sha256`, the signed bytes') and its signatures, then one
    // syncfs makes the whole tree durable.
    Status finish(const Index& index, std::string_view index_sha256);

private:
    StagingSink(std::filesystem::path staging, UniqueFd root, std::unique_ptr<WritebackPacer> pacer);
    std::unexpected<Error> io_fail(std::string_view path, std::string_view what, int err) const;
    Status write_head_file(std::string_view path, std::string_view content);
    Status write_index_file(const Index& index, std::string_view index_sha256);
    // The folder holding `path`'s last component (set in `leaf`). Entries come sorted, so most
    // share the folder of the entry before: its fd is kept rather than walked to again.
    Result<int> folder_of(const std::string& path, std::string& leaf);

    std::filesystem::path m_staging;
    UniqueFd m_root;
    UniqueFd m_file;
    std::string m_file_path;  // the entry m_file holds
    std::string m_folder;  // the folder m_folder_fd holds, relative to the staging root
    UniqueFd m_folder_fd;
    std::string m_signatures_bytes;
    std::unique_ptr<WritebackPacer> m_pacer;  // on the heap: its thread refers to it while the sink moves
};

}  // namespace gapbundle::bundle::detail
