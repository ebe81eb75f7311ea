// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "inputs/line_reader.hpp"
#include "inputs_test_support.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <poll.h>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <tuple>
#include <unistd.h>
#include <vector>

using fanout::LineReader;
using fanout_test::MoreCalls;
using fanout_test::take_all;
using fanout_test::take_next;
using Next = fanout::InputStream::Next;

namespace {

// A pipe whose ends close with it.
struct Pipe {
  Pipe() { EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0); }
  ~Pipe()
  {
    close_write();
    if (fds[0] >= 0) {
      ::close(fds[0]);
    }
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  // The read end, for a LineReader to own.
  int take_read_end() { return std::exchange(fds[0], -1); }
  void write(const std::string& bytes) const
  {
    ASSERT_EQ(::write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  void close_write()
  {
    if (fds[1] >= 0) {
      ::close(std::exchange(fds[1], -1));
    }
  }

  int fds[2] = {-1, -1};
};

// The values of `bytes` written whole to a pipe, then closed.
std::vector<std::string> values_of(const std::string& bytes, char separator)
{
  Pipe pipe;
  pipe.write(bytes);
  pipe.close_write();
  MoreCalls more;
  LineReader reader(pipe.take_read_end(), "-", separator, more.callback());
  return take_all<std::string>(reader, more);
}

} // namespace

// As `parallel echo :::: file` does: an empty line is an empty value, a
// "\r" stays, and a last value without its newline counts.
TEST(LineReader, CutsAtNewlinesKeepingEmptyLinesAndCarriageReturns)
{
  EXPECT_EQ(values_of("a\n\nb\r\nc", '\n'), (std::vector<std::string>{"a", "", "b\r", "c"}));
  EXPECT_EQ(values_of("a\n\n", '\n'), (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(values_of("", '\n'), std::vector<std::string>{});
}

TEST(LineReader, CutsAtNulsWhenToldSoAndKeepsNewlines)
{
  EXPECT_EQ(values_of(std::string("a\nb\0\0c\0", 7), '\0'),
            (std::vector<std::string>{"a\nb", "", "c"}));
}

TEST(LineReader, PassesBytesThatAreNotUtf8Unchanged)
{
  EXPECT_EQ(values_of("\xff\xfe\n\xc3\x28 x\n", '\n'),
            (std::vector<std::string>{"\xff\xfe", "\xc3\x28 x"}));
}

// `(echo a; sleep 5; echo b) | fanout -- echo` shows `a` at once.
TEST(LineReader, AValueIsThereBeforeTheNextOneIsWritten)
{
  Pipe pipe;
  std::mutex mutex;
  std::condition_variable cv;
  bool took_a = false;
  std::thread writer([&] {
    pipe.write("a\n");
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return took_a; });
    pipe.write("b");
    pipe.close_write();
  });
  MoreCalls more;
  std::vector<std::string> values;
  {
    LineReader reader(pipe.take_read_end(), "-", '\n', more.callback());
    std::string value;
    EXPECT_TRUE(take_next(reader, more, value));
    values.push_back(value);
    {
      const std::lock_guard lock(mutex);
      took_a = true;
    }
    cv.notify_one();
    for (const std::string& rest : take_all<std::string>(reader, more)) {
      values.push_back(rest);
    }
  }
  writer.join();
  EXPECT_EQ(values, (std::vector<std::string>{"a", "b"}));
}

// A terminal that nobody types into must not keep fanout from ending.
TEST(LineReader, EndsWhileItsInputIsOpenAndSilentAndClosesIt)
{
  Pipe pipe;
  MoreCalls more;
  std::optional<LineReader> reader(std::in_place, pipe.take_read_end(), "-", '\n', more.callback());
  std::string value;
  EXPECT_EQ(reader->next(value), Next::later);
  reader.reset();
  EXPECT_EQ(more.count(), 0u);
  // With the read end closed, the write end reports an error.
  pollfd write_end{pipe.fds[1], POLLOUT, 0};
  ASSERT_EQ(::poll(&write_end, 1, 0), 1);
  EXPECT_NE(write_end.revents & POLLERR, 0);
}

// Beyond its read-ahead the reader's thread waits for values to be taken,
// and the destructor ends that wait too.
TEST(LineReader, EndsWhileItsReadAheadIsFull)
{
  Pipe pipe;
  // A hundred lines more than the read-ahead holds: the pipe takes those
  // the reader leaves, so the writer ends while the reader waits for room.
  std::thread writer([&] {
    std::string lines;
    for (std::size_t i = 0; i < fanout::ReadAhead::k_max_values + 100; ++i) {
      lines += "0123456789abcdef\n";
    }
    pipe.write(lines);
    pipe.close_write();
  });
  MoreCalls more;
  std::optional<LineReader> reader(std::in_place, pipe.take_read_end(), "-", '\n', more.callback());
  std::string value;
  EXPECT_TRUE(take_next(*reader, more, value));
  EXPECT_EQ(value, "0123456789abcdef");
  writer.join();
  reader.reset();
}

// Nothing is kept of the values taken: a million go through a pipe.
TEST(LineReader, StreamsAMillionValuesThroughAPipe)
{
  constexpr int k_count = 1'000'000;
  Pipe pipe;
  std::thread writer([&] {
    std::string chunk;
    for (int i = 1; i <= k_count; ++i) {
      chunk += std::to_string(i);
      chunk += '\n';
      if (chunk.size() > 60'000 || i == k_count) {
        pipe.write(chunk);
        chunk.clear();
      }
    }
    pipe.close_write();
  });
  MoreCalls more;
  LineReader reader(pipe.take_read_end(), "-", '\n', more.callback());
  int count = 0;
  int out_of_order = 0;
  std::string value;
  std::string last;
  while (take_next(reader, more, value)) {
    ++count;
    out_of_order += value != std::to_string(count);
    last = value;
  }
  writer.join();
  EXPECT_EQ(std::make_tuple(count, last, out_of_order, reader.error()),
            std::make_tuple(k_count, std::string("1000000"), 0, std::optional<std::string>()));
}

// Values so long that a few fill the read-ahead's bytes: the reader's thread
// waits for room again and again, and each wait ends once values are taken.
TEST(LineReader, StreamsValuesLongerThanHalfItsReadAhead)
{
  constexpr std::size_t k_count = 12;
  const std::size_t length = fanout::ReadAhead::k_max_bytes / 2 + 1000;
  Pipe pipe;
  std::thread writer([&] {
    for (std::size_t i = 0; i < k_count; ++i) {
      pipe.write(std::string(length, static_cast<char>('a' + i)) + "\n");
    }
    pipe.close_write();
  });
  MoreCalls more;
  LineReader reader(pipe.take_read_end(), "-", '\n', more.callback());
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < k_count; ++i) {
    expected.emplace_back(length, static_cast<char>('a' + i));
  }
  std::vector<std::string> values;
  std::string value;
  while (take_next(reader, more, value)) {
    values.push_back(value);
  }
  writer.join();
  EXPECT_TRUE(values == expected) << values.size() << " values";
}

class LineReaderTest : public fanout_test::TempFolderTest {};

TEST_F(LineReaderTest, AReadErrorEndsTheValuesAndSaysWhy)
{
  // A folder opens, and then fails to read.
  const int fd = ::open(m_dir.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  MoreCalls more;
  LineReader reader(fd, "list", '\n', more.callback());
  EXPECT_EQ(take_all<std::string>(reader, more), std::vector<std::string>{});
  EXPECT_EQ(reader.error(), "cannot read inputs from \"list\": Is a directory");
}

TEST_F(LineReaderTest, OpeningAMissingFileOrAFolderThrows)
{
  const std::string missing = (m_dir / "list.txt").string();
  try {
    fanout::open_lines(missing);
    ADD_FAILURE() << "no error";
  } catch (const fanout::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot read inputs from \"" + missing + "\": No such file or directory");
  }
  try {
    fanout::open_lines(m_dir.string());
    ADD_FAILURE() << "no error";
  } catch (const fanout::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot read inputs from \"" + m_dir.string() + "\": Is a directory");
  }
}

// Opening a fifo does not wait for its writer, and the values wait for it.
TEST_F(LineReaderTest, ReadsAFifoFromBeforeItsWriterComes)
{
  const std::string fifo = (m_dir / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  MoreCalls more;
  LineReader reader(fanout::open_lines(fifo), fifo, '\n', more.callback());
  std::string value;
  EXPECT_EQ(reader.next(value), Next::later);
  std::thread writer([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(::write(fd, "x\ny\n", 4), 4);
    ::close(fd);
  });
  const std::vector<std::string> values = take_all<std::string>(reader, more);
  writer.join();
  EXPECT_EQ(values, (std::vector<std::string>{"x", "y"}));
}

TEST_F(LineReaderTest, ReadsAWholeFileAtOnce)
{
  const std::string path = write("list.txt", "a\n\nb\r\nc");
  EXPECT_EQ(fanout::read_all_lines(path, '\n'), (std::vector<std::string>{"a", "", "b\r", "c"}));
}
