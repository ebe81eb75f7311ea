// SPDX-License-Identifier: MIT
#include "run/state_file.hpp"

#include "error.hpp"
#include "report/atomic_file.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace fanout {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path)
{
  throw Error("fanout: error: cannot " + what + " " + path + ": " + std::strerror(errno));
}

} // namespace

StateLock::StateLock(const std::string& state_path)
{
  const std::string path = state_path + ".lock";
  m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (m_fd < 0) {
    fail("open", path);
  }
  m_held = ::flock(m_fd, LOCK_EX | LOCK_NB) == 0;
  if (!m_held && errno != EWOULDBLOCK) {
    const int error = errno;
    ::close(m_fd);
    errno = error;
    fail("lock", path);
  }
  if (m_held) {
    // Only for the message of a run that finds the lock taken: a pid that
    // cannot be written leaves that message without it.
    const std::string pid = std::to_string(::getpid()) + "\n";
    [[maybe_unused]] const bool written =
      ::ftruncate(m_fd, 0) == 0 &&
      ::pwrite(m_fd, pid.data(), pid.size(), 0) == static_cast<ssize_t>(pid.size());
  }
}

StateLock::~StateLock()
{
  // Closing the descriptor lets go of the lock. The file stays: a run that
  // opened it to wait on it must find the same file.
  ::close(m_fd);
}

pid_t StateLock::holder() const
{
  char text[32];
  const ssize_t size = ::pread(m_fd, text, sizeof text, 0);
  pid_t pid = 0;
  if (size > 0) {
    std::from_chars(text, text + size, pid);
  }
  return pid;
}

std::optional<std::string> read_state_file(const std::string& path)
{
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    return std::nullopt;
  }
  if (fd < 0) {
    fail("read", path);
  }
  std::string bytes;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      bytes.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      const int error = errno;
      ::close(fd);
      errno = error;
      fail("read", path);
    }
  }
  ::close(fd);
  return bytes;
}

std::optional<std::string> write_state_file(const std::string& path, std::string_view bytes)
{
  try {
    AtomicFile file(path);
    file.write(bytes);
    return file.commit();
  } catch (const Error& e) {
    // AtomicFile says "fanout: error: cannot write PATH: why"; the caller
    // wants "PATH: why", as commit gives it.
    std::string_view message = e.what();
    constexpr std::string_view k_prefix = "fanout: error: cannot write ";
    if (message.starts_with(k_prefix)) {
      message.remove_prefix(k_prefix.size());
    }
    return std::string(message);
  }
}

} // namespace fanout
