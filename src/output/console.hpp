// SPDX-License-Identifier: MIT
#pragma once

#include "output/stream.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace fanout {

// Owns fanout's stdout and stderr: every byte fanout prints goes through
// here, job lines, fanout's messages and the summary alike. `write` never
// waits for a reader (the caller is the event loop): what a pipe takes at
// once, or a file, is written at once; the rest is queued, in order across
// both streams, and a thread of the console's own writes it. A reader that
// stops reading therefore holds up the queue, never fanout's timers or
// signals; past a high-water mark the console asks, through its backlog
// handler, for less output until the queue has drained.
//
// On a terminal it can keep a status line at the bottom of stderr: the line
// is erased before other bytes reach that terminal and drawn again after
// them, so job lines scroll above it and never mix with it (as ninja's
// LinePrinter does). Nothing of it reaches a pipe or a file.
class Console {
public:
  // Decides once whether each descriptor is a terminal, and whether both
  // are the same one. The descriptors stay open after the console is gone.
  Console(int out_fd, int err_fd);

  // Writes what is queued (erasing the status line), then stops its thread.
  ~Console();

  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  // Writes or queues `bytes` for `stream`, as above. Once a stream's reader is
  // gone (EPIPE) or a write failed, its bytes are dropped: `fanout | head`
  // must not end the run.
  void write(Stream stream, std::string_view bytes);

  // Whether `stream`'s descriptor is a terminal.
  bool is_tty(Stream stream) const { return m_tty[index_of(stream)]; }

  // Shows `line` (without a newline, at most the terminal's width) as the
  // status line, replacing the last one; an empty `line` removes it. Does
  // nothing unless stderr is a terminal.
  void set_status(std::string line);

  // Waits until everything queued so far has been written or dropped.
  void flush();

  // Gives fanout's terminal to a job that writes to it itself (a console
  // job). With `held`, waits until everything queued so far has been
  // written or dropped, erases the status line, and from then on writes
  // nothing: what comes is queued (the backlog handler hears of it as
  // usual) until this is called without `held`. Call flush() only after.
  void hold_for_job(bool held);

  // Called with true on the writing thread when the queue grows past
  // `high` bytes, then with false on the console's thread once it has
  // drained below `low`. Set it before the first write.
  using BacklogHandler = std::function<void(bool over)>;
  void on_backlog(BacklogHandler handler, std::size_t high, std::size_t low);

  // Whether the backlog handler was last told "over": more output should
  // wait until it is told otherwise.
  bool backlogged() const;

  // The first write that failed for another reason than a reader that went
  // away: "stdout: No space left on device". A run whose output was lost
  // must not look like a success.
  std::optional<std::string> failure() const;

private:
  struct Segment {
    Stream stream;
    std::string bytes;
  };

  // Starts the writer, with the lock held; false when no thread can be
  // had, and the console writes directly from then on.
  bool start_thread();
  void write_out();
  // Writes what the descriptor of `stream` takes without waiting (all of it
  // to a file); returns how much of `bytes` is done with, written or
  // dropped. Only when nothing is queued and the writer is idle.
  std::size_t write_now(std::size_t stream, std::string_view bytes);
  // Writes `bytes` to `stream`'s descriptor whole, waiting out a full
  // non-blocking descriptor; false once the stream is closed.
  bool write_all(std::size_t stream, std::string_view bytes);
  // A write to `stream` failed with `error`: its later bytes are dropped.
  void fail(std::size_t stream, int error);
  // Takes the status line off the terminal, if it is there.
  void erase_status();

  int m_fds[2];
  bool m_tty[2];
  bool m_shares_status[2];         // bytes on this stream reach the status line's terminal
  bool m_never_blocks[2];          // a regular file: written directly
  bool m_nowait[2] = {true, true}; // pwritev2(RWF_NOWAIT) works on it
  // Whoever writes now: the writer, or the caller while nothing is queued.
  bool m_closed[2] = {false, false};

  mutable std::mutex m_mutex; // guards what follows
  std::condition_variable m_wake;
  std::condition_variable m_drained;
  std::deque<Segment> m_queue;
  std::vector<std::string> m_spare; // written buffers, emptied, for reuse
  std::size_t m_queued = 0;         // bytes in m_queue
  bool m_writing = false;           // the writer holds a batch
  bool m_stopping = false;
  bool m_over = false;                 // the backlog handler was told "over"
  bool m_held = false;                 // a job has the terminal: write nothing
  bool m_direct = false;               // no writer thread: write as called
  bool m_status_used = false;          // a status line was set: only the writer writes
  std::optional<std::string> m_status; // a new status line for the writer to draw
  std::optional<std::string> m_failure;
  BacklogHandler m_backlog;
  std::size_t m_high = 0;
  std::size_t m_low = 0;

  // The writer's own: the status line, whether it is on the terminal, and
  // whether the terminal's cursor is at the start of a line.
  std::string m_status_line;
  bool m_shown = false;
  bool m_line_start = true;
  std::thread m_thread; // started at the first write
};

// Opens /dev/null on whichever of descriptors 0, 1 and 2 is closed, so that
// pipes made later never take their numbers (a job's pipe must not become
// fanout's stdout).
void ensure_standard_fds();

} // namespace fanout
