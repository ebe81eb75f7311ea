// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace fanout {

// The CI whose log fanout writes to, for its collapsible sections and error
// annotations (`--ci`).
enum class CiPlatform { none, github, gitlab };

// The CI of fanout's environment: GitHub Actions when GITHUB_ACTIONS is
// "true", else GitLab CI when GITLAB_CI is set, else none.
CiPlatform ci_platform_from_environment();

using WallClock = std::chrono::system_clock;

// The line that opens a collapsible section titled `title` (GitHub's
// `::group::`, GitLab's `section_start`, collapsed), for output that
// started at `start`; `name` names the section for GitLab (section_name()).
// Empty for no CI.
std::string fold_start(CiPlatform ci, std::string_view name, std::string_view title,
                       WallClock::time_point start);

// The line that closes the section `name`, whose output ended at `end`
// (GitLab shows the time from start to end). Empty for no CI.
std::string fold_end(CiPlatform ci, std::string_view name, WallClock::time_point end);

// A GitLab section name, of [A-Za-z0-9_.-] only, unique to block `block`
// of the fanout process `process`, showing the tag `tag` (other bytes of it
// become '_').
std::string section_name(std::uint64_t process, std::uint64_t block, std::string_view tag);

// The line that marks job `job` as failed for the CI, `what` saying how:
// GitHub's `::error` annotation ("fanout: JOB" its title), GitLab's log in
// red, bold, as its own errors are. Empty for no CI.
std::string failure_annotation(CiPlatform ci, std::string_view job, std::string_view what);

} // namespace fanout
