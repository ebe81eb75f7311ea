// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace fanout {

// Cuts one stream of bytes into lines. Keeps at most `k_max_line` bytes of an
// unfinished line between calls, so memory stays bounded whatever a job writes.
class LineSplitter {
public:
  // A line longer than this is passed on in pieces of this size.
  static constexpr std::size_t k_max_line = 64 * 1024;

  // Calls `emit(std::string_view line)` for each line completed by `bytes`,
  // without its '\n', and for each full `k_max_line` piece of a longer line.
  // Bytes pass untouched: '\r', '\0' and invalid UTF-8 are part of the line.
  template <class Emit> void feed(std::string_view bytes, Emit&& emit);

  // End of stream: emits the unfinished last line, if any.
  template <class Emit> void finish(Emit&& emit);

  // Whether an unfinished line is being kept.
  bool has_partial() const { return !m_partial.empty(); }

  // Drops the unfinished line, as if the stream started again.
  void discard()
  {
    m_partial.clear();
    m_after_piece = false;
  }

private:
  std::string m_partial;
  bool m_after_piece = false; // the last call ended with a whole piece
};

template <class Emit> void LineSplitter::feed(std::string_view bytes, Emit&& emit)
{
  // The newline of a line that ended exactly at a piece boundary may come in
  // the next call: it ends that line, it does not start an empty one.
  if (m_after_piece && !bytes.empty() && bytes.front() == '\n') {
    bytes.remove_prefix(1);
  }
  m_after_piece = false;
  while (!bytes.empty()) {
    const void* found = std::memchr(bytes.data(), '\n', bytes.size());
    const std::size_t end =
      found ? static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data())
            : bytes.size();
    const std::size_t room = k_max_line - m_partial.size();
    if (end >= room) {
      // The line is at least a whole piece long: pass a piece on, keep going.
      if (m_partial.empty()) {
        emit(bytes.substr(0, room));
      } else {
        m_partial.append(bytes.data(), room);
        emit(std::string_view(m_partial));
        m_partial.clear();
      }
      bytes.remove_prefix(room);
      const bool line_ended = end == room && found;
      if (line_ended) {
        bytes.remove_prefix(1);
      }
      m_after_piece = bytes.empty() && !line_ended;
      continue;
    }
    if (!found) {
      m_partial.append(bytes);
      return;
    }
    if (m_partial.empty()) {
      emit(bytes.substr(0, end));
    } else {
      m_partial.append(bytes.data(), end);
      emit(std::string_view(m_partial));
      m_partial.clear();
    }
    bytes.remove_prefix(end + 1);
  }
}

template <class Emit> void LineSplitter::finish(Emit&& emit)
{
  if (!m_partial.empty()) {
    emit(std::string_view(m_partial));
    m_partial.clear();
    m_partial.shrink_to_fit();
  }
}

} // namespace fanout
