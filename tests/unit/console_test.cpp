// SPDX-License-Identifier: MIT
#include "output/console.hpp"
#include "raw_terminal.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <future>
#include <string>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>

namespace fanout {
namespace {

using fanout_test::Terminal;

struct Pipe {
  Pipe()
  {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe()
  {
    ::close(read_end);
    ::close(write_end);
  }
  // Reads until `size` bytes came.
  std::string read(std::size_t size) const
  {
    std::string text(size, '\0');
    std::size_t got = 0;
    while (got < size) {
      const ssize_t n = ::read(read_end, text.data() + got, size - got);
      if (n <= 0) {
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    text.resize(got);
    return text;
  }
  int read_end;
  int write_end;
};

std::string memfd_contents(int fd)
{
  std::string text(static_cast<std::size_t>(::lseek(fd, 0, SEEK_CUR)), '\0');
  ::pread(fd, text.data(), text.size(), 0);
  return text;
}

TEST(Console, GrowsThePipesItWritesTo)
{
  Pipe pipe;
  const Console console(pipe.write_end, pipe.write_end);
  EXPECT_EQ(::fcntl(pipe.write_end, F_GETPIPE_SZ), 1024 * 1024);
}

TEST(Console, KeepsTheOrderAcrossBothStreams)
{
  const int file = ::memfd_create("both", MFD_CLOEXEC);
  {
    Console console(file, file);
    console.write(Stream::out, "1 out\n");
    console.write(Stream::err, "2 err\n");
    console.write(Stream::out, "3 out\n");
  }
  EXPECT_EQ(memfd_contents(file), "1 out\n2 err\n3 out\n");
  ::close(file);
}

TEST(Console, WriteNeverWaitsForAStalledReader)
{
  Pipe pipe;
  Console console(pipe.write_end, pipe.write_end);
  // Far more than the pipe holds, with nobody reading: write returns.
  const std::string chunk(64 * 1024, 'x');
  for (int i = 0; i < 64; ++i) {
    console.write(Stream::out, chunk);
  }
  const std::string all = pipe.read(64 * chunk.size());
  EXPECT_EQ(all.size(), 64 * chunk.size());
  EXPECT_EQ(all.find_first_not_of('x'), std::string::npos);
}

TEST(Console, TellsItsBacklogHandlerWhenOverAndWhenDrained)
{
  Pipe pipe;
  Console console(pipe.write_end, pipe.write_end);
  std::vector<bool> calls;
  std::promise<void> drained;
  std::atomic<bool> over{false};
  console.on_backlog(
    [&](bool is_over) {
      if (is_over) {
        calls.push_back(true);
        over = true;
      } else {
        drained.set_value();
      }
    },
    2 * 1024 * 1024, 1024 * 1024);
  // The pipe holds 1 MiB: past it, the backlog grows until it is over 2 MiB.
  const std::string chunk(512 * 1024, 'y');
  std::size_t written = 0;
  for (int i = 0; i < 16 && !over; ++i) {
    console.write(Stream::out, chunk);
    written += chunk.size();
  }
  EXPECT_EQ(calls, std::vector<bool>{true});
  std::thread reader([&] { EXPECT_EQ(pipe.read(written).size(), written); });
  drained.get_future().wait();
  console.flush();
  reader.join();
}

TEST(Console, DropsAStreamOnceItsReaderIsGoneAndSaysNothing)
{
  Pipe pipe;
  const int file = ::memfd_create("err", MFD_CLOEXEC);
  ::close(pipe.read_end);
  pipe.read_end = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const auto previous = std::signal(SIGPIPE, SIG_IGN);
  {
    Console console(pipe.write_end, file);
    console.write(Stream::out, "lost\n");
    console.write(Stream::err, "kept\n");
    console.write(Stream::out, "also lost\n");
    console.flush();
    EXPECT_EQ(console.failure(), std::nullopt);
  }
  std::signal(SIGPIPE, previous);
  EXPECT_EQ(memfd_contents(file), "kept\n");
  ::close(file);
}

TEST(Console, ReportsAWriteThatFailedForAnotherReason)
{
  const int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(full, 0);
  Console console(full, full);
  console.write(Stream::out, "nowhere to go\n");
  console.flush();
  EXPECT_EQ(console.failure(), std::optional<std::string>("stdout: No space left on device"));
  ::close(full);
}

TEST(Console, KeepsTheStatusLineBelowTheLinesOfATerminal)
{
  Terminal terminal;
  {
    Console console(terminal.tty, terminal.tty);
    console.set_status("[1/3]");
    console.flush();
    console.write(Stream::out, "a line\n");
    console.flush();
    console.set_status("[2/3]");
    console.flush();
  }
  const std::string expected = "[1/3]"
                               "\r\x1b[K"
                               "a line\n"
                               "[1/3]"
                               "\r\x1b[K"
                               "[2/3]"
                               "\r\x1b[K";
  EXPECT_EQ(terminal.read(expected.size()), expected);
}

TEST(Console, ShowsNoStatusLineOutsideATerminal)
{
  const int file = ::memfd_create("plain", MFD_CLOEXEC);
  {
    Console console(file, file);
    console.set_status("[1/3]");
    console.write(Stream::err, "message\n");
  }
  EXPECT_EQ(memfd_contents(file), "message\n");
  ::close(file);
}

} // namespace
} // namespace fanout
