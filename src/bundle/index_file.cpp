// parse_index_file: an index.json on disk, parsed as it is read.

#include <gapbundle/bundle/index_file.hpp>
#include <gapbundle/util/fs.hpp>

#include <array>

namespace gapbundle::bundle {

Result<StreamedIndex> parse_index_file(const std::filesystem::path& path)
{
    auto file = fs::open_to_read(path);
    if (!file) return std::unexpected(file.error());
    std::array<std::byte, 64 << 10> buffer;
    const IndexTextSource text = [&]() -> Result<std::string_view> {
        auto n = fs::read_some(file->fd.get(), buffer);
        if (!n) return std::unexpected(n.error().context(path.string()));
        return std::string_view(reinterpret_cast<const char*>(buffer.data()), *n);
    };
    return parse_index_stream(text, file->size, path.string());
}

}  // namespace gapbundle::bundle
