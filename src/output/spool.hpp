// SPDX-License-Identifier: MIT
#pragma once

#include "output/stream.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace fanout {

// The memory that the spools of a run share: each spool holds at most
// `per_spool` bytes in memory, and all of them together at most `total`.
struct SpoolBudget {
  std::size_t per_spool = 256 * 1024;
  std::size_t total = 16 * 1024 * 1024;
  std::size_t used = 0; // held now, by every spool of this budget
};

// Output held back to be printed later: the bytes of both of a job's
// streams, in the order they came and each with its stream. The first bytes
// stay in memory, within the budget; the rest go to an unlinked temporary
// file (O_TMPFILE in $TMPDIR or /tmp, else a file made there and removed at
// once), so a job that writes gigabytes costs a bounded amount of memory.
// When no file can be made or written, the bytes stay in memory: output is
// never lost. Bytes may be appended while earlier ones are read back.
class Spool {
public:
  // The budget must outlive the spool.
  explicit Spool(SpoolBudget& budget);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Adds `bytes` of `stream` after everything appended so far.
  void append(Stream stream, std::string_view bytes);

  // A piece read back: bytes that all went to one stream.
  struct Piece {
    Stream stream;
    std::string_view bytes;
  };

  // The next unread bytes, at most `buffer.size()` of them, in `buffer` or
  // in the spool's own memory; valid until the next call of `append` or
  // `read`. Nothing when every byte appended so far has been read: the
  // spool then starts empty again. Throws std::system_error when its file
  // cannot be read.
  std::optional<Piece> read(std::span<char> buffer);

  // Whether some bytes appended have not been read yet.
  bool has_unread() const;

  // Whether some bytes went to a file.
  bool spilled() const { return m_file_size > 0; }

private:
  // Makes room in memory for `needed` more bytes, within the budget; false
  // when it may not.
  bool make_room(std::size_t needed);
  // Moves what is in memory to the file; false when there is no file to be
  // had, and the spool keeps everything in memory from then on.
  bool spill();
  // Writes a record of `bytes` straight to the file, past what is there.
  void write_direct(Stream stream, std::string_view bytes);
  // Copies `size` bytes at logical `offset` (file, then memory) to `into`.
  void copy_out(std::uint64_t offset, char* into, std::size_t size) const;

  SpoolBudget& m_budget;
  int m_fd = -1;
  bool m_memory_only = false; // no file could be made or written
  // The bytes, as records (a stream byte, a 32-bit length, the bytes): the
  // first m_file_size in the file, the rest in m_memory.
  std::uint64_t m_file_size = 0;
  std::vector<char> m_memory;
  // In m_memory, the header of the last record while it may still grow:
  // the reader has not taken its length yet.
  std::optional<std::size_t> m_open;
  std::uint64_t m_read = 0;        // the logical offset of the next unread byte
  std::uint64_t m_record_left = 0; // bytes left in the record being read
  Stream m_record_stream = Stream::out;
};

} // namespace fanout
