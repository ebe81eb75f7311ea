// SPDX-License-Identifier: MIT
// Reliability suite, output integrity: many jobs at once, each
// writing a pseudo-random mix to stdout and stderr (`test_child mixed SEED`:
// every byte value but '\n', empty lines, bursts, lines over 64 KiB, lines
// written in pieces, a partial last line). Every byte must come out exactly
// once, in order within each job's stream, on lines that each carry exactly
// one correct tag. The expected streams come from running test_child itself
// with the same seed, and are compared byte for byte.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

using e2e::Sandbox;

namespace {

constexpr int k_jobs = 200;
constexpr std::size_t k_piece = 64 * 1024;

std::string job_name(int index)
{
  return "m" + std::to_string(index);
}

// What fanout must print for one raw job stream: each line (a partial last
// line included, with a newline added), cut in 64 KiB pieces, each piece on
// its own line after `tag`.
std::string tagged(std::string_view raw, std::string_view tag)
{
  std::string expected;
  while (!raw.empty()) {
    auto end = raw.find('\n');
    std::string_view line = raw.substr(0, end);
    raw.remove_prefix(end == std::string_view::npos ? raw.size() : end + 1);
    do {
      std::string_view piece = line.substr(0, k_piece);
      line.remove_prefix(piece.size());
      expected += tag;
      expected += piece;
      expected += '\n';
    } while (!line.empty());
  }
  return expected;
}

// Splits fanout's `stream` into the lines of each job by their tag. A line
// whose start is not exactly one of the tags is a failure.
std::map<std::string, std::string>
by_job(std::string_view stream, const std::map<std::string, std::string>& tags, std::size_t width)
{
  std::map<std::string, std::string> lines;
  int untagged = 0;
  while (!stream.empty()) {
    auto end = stream.find('\n');
    if (end == std::string_view::npos) {
      ADD_FAILURE() << "fanout's output ends without a newline";
      break;
    }
    std::string_view line = stream.substr(0, end + 1);
    stream.remove_prefix(end + 1);
    std::string name(line.substr(0, line.find(' ')));
    auto tag = tags.find(name);
    if (tag == tags.end() || !line.starts_with(tag->second)) {
      if (++untagged <= 3) {
        ADD_FAILURE() << "a line without a correct tag: \"" << line.substr(0, width + 8) << "...\"";
      }
      continue;
    }
    lines[name] += line;
  }
  EXPECT_EQ(untagged, 0);
  return lines;
}

// Where two streams first differ, for a failure message.
std::string first_difference(std::string_view actual, std::string_view expected)
{
  std::size_t at = 0;
  while (at < actual.size() && at < expected.size() && actual[at] == expected[at]) {
    ++at;
  }
  return "sizes " + std::to_string(actual.size()) + " and " + std::to_string(expected.size()) +
         ", first difference at byte " + std::to_string(at);
}

} // namespace

TEST(ReliabilityOutput, EveryByteOf200MixedJobsArrivesOnceInOrderUnderOneCorrectTag)
{
  Sandbox box;
  std::string jobs;
  std::size_t width = job_name(k_jobs).size();
  std::map<std::string, std::string> tags;
  std::map<std::string, std::string> expected_out;
  std::map<std::string, std::string> expected_err;
  for (int i = 1; i <= k_jobs; ++i) {
    std::string name = job_name(i);
    jobs += "[[job]]\nname = \"" + name + "\"\nargv = ['@CHILD@', 'mixed', '" + std::to_string(i) +
            "']\n";
    std::string tag = name + std::string(width - name.size(), ' ') + " | ";
    auto raw = box.run_program(TEST_CHILD_BIN, {"mixed", std::to_string(i)});
    ASSERT_EQ(raw.exit_code, 0) << raw.err;
    ASSERT_FALSE(raw.out.ends_with('\n')); // the partial last line is there
    ASSERT_FALSE(raw.err.ends_with('\n'));
    expected_out[name] = tagged(raw.out, tag);
    expected_err[name] = tagged(raw.err, tag);
    tags[name] = std::move(tag);
  }
  box.write_jobs(jobs);

  // -q: every job is ok, so stderr holds nothing but the jobs' lines.
  auto result = box.run({"-q", "-j", "16"});

  EXPECT_EQ(result.exit_code, 0);
  auto out = by_job(result.out, tags, width);
  auto err = by_job(result.err, tags, width);
  int wrong = 0;
  for (const auto& [name, tag] : tags) {
    if (out[name] != expected_out[name]) {
      ++wrong;
      ADD_FAILURE() << name << " stdout: " << first_difference(out[name], expected_out[name]);
    }
    if (err[name] != expected_err[name]) {
      ++wrong;
      ADD_FAILURE() << name << " stderr: " << first_difference(err[name], expected_err[name]);
    }
  }
  EXPECT_EQ(wrong, 0);
}

// The generator really writes what this suite claims to cover, so that a
// change to it cannot quietly make the test above trivial.
TEST(ReliabilityOutput, MixedStreamsCoverEveryByteLongAndEmptyLines)
{
  Sandbox box;
  std::vector<bool> seen(256, false);
  bool long_line = false;
  bool exact_128k_line = false;
  bool empty_line = false;
  for (int i = 1; i <= k_jobs; ++i) {
    auto raw = box.run_program(TEST_CHILD_BIN, {"mixed", std::to_string(i)});
    for (const std::string* stream : {&raw.out, &raw.err}) {
      for (unsigned char byte : *stream) {
        seen[byte] = true;
      }
      for (const std::string& line : e2e::split_lines(*stream)) {
        long_line = long_line || line.size() > k_piece;
        exact_128k_line = exact_128k_line || line.size() == 2 * k_piece;
        empty_line = empty_line || line.empty();
      }
    }
  }
  int values = 0;
  for (bool s : seen) {
    values += s ? 1 : 0;
  }
  EXPECT_EQ(values, 256); // all 255 line bytes, and '\n'
  EXPECT_TRUE(long_line);
  EXPECT_TRUE(exact_128k_line);
  EXPECT_TRUE(empty_line);
}
