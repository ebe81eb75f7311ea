// SPDX-License-Identifier: MIT
#include "report/log_names.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace fanout {
namespace {

TEST(LogFileName, PlainNameIsKeptAndARetryGetsItsNumber)
{
  EXPECT_EQ(std::vector<std::string>({log_file_name("build", 1), log_file_name("build", 2),
                                      log_file_name("unit_tests-3.x", 11)}),
            (std::vector<std::string>{"build.log", "build.2.log", "unit_tests-3.x.11.log"}));
}

TEST(LogFileName, ChangedNameGetsTheHashOfTheOriginal)
{
  EXPECT_EQ(
    std::vector<std::string>({log_file_name("gz:1:a.csv", 1), log_file_name("gz:1:a.csv", 2),
                              log_file_name("café", 1), log_file_name("x\r\ny", 1),
                              log_file_name("a\"<>|*?b", 1)}),
    (std::vector<std::string>{"gz_1_a.csv-0707a20e.log", "gz_1_a.csv-0707a20e.2.log",
                              "caf__-874c8fb3.log", "x__y-edff3a4d.log", "a______b-0943890b.log"}));
}

TEST(LogFileName, NoNameLeavesTheFolderOrHidesItsFile)
{
  EXPECT_EQ(
    std::vector<std::string>({log_file_name("../../etc/passwd", 1), log_file_name("/etc/passwd", 1),
                              log_file_name("..", 1), log_file_name(".hidden", 1),
                              log_file_name("-rf", 1), log_file_name("", 1)}),
    (std::vector<std::string>{"_._.._etc_passwd-9031d1f1.log", "_etc_passwd-dbe6ae2d.log",
                              "_.-b37a252a.log", "_hidden-e5e365c5.log", "_rf-01859b7f.log",
                              "_-4fd0bfc1.log"}));
}

// A name that would read as another job's retry, or as a changed name with
// its hash, is hashed itself: "v1.2" is not job "v1"'s second attempt.
TEST(LogFileName, NameThatLooksLikeASuffixIsHashed)
{
  EXPECT_EQ(
    std::vector<std::string>({log_file_name("v1.2", 1), log_file_name("build-0123abcd", 1),
                              log_file_name("build-0123ABCD", 1), log_file_name("v1.2x", 1)}),
    (std::vector<std::string>{"v1.2-a3710000.log", "build-0123abcd-029f8c20.log",
                              "build-0123ABCD.log", "v1.2x.log"}));
}

TEST(LogFileName, LongNameIsCutWithinTheLimitForAnyAttempt)
{
  const std::string longest_plain(240, 'a');
  EXPECT_EQ(log_file_name(longest_plain, 4294967295u), longest_plain + ".4294967295.log");
  EXPECT_EQ(log_file_name(longest_plain + "a", 1), std::string(231, 'a') + "-c42d137b.log");
  const std::string name = log_file_name(std::string(300, 'a'), 4294967295u);
  EXPECT_EQ(name, std::string(231, 'a') + "-49d669ca.4294967295.log");
  EXPECT_EQ(name.size(), 255u);
}

TEST(LogFileName, OnlyPortableBytesAndNoTwoJobsOrAttemptsShareAName)
{
  const std::vector<std::string> names = {
    "build", "build.2", "v1", "v1.2", "gz:1:a.csv", "gz_1_a.csv", "a", "a-b37a252a",
    "..",    "_.",      ".",  "/",    "a/b",        "a_b",        "",  std::string("a\0b", 3)};
  std::set<std::string> files;
  for (const std::string& name : names) {
    for (unsigned attempt = 1; attempt <= 3; ++attempt) {
      const std::string file = log_file_name(name, attempt);
      EXPECT_TRUE(std::all_of(file.begin(), file.end(),
                              [](char c) {
                                return std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                       c == '_' || c == '-';
                              }))
        << file;
      EXPECT_TRUE(file.front() != '.' && file.front() != '-') << file;
      files.insert(file);
    }
  }
  EXPECT_EQ(files.size(), 3 * names.size());
}

} // namespace
} // namespace fanout
