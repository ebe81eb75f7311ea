// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace fanout {

// Keeps two runs from using one state file at once: an flock on the file
// PATH.lock beside it, which also holds the pid of the run that has it.
// The kernel lets go of it when fanout ends, however it ends.
class StateLock {
public:
  // Opens (creates) the lock file of the state `state_path`, whose folder
  // must exist, and takes the lock unless another run has it; never waits.
  // Throws fanout::Error, naming the file, when it cannot be opened.
  explicit StateLock(const std::string& state_path);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

  // Whether this run has the lock; if not, another run has it.
  bool is_held() const { return m_held; }

  // The pid of the run that has the lock, as it wrote it; 0 when unknown.
  pid_t holder() const;

private:
  int m_fd = -1;
  bool m_held = false;
};

// The bytes of the state file `path`, or none when there is no such file.
// Throws fanout::Error, naming it, when it cannot be read.
std::optional<std::string> read_state_file(const std::string& path);

// Writes `bytes` (a ResumeState's) to `path` whole or not at all
// (AtomicFile): a crash leaves the previous file. Returns why it could
// not, if it could not.
std::optional<std::string> write_state_file(const std::string& path, std::string_view bytes);

} // namespace fanout
