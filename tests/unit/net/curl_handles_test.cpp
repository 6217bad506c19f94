// The libcurl owners of src/net (a private header).
#include "../../../src/net/curl_handles.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace gapbundle::net::detail {
namespace {

TEST(CurlHandlesTest, AppendsToSlist)
{
    UniqueSlist list;
    ASSERT_TRUE(slist_append(list, "A: 1"));
    ASSERT_TRUE(slist_append(list, "B: 2"));
    ASSERT_NE(list.get(), nullptr);
    EXPECT_EQ(std::string(list->data), "A: 1");
    ASSERT_NE(list->next, nullptr);
    EXPECT_EQ(std::string(list->next->data), "B: 2");
}

TEST(CurlHandlesTest, FreesOnMoveAssignment)
{
    UniqueEasy first(curl_easy_init());
    UniqueEasy second(curl_easy_init());
    ASSERT_TRUE(first && second);
    CURL* kept = second.get();
    first = std::move(second);  // the old `first` is cleaned up (ASan would report a leak)
    EXPECT_EQ(first.get(), kept);
    EXPECT_EQ(second.get(), nullptr);

    UniqueMulti multi(curl_multi_init());
    UniqueMulti other(curl_multi_init());
    multi = std::move(other);
    EXPECT_NE(multi.get(), nullptr);
}

}  // namespace
}  // namespace gapbundle::net::detail
