// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/hosts.hpp"
#include "jobfile/jobfile_values.hpp"

#include <vector>

namespace fanout {

// `[hosts]`: a table of ssh destination = jobs at once on it, in file
// order (`"user@build1" = 4`). Throws the located error of `values` for a
// value that is not a table, an empty table, a number of slots that is not
// a whole number from 1 to k_max_host_slots, or a destination that
// `destination_problem` refuses.
std::vector<HostSpec> read_hosts(const toml::node& node, const ValueReader& values);

} // namespace fanout
