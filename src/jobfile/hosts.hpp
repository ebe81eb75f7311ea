// SPDX-License-Identifier: MIT
// The hosts that jobs run on over SSH: `--hosts` and `[hosts]`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// Jobs at once on a host named without a number of slots.
constexpr std::size_t k_default_host_slots = 4;
// Jobs at once on one host, at most: each is a session of the one
// connection fanout keeps to the host, and sshd refuses sessions past its
// MaxSessions, 10 by default.
constexpr std::size_t k_max_host_slots = 8;

// A host and how many jobs run on it at once.
struct HostSpec {
  std::string destination; // as ssh takes it: host, user@host, host:port, an ssh_config Host
  std::size_t slots = k_default_host_slots;

  friend bool operator==(const HostSpec&, const HostSpec&) = default;
};

// What is wrong with `destination` as a host to run jobs on, if anything:
// empty, or holding a space, a control character or a leading '-' (which
// ssh would read as an option).
std::optional<std::string> destination_problem(std::string_view destination);

// What is wrong with `slots` jobs at once on a host, if anything: not 1 to
// k_max_host_slots.
std::optional<std::string> slots_problem(long long slots);

// `--hosts`: comma-separated `host` or `N/host`, as GNU parallel's
// --sshlogin. Throws fanout::Error, its message without a prefix, for an
// empty entry, a bad number of slots or destination, or a host listed
// twice.
std::vector<HostSpec> parse_host_list(std::string_view list);

// The destination in the form ssh takes on its command line: `host:port`
// and `user@host:port` become ssh:// URIs; any other form stays as it is.
std::string ssh_destination(const std::string& destination);

} // namespace fanout
