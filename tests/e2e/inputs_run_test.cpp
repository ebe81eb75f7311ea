// SPDX-License-Identifier: MIT
// End-to-end tests of how a command's inputs run (fanout(1), INPUTS): read
// lazily, a job started for a line before the next one is written; the
// summary of a run of many inputs; and what each member sees of itself:
// FANOUT_JOB_NAME, FANOUT_SLOT, {%} and {#}.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fcntl.h>
#include <signal.h>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using e2e::lines_after;
using e2e::mask_times;
using e2e::Sandbox;

namespace {

void write_text(int fd, std::string_view text)
{
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
}

// fanout's arguments for a run over the values "1" .. "count".
std::vector<std::string> over_numbers(std::vector<std::string> args, int count)
{
  args.emplace_back(":::");
  for (int i = 1; i <= count; ++i) {
    args.push_back(std::to_string(i));
  }
  return args;
}

} // namespace

// The fifo is opened for reading first (without blocking), so that opening
// it for writing does not wait; the second line is written only once the
// first one's job has printed, so a fanout that read all of stdin before
// starting a job would never get there.
TEST(InputsLazy, AJobStartsForALineOfStdinBeforeTheNextIsWritten)
{
  Sandbox box;
  const std::string fifo = (box.dir() / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  const int writer = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  ASSERT_GE(writer, 0);
  ::fcntl(reader, F_SETFL, 0);

  auto fanout = box.start_with_stdin(reader, {"-j", "1", "--", "echo", "got"});
  ::close(reader);
  write_text(writer, "a\n");
  EXPECT_TRUE(fanout.wait_for_line("a | got a"));
  write_text(writer, "b\n");
  ::close(writer);
  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "a | got a\n"
                        "b | got b\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  echo:1:a  ok          0   T\n"
                                    "  echo:2:b  ok          0   T\n");
}

// The same through :::: FILE, the file a fifo, and as the first of two
// sources: the product's first rows run before its next line exists. The
// test holds the fifo open read-write, so fanout's own open does not wait.
TEST(InputsLazy, AFifoAsTheFirstSourceOfAProductIsReadAsItComes)
{
  Sandbox box;
  const std::string fifo = (box.dir() / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int writer = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(writer, 0);

  auto fanout = box.start({"-j", "1", "--", "echo", "{1}{2}", "::::", "fifo", ":::", "x", "y"});
  write_text(writer, "a\n");
  EXPECT_TRUE(fanout.wait_for_line("a y | ay"));
  write_text(writer, "b\n");
  ::close(writer);
  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "a x | ax\n"
                        "a y | ay\n"
                        "b x | bx\n"
                        "b y | by\n");
}

TEST(InputsMany, PastOneHundredJobsTheSummaryListsOnlyTheFailures)
{
  Sandbox box;

  auto result =
    box.run(over_numbers({"--", "sh", "-c", "test $1 -ne 7 && test $1 -ne 99", "sh"}, 150));

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(mask_times(result.err), "fanout: 150 jobs in T: 148 ok, 2 failed\n"
                                    "  sh:7:7    failed      1   T\n"
                                    "  sh:99:99  failed      1   T\n"
                                    "  and 148 more that succeeded\n");
}

TEST(InputsMany, OneHundredJobsAreAllListed)
{
  Sandbox box;

  auto result = box.run(over_numbers({"--", "true"}, 100));

  std::string summary = "fanout: 100 jobs in T: 100 ok\n";
  for (int i = 1; i <= 100; ++i) {
    std::string name = "true:" + std::to_string(i) + ":" + std::to_string(i);
    summary += "  " + name + std::string(12 - name.size(), ' ') + "  ok          0   T\n";
  }
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(mask_times(result.err), summary);
}

TEST(InputsMany, PastOneHundredJobsAllOkTheHeaderSaysAll)
{
  Sandbox box;

  auto result = box.run(over_numbers({"--", "true"}, 101));

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(mask_times(result.err), "fanout: 101 jobs in T: 101 ok\n");
}

TEST(InputsMany, QuietListsTheFailuresAndNoCountOfTheRest)
{
  Sandbox box;

  auto result =
    box.run(over_numbers({"-q", "--", "sh", "-c", "test $1 -ne 120 || exit 5", "sh"}, 130));

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 130 jobs in T: 129 ok, 1 failed\n"
                                    "  sh:120:120  failed      5   T\n");
}

// Both jobs wait for each other (a rendezvous), so they run at once, in
// different slots; each reports its slot twice, as FANOUT_SLOT and {%}.
TEST(InputsSelf, MembersSeeTheirNameSlotAndNumber)
{
  Sandbox box;

  auto result = box.run({"-j", "2", "--", TEST_CHILD_BIN, "rendezvous", "meet", "2", "env",
                         "FANOUT_JOB_NAME", "env", "FANOUT_SLOT", "eprint", "FANOUT_SLOT={%}",
                         "eprint", "seq={#} input={}", ":::", "a", "b c"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> a_out = lines_after(result.out, "a | ");
  std::vector<std::string> b_out = lines_after(result.out, "b c | ");
  ASSERT_EQ(a_out.size(), 2u) << result.out;
  ASSERT_EQ(b_out.size(), 2u) << result.out;
  EXPECT_EQ(a_out[0], "FANOUT_JOB_NAME=test_child:1:a");
  EXPECT_EQ(b_out[0], "FANOUT_JOB_NAME=test_child:2:b_c");
  std::vector<std::string> slots{a_out[1], b_out[1]};
  std::sort(slots.begin(), slots.end());
  EXPECT_EQ(slots, (std::vector<std::string>{"FANOUT_SLOT=1", "FANOUT_SLOT=2"}));
  EXPECT_EQ(lines_after(result.err, "a | "), (std::vector<std::string>{a_out[1], "seq=1 input=a"}));
  EXPECT_EQ(lines_after(result.err, "b c | "),
            (std::vector<std::string>{b_out[1], "seq=2 input=b c"}));
}

TEST(InputsSelf, OneSlotRunsEveryMemberInTurnNumberedInOrder)
{
  Sandbox box;
  box.write_file("in.txt", "x\ny\nz\n");

  auto result =
    box.run({"-q", "-j", "1", "--", "sh", "-c", "echo \"$FANOUT_JOB_NAME $FANOUT_SLOT {%} {#} $0\"",
             "{}", "::::", "in.txt"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "x | sh:1:x 1 1 1 x\n"
                        "y | sh:2:y 1 1 2 y\n"
                        "z | sh:3:z 1 1 3 z\n");
}

// fanout waits for the next line of its input when it is interrupted: the
// running member is cancelled, fanout stops waiting, and the inputs it never
// read are skipped.
TEST(InputsLazy, AnInterruptWhileWaitingForInputEndsTheRun)
{
  Sandbox box;
  const std::string fifo = (box.dir() / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int writer = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(writer, 0);

  auto fanout =
    box.start({"--", TEST_CHILD_BIN, "print", "1", "{}", "sleep", "60000", "::::", "fifo"});
  write_text(writer, "a\n");
  EXPECT_TRUE(fanout.wait_for_line("a | a 1"));
  fanout.send_signal(SIGINT);
  auto result = fanout.finish();
  ::close(writer);

  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(result.out, "a | a 1\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 cancelled, 1 skipped\n"
                                    "  test_child:1:a  cancelled -15   T  SIGTERM on interrupt\n"
                                    "  test_child:*    skipped     -       -  run interrupted\n");
}
