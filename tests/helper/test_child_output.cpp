// SPDX-License-Identifier: MIT
// The output steps of test_child: print, bytes and mixed, the lines and
// bytes a test knows in advance.

#include "test_child.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unistd.h>

namespace test_child {
namespace {

// xorshift64: the same numbers for the same seed, on every machine.
class Random {
public:
  explicit Random(std::uint64_t seed) : m_state(seed ^ 0x9e3779b97f4a7c15u) {}

  std::uint64_t next()
  {
    m_state ^= m_state << 13;
    m_state ^= m_state >> 7;
    m_state ^= m_state << 17;
    return m_state;
  }

  std::size_t below(std::size_t bound) { return static_cast<std::size_t>(next() % bound); }

  // Any byte but '\n', which would end the line.
  char line_byte()
  {
    for (;;) {
      auto byte = static_cast<char>(next() >> 56);
      if (byte != '\n') {
        return byte;
      }
    }
  }

  std::string line_bytes(std::size_t count)
  {
    std::string text;
    text.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      text += line_byte();
    }
    return text;
  }

private:
  std::uint64_t m_state;
};

// Writes `data` to `fd` in 1 to 3 write(2)s cut at random places.
void write_in_pieces(Random& random, int fd, std::string_view data)
{
  std::size_t pieces = 1 + random.below(3);
  for (std::size_t i = 1; i < pieces && !data.empty(); ++i) {
    std::size_t cut = random.below(data.size() + 1);
    write_all(fd, data.substr(0, cut));
    data.remove_prefix(cut);
  }
  write_all(fd, data);
}

} // namespace

void print_lines(long long count, std::string_view text)
{
  std::string chunk;
  for (long long i = 1; i <= count; ++i) {
    chunk += text;
    chunk += ' ';
    chunk += std::to_string(i);
    chunk += '\n';
    if (chunk.size() >= 65536) {
      write_all(STDOUT_FILENO, chunk);
      chunk.clear();
    }
  }
  write_all(STDOUT_FILENO, chunk);
}

void write_mixed(std::uint64_t seed)
{
  constexpr int k_segments = 40;
  constexpr std::size_t k_piece = 65536;
  Random random(seed);
  for (int i = 0; i < k_segments; ++i) {
    int fd = random.below(2) == 0 ? STDOUT_FILENO : STDERR_FILENO;
    std::size_t kind = random.below(80);
    std::string text;
    if (kind == 0) {
      text = random.line_bytes(k_piece + 1 + random.below(2 * k_piece)) + "\n";
    } else if (kind == 1) {
      text = random.line_bytes(2 * k_piece) + "\n";
    } else if (kind < 16) {
      text = "\n";
    } else if (kind < 32) {
      for (std::size_t line = 20 + random.below(200); line > 0; --line) {
        text += random.line_bytes(random.below(80)) + "\n";
      }
    } else {
      text = random.line_bytes(random.below(300)) + "\n";
    }
    write_in_pieces(random, fd, text);
  }
  for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
    write_in_pieces(random, fd, random.line_bytes(1 + random.below(100)));
  }
}

void write_random_bytes(std::uint64_t seed, long long count)
{
  Random random(seed);
  std::string chunk;
  for (long long i = 0; i < count; ++i) {
    chunk += static_cast<char>(random.next() >> 56);
    if (chunk.size() == 65536) {
      write_all(STDOUT_FILENO, chunk);
      chunk.clear();
    }
  }
  write_all(STDOUT_FILENO, chunk);
}

} // namespace test_child
