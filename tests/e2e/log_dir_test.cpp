// SPDX-License-Identifier: MIT
// End-to-end tests of --log-dir (fanout(1), OPTIONS): each attempt's output,
// both streams as they came, in a file of its own named after the job; a
// folder created when missing; no name, input or planted symlink leading
// a write outside the folder; a file that cannot be written reported, the
// run going on.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using e2e::mask_times;
using e2e::RunningProgram;
using e2e::Sandbox;

namespace fs = std::filesystem;

namespace {

// The names in folder `dir`, sorted.
std::vector<std::string> files_in(const fs::path& dir)
{
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Everything under the sandbox but its folders `logs` and `.fanout`,
// symlinks not followed: each path with its contents, or where its
// symlink points.
std::map<std::string, std::string> tree_outside_logs(const Sandbox& box)
{
  std::map<std::string, std::string> tree;
  auto entries = fs::recursive_directory_iterator(box.dir());
  for (auto entry = fs::begin(entries); entry != fs::end(entries); ++entry) {
    const std::string path = fs::relative(entry->path(), box.dir()).string();
    if (path == "logs" || path == ".fanout") {
      // The logs, and the state every run records for --resume.
      entries.disable_recursion_pending();
    } else if (entry->is_symlink()) {
      tree[path] = "-> " + fs::read_symlink(entry->path()).string();
    } else if (entry->is_regular_file()) {
      tree[path] = box.read_file(path);
    } else {
      tree[path] = "folder";
    }
  }
  return tree;
}

} // namespace

// Both streams go to one file in the order the job wrote them: the job
// waits until fanout has printed each line before it writes the next, on
// the other stream. Bytes are kept as written: no newline is added.
TEST(LogDir, FileHoldsBothStreamsInTheOrderWritten)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '1', 'out', 'rendezvous', 'r1', '2', 'eprint', 'err',
        'rendezvous', 'r2', '2', 'partial', 'last']
)");

  RunningProgram fanout = box.start({"--log-dir", "logs", "--color", "never"});
  ASSERT_TRUE(fanout.wait_for_line("a | out 1"));
  box.write_file("r1/go", "");
  ASSERT_TRUE(fanout.wait_for_line("a | err", RunningProgram::Output::err));
  box.write_file("r2/go", "");
  const e2e::Result result = fanout.finish();

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(box.read_file("logs/a.log"), "out 1\nerr\nlast");
  EXPECT_EQ(files_in(box.dir() / "logs"), std::vector<std::string>{"a.log"});
  EXPECT_EQ(result.out, "a | out 1\na | last\n");
  EXPECT_EQ(mask_times(result.err), "a | err\n"
                                    "fanout: 1 job in T: 1 ok\n"
                                    "  a  ok          0   T  a.log\n"
                                    "  logs in logs\n");
}

TEST(LogDir, EachAttemptHasAFileOfItsOwn)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "flaky"
retries = 1
retry_delay = "10ms"
cmd = "echo attempt $FANOUT_ATTEMPT; [ $FANOUT_ATTEMPT -ge 2 ]"
)");

  auto result = box.run({"--log-dir", "logs"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(files_in(box.dir() / "logs"), (std::vector<std::string>{"flaky.2.log", "flaky.log"}));
  EXPECT_EQ(box.read_file("logs/flaky.log"), "attempt 1\n");
  EXPECT_EQ(box.read_file("logs/flaky.2.log"), "attempt 2\n");
  EXPECT_EQ(mask_times(result.err), "fanout: flaky failed 1, retrying in 10ms (attempt 2 of 2)\n"
                                    "fanout: 1 job in T: 1 ok\n"
                                    "  flaky  ok          0   T  flaky.2.log  after 2 attempts\n"
                                    "  logs in logs\n");
}

// A member's name holds ':', which artifact stores refuse: it is replaced,
// and the name gets the hash of the member's own.
TEST(LogDir, MembersOfAGroupHaveSafeDistinctNames)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "gz"
for_each = { values = ["a.csv", "b.csv"] }
argv = ['@CHILD@', 'print', '1', '{}']
)");

  auto result = box.run({"-j", "1", "--log-dir", "logs"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(files_in(box.dir() / "logs"),
            (std::vector<std::string>{"gz_1_a.csv-0707a20e.log", "gz_2_b.csv-8c3d6a7f.log"}));
  EXPECT_EQ(box.read_file("logs/gz_1_a.csv-0707a20e.log"), "a.csv 1\n");
  EXPECT_EQ(box.read_file("logs/gz_2_b.csv-8c3d6a7f.log"), "b.csv 1\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  gz:1:a.csv  ok          0   T  gz_1_a.csv-0707a20e.log\n"
                                    "  gz:2:b.csv  ok          0   T  gz_2_b.csv-8c3d6a7f.log\n"
                                    "  logs in logs\n");
}

// Names of dots, inputs that are paths, and what was planted in the folder
// under the very names fanout uses: a symlink to a file outside, a dangling
// symlink, a hard link to a file outside. Each is replaced by a file of
// fanout's; nothing outside the folder changes.
TEST(LogDir, NothingIsWrittenOutsideTheFolder)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = ".."
argv = ['@CHILD@', 'print', '1', 'dots']

[[job]]
name = "up"
for_each = { values = ["../../escaped", "/escaped-abs", "a/../../b", ".."] }
argv = ['@CHILD@', 'print', '1', '{}']

[[job]]
name = "victim"
argv = ['@CHILD@', 'print', '1', 'victim']

[[job]]
name = "dangling"
argv = ['@CHILD@', 'print', '1', 'dangling']

[[job]]
name = "linked"
argv = ['@CHILD@', 'print', '1', 'linked']
)");
  box.write_file("outside.txt", "precious\n");
  box.write_file("linked.txt", "also precious\n");
  box.write_file("logs/keep.txt", "not fanout's\n");
  fs::create_symlink("../outside.txt", box.dir() / "logs/victim.log");
  fs::create_symlink("../created-by-fanout", box.dir() / "logs/dangling.log");
  fs::create_hard_link(box.dir() / "linked.txt", box.dir() / "logs/linked.log");
  const auto before = tree_outside_logs(box);

  auto result = box.run({"-j", "1", "--log-dir", "logs"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(tree_outside_logs(box), before);
  EXPECT_FALSE(fs::exists("/escaped-abs.log"));
  EXPECT_EQ(files_in(box.dir() / "logs"),
            (std::vector<std::string>{
              "_.-b37a252a.log", "dangling.log", "keep.txt", "linked.log",
              "up_1_.._.._escaped-3dec399f.log", "up_2__escaped-abs-45f554ac.log",
              "up_3_a_.._.._b-29d80ade.log", "up_4_..-89ff4ad0.log", "victim.log"}));
  for (const std::string name : {"victim", "dangling", "linked"}) {
    const fs::path path = box.dir() / "logs" / (name + ".log");
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(path))) << name;
    EXPECT_EQ(box.read_file("logs/" + name + ".log"), name + " 1\n");
  }
  EXPECT_EQ(box.read_file("logs/_.-b37a252a.log"), "dots 1\n");
  EXPECT_EQ(box.read_file("logs/up_1_.._.._escaped-3dec399f.log"), "../../escaped 1\n");
  EXPECT_EQ(box.read_file("logs/up_2__escaped-abs-45f554ac.log"), "/escaped-abs 1\n");
}

