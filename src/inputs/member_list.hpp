// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <functional>

namespace fanout {

// Calls `visit` with each member of `group` (a job with `group` set), in
// the order of its inputs, reading them as they come and waiting for them:
// what `--list` and `--dry-run` show. Throws `fanout::Error` when the
// inputs cannot be read.
void for_each_member(const JobSpec& group, const std::function<void(const JobSpec&)>& visit);

} // namespace fanout
