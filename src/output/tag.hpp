// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <string>
#include <string_view>

namespace fanout {

// The tag of a job's attempt in its output and messages: "unit" for the
// first, "unit#2" for the first retry, ...
std::string tag_of(std::string_view name, unsigned attempt);

// The widest tag `job` can get over its attempts.
std::size_t widest_tag(const JobSpec& job);

} // namespace fanout
