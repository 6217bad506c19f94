#include <gapbundle/util/spare_pages.hpp>

#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace gapbundle::util {

void release_pages(void* begin, std::size_t bytes)
{
    static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto start = reinterpret_cast<std::uintptr_t>(begin);
    const std::uintptr_t first = (start + page - 1) / page * page;
    const std::uintptr_t last = (start + bytes) / page * page;
    if (last <= first) return;
    // Advice only: where the kernel declines, the pages simply stay.
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

}  // namespace gapbundle::util
