// SPDX-License-Identifier: MIT
#include "output/console.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <system_error>
#include <unistd.h>

namespace fanout {

namespace {

constexpr std::size_t k_pipe_size = 1024 * 1024;

// Written buffers kept for the next writes, so that a stream of output
// does not allocate (and fault in) fresh memory for every batch.
constexpr std::size_t k_spare_buffers = 4;
constexpr std::size_t k_spare_capacity = 1024 * 1024;

// Erases the terminal's current line: back to its start, clear to its end.
constexpr std::string_view k_erase_line = "\r\x1b[K";

bool same_terminal(int a, int b)
{
  struct stat sa;
  struct stat sb;
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_rdev == sb.st_rdev;
}

} // namespace

Console::Console(int out_fd, int err_fd) : m_fds{out_fd, err_fd}
{
  for (std::size_t s = 0; s < 2; ++s) {
    m_tty[s] = ::isatty(m_fds[s]) == 1;
    // A file takes what it is given without waiting for anyone.
    struct stat st;
    m_never_blocks[s] = ::fstat(m_fds[s], &st) == 0 && (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode));
    // When fanout writes into a pipe (`fanout | less`), a default 64 KiB
    // pipe makes every batch of lines wait for the reader several times
    // over; a larger one takes a whole batch at once. Fails harmlessly on
    // anything that is not a pipe, or past the user's pipe quota.
    ::fcntl(m_fds[s], F_SETPIPE_SZ, static_cast<int>(k_pipe_size));
  }
  m_shares_status[1] = m_tty[1];
  m_shares_status[0] = m_tty[0] && m_tty[1] && same_terminal(m_fds[0], m_fds[1]);
}

