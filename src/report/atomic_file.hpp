// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fanout {

// A file written under a temporary name beside its final path, then renamed
// over that path once complete: a reader sees the previous file or the
// whole new one, never a part, and a fanout that dies leaves the previous
// file as it was. The data is not synced to disk before the rename (that
// would cost every run a disk flush): after a power loss the file may be
// the new one, the old one or damaged, which its readers must tell (the
// resume state has a checksum). Writes are buffered; the first error is
// kept for `commit`.
class AtomicFile {
public:
  // Creates the temporary file ("PATH.tmp-PID-N", with the umask's mode)
  // in PATH's folder. Throws fanout::Error, naming `path`, when it cannot.
  explicit AtomicFile(std::string path);

  // Removes the temporary file unless it was committed.
  ~AtomicFile();

  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends `bytes`. Does nothing after an error or a commit.
  void write(std::string_view bytes);

  // Replaces bytes already written, from `offset` on, with `bytes`: for a
  // header whose values are known only at the end. The range must lie
  // within what was written. Does nothing after an error or a commit.
  void overwrite(std::size_t offset, std::string_view bytes);

  // Writes what is buffered and renames the file to its path. Returns
  // nothing on success, or why it failed ("PATH: No space left on
  // device"); the temporary file is then removed. Once only.
  std::optional<std::string> commit();

  // The final path, as given.
  const std::string& path() const { return m_path; }

private:
  void flush();
  void fail(int error);

  std::string m_path;
  std::string m_temporary;
  std::string m_buffer;
  int m_fd = -1;
  int m_error = 0; // the first errno a write met
  bool m_committed = false;
};

} // namespace fanout
