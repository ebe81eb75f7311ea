// SPDX-License-Identifier: MIT
#include "output/spool.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <string>
#include <sys/uio.h>
#include <system_error>
#include <unistd.h>

namespace fanout {

namespace {

// A record's header: its stream ('o' or 'e'), then its length.
constexpr std::size_t k_header = 5;
constexpr std::uint64_t k_max_record = std::numeric_limits<std::uint32_t>::max();

char stream_byte(Stream stream)
{
  return stream == Stream::out ? 'o' : 'e';
}

std::uint32_t length_at(const char* header)
{
  std::uint32_t length = 0;
  std::memcpy(&length, header + 1, sizeof length);
  return length;
}

void set_length(char* header, std::uint64_t length)
{
  const auto narrow = static_cast<std::uint32_t>(length);
  std::memcpy(header + 1, &narrow, sizeof narrow);
}

int open_temporary_file()
{
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string dir = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    // A file system without O_TMPFILE: a named file, removed at once.
    std::string path = dir + "/fanout-spool-XXXXXX";
    fd = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd >= 0) {
      ::unlink(path.c_str());
    }
  }
  return fd;
}

// Writes all of `pieces` at `offset`; false when the file takes no more.
bool write_at(int fd, iovec* pieces, int count, std::uint64_t offset)
{
  while (count > 0) {
    const ssize_t n = ::pwritev(fd, pieces, count, static_cast<off_t>(offset));
    if (n <= 0) {
      if (n < 0 && errno == EINTR) {
        continue;
      }
      return false;
    }
    offset += static_cast<std::uint64_t>(n);
    auto done = static_cast<std::size_t>(n);
    while (count > 0 && done >= pieces->iov_len) {
      done -= pieces->iov_len;
      ++pieces;
      --count;
    }
    if (count > 0) {
      pieces->iov_base = static_cast<char*>(pieces->iov_base) + done;
      pieces->iov_len -= done;
    }
  }
  return true;
}

} // namespace

Spool::Spool(SpoolBudget& budget) : m_budget(budget)
{
}

Spool::~Spool()
{
  m_budget.used -= m_memory.capacity();
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

void Spool::append(Stream stream, std::string_view bytes)
{
  if (bytes.empty()) {
    return;
  }
  auto needed = [&] {
    const bool extends = m_open && m_memory[*m_open] == stream_byte(stream) &&
                         length_at(&m_memory[*m_open]) + bytes.size() <= k_max_record;
    return bytes.size() + (extends ? 0 : k_header);
  };
  if (!make_room(needed())) {
    spill();
    // Memory is empty now, or the only place left.
    if (!make_room(needed())) {
      write_direct(stream, bytes);
      return;
    }
  }
  if (needed() > bytes.size()) {
    m_open = m_memory.size();
    const char header[k_header] = {stream_byte(stream)};
    m_memory.insert(m_memory.end(), header, header + k_header);
  }
  char* header = &m_memory[*m_open];
  set_length(header, length_at(header) + bytes.size());
  m_memory.insert(m_memory.end(), bytes.begin(), bytes.end());
}

std::optional<Spool::Piece> Spool::read(std::span<char> buffer)
{
  if (m_record_left == 0) {
    if (m_read == m_file_size + m_memory.size()) {
      // All read: start again from the beginning, and give the file's
      // blocks back.
      if (m_file_size > 0 && ::ftruncate(m_fd, 0) != 0) {
        // They stay, to be written over.
      }
      m_file_size = 0;
      m_read = 0;
      m_memory.clear();
      m_open.reset();
      return std::nullopt;
    }
    char header[k_header];
    copy_out(m_read, header, k_header);
    if (m_read >= m_file_size && m_open == m_read - m_file_size) {
      m_open.reset(); // its length is taken: the next bytes start a record
    }
    m_record_stream = header[0] == stream_byte(Stream::out) ? Stream::out : Stream::err;
    m_record_left = length_at(header);
    m_read += k_header;
  }
  std::size_t n = std::min<std::uint64_t>(buffer.size(), m_record_left);
  std::string_view bytes;
  if (m_read < m_file_size) {
    n = std::min<std::uint64_t>(n, m_file_size - m_read);
    copy_out(m_read, buffer.data(), n);
    bytes = std::string_view(buffer.data(), n);
  } else {
    bytes = std::string_view(m_memory.data() + (m_read - m_file_size), n);
  }
  m_read += n;
  m_record_left -= n;
  return Piece{m_record_stream, bytes};
}

bool Spool::has_unread() const
{
  return m_record_left > 0 || m_read < m_file_size + m_memory.size();
}

bool Spool::make_room(std::size_t needed)
{
  const std::size_t capacity = m_memory.capacity();
  const std::size_t wanted = m_memory.size() + needed;
  if (wanted <= capacity) {
    return true;
  }
  // Doubled, within the spool's share and what the others leave of the
  // budget (this spool's capacity is already counted in it).
  std::size_t grown = std::max(wanted, 2 * capacity);
  if (!m_memory_only) {
    const std::size_t left = m_budget.total - std::min(m_budget.total, m_budget.used) + capacity;
    grown = std::min({grown, m_budget.per_spool, left});
    if (grown < wanted) {
      return false;
    }
  }
  m_memory.reserve(grown);
  m_budget.used += m_memory.capacity() - capacity;
  return true;
}

bool Spool::spill()
{
  if (m_memory_only) {
    return false;
  }
  if (m_fd < 0) {
    m_fd = open_temporary_file();
  }
  iovec piece{m_memory.data(), m_memory.size()};
  if (m_fd < 0 || (!m_memory.empty() && !write_at(m_fd, &piece, 1, m_file_size))) {
    m_memory_only = true;
    return false;
  }
  m_file_size += m_memory.size();
  m_memory.clear();
  m_open.reset();
  return true;
}

void Spool::write_direct(Stream stream, std::string_view bytes)
{
  while (!bytes.empty()) {
    const std::size_t n = std::min<std::uint64_t>(bytes.size(), k_max_record);
    char header[k_header] = {stream_byte(stream)};
    set_length(header, n);
    iovec pieces[2] = {{header, k_header}, {const_cast<char*>(bytes.data()), n}};
    if (!write_at(m_fd, pieces, 2, m_file_size)) {
      // What could not be written stays in memory, after what was.
      m_memory_only = true;
      append(stream, bytes);
      return;
    }
    m_file_size += k_header + n;
    bytes.remove_prefix(n);
  }
}

void Spool::copy_out(std::uint64_t offset, char* into, std::size_t size) const
{
  while (size > 0 && offset < m_file_size) {
    const std::size_t wanted = std::min<std::uint64_t>(size, m_file_size - offset);
    const ssize_t n = ::pread(m_fd, into, wanted, static_cast<off_t>(offset));
    if (n <= 0) {
      if (n < 0 && errno == EINTR) {
        continue;
      }
      throw std::system_error(n < 0 ? errno : EIO, std::generic_category(),
                              "cannot read back held output");
    }
    offset += static_cast<std::uint64_t>(n);
    into += n;
    size -= static_cast<std::size_t>(n);
  }
  if (size > 0) {
    std::memcpy(into, m_memory.data() + (offset - m_file_size), size);
  }
}

} // namespace fanout