Console::~Console()
{
  set_status({});
  {
    const std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_one();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

bool Console::start_thread()
{
  // The writer takes no signal: they are the event loop's to handle.
  sigset_t all;
  sigset_t old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  try {
    m_thread = std::thread([this] { write_out(); });
  } catch (const std::system_error&) {
    // No thread to be had (a pids limit): the console writes as it is
    // called, as well as it can.
    m_direct = true;
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return !m_direct;
}

void Console::write(Stream stream, std::string_view bytes)
{
  if (bytes.empty()) {
    return;
  }
  const std::size_t s = index_of(stream);
  bool over = false;
  {
    std::unique_lock lock(m_mutex);
    if (m_queue.empty() && !m_writing && !m_status_used && !m_held) {
      // Nothing waits and the writer is idle: whatever the descriptor takes
      // at once goes now, from this thread, in order; the rest is queued.
      lock.unlock();
      bytes.remove_prefix(write_now(s, bytes));
      if (bytes.empty()) {
        return;
      }
      lock.lock();
    }
    if (m_direct || (!m_thread.joinable() && !start_thread())) {
      lock.unlock();
      write_all(s, bytes);
      return;
    }
    if (!m_queue.empty() && m_queue.back().stream == stream) {
      m_queue.back().bytes.append(bytes);
    } else {
      std::string buffer;
      if (!m_spare.empty()) {
        buffer = std::move(m_spare.back());
        m_spare.pop_back();
      }
      buffer.assign(bytes);
      m_queue.push_back({stream, std::move(buffer)});
    }
    m_queued += bytes.size();
    if (m_backlog && !m_over && m_queued > m_high) {
      m_over = over = true;
    }
  }
  m_wake.notify_one();
  if (over) {
    m_backlog(true);
  }
}

void Console::set_status(std::string line)
{
  if (!m_tty[1]) {
    return;
  }
  {
    const std::lock_guard lock(m_mutex);
    if (!m_thread.joinable() && (line.empty() || !start_thread())) {
      return; // nothing was ever drawn, or nothing can draw it
    }
    // From now on only the writer writes: it keeps the line below the others.
    m_status_used = true;
    m_status = std::move(line);
  }
  m_wake.notify_one();
}

void Console::flush()
{
  std::unique_lock lock(m_mutex);
  m_drained.wait(lock, [this] { return m_queue.empty() && !m_status && !m_writing; });
}

void Console::hold_for_job(bool held)
{
  std::unique_lock lock(m_mutex);
  if (!held) {
    m_held = false;
    lock.unlock();
    m_wake.notify_one();
    return;
  }
  m_drained.wait(lock, [this] { return m_queue.empty() && !m_status && !m_writing; });
  m_held = true;
  lock.unlock();
  // The writer is idle and stays so while the console is held: the status
  // line is this thread's to erase.
  erase_status();
}

void Console::on_backlog(BacklogHandler handler, std::size_t high, std::size_t low)
{
  const std::lock_guard lock(m_mutex);
  m_backlog = std::move(handler);
  m_high = high;
  m_low = low;
}

bool Console::backlogged() const
{
  const std::lock_guard lock(m_mutex);
  return m_over;
}

std::optional<std::string> Console::failure() const
{
  const std::lock_guard lock(m_mutex);
  return m_failure;
}

void Console::write_out()
{
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_wake.wait(lock, [this] { return m_stopping || (!m_held && (!m_queue.empty() || m_status)); });
    if (m_queue.empty() && !m_status) {
      return; // stopping, with nothing left
    }
    std::deque<Segment> batch;
    batch.swap(m_queue);
    std::optional<std::string> status;
    status.swap(m_status);
    m_writing = true;
    lock.unlock();

    std::size_t written = 0;
    for (const Segment& segment : batch) {
      const std::size_t s = index_of(segment.stream);
      if (m_shares_status[s]) {
        erase_status();
        m_line_start = segment.bytes.back() == '\n';
      }
      write_all(s, segment.bytes);
      written += segment.bytes.size();
    }
    if (status) {
      m_status_line = std::move(*status);
      erase_status();
    }
    // Drawn again below the lines, but never after a partial line.
    if (!m_shown && !m_status_line.empty() && m_line_start) {
      write_all(1, m_status_line);
      m_shown = true;
    }

    lock.lock();
    m_queued -= written;
    for (Segment& segment : batch) {
      if (m_spare.size() < k_spare_buffers && segment.bytes.capacity() <= k_spare_capacity) {
        segment.bytes.clear();
        m_spare.push_back(std::move(segment.bytes));
      }
    }
    if (m_over && m_queued < m_low) {
      m_over = false;
      // Called before the batch counts as written, so that once flush()
      // returns no call of the handler is under way.
      const BacklogHandler handler = m_backlog;
      lock.unlock();
      handler(false);
      lock.lock();
    }
    m_writing = false;
    m_drained.notify_all();
  }
}

void Console::erase_status()
{
  if (m_shown) {
    write_all(1, k_erase_line);
    m_shown = false;
  }
}

std::size_t Console::write_now(std::size_t s, std::string_view bytes)
{
  if (m_closed[s] || m_never_blocks[s]) {
    write_all(s, bytes);
    return bytes.size();
  }
  std::size_t done = 0;
  while (m_nowait[s] && done < bytes.size()) {
    iovec piece{const_cast<char*>(bytes.data() + done), bytes.size() - done};
    const ssize_t n = ::pwritev2(m_fds[s], &piece, 1, -1, RWF_NOWAIT);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n == 0 || errno == EAGAIN) {
      break; // full: the writer takes the rest
    } else if (errno == EOPNOTSUPP || errno == EINVAL) {
      m_nowait[s] = false; // a terminal, say: the writer writes them all
    } else if (errno != EINTR) {
      fail(s, errno);
      return bytes.size();
    }
  }
  return done;
}

bool Console::write_all(std::size_t s, std::string_view bytes)
{
  while (!bytes.empty() && !m_closed[s]) {
    const ssize_t n = ::write(m_fds[s], bytes.data(), bytes.size());
    if (n >= 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (errno == EAGAIN) {
      // Someone made the descriptor non-blocking (it is shared with the
      // shell that started fanout): wait until it takes more.
      pollfd pfd{m_fds[s], POLLOUT, 0};
      ::poll(&pfd, 1, -1);
    } else if (errno != EINTR) {
      fail(s, errno);
    }
  }
  return !m_closed[s];
}

void Console::fail(std::size_t s, int error)
{
  // EPIPE is the common case (`fanout | head`): SIGPIPE is ignored, so the
  // run goes on and this stream's later output is dropped. Any other error
  // loses output that someone expected: say so at the end.
  m_closed[s] = true;
  if (error != EPIPE) {
    const std::lock_guard lock(m_mutex);
    if (!m_failure) {
      m_failure = std::string(s == 0 ? "stdout: " : "stderr: ") + std::strerror(error);
    }
  }
}

void ensure_standard_fds()
{
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) == -1) {
      // open() returns the lowest free number: this very descriptor.
      ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    }
  }
}

} // namespace fanout
