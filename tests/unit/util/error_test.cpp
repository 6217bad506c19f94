#include <gapbundle/util/error.hpp>

#include <gtest/gtest.h>

namespace gapbundle {
namespace {

TEST(ErrorTest, MapsCodesToDocumentedExitStatuses)
{
    EXPECT_EQ(exit_status_for(ErrorCode::verification), 1);
    EXPECT_EQ(exit_status_for(ErrorCode::usage), 2);
    EXPECT_EQ(exit_status_for(ErrorCode::manifest), 2);
    EXPECT_EQ(exit_status_for(ErrorCode::network), 3);
    EXPECT_EQ(exit_status_for(ErrorCode::download), 3);
    EXPECT_EQ(exit_status_for(ErrorCode::io), 4);
    EXPECT_EQ(exit_status_for(ErrorCode::interrupted), 130);
}

TEST(ErrorTest, ContextPrefixesTheMessageAndKeepsTheCode)
{
    const Error e{ErrorCode::network, "HTTP 404"};
    const Error wrapped = e.context("files[1]");
    EXPECT_EQ(wrapped.message, "files[1]: HTTP 404");
    EXPECT_EQ(wrapped.code, ErrorCode::network);
}

}  // namespace
}  // namespace gapbundle
