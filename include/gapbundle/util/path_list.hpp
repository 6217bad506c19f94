#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <gapbundle/util/spare_pages.hpp>

namespace gapbundle {

// A list of strings held in one buffer, read back as string_views: a component lists the bundle
// paths of its files, and a folder's lists every one. 100,000 paths of 45 bytes take 4.9 MB here
// and 9.6 MB as std::strings (a 32-byte object and a heap block each).
class PathList {
public:
    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = std::string_view;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = std::string_view;

        const_iterator() = default;
        const_iterator(const PathList* list, std::size_t at) : m_list(list), m_at(at) {}
        std::string_view operator*() const { return (*m_list)[m_at]; }
        std::string_view operator[](difference_type n) const { return (*m_list)[m_at + static_cast<std::size_t>(n)]; }
        const_iterator& operator++() { ++m_at; return *this; }
        const_iterator operator++(int) { auto old = *this; ++m_at; return old; }
        const_iterator& operator--() { --m_at; return *this; }
        const_iterator operator--(int) { auto old = *this; --m_at; return old; }
        const_iterator& operator+=(difference_type n) { m_at += static_cast<std::size_t>(n); return *this; }
        const_iterator& operator-=(difference_type n) { m_at -= static_cast<std::size_t>(n); return *this; }
        friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
        friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
        friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
        friend difference_type operator-(const const_iterator& a, const const_iterator& b)
        {
            return static_cast<difference_type>(a.m_at) - static_cast<difference_type>(b.m_at);
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.m_at == b.m_at; }
        friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.m_at <=> b.m_at; }

    private:
        const PathList* m_list = nullptr;
        std::size_t m_at = 0;
    };
    using iterator = const_iterator;
    using value_type = std::string_view;
    using size_type = std::size_t;

    PathList() = default;
    PathList(std::initializer_list<std::string_view> items)
    {
        for (const auto item : items) push_back(item);
    }
    template <std::input_iterator It>
    PathList(It first, It last)
    {
        for (; first != last; ++first) push_back(*first);
    }

    void push_back(std::string_view item)
    {
        m_bytes.append(item);
        m_ends.push_back(static_cast<std::uint32_t>(m_bytes.size()));
    }
    void pop_back()
    {
        m_ends.pop_back();
        m_bytes.resize(m_ends.empty() ? 0 : m_ends.back());
    }
    // Room for `count` items of `bytes` in all, so that a long list is not copied as it grows.
    // Room never written is never touched: an upper bound costs address space, not memory.
    void reserve(std::size_t count, std::size_t bytes)
    {
        m_ends.reserve(count);
        m_bytes.reserve(bytes);
    }
    // Gives back the pages past the last item, for a list emptied from its back: its storage would
    // otherwise keep its largest footprint until it is freed.
    void release_spare_capacity()
    {
        util::release_spare_capacity(m_ends);
        util::release_pages(m_bytes.data() + m_bytes.size(), m_bytes.capacity() - m_bytes.size());
    }

    [[nodiscard]] std::size_t size() const { return m_ends.size(); }
    [[nodiscard]] bool empty() const { return m_ends.empty(); }
    std::string_view operator[](std::size_t at) const
    {
        const std::size_t begin = at == 0 ? 0 : m_ends[at - 1];
        return std::string_view(m_bytes).substr(begin, m_ends[at] - begin);
    }
    [[nodiscard]] std::string_view front() const { return (*this)[0]; }
    [[nodiscard]] std::string_view back() const { return (*this)[size() - 1]; }
    [[nodiscard]] const_iterator begin() const { return {this, 0}; }
    [[nodiscard]] const_iterator end() const { return {this, size()}; }

    bool operator==(const PathList&) const = default;

private:
    std::string m_bytes;               // the items one after another
    std::vector<std::uint32_t> m_ends;  // where each ends in m_bytes
};

}  // namespace gapbundle