TEST(LogDir, MissingFolderIsCreatedWithItsParents)
{
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"a\"\nargv = ['@CHILD@', 'print', '1', 'x']\n");

  auto result = box.run({"--log-dir", "out/deep/logs/"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(box.read_file("out/deep/logs/a.log"), "x 1\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 ok\n"
                                    "  a  ok          0   T  a.log\n"
                                    "  logs in out/deep/logs/\n");
}

TEST(LogDir, FolderThatCannotBeMadeRunsNothing)
{
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"a\"\nargv = ['@CHILD@', 'mark', 'ran', 'a']\n");
  box.write_file("plain.txt", "a file, not a folder\n");

  auto result = box.run({"--log-dir", "plain.txt/logs"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "fanout: error: cannot create the log folder plain.txt/logs: Not a directory\n");
  EXPECT_FALSE(box.exists("ran"));
}

// A folder planted under a log's name cannot be replaced by a file: that
// log is lost, the first such loss reported, the others counted, and the
// run goes on to its end, exiting 1.
TEST(LogDir, FileThatCannotBeWrittenIsReportedAndTheRunGoesOn)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '1', 'a']

[[job]]
name = "b"
argv = ['@CHILD@', 'print', '1', 'b']

[[job]]
name = "c"
argv = ['@CHILD@', 'print', '1', 'c']
)");
  box.write_file("logs/a.log/inside", "");
  box.write_file("logs/c.log/inside", "");

  auto result = box.run({"-j", "1", "--log-dir", "logs", "--color", "never"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "a | a 1\nb | b 1\nc | c 1\n");
  EXPECT_EQ(box.read_file("logs/b.log"), "b 1\n");
  EXPECT_EQ(mask_times(result.err),
            "fanout: error: cannot write the log file logs/a.log: Is a directory\n"
            "fanout: error: 1 more log file could not be written\n"
            "fanout: 3 jobs in T: 3 ok\n"
            "  a  ok          0   T  a.log\n"
            "  b  ok          0   T  b.log\n"
            "  c  ok          0   T  c.log\n"
            "  logs in logs\n");
}

TEST(LogDir, UnwritableFolderIsReportedAndTheRunGoesOn)
{
  if (::geteuid() == 0) {
    GTEST_SKIP() << "root writes to a folder without write permission";
  }
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"a\"\nargv = ['@CHILD@', 'print', '1', 'a']\n");
  fs::create_directory(box.dir() / "logs");
  fs::permissions(box.dir() / "logs", fs::perms::owner_read | fs::perms::owner_exec);

  auto result = box.run({"--log-dir", "logs", "--color", "never"});
  fs::permissions(box.dir() / "logs", fs::perms::owner_all);

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "a | a 1\n");
  EXPECT_EQ(mask_times(result.err),
            "fanout: error: cannot write the log file logs/a.log: Permission denied\n"
            "fanout: 1 job in T: 1 ok\n"
            "  a  ok          0   T  a.log\n"
            "  logs in logs\n");
  EXPECT_EQ(files_in(box.dir() / "logs"), std::vector<std::string>{});
}
