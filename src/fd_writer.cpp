// SPDX-License-Identifier: MIT
#include "fanout/fd_writer.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace fanout {

FdWriter::FdWriter(int fd) : m_fd(fd) {}

void FdWriter::write(std::string_view bytes)
{
  while (!bytes.empty() && !m_closed) {
    const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
    if (n >= 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (errno != EINTR) {
      // EPIPE is the common case (`fanout | head`): SIGPIPE is ignored, so
      // the run goes on and this stream's later output is dropped.
      m_closed = true;
    }
  }
}

bool FdWriter::is_tty() const
{
  return ::isatty(m_fd) == 1;
}

void ensure_standard_fds()
{
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) == -1) {
      // open() returns the lowest free number: this very descriptor.
      ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    }
  }
}

} // namespace fanout
