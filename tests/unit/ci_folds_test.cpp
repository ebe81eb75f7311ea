// SPDX-License-Identifier: MIT
#include "output/ci_folds.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace fanout {
namespace {

const WallClock::time_point k_start{std::chrono::seconds(1700000000)};
const WallClock::time_point k_end{std::chrono::seconds(1700000042)};

// Sets (or with nullopt unsets) an environment variable for one test.
class ScopedEnv {
public:
  ScopedEnv(const char* name, std::optional<const char*> value) : m_name(name)
  {
    if (const char* old = std::getenv(name)) {
      m_old = old;
    }
    if (value) {
      ::setenv(name, *value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv()
  {
    if (m_old) {
      ::setenv(m_name, m_old->c_str(), 1);
    } else {
      ::unsetenv(m_name);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  const char* m_name;
  std::optional<std::string> m_old;
};

TEST(CiFolds, GithubActionsIsTrueOnlyWhenSaidSo)
{
  const ScopedEnv gitlab("GITLAB_CI", std::nullopt);
  {
    const ScopedEnv github("GITHUB_ACTIONS", "true");
    EXPECT_EQ(ci_platform_from_environment(), CiPlatform::github);
  }
  {
    const ScopedEnv github("GITHUB_ACTIONS", "false");
    EXPECT_EQ(ci_platform_from_environment(), CiPlatform::none);
  }
  const ScopedEnv github("GITHUB_ACTIONS", std::nullopt);
  EXPECT_EQ(ci_platform_from_environment(), CiPlatform::none);
}

TEST(CiFolds, GitlabCiIsAnyValue)
{
  const ScopedEnv github("GITHUB_ACTIONS", std::nullopt);
  const ScopedEnv gitlab("GITLAB_CI", "true");
  EXPECT_EQ(ci_platform_from_environment(), CiPlatform::gitlab);
}

TEST(CiFolds, GithubGroupsEscapeTheirTitle)
{
  EXPECT_EQ(fold_start(CiPlatform::github, "unused", "build ok in 1.00s", k_start),
            "::group::build ok in 1.00s\n");
  EXPECT_EQ(fold_start(CiPlatform::github, "unused", "50% done\r\nx: a,b", k_start),
            "::group::50%25 done%0D%0Ax: a,b\n");
  EXPECT_EQ(fold_end(CiPlatform::github, "unused", k_end), "::endgroup::\n");
}

TEST(CiFolds, GitlabSectionsCarryTheirTimesAndName)
{
  EXPECT_EQ(fold_start(CiPlatform::gitlab, "fanout_7_1_build", "build ok\nin 42.00s", k_start),
            "section_start:1700000000:fanout_7_1_build[collapsed=true]\r\x1b[0Kbuild ok in "
            "42.00s\n");
  EXPECT_EQ(fold_end(CiPlatform::gitlab, "fanout_7_1_build", k_end),
            "section_end:1700000042:fanout_7_1_build\r\x1b[0K\n");
}

TEST(CiFolds, NoCiNoFolds)
{
  EXPECT_EQ(fold_start(CiPlatform::none, "n", "t", k_start), "");
  EXPECT_EQ(fold_end(CiPlatform::none, "n", k_end), "");
  EXPECT_EQ(failure_annotation(CiPlatform::none, "unit", "failed 1 in 0.10s"), "");
}

TEST(CiFolds, SectionNamesKeepOnlySafeBytes)
{
  EXPECT_EQ(section_name(1234, 5, "unit-tests_v1.2"), "fanout_1234_5_unit-tests_v1.2");
  EXPECT_EQ(section_name(1, 2, "a b:c/d\xc3\xa9#2"), "fanout_1_2_a_b_c_d___2");
  EXPECT_EQ(section_name(1, 2, std::string(100, 'x')), "fanout_1_2_" + std::string(64, 'x'));
}

TEST(CiFolds, GithubAnnotationsEscapeTitleAndMessage)
{
  EXPECT_EQ(failure_annotation(CiPlatform::github, "unit", "failed 1 in 0.10s"),
            "::error title=fanout%3A unit::unit failed 1 in 0.10s\n");
  EXPECT_EQ(failure_annotation(CiPlatform::github, "a,b:50%\n", "timeout -15"),
            "::error title=fanout%3A a%2Cb%3A50%25%0A::a,b:50%25%0A timeout -15\n");
}

TEST(CiFolds, GitlabFailuresAreRedLines)
{
  EXPECT_EQ(failure_annotation(CiPlatform::gitlab, "unit", "failed 1 in 0.10s"),
            "\x1b[31;1mfanout: unit failed 1 in 0.10s\x1b[0m\n");
}

} // namespace
} // namespace fanout
