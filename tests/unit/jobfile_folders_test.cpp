// SPDX-License-Identifier: MIT
// Where parse_jobfile resolves a job's cwd and a call's library: against the
// job file's folder, or the current one for a file with no folder of its own.
#include "jobfile/jobfile.hpp"
#include "jobfile/jobfile_values.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace fanout {
namespace {

TEST(ParseJobfile, ResolvesCallLibraryAgainstJobFileFolder)
{
  const std::vector<std::pair<std::string, std::string>> libraries_and_paths = {
    {"build/../lib/./libseed.so", "conf/lib/libseed.so"},
    // Alone, "libseed.so" would send dlopen to the system's library folders.
    {"../libseed.so", "./libseed.so"},
    {"libseed.so", "conf/libseed.so"},
    {"a:b.so", "conf/a:b.so"},
  };
  std::vector<std::string> resolved;
  std::vector<std::string> expected;
  for (const auto& [library, path] : libraries_and_paths) {
    const JobFile file =
      parse_jobfile("[[job]]\ncall = \"" + library + ":worker\"\n", "conf/ci.toml");
    resolved.push_back(file.jobs.at(0).call->library);
    expected.push_back(path);
  }
  EXPECT_EQ(resolved, expected);
}

TEST(ParseJobfile, KeepsAbsoluteCallLibraryAsWritten)
{
  const JobFile file =
    parse_jobfile("[[job]]\ncall = \"/opt/../lib/libseed.so:worker\"\n", "conf/ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].call->library, "/opt/../lib/libseed.so");
}

TEST(ParseJobfile, KeepsPathAsGiven)
{
  EXPECT_EQ(parse_jobfile("[[job]]\ncmd = \"x\"\n", "../conf/ci.toml").path, "../conf/ci.toml");
}

TEST(ParseJobfile, ResolvesRelativeCwdAgainstJobFileFolder)
{
  const JobFile file =
    parse_jobfile("[[job]]\ncmd = \"x\"\ncwd = \"build/../out/./bin\"\n", "conf/ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cwd, "conf/out/bin");
}

TEST(ParseJobfile, CwdDefaultsToJobFileFolder)
{
  const std::vector<std::string> paths = {"ci.toml", "conf/ci.toml", "/etc/fanout/ci.toml",
                                          "/ci.toml", ""};
  std::vector<std::string> cwds;
  for (const std::string& path : paths) {
    cwds.push_back(parse_jobfile("[[job]]\ncmd = \"x\"\n", path).jobs.at(0).cwd);
  }
  EXPECT_EQ(cwds, (std::vector<std::string>{".", "conf", "/etc/fanout", "/", "."}));
}

TEST(ResolvePath, TidiesAgainstARelativeFolderAndKeepsASlashInALibrary)
{
  EXPECT_EQ(std::make_tuple(resolve_path("sub/.", "conf"), resolve_path("..", "conf"),
                            resolve_library("../libseed.so", "conf"),
                            resolve_library("lib/x.so", "")),
            // Alone, "libseed.so" would send dlopen to the system's library folders.
            std::make_tuple("conf/sub", ".", "./libseed.so", "lib/x.so"));
}

// A job file read from a pipe or /dev/stdin has no folder of its own.
TEST(ParseJobfile, CurrentFolderBaseLeavesTheJobFilesFolderOut)
{
  const JobFile file = parse_jobfile("[[job]]\ncmd = \"x\"\n"
                                     "[[job]]\ncall = \"lib/x.so:f\"\ncwd = \"sub\"\n",
                                     "/dev/fd/63", PathBase::current_folder);
  ASSERT_EQ(file.jobs.size(), 2u);
  EXPECT_EQ(
    std::make_tuple(file.jobs[0].cwd.str(), file.jobs[1].cwd.str(), file.jobs[1].call->library),
    std::make_tuple(".", "sub", "lib/x.so"));
}

TEST(ParseJobfile, RelativeDefaultsCwdIsAlsoResolvedAgainstJobFileFolder)
{
  const JobFile file =
    parse_jobfile("[defaults]\ncwd = \"..\"\n[[job]]\ncmd = \"x\"\n", "a/b/ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cwd, "a");
}

TEST(ParseJobfile, KeepsAbsoluteCwdAsWritten)
{
  const JobFile file =
    parse_jobfile("[[job]]\ncmd = \"x\"\ncwd = \"/srv/../data/\"\n", "conf/ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cwd, "/srv/../data/");
}

} // namespace
} // namespace fanout
