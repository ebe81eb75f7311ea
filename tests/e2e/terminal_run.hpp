// SPDX-License-Identifier: MIT
#pragma once

#include "harness.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace e2e {

// How fanout's terminal is set up.
struct TerminalSetup {
  std::optional<std::string> term = "xterm"; // TERM; unset when empty
  unsigned short columns = 80;               // the terminal's width (COLUMNS is unset)
  // When set, fanout's stdout is this file of the sandbox, not the terminal.
  std::optional<std::string> stdout_file;
  // Whether fanout's stdin is the terminal too (else /dev/null).
  bool stdin_terminal = false;
};

// fanout running on a pseudo-terminal of its own, as from an interactive
// shell: its stdout and stderr are the terminal (stdin is /dev/null unless
// the setup says otherwise), and fanout leads the terminal's foreground
// process group. The
// terminal is raw, so the harness reads exactly the bytes fanout wrote.
// Every wait has one ceiling, counted from the start: past it fanout is
// SIGKILLed and the test fails. The destructor kills and reaps a fanout
// that finish() did not collect.
class TerminalRun {
public:
  // Starts fanout with `args` (in the suite's pool) in `box`'s folder.
  TerminalRun(const Sandbox& box, const std::vector<std::string>& args, TerminalSetup setup = {});
  ~TerminalRun();
  TerminalRun(const TerminalRun&) = delete;
  TerminalRun& operator=(const TerminalRun&) = delete;

  // Reads the terminal until `text` is in what fanout wrote to it since it
  // started. Returns false, after recording a test failure, when fanout
  // leaves the terminal or the ceiling passes first.
  bool wait_for(std::string_view text);

  // Types `text` on the terminal, as a person would.
  void type(std::string_view text);

  // Reads the terminal until fanout has exited and left it, reaps fanout,
  // and returns what it did: `out` holds the terminal's bytes, `err` is
  // empty.
  Result finish();

private:
  // Reads what the terminal has, waiting at most until the ceiling; false
  // once fanout has left the terminal (or the ceiling passed).
  bool read_some();

  pid_t m_pid;
  int m_master;
  std::string m_bytes;
  bool m_closed = false;
  std::chrono::steady_clock::time_point m_deadline;
};

// What a terminal shows of fanout's bytes: its lines, and apart from them
// the status lines drawn below them, each of which a "\r\x1b[K" erased.
struct Screen {
  std::string lines;                 // every whole line, in order
  std::vector<std::string> statuses; // every status line drawn, in order
  std::string left;                  // bytes after the last line that nothing erased
};

// Splits `bytes` as a terminal shows them. A status line that a job line
// followed without erasing it lands in `lines`, mixed with that line.
Screen screen_of(std::string_view bytes);

} // namespace e2e
