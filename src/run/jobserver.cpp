// SPDX-License-Identifier: MIT
#include "run/jobserver.hpp"

#include "error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fanout {

namespace {

// make's own token, which fanout's jobserver holds.
constexpr char k_token = '+';

void close_fd(int& fd)
{
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

// Whether `fd` is open, and a pipe: make closes its jobserver's
// descriptors in a recipe not marked `+`, and then the same numbers may be
// something else of ours.
bool is_open_pipe(int fd)
{
  struct stat st;
  return fd > STDERR_FILENO && ::fcntl(fd, F_GETFD) != -1 && ::fstat(fd, &st) == 0 &&
         S_ISFIFO(st.st_mode);
}

// A new open file description of the pipe `fd` is, for reading without
// blocking: O_NONBLOCK on `fd` itself would reach make and every other
// process that shares it.
int open_nonblocking_reader(int fd)
{
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  return ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

void write_tokens(int fd, std::size_t count)
{
  const std::string tokens(count, k_token);
  std::size_t done = 0;
  while (done < tokens.size()) {
    const ssize_t n = ::write(fd, tokens.data() + done, tokens.size() - done);
    if (n < 0 && errno != EINTR) {
      throw Error(std::string("fanout: error: cannot fill the jobserver: ") + std::strerror(errno));
    }
    done += n < 0 ? 0 : static_cast<std::size_t>(n);
  }
}

} // namespace

Jobserver::Jobserver(const char* makeflags)
{
  if (makeflags == nullptr) {
    return;
  }
  m_makeflags = makeflags;
  m_auth = parse_jobserver_auth(*m_makeflags);
  open_inherited(m_auth);
}

Jobserver::~Jobserver()
{
  close_fd(m_read);
  close_fd(m_owned_write);
  close_fd(m_pipe_read);
}

void Jobserver::open_inherited(const JobserverAuth& auth)
{
  using Form = JobserverAuth::Form;
  if (auth.form == Form::invalid) {
    fail("invalid " + auth.text + " in MAKEFLAGS; using -j1.");
  } else if (auth.form == Form::pipe) {
    if (!is_open_pipe(auth.read_fd) || !is_open_pipe(auth.write_fd)) {
      // make's own words, so that the fix is the one make names.
      fail("using -j1.  Add '+' to parent make rule.");
      return;
    }
    m_read = open_nonblocking_reader(auth.read_fd);
    if (m_read < 0) {
      fail(std::string("cannot open /proc/self/fd: ") + std::strerror(errno) + "; using -j1.");
      return;
    }
    m_write = auth.write_fd;
  } else if (auth.form == Form::fifo) {
    // The reader first: then opening the writer does not wait for one.
    m_read = ::open(auth.fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    m_owned_write = m_read < 0 ? -1 : ::open(auth.fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_owned_write < 0) {
      const std::string why = std::strerror(errno);
      close_fd(m_read);
      fail("cannot open " + auth.fifo + ": " + why + "; using -j1.");
      return;
    }
    m_write = m_owned_write;
  }
}

void Jobserver::fail(std::string why)
{
  m_warning = "fanout: warning: jobserver unavailable: " + why + "\n";
}

void Jobserver::serve(std::size_t jobs)
{
  if (has_tokens() || jobs <= 1) {
    return;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw Error(std::string("fanout: error: cannot make a jobserver: ") + std::strerror(errno));
  }
  m_pipe_read = fds[0];
  m_owned_write = m_write = fds[1];
  m_read = open_nonblocking_reader(m_pipe_read);
  if (m_read < 0) {
    throw Error(std::string("fanout: error: cannot make a jobserver: /proc/self/fd: ") +
                std::strerror(errno));
  }
  m_tokens = jobs - 1;
  write_tokens(m_write, m_tokens);
}

std::size_t Jobserver::cap(std::size_t jobs) const
{
  return m_warning.empty() ? jobs : 1;
}

JobserverShare Jobserver::share() const
{
  JobserverShare share;
  if (serves()) {
    share.makeflags = with_jobserver(m_makeflags.value_or(""), m_tokens + 1, m_pipe_read, m_write);
    share.fds = {m_pipe_read, m_write};
  } else if (!m_warning.empty()) {
    share.makeflags = without_jobserver(m_makeflags.value_or(""));
  } else if (has_tokens() && m_auth.form == JobserverAuth::Form::pipe) {
    share.fds = {m_auth.read_fd, m_auth.write_fd};
  }
  return share;
}

std::optional<char> Jobserver::try_take()
{
  char token = 0;
  while (true) {
    const ssize_t n = ::read(m_read, &token, 1);
    if (n == 1) {
      return token;
    }
    if (n == 0 || errno == EAGAIN) {
      return std::nullopt;
    }
    if (errno != EINTR) {
      throw Error(std::string("fanout: error: cannot read the jobserver: ") + std::strerror(errno));
    }
  }
}

void Jobserver::give(char token)
{
  // One byte into a pipe that holds far less than its size: it goes in at
  // once. A failure cannot be helped: the token is lost, as it is when a
  // make dies holding one.
  while (::write(m_write, &token, 1) < 0 && errno == EINTR) {
  }
}

void Jobserver::recover(std::size_t held)
{
  char drained[4096];
  ssize_t n = 0;
  do {
    n = ::read(m_read, drained, sizeof drained);
  } while (n > 0 || (n < 0 && errno == EINTR));
  write_tokens(m_write, m_tokens - held);
}

} // namespace fanout
