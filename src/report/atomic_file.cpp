// SPDX-License-Identifier: MIT
#include "report/atomic_file.hpp"

#include "error.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace fanout {

namespace {

// Past this much buffered, a write goes to the file.
constexpr std::size_t k_buffer_size = 64 * 1024;

} // namespace

AtomicFile::AtomicFile(std::string path) : m_path(std::move(path))
{
  static std::atomic<unsigned> counter{0};
  do {
    m_temporary = m_path + ".tmp-" + std::to_string(::getpid()) + "-" +
                  std::to_string(counter.fetch_add(1, std::memory_order_relaxed));
    m_fd = ::open(m_temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  } while (m_fd < 0 && errno == EEXIST);
  if (m_fd < 0) {
    throw Error("fanout: error: cannot write " + m_path + ": " + std::strerror(errno));
  }
}

AtomicFile::~AtomicFile()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
  if (!m_committed) {
    ::unlink(m_temporary.c_str());
  }
}

void AtomicFile::write(std::string_view bytes)
{
  if (m_error != 0 || m_committed) {
    return;
  }
  m_buffer.append(bytes);
  if (m_buffer.size() >= k_buffer_size) {
    flush();
  }
}

void AtomicFile::flush()
{
  std::string_view rest = m_buffer;
  while (!rest.empty() && m_error == 0) {
    const ssize_t n = ::write(m_fd, rest.data(), rest.size());
    if (n >= 0) {
      rest.remove_prefix(static_cast<std::size_t>(n));
    } else if (errno != EINTR) {
      fail(errno);
    }
  }
  m_buffer.clear();
}

void AtomicFile::overwrite(std::size_t offset, std::string_view bytes)
{
  if (m_error != 0 || m_committed) {
    return;
  }
  flush();
  // pwrite leaves the file's offset, where the next write appends, alone.
  while (!bytes.empty() && m_error == 0) {
    const ssize_t n = ::pwrite(m_fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n >= 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      offset += static_cast<std::size_t>(n);
    } else if (errno != EINTR) {
      fail(errno);
    }
  }
}

void AtomicFile::fail(int error)
{
  if (m_error == 0) {
    m_error = error;
  }
}

std::optional<std::string> AtomicFile::commit()
{
  if (m_committed) {
    return std::nullopt;
  }
  flush();
  if (::close(m_fd) != 0 && m_error == 0) {
    fail(errno);
  }
  m_fd = -1;
  if (m_error == 0 && ::rename(m_temporary.c_str(), m_path.c_str()) != 0) {
    fail(errno);
  }
  if (m_error != 0) {
    return m_path + ": " + std::strerror(m_error);
  }
  m_committed = true;
  return std::nullopt;
}

} // namespace fanout
