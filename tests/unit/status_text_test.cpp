// SPDX-License-Identifier: MIT
#include "output/status_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace fanout {
namespace {

using std::chrono::seconds;

std::string text(const StatusCounts& counts, const std::vector<std::string_view>& running,
                 Seconds elapsed, std::size_t width = 80)
{
  return status_text(counts, running, elapsed, width);
}

TEST(StatusText, CountsTheEndedJobsOfAllAndTheTime)
{
  EXPECT_EQ(text({0, 10, false, 0}, {}, seconds(0)), "[0/10] 0:00");
  EXPECT_EQ(text({3, 10, false, 0}, {}, Seconds(5.9)), "[3/10] 0:05");
  EXPECT_EQ(text({3, 10, false, 2}, {}, seconds(65)), "[3/10] 2 failed, 1:05");
  EXPECT_EQ(text({3, 10, false, 0}, {}, seconds(3725)), "[3/10] 1:02:05");
}

TEST(StatusText, AGroupStillReadingItsInputsMakesTheTotalALowerBound)
{
  EXPECT_EQ(text({0, 0, true, 0}, {}, seconds(1)), "[0/0+] 0:01");
  EXPECT_EQ(text({3, 4, true, 0}, {"files 3.txt"}, seconds(2)),
            "[3/4+] 0:02, 1 running: files 3.txt");
}

TEST(StatusText, NamesTheRunningJobsOldestFirst)
{
  EXPECT_EQ(text({12, 40, false, 1}, {"build", "test#2", "lint"}, seconds(42)),
            "[12/40] 1 failed, 0:42, ETA 1:38, 3 running: build, test#2, lint");
}

TEST(StatusText, AnEtaOnceFiveJobsAndTwiceTheRunningOnesEnded)
{
  // Time left at the rate so far: 10 s for 5 jobs, 95 left.
  EXPECT_EQ(text({4, 100, false, 0}, {"a"}, seconds(10)), "[4/100] 0:10, 1 running: a");
  EXPECT_EQ(text({5, 100, false, 0}, {"a"}, seconds(10)), "[5/100] 0:10, ETA 3:10, 1 running: a");
  EXPECT_EQ(text({5, 100, false, 0}, {"a", "b", "c"}, seconds(10)),
            "[5/100] 0:10, 3 running: a, b, c");
  // 7/6 of 10 s, rounded up.
  EXPECT_EQ(text({6, 13, false, 0}, {"a", "b", "c"}, seconds(10)),
            "[6/13] 0:10, ETA 0:12, 3 running: a, b, c");
}

TEST(StatusText, NoEtaWithoutAKnownTotalOrOnceAllEnded)
{
  EXPECT_EQ(text({50, 60, true, 0}, {}, seconds(10)), "[50/60+] 0:10");
  EXPECT_EQ(text({60, 60, false, 0}, {}, seconds(10)), "[60/60] 0:10");
}

TEST(StatusText, ALongLineIsCutToTheWidth)
{
  const std::vector<std::string_view> running{"build", "test-unit", "lint"};
  const std::string whole = "[1/9] 0:03, 3 running: build, test-unit, lint";
  EXPECT_EQ(text({1, 9, false, 0}, running, seconds(3), whole.size()), whole);
  EXPECT_EQ(text({1, 9, false, 0}, running, seconds(3), whole.size() - 1),
            "[1/9] 0:03, 3 running: build, test-unit, ...");
  EXPECT_EQ(text({1, 9, false, 0}, running, seconds(3), 20), "[1/9] 0:03, 3 run...");
  EXPECT_EQ(text({1, 9, false, 0}, running, seconds(3), 2), "..");
  EXPECT_EQ(text({1, 9, false, 0}, running, seconds(3), 0), "");
}

TEST(StatusText, ACutNeverSplitsACharacter)
{
  // "\xc3\xa9" is one character, bytes 26 and 27 of the line: a cut after
  // byte 26 would leave half of it.
  const std::vector<std::string_view> running{"caf\xc3\xa9-au-lait"};
  EXPECT_EQ(text({0, 1, false, 0}, running, seconds(0), 30), "[0/1] 0:00, 1 running: caf...");
  EXPECT_EQ(text({0, 1, false, 0}, running, seconds(0), 31),
            "[0/1] 0:00, 1 running: caf\xc3\xa9...");
}

TEST(StatusText, BytesATerminalWouldActOnAreShownEscaped)
{
  EXPECT_EQ(text({0, 1, false, 0}, {"a\x1b[2Jb\tc\xff"}, seconds(0)),
            "[0/1] 0:00, 1 running: a\\x1b[2Jb\\tc\\xff");
  // A group member's tag holds its input escaped already: shown as it is.
  EXPECT_EQ(text({0, 1, false, 0}, {"files a\\tb \\\\"}, seconds(0)),
            "[0/1] 0:00, 1 running: files a\\tb \\\\");
}

} // namespace
} // namespace fanout
