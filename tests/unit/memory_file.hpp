// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace fanout::test {

// An in-memory file standing in for fanout's stdout or stderr.
class MemoryFile {
public:
  MemoryFile() : m_fd(::memfd_create("sink", MFD_CLOEXEC)) {}
  ~MemoryFile() { ::close(m_fd); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  int fd() const { return m_fd; }
  // Everything written so far.
  std::string contents() const
  {
    std::string text(static_cast<std::size_t>(::lseek(m_fd, 0, SEEK_CUR)), '\0');
    ::pread(m_fd, text.data(), text.size(), 0);
    return text;
  }

private:
  int m_fd;
};

} // namespace fanout::test
