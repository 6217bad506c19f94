#pragma once

#include <cstddef>
#include <vector>

namespace gapbundle::util {

// Gives the kernel back the whole pages inside [begin, begin + bytes): they stay allocated and
// read as zeros when touched again. Only for storage that holds no live objects.
void release_pages(void* begin, std::size_t bytes);

// A vector consumed from its back keeps its largest footprint until it is freed: this releases the
// pages of its capacity past size(), where no element lives any more.
template <class T>
void release_spare_capacity(std::vector<T>& items)
{
    auto* const storage = reinterpret_cast<std::byte*>(items.data());
    release_pages(storage + items.size() * sizeof(T), (items.capacity() - items.size()) * sizeof(T));
}

}  // namespace gapbundle::util
