// SPDX-License-Identifier: MIT
// What the tests of the executor share: jobs and attempts to start, and a
// record of what the executor reports of a job.
#pragma once

#include "exec/executor.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fanout::test {

// A command job running `argv` in the current folder.
inline JobSpec command_job(std::string name, std::vector<std::string> argv)
{
  JobSpec job;
  job.name = std::move(name);
  job.argv = std::move(argv);
  job.cwd = std::filesystem::current_path().string();
  return job;
}

// The first attempt at `job` (numbered `id`), in slot 1.
inline Attempt attempt_of(JobId id, const JobSpec& job, Duration timeout = Duration::zero(),
                          Duration grace = std::chrono::milliseconds(50))
{
  return {id, &job, 1, 1, timeout, grace, std::nullopt};
}

// Everything the executor reported of one job, in order.
struct Record {
  std::string out;
  std::string err;
  std::vector<Stream> closed;
  std::optional<Outcome> outcome;
  // Called with each piece of output, after it was recorded.
  std::function<void(Stream)> on_output;

  Executor::Callbacks callbacks()
  {
    return {[this](Stream stream, std::string_view bytes) {
              (stream == Stream::out ? out : err).append(bytes);
              if (on_output) {
                on_output(stream);
              }
            },
            [this](Stream stream) { closed.push_back(stream); },
            [this](Outcome ending) {
              EXPECT_FALSE(outcome) << "on_exit called twice";
              outcome = std::move(ending);
            }};
  }
};

} // namespace fanout::test
