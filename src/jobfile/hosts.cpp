// SPDX-License-Identifier: MIT
#include "jobfile/hosts.hpp"

#include "error.hpp"

#include <algorithm>
#include <charconv>

namespace fanout {

std::optional<std::string> destination_problem(std::string_view destination)
{
  if (destination.empty()) {
    return "a host name is empty";
  }
  if (destination.front() == '-') {
    return "host \"" + std::string(destination) + "\" starts with '-'";
  }
  const bool has_blank = std::any_of(destination.begin(), destination.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == '\x7f';
  });
  if (has_blank) {
    return "host \"" + std::string(destination) + "\" holds a space or a control character";
  }
  return std::nullopt;
}

std::optional<std::string> slots_problem(long long slots)
{
  if (slots >= 1 && slots <= static_cast<long long>(k_max_host_slots)) {
    return std::nullopt;
  }
  return std::to_string(slots) + " jobs at once on a host is out of range: use 1 to " +
         std::to_string(k_max_host_slots) + " (sshd's MaxSessions is 10 by default)";
}

std::vector<HostSpec> parse_host_list(std::string_view list)
{
  std::vector<HostSpec> hosts;
  while (true) {
    const std::size_t comma = list.find(',');
    std::string_view entry = list.substr(0, comma);
    HostSpec host;
    if (const std::size_t slash = entry.find('/'); slash != std::string_view::npos) {
      const std::string_view number = entry.substr(0, slash);
      long long slots = 0;
      const auto [end, error] =
        std::from_chars(number.data(), number.data() + number.size(), slots);
      if (number.empty() || error != std::errc() || end != number.data() + number.size()) {
        throw Error("\"" + std::string(entry) + "\": write N/host, N the jobs at once on host");
      }
      if (const auto problem = slots_problem(slots)) {
        throw Error("\"" + std::string(entry) + "\": " + *problem);
      }
      host.slots = static_cast<std::size_t>(slots);
      entry.remove_prefix(slash + 1);
    }
    if (const auto problem = destination_problem(entry)) {
      throw Error(*problem);
    }
    host.destination = entry;
    const auto same = [&entry](const HostSpec& other) { return other.destination == entry; };
    if (std::any_of(hosts.begin(), hosts.end(), same)) {
      throw Error("host \"" + std::string(entry) + "\" is listed twice");
    }
    hosts.push_back(std::move(host));
    if (comma == std::string_view::npos) {
      return hosts;
    }
    list.remove_prefix(comma + 1);
  }
}

std::string ssh_destination(const std::string& destination)
{
  const std::size_t colon = destination.rfind(':');
  if (colon == std::string::npos || colon + 1 == destination.size()) {
    return destination;
  }
  const bool is_port = std::all_of(destination.begin() + static_cast<std::ptrdiff_t>(colon) + 1,
                                   destination.end(), [](char c) { return c >= '0' && c <= '9'; });
  // An IPv6 address has colons of its own: its port follows a ']'.
  const bool one_colon = destination.find(':') == colon;
  if (is_port && (one_colon || (colon > 0 && destination[colon - 1] == ']'))) {
    return "ssh://" + destination;
  }
  return destination;
}

} // namespace fanout
