#include <gapbundle/util/file_handles.hpp>

#include <unistd.h>

namespace gapbundle {

void UniqueFd::reset(int fd) noexcept
{
    if (m_fd >= 0) ::close(m_fd);
    m_fd = fd;
}

}  // namespace gapbundle
