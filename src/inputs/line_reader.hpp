// SPDX-License-Identifier: MIT
#pragma once

#include "inputs/read_ahead.hpp"
#include "inputs/value_source.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fanout {

// Opens the file of a `lines` source for reading: `path`, or fanout's stdin
// (descriptor 0) for "-". A fifo opens at once, without waiting for a
// writer. Throws fanout::Error, `cannot read inputs from "list.txt": No such
// file or directory`, when it cannot be read (a folder cannot).
int open_lines(const std::string& path);

// A descriptor open_lines returned, closed at the end of its owner unless
// it is 0: fanout keeps its stdin.
struct InputFd {
  int fd;
  explicit InputFd(int fd_to_own) : fd(fd_to_own) {}
  InputFd(const InputFd&) = delete;
  InputFd& operator=(const InputFd&) = delete;
  ~InputFd();
};

// The values of a `lines` source, read on a thread of its own (ReadAhead),
// as they arrive: a value is available as soon as its separator is read,
// and the last one, without a separator, at the end of the input. Values
// hold any bytes but `separator`; an empty line is an empty value, and a
// "\r" before a "\n" stays in the value.
class LineReader final : public ValueSource {
public:
  // Reads `fd`, and closes it at the end unless it is 0 (stdin, which
  // fanout keeps). `path` names the input in messages ("-" is stdin).
  // `on_more` is called from the reader's thread, as ReadAhead says.
  LineReader(int fd, std::string path, char separator, std::function<void()> on_more);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  // Stops and joins the thread, even while the input is open and silent,
  // then closes the input.
  ~LineReader() override = default;

  InputStream::Next next(std::string& value) override { return m_ahead.take(value); }

  // `cannot read inputs from "list.txt": Input/output error`.
  std::optional<std::string> error() const override { return m_ahead.error(); }

private:
  InputFd m_fd; // before m_ahead: closed once the thread has ended
  std::string m_path;
  char m_separator;
  ReadAhead m_ahead;
};

// Every value of the `lines` source `path` (as open_lines), read here and
// now. Throws fanout::Error when it cannot be opened or read.
std::vector<std::string> read_all_lines(const std::string& path, char separator);

} // namespace fanout
