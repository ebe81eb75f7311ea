// SPDX-License-Identifier: MIT
#include "output/fd_writer.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace fanout {

namespace {

constexpr std::size_t k_pipe_size = 1024 * 1024;

} // namespace

FdWriter::FdWriter(int fd) : m_fd(fd)
{
  // When fanout writes into a pipe (`fanout | less`), a default 64 KiB pipe
  // makes every batch of lines wait for the reader several times over. A
  // larger one lets fanout hand over a whole batch at once. Fails harmlessly
  // on anything that is not a pipe, or past the user's pipe quota.
  ::fcntl(m_fd, F_SETPIPE_SZ, static_cast<int>(k_pipe_size));
}

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
