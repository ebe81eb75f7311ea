// SPDX-License-Identifier: MIT
// The far side of a job run over SSH: the command line that runs it there
// under a watchdog, and the watchdog's last word on how it ended.
#pragma once

#include "jobfile/job.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// What a job runs on the far side, and within what.
struct RemoteJob {
  std::string mark; // the run's own mark, which the watchdog's last word starts with
  double grace_seconds = 0;
  std::string folder;            // where it starts
  std::vector<std::string> env;  // "KEY=value", set in order over the remote login's own
  std::string cmd;               // run as `/bin/sh -c cmd`, or else
  std::vector<std::string> argv; // the program, looked up in PATH, and its arguments
};

// The command line that ssh hands to the remote login shell, each word
// quoted once for it (a POSIX shell). It runs the job under a watchdog, a
// short Perl program: the job gets a process group of its own, `folder`,
// `env` and stdin from /dev/null. When the watchdog's stdin (the
// connection) reaches its end, the whole group gets SIGTERM and SIGCONT,
// then SIGKILL after the grace; when the job's process ends, what is left
// of its group is killed. Its last bytes on stderr are its word on the end
// (`last_word_of` reads them back): a shell's `wait` cannot tell a process
// killed by signal 9 from one that exited 137, Perl's can.
std::string remote_command(const RemoteJob& job);

// How the job ended on the far side, by the watchdog's word.
struct RemoteEnd {
  enum class Kind { exited, signaled, not_started };
  Kind kind = Kind::exited;
  int number = 0;     // exited: the exit code; signaled: the signal; not_started: 127 or 126
  std::string reason; // not_started: why ("program not found: x")
};

// Takes the job's stderr as ssh hands it over and passes it on without the
// watchdog's last word, which it reads. The word is recognised only as the
// very last bytes of the stream: whatever the job writes, even bytes that
// look like a word, reaches its stderr.
class LastWordFilter {
public:
  // For the words that start with `mark` (RemoteJob::mark).
  explicit LastWordFilter(std::string mark);

  // The bytes of `chunk` that are surely the job's: those that could be
  // the start of the last word are held until the next chunk tells. The
  // view is valid until the next call.
  std::string_view pass(std::string_view chunk);

  // The end of the stream: what was held and is not the last word. Valid
  // until the next call.
  std::string_view finish();

  // The watchdog's word, once finish() found one.
  const std::optional<RemoteEnd>& end() const { return m_end; }

  // The last line the stream held that was not the watchdog's (ssh's own
  // message when it could not connect), without its newline.
  const std::string& last_line() const { return m_last_line; }

private:
  void remember_last_line(std::string_view passed);

  std::string m_mark; // "\x1f" + mark + " "
  std::string m_held;
  std::string m_passed; // what the last call handed back, when not a view of its input
  std::string m_last_line;
  bool m_line_ended = true;
  std::optional<RemoteEnd> m_end;
};

} // namespace fanout
