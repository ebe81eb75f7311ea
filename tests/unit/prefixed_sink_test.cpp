// SPDX-License-Identifier: MIT
#include "memory_file.hpp"
#include "output/prefixed_sink.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace fanout {
namespace {

using test::MemoryFile;

class PrefixedSinkTest : public ::testing::Test {
protected:
  // Jobs 0 and 1 started, tagged "build" and "lint"; the tags are 5 wide.
  PrefixedSink make(Coloring coloring = {})
  {
    PrefixedSink sink(5, coloring, console);
    sink.start(0, "build");
    sink.start(1, "lint");
    return sink;
  }
  // What reached `file` once the console wrote everything.
  std::string written(const MemoryFile& file)
  {
    console.flush();
    return file.contents();
  }
  MemoryFile out;
  MemoryFile err;
  Console console{out.fd(), err.fd()};
};

TEST_F(PrefixedSinkTest, PrefixesAndPadsEveryLine)
{
  PrefixedSink sink = make();
  sink.write(0, Stream::out, "compiling\ndone\n");
  sink.write(1, Stream::out, "ok\n");
  EXPECT_EQ(written(out), "build | compiling\nbuild | done\nlint  | ok\n");
}

TEST_F(PrefixedSinkTest, StderrStaysStderr)
{
  PrefixedSink sink = make();
  sink.write(1, Stream::err, "warning\n");
  sink.write(1, Stream::out, "fine\n");
  EXPECT_EQ(written(err), "lint  | warning\n");
  EXPECT_EQ(written(out), "lint  | fine\n");
}

TEST_F(PrefixedSinkTest, PartialLinesOfTwoJobsNeverMix)
{
  PrefixedSink sink = make();
  sink.write(0, Stream::out, "hel");
  sink.write(1, Stream::out, "wor");
  sink.write(0, Stream::out, "lo\n");
  sink.write(1, Stream::out, "ld\n");
  EXPECT_EQ(written(out), "build | hello\nlint  | world\n");
}

TEST_F(PrefixedSinkTest, CloseAddsTheMissingNewline)
{
  PrefixedSink sink = make();
  sink.write(0, Stream::out, "no newline");
  sink.close(0, Stream::out);
  sink.close(0, Stream::err);
  EXPECT_EQ(written(out), "build | no newline\n");
  EXPECT_EQ(written(err), "");
}

TEST_F(PrefixedSinkTest, ColoursOnlyTheName)
{
  PrefixedSink sink = make({true, false});
  sink.write(1, Stream::out, "x\n");
  sink.write(1, Stream::err, "y\n");
  EXPECT_EQ(written(out), "\x1b[33mlint\x1b[0m  | x\n");
  EXPECT_EQ(written(err), "lint  | y\n");
}

TEST_F(PrefixedSinkTest, AJobStartedAgainAfterItsStreamsClosedHasItsNewTag)
{
  PrefixedSink sink = make();
  sink.write(0, Stream::out, "first try\n");
  sink.close(0, Stream::out);
  sink.close(0, Stream::err);
  sink.start(0, "bui#2");
  sink.write(0, Stream::out, "second try\n");
  EXPECT_EQ(written(out), "build | first try\nbui#2 | second try\n");
}

TEST(ColoringFor, ExplicitModes)
{
  const Console console(STDOUT_FILENO, STDERR_FILENO);
  const Coloring always = coloring_for(ColorMode::always, console);
  EXPECT_TRUE(always.out && always.err);
  const Coloring never = coloring_for(ColorMode::never, console);
  EXPECT_FALSE(never.out || never.err);
}

TEST(ColoringFor, AutoColoursOnlyTerminals)
{
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const int tty = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  const int file = ::memfd_create("file", MFD_CLOEXEC);
  const Console mixed_console(tty, file);
  const Console terminal(tty, tty);
  ::setenv("TERM", "xterm", 1);
  ::unsetenv("NO_COLOR");
  const Coloring mixed = coloring_for(ColorMode::automatic, mixed_console);
  EXPECT_TRUE(mixed.out);
  EXPECT_FALSE(mixed.err);
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(coloring_for(ColorMode::automatic, terminal).out);
  ::unsetenv("NO_COLOR");
  ::setenv("TERM", "dumb", 1);
  EXPECT_FALSE(coloring_for(ColorMode::automatic, terminal).out);
  ::close(file);
  ::close(tty);
  ::close(master);
}

} // namespace
} // namespace fanout
