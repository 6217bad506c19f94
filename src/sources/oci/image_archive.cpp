#include <gapbundle/sources/oci/image_archive.hpp>
#include <gapbundle/sources/oci/layout_reader.hpp>

#include "archive_plan.hpp"
#include "archive_tar.hpp"

#include <gapbundle/util/fs.hpp>

namespace gapbundle::sources::oci {

namespace {

constexpr std::string_view k_oci_layout = R"({"imageLayoutVersion":"1.0.0"})";

// Members in name order, as docker save and containerd's exporter write them.
Status write_members(detail::TarWriter& tar, const LayoutReader& layout, const detail::ArchivePlan& plan)
{
    if (auto st = tar.add_directory("blobs/"); !st) return st;
    if (auto st = tar.add_directory("blobs/sha256/"); !st) return st;
    for (const auto& [digest, blob] : plan.blobs) {
        if (auto st = tar.add_blob("blobs/sha256/" + blob.hex(), layout.blob_path(blob), blob.size, blob.hex()); !st)
            return st;
    }
    if (auto st = tar.add_file("index.json", plan.index_json); !st) return st;
    if (auto st = tar.add_file("manifest.json", plan.manifest_json); !st) return st;
    return tar.add_file("oci-layout", k_oci_layout);
}

}  // namespace

Result<ArchiveResult> write_image_archive(const std::filesystem::path& layout, const std::filesystem::path& output,
                                          const ArchiveOptions& options)
{
    auto reader = LayoutReader::open(layout);
    if (!reader) return std::unexpected(reader.error());
    return write_image_archive(*reader, output, options);
}

Result<ArchiveResult> write_image_archive(const LayoutReader& reader, const std::filesystem::path& output,
                                          const ArchiveOptions& options)
{
    auto plan = detail::plan_archive(reader, options);
    if (!plan) return std::unexpected(plan.error());

    auto file = fs::AtomicFile::create(output);
    if (!file) return std::unexpected(file.error());
    {
        // Closed (or abandoned) before the file it writes to.
        auto tar = detail::TarWriter::open(file->fd(), output.string());
        if (!tar) return std::unexpected(tar.error());
        if (auto st = write_members(*tar, reader, *plan); !st) return std::unexpected(st.error());
        if (auto st = tar->close(); !st) return std::unexpected(st.error());
    }
    if (auto st = file->commit(); !st) return std::unexpected(st.error());

    ArchiveResult result;
    result.images = plan->images;
    result.blobs = plan->blobs.size();
    for (const auto& [digest, blob] : plan->blobs) result.bytes += blob.size;
    return result;
}

}  // namespace gapbundle::sources::oci
