// SPDX-License-Identifier: MIT
#include "output/spool.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace fanout {
namespace {

// What a spool gives back: runs of bytes of one stream, runs of the same
// stream joined (the cut between pieces is the reader's buffer size).
using Runs = std::vector<std::pair<Stream, std::string>>;

void add(Runs& runs, Stream stream, std::string_view bytes)
{
  if (!runs.empty() && runs.back().first == stream) {
    runs.back().second.append(bytes);
  } else if (!bytes.empty()) {
    runs.emplace_back(stream, std::string(bytes));
  }
}

Runs read_all(Spool& spool, std::size_t buffer_size)
{
  std::vector<char> buffer(buffer_size);
  Runs runs;
  while (const auto piece = spool.read(buffer)) {
    EXPECT_LE(piece->bytes.size(), buffer_size);
    add(runs, piece->stream, piece->bytes);
  }
  return runs;
}

// Pseudo-random pieces of both streams, of every byte value, `total` bytes.
Runs random_pieces(std::size_t total, unsigned seed)
{
  std::mt19937 random(seed);
  Runs pieces;
  for (std::size_t written = 0; written < total;) {
    const Stream stream = random() % 3 == 0 ? Stream::err : Stream::out;
    std::string bytes(1 + random() % 5000, '\0');
    for (char& c : bytes) {
      c = static_cast<char>(random());
    }
    written += bytes.size();
    pieces.emplace_back(stream, std::move(bytes));
  }
  return pieces;
}

Runs joined(const Runs& pieces)
{
  Runs runs;
  for (const auto& [stream, bytes] : pieces) {
    add(runs, stream, bytes);
  }
  return runs;
}

TEST(Spool, GivesBackEachStreamsBytesInTheOrderTheyCame)
{
  SpoolBudget budget;
  Spool spool(budget);
  spool.append(Stream::out, "one\n");
  spool.append(Stream::err, "two\n");
  spool.append(Stream::out, "three\n");
  spool.append(Stream::out, "four\n");

  EXPECT_EQ(read_all(spool, 100),
            (Runs{{Stream::out, "one\n"}, {Stream::err, "two\n"}, {Stream::out, "three\nfour\n"}}));
  EXPECT_FALSE(spool.spilled());
}

TEST(Spool, BytesPastTheMemoryBoundGoToAFileAndComeBackExactly)
{
  SpoolBudget budget{4096, 1024 * 1024};
  Spool spool(budget);
  const Runs pieces = random_pieces(3 * 1024 * 1024, 1);
  for (const auto& [stream, bytes] : pieces) {
    spool.append(stream, bytes);
    EXPECT_LE(budget.used, 4096U);
  }

  EXPECT_TRUE(spool.spilled());
  EXPECT_TRUE(read_all(spool, 777) == joined(pieces));
  EXPECT_FALSE(spool.has_unread());
}

TEST(Spool, BytesAppendedWhileItIsReadComeAfterTheOthers)
{
  SpoolBudget budget{4096, 1024 * 1024};
  Spool spool(budget);
  const Runs pieces = random_pieces(512 * 1024, 2);
  std::vector<char> buffer(1000);
  Runs runs;
  for (const auto& [stream, bytes] : pieces) {
    spool.append(stream, bytes);
    const auto piece = spool.read(buffer);
    ASSERT_TRUE(piece);
    add(runs, piece->stream, piece->bytes);
  }
  for (const auto& [stream, bytes] : read_all(spool, 1000)) {
    add(runs, stream, bytes);
  }

  EXPECT_TRUE(runs == joined(pieces));
}

TEST(Spool, BytesOfTheStreamBeingReadComeAfterItsLastPiece)
{
  SpoolBudget budget;
  Spool spool(budget);
  std::vector<char> buffer(1);
  spool.append(Stream::out, "ab");
  const auto first = spool.read(buffer);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->bytes, "a");
  spool.append(Stream::out, "cd");

  EXPECT_EQ(read_all(spool, 1), (Runs{{Stream::out, "bcd"}}));
}

TEST(Spool, ReadToTheEndItStartsAgainEmpty)
{
  SpoolBudget budget{64, 1024};
  Spool spool(budget);
  spool.append(Stream::out, std::string(200, 'a'));
  EXPECT_EQ(read_all(spool, 50), (Runs{{Stream::out, std::string(200, 'a')}}));
  EXPECT_FALSE(spool.spilled());

  spool.append(Stream::err, "b");
  EXPECT_TRUE(spool.has_unread());
  EXPECT_EQ(read_all(spool, 50), (Runs{{Stream::err, "b"}}));
}

TEST(Spool, SpoolsShareTheirBudget)
{
  SpoolBudget budget{1024, 1024};
  {
    Spool first(budget);
    Spool second(budget);
    first.append(Stream::out, std::string(1000, 'a'));
    second.append(Stream::out, std::string(1000, 'b'));

    EXPECT_FALSE(first.spilled());
    EXPECT_TRUE(second.spilled());
    EXPECT_LE(budget.used, 1024U);
    EXPECT_EQ(read_all(second, 4096), (Runs{{Stream::out, std::string(1000, 'b')}}));
  }
  EXPECT_EQ(budget.used, 0U);
}

TEST(Spool, WithoutATemporaryFileItKeepsEverythingInMemory)
{
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("TMPDIR", "/nonexistent/fanout-spool-test", 1);
  SpoolBudget budget{1024, 1024};
  Spool spool(budget);
  const Runs pieces = random_pieces(64 * 1024, 3);
  for (const auto& [stream, bytes] : pieces) {
    spool.append(stream, bytes);
  }
  if (old != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }

  EXPECT_FALSE(spool.spilled());
  EXPECT_TRUE(read_all(spool, 4096) == joined(pieces));
}

} // namespace
} // namespace fanout
