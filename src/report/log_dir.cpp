// SPDX-License-Identifier: MIT
#include "report/log_dir.hpp"

#include "error.hpp"
#include "report/log_names.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace fanout {

namespace {

// Output is gathered up to this size per attempt before a write(2): small
// pieces cost one system call per buffer, and -j buffers at most are held.
constexpr std::size_t k_buffer = 16 * 1024;

int open_folder(const std::string& dir)
{
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw Error("fanout: error: cannot create the log folder " + dir + ": " + error.message());
  }
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    throw Error("fanout: error: cannot open the log folder " + dir + ": " + std::strerror(errno));
  }
  return fd;
}

} // namespace

LogDir::LogDir(const std::string& dir, Console& console)
    : m_dir(dir), m_dir_fd(open_folder(dir)), m_console(console)
{
}

LogDir::~LogDir()
{
  for (auto& [id, log] : m_open) {
    flush(log);
    if (log.fd >= 0) {
      ::close(log.fd);
    }
  }
  ::close(m_dir_fd);
}

void LogDir::job_started(const JobEvent& e)
{
  OpenLog& log = m_open[e.id];
  log.name = log_file_name(e.job.name, e.attempt);
  // The name holds no '/' and is not "." or "..": it stays in the folder.
  // What is there under it is removed, never followed: a symlink planted
  // there goes, not what it points to. Then O_EXCL creates a new file, and
  // fails rather than follow a symlink that came back in between.
  if (::unlinkat(m_dir_fd, log.name.c_str(), 0) != 0 && errno != ENOENT) {
    fail(log, errno);
    return;
  }
  log.fd = ::openat(m_dir_fd, log.name.c_str(),
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (log.fd < 0) {
    fail(log, errno);
  }
}

void LogDir::job_output(const JobEvent& e, Stream, std::string_view bytes)
{
  const auto open = m_open.find(e.id);
  if (open == m_open.end() || open->second.fd < 0) {
    return;
  }
  OpenLog& log = open->second;
  if (log.buffer.size() + bytes.size() > k_buffer) {
    flush(log);
  }
  if (bytes.size() >= k_buffer) {
    write_out(log, bytes);
  } else if (log.fd >= 0) {
    log.buffer.append(bytes);
  }
}

void LogDir::attempt_ended(const JobEvent& e, const Outcome&, Seconds)
{
  const auto open = m_open.find(e.id);
  if (open == m_open.end()) {
    return;
  }
  OpenLog& log = open->second;
  flush(log);
  if (log.fd >= 0) {
    ::close(log.fd);
  }
  m_open.erase(open);
}

void LogDir::run_finished(const Report&)
{
  if (m_failures > 1) {
    const std::size_t more = m_failures - 1;
    m_console.write(Stream::err, "fanout: error: " + std::to_string(more) +
                                   (more == 1 ? " more log file" : " more log files") +
                                   " could not be written\n");
  }
}

void LogDir::flush(OpenLog& log)
{
  if (!log.buffer.empty()) {
    write_out(log, log.buffer);
    log.buffer.clear();
  }
}

void LogDir::write_out(OpenLog& log, std::string_view bytes)
{
  while (!bytes.empty() && log.fd >= 0) {
    const ssize_t written = ::write(log.fd, bytes.data(), bytes.size());
    if (written > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(written));
    } else if (written == 0 || errno != EINTR) {
      fail(log, written == 0 ? EIO : errno);
    }
  }
}

void LogDir::fail(OpenLog& log, int error)
{
  if (log.fd >= 0) {
    ::close(log.fd);
    log.fd = -1;
  }
  if (m_failures++ == 0) {
    const bool has_slash = !m_dir.empty() && m_dir.back() == '/';
    m_console.write(Stream::err, "fanout: error: cannot write the log file " + m_dir +
                                   (has_slash ? "" : "/") + log.name + ": " + std::strerror(error) +
                                   "\n");
  }
}

} // namespace fanout
