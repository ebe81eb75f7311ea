// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace fanout {

// Writes to a file descriptor that fanout does not own (its stdout or
// stderr). Blocking and unbuffered: each `write` call hands its bytes to the
// kernel before it returns, in as few `write(2)` calls as the kernel allows.
class FdWriter {
public:
  explicit FdWriter(int fd);

  // Writes all of `bytes`, retrying short writes and EINTR. Once the reader
  // is gone (EPIPE) or another error occurs, this and every later call drop
  // their bytes: `fanout | head -1` must not end the run.
  void write(std::string_view bytes);

  // Whether writes are being dropped.
  bool is_closed() const { return m_closed; }

  // Whether the descriptor is a terminal.
  bool is_tty() const;

private:
  int m_fd;
  bool m_closed = false;
};

// Opens /dev/null on whichever of descriptors 0, 1 and 2 is closed, so that
// pipes made later never take their numbers (a job's pipe must not become
// fanout's stdout).
void ensure_standard_fds();

} // namespace fanout
