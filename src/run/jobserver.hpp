// SPDX-License-Identifier: MIT
#pragma once

#include "exec/launch_plan.hpp"
#include "run/jobserver_auth.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace fanout {

// fanout's side of make's jobserver (fanout(1), ENVIRONMENT): the one of
// the make that runs fanout, named by MAKEFLAGS, or one fanout makes for
// its own jobs. Either way a token is one byte, taken from it for each job
// fanout runs beyond its first, and written back when that job ends
// (TokenGate). fanout reads tokens through a descriptor of its own in
// non-blocking mode, never through the one it shares with make and with
// make's other children, which make reads blocking.
class Jobserver {
public:
  // From `makeflags` (MAKEFLAGS' value; null when unset). Opens the
  // jobserver it names; the pipe form's descriptors must be open pipes,
  // else it is unavailable, as make's is to a recipe not marked `+`.
  // Construct it before fanout opens any descriptor, which could otherwise
  // take the number of one of make's that is closed.
  explicit Jobserver(const char* makeflags);
  ~Jobserver();
  Jobserver(const Jobserver&) = delete;
  Jobserver& operator=(const Jobserver&) = delete;

  // Makes fanout's own jobserver, a pipe with `jobs` - 1 tokens, when make
  // gave it none (or MAKEFLAGS named one that is unavailable) and `jobs` is
  // over 1. Throws Error when the pipe cannot be made.
  void serve(std::size_t jobs);

  // The jobs fanout may run at once for `jobs` asked: 1 while the
  // jobserver MAKEFLAGS names is unavailable, as make does.
  std::size_t cap(std::size_t jobs) const;

  // fanout's warning when MAKEFLAGS names a jobserver it cannot use, a
  // whole line; empty when there is none.
  const std::string& warning() const { return m_warning; }

  // What every job gets: MAKEFLAGS naming fanout's own jobserver, or
  // without the one that is unavailable; the pipe's descriptors to keep.
  JobserverShare share() const;

  // Whether there are tokens to take (from make's jobserver or fanout's).
  bool has_tokens() const { return m_read >= 0; }

  // Whether the jobserver is fanout's own.
  bool serves() const { return m_tokens > 0; }

  // fanout's non-blocking descriptor of the jobserver, readable when a
  // token may be there; -1 without tokens. Owned here.
  int wait_fd() const { return m_read; }

  // A token, if one can be read now; nothing when another process got it
  // first. Throws Error when the jobserver cannot be read.
  std::optional<char> try_take();

  // Writes `token` back.
  void give(char token);

  // fanout's own jobserver, while no job of fanout runs, so that no make
  // holds a token: fills it again with its tokens but the `held` ones,
  // also those a make that was killed took with it.
  void recover(std::size_t held);

private:
  void open_inherited(const JobserverAuth& auth);
  void fail(std::string why);

  std::optional<std::string> m_makeflags; // as fanout got it
  JobserverAuth m_auth;
  std::string m_warning;
  int m_read = -1;          // fanout's own open file description, non-blocking
  int m_write = -1;         // where tokens go back
  int m_owned_write = -1;   // the fifo's or fanout's pipe's write end, closed here
  int m_pipe_read = -1;     // fanout's pipe's read end, the one jobs get
  std::size_t m_tokens = 0; // fanout's own jobserver: its tokens
};

} // namespace fanout
