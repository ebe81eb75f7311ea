// SPDX-License-Identifier: MIT
#include "jobfile/jobfile_hosts.hpp"

namespace fanout {

std::vector<HostSpec> read_hosts(const toml::node& node, const ValueReader& values)
{
  const toml::table& table =
    values.require<toml::table>(node, "hosts must be a table of host = jobs at once");
  if (table.empty()) {
    values.fail(node.source().begin, "no hosts: add one, as \"user@host\" = 4");
  }
  std::vector<HostSpec> hosts;
  for (const auto& [key, value] : entries_in_file_order(table)) {
    if (const auto problem = destination_problem(key->str())) {
      values.fail(key->source().begin, *problem);
    }
    const auto& slots = values.require<std::int64_t>(
      *value, concat("host \"", key->str(), "\" must be given a whole number of jobs at once"));
    if (const auto problem = slots_problem(slots.get())) {
      values.fail(value->source().begin, *problem);
    }
    hosts.push_back({std::string(key->str()), static_cast<std::size_t>(slots.get())});
  }
  return hosts;
}

} // namespace fanout
