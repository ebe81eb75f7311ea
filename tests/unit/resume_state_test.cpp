// SPDX-License-Identifier: MIT
// The state of earlier runs: its records, its bytes, its file and its lock.
#include "error.hpp"
#include "run/resume_state.hpp"
#include "run/state_file.hpp"
#include "temp_folder_test.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

namespace fanout {
namespace {

using fanout_test::TempFolderTest;

constexpr JobIdentity k_a{1, 10};
constexpr JobIdentity k_b{2, 20};
constexpr JobIdentity k_c{3, 30};

StateSection section(bool succeeded, std::vector<JobIdentity> ok, std::vector<JobIdentity> failed)
{
  return StateSection{succeeded, std::move(ok), std::move(failed)};
}

// Two sections: a job that succeeded, a group with a failed member.
ResumeState sample()
{
  ResumeState state;
  state.replace(name_key("lint"), section(true, {k_a}, {}));
  state.replace(name_key("gz"), section(false, {k_c, k_b}, {{4, 40}}));
  return state;
}

void expect_same(const StateSection* got, const StateSection& expected)
{
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->succeeded, expected.succeeded);
  EXPECT_EQ(got->ok, expected.ok);
  EXPECT_EQ(got->failed, expected.failed);
}

TEST(ResumeState, RoundTripsThroughItsBytes)
{
  ResumeState read;
  ASSERT_EQ(read.read(sample().bytes()), ResumeState::Reading::read);
  expect_same(read.section(name_key("lint")), section(true, {k_a}, {}));
  expect_same(read.section(name_key("gz")), section(false, {k_b, k_c}, {{4, 40}}));
  EXPECT_EQ(read.section(name_key("other")), nullptr);
  EXPECT_EQ(read.bytes(), sample().bytes());
}

TEST(ResumeState, NoBytesAreAnEmptyState)
{
  ResumeState state = sample();
  EXPECT_EQ(state.read(""), ResumeState::Reading::read);
  EXPECT_TRUE(state.empty());
}

TEST(ResumeState, FindsEveryChangedOrMissingByteDamaged)
{
  const std::string bytes = sample().bytes();
  for (std::size_t at = 16; at < bytes.size(); ++at) {
    std::string changed = bytes;
    changed[at] = static_cast<char>(changed[at] ^ 0x20);
    ResumeState state;
    EXPECT_EQ(state.read(changed), ResumeState::Reading::damaged) << "byte " << at;
    EXPECT_TRUE(state.empty());
    EXPECT_EQ(state.read(bytes.substr(0, at)), ResumeState::Reading::damaged) << "cut at " << at;
  }
  ResumeState state;
  EXPECT_EQ(state.read(bytes + "x"), ResumeState::Reading::damaged);
}

TEST(ResumeState, TellsAForeignFileAndAnotherVersion)
{
  ResumeState state;
  EXPECT_EQ(state.read("[[job]]\ncmd = \"true\"\n"), ResumeState::Reading::foreign);
  EXPECT_EQ(state.read("fanout"), ResumeState::Reading::foreign);
  std::string bytes = sample().bytes();
  bytes[12] = 2; // the version, after "fanout-state"
  EXPECT_EQ(state.read(bytes), ResumeState::Reading::unknown_version);
  EXPECT_EQ(state.read(bytes.substr(0, 13)), ResumeState::Reading::damaged);
}

TEST(ResumeState, AnUpdateReplacesTheMembersItRanAndKeepsTheOthers)
{
  ResumeState state = sample();
  // b ran again with another command and failed; d is new.
  state.update(name_key("gz"), section(true, {{5, 50}}, {{2, 21}}));
  expect_same(state.section(name_key("gz")), section(false, {k_c, {5, 50}}, {{2, 21}, {4, 40}}));
}

TEST(ResumeState, ASectionWithAFailureHasNotSucceeded)
{
  ResumeState state;
  state.replace(1, section(true, {k_a}, {k_b}));
  EXPECT_FALSE(state.section(1)->succeeded);
}

TEST(ResumeState, AnIdentityBothOkAndFailedIsAFailure)
{
  StateSection both = section(true, {k_a, k_b, k_a}, {k_a});
  both.tidy();
  EXPECT_EQ(both.ok, std::vector<JobIdentity>{k_b});
  EXPECT_EQ(both.failed, std::vector<JobIdentity>{k_a});
  EXPECT_TRUE(both.has_succeeded(k_b));
  EXPECT_FALSE(both.has_succeeded({2, 99}));
  EXPECT_TRUE(both.has_failed(1));
  EXPECT_FALSE(both.has_failed(2));
  EXPECT_TRUE(both.knows(2));
  EXPECT_FALSE(both.knows(3));
}

TEST(ResumeState, ForgetsTheJobsThatAreGone)
{
  ResumeState state = sample();
  const std::vector<std::uint64_t> owners{name_key("gz"), name_key("new")};
  state.keep_only(owners);
  EXPECT_EQ(state.section(name_key("lint")), nullptr);
  EXPECT_NE(state.section(name_key("gz")), nullptr);
}

TEST(ResumeState, AMillionMembersTakeSixteenBytesEach)
{
  StateSection members;
  for (std::uint64_t i = 0; i < 1'000'000; ++i) {
    members.ok.push_back({i * 7919, 1});
  }
  ResumeState state;
  state.replace(1, std::move(members));
  const std::size_t size = state.bytes().size();
  EXPECT_LT(size, 16'000'100u);
  ResumeState read;
  ASSERT_EQ(read.read(state.bytes()), ResumeState::Reading::read);
  EXPECT_TRUE(read.section(1)->has_succeeded({std::uint64_t{999'999} * 7919, 1}));
}

class StateFile : public TempFolderTest {};

TEST_F(StateFile, IsWrittenWholeAndReadBack)
{
  const std::string path = (m_dir / "state").string();
  EXPECT_EQ(read_state_file(path), std::nullopt);
  ASSERT_EQ(write_state_file(path, sample().bytes()), std::nullopt);
  EXPECT_EQ(read_state_file(path), sample().bytes());
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(m_dir), {}), 1);
}

TEST_F(StateFile, SaysWhyItCannotBeWritten)
{
  const std::string path = (m_dir / "missing" / "state").string();
  EXPECT_EQ(write_state_file(path, sample().bytes()), path + ": No such file or directory");
}

TEST_F(StateFile, AFolderCannotBeRead)
{
  EXPECT_THROW(read_state_file(m_dir.string()), Error);
}

TEST_F(StateFile, ALockIsHeldByOneRunAtATime)
{
  const std::string path = (m_dir / "state").string();
  std::optional<StateLock> first(std::in_place, path);
  EXPECT_TRUE(first->is_held());
  {
    const StateLock second(path);
    EXPECT_FALSE(second.is_held());
    EXPECT_EQ(second.holder(), ::getpid());
  }
  first.reset();
  const StateLock third(path);
  EXPECT_TRUE(third.is_held());
}

TEST_F(StateFile, ALockThatCannotBeCreatedThrows)
{
  EXPECT_THROW(StateLock((m_dir / "missing" / "state").string()), Error);
}

} // namespace
} // namespace fanout
