// SPDX-License-Identifier: MIT
#include "inputs/line_reader.hpp"

#include "error.hpp"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace fanout {
namespace {

constexpr std::size_t k_chunk = 64 * 1024;

std::string cannot_read(const std::string& path, int error)
{
  const std::string what = path == "-" ? std::string("stdin") : '"' + path + '"';
  return "cannot read inputs from " + what + ": " + std::strerror(error);
}

// Reads `fd` to its end, cutting values at `separator` and handing each to
// `put`, and the bytes after the last separator too, if there are any. It
// waits for bytes in poll, not in read, so that `wake_fd` (-1 for none)
// turning readable ends it at once, as does `put` saying no. Returns the
// errno of a failed read, or 0.
int read_values(int fd, char separator, int wake_fd, const std::function<bool(std::string&&)>& put)
{
  std::string chunk(k_chunk, '\0');
  std::string value;
  for (;;) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errno;
    }
    if (fds[1].revents != 0) {
      return 0;
    }
    const ssize_t count = ::read(fd, chunk.data(), chunk.size());
    if (count < 0) {
      // EAGAIN: a descriptor in non-blocking mode that poll woke for bytes
      // another reader of the same file took first.
      if (errno == EINTR || errno == EAGAIN) {
        continue;
      }
      return errno;
    }
    if (count == 0) {
      if (!value.empty()) {
        put(std::move(value));
      }
      return 0;
    }
    std::string_view bytes(chunk.data(), static_cast<std::size_t>(count));
    for (std::size_t cut = bytes.find(separator); cut != std::string_view::npos;
         cut = bytes.find(separator)) {
      value.append(bytes.substr(0, cut));
      if (!put(std::move(value))) {
        return 0;
      }
      value.clear();
      bytes.remove_prefix(cut + 1);
    }
    value.append(bytes);
  }
}

} // namespace

int open_lines(const std::string& path)
{
  int fd = 0;
  if (path != "-") {
    // Non-blocking, or opening a fifo would wait for a writer; reads wait
    // in poll anyway.
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
      throw Error(cannot_read(path, errno));
    }
  }
  struct stat status {};
  int error = ::fstat(fd, &status) != 0 ? errno : 0;
  if (error == 0 && S_ISDIR(status.st_mode)) {
    error = EISDIR;
  }
  if (error != 0) {
    if (fd != 0) {
      ::close(fd);
    }
    throw Error(cannot_read(path, error));
  }
  return fd;
}

InputFd::~InputFd()
{
  if (fd != 0) {
    ::close(fd);
  }
}

LineReader::LineReader(int fd, std::string path, char separator, std::function<void()> on_more)
    : m_fd(fd), m_path(std::move(path)), m_separator(separator), m_ahead(std::move(on_more))
{
  m_ahead.start([this]() -> std::optional<std::string> {
    const int error =
      read_values(m_fd.fd, m_separator, m_ahead.wake_fd(),
                  [this](std::string&& value) { return m_ahead.put(std::move(value)); });
    if (error != 0) {
      return cannot_read(m_path, error);
    }
    return std::nullopt;
  });
}

std::vector<std::string> read_all_lines(const std::string& path, char separator)
{
  const InputFd input(open_lines(path));
  std::vector<std::string> values;
  const int error = read_values(input.fd, separator, -1, [&values](std::string&& value) {
    values.push_back(std::move(value));
    return true;
  });
  if (error != 0) {
    throw Error(cannot_read(path, error));
  }
  return values;
}

} // namespace fanout
