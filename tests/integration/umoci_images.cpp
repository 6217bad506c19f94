#include "umoci_images.hpp"

#include "support/run_binary.hpp"

#include <stdexcept>

namespace gapbundle::testing {

std::filesystem::path build_umoci_images(const std::filesystem::path& folder)
{
    // Each repack adds one layer with what changed in the unpacked rootfs.
    static constexpr const char* k_script = R"(set -eu
L="$1/layout"; B="$1/bundle"
umoci init --layout "$L"
umoci new --image "$L:base"
umoci unpack --rootless --image "$L:base" "$B"
mkdir -p "$B/rootfs/shared"
head -c 200000 /dev/urandom > "$B/rootfs/shared/blob.bin"
echo shared > "$B/rootfs/shared/README"
umoci repack --image "$L:base" "$B"; rm -rf "$B"
umoci unpack --rootless --image "$L:base" "$B"
echo app > "$B/rootfs/app.txt"
umoci repack --image "$L:app" "$B"; rm -rf "$B"
umoci unpack --rootless --image "$L:app" "$B"
head -c 100000 /dev/urandom > "$B/rootfs/app.bin"
umoci repack --image "$L:app" "$B"; rm -rf "$B"
umoci unpack --rootless --image "$L:base" "$B"
echo tool > "$B/rootfs/tool.txt"
umoci repack --image "$L:tool" "$B"; rm -rf "$B"
umoci config --image "$L:app" --config.entrypoint /app.txt
)";
    std::filesystem::create_directories(folder);
    auto result = run_program("/bin/sh", {"-c", k_script, "sh", folder.string()}, folder);
    if (result.status != 0) throw std::runtime_error("umoci failed: " + result.out + result.err);
    return folder / "layout";
}

}  // namespace gapbundle::testing
