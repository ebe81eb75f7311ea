// SPDX-License-Identifier: MIT
// Named pools: the `[pools]` table, and the `pool` key of a job or a group.
// `[pools]` is read before any job, wherever it is in the file, so that a
// job's pool is checked where it is written.
#pragma once

#include "jobfile/job.hpp"
#include "jobfile/jobfile_values.hpp"
#include "jobfile/toml.hpp"

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fanout {

// The pools of one job file. Problems are reported through `values`, with
// the subject it has.
class PoolReader {
public:
  explicit PoolReader(const ValueReader& values) : m_values(values) {}

  // Reads `[pools]`: each key a pool's name (a valid job name, not
  // "console"), each value its size, an integer of at least 1.
  void read_table(const toml::table& table);

  // The pool a job's `pool = "..."` names: one of `[pools]`, or the
  // built-in console pool. An unknown name is an error located at `node`.
  std::shared_ptr<const PoolSpec> find(const toml::node& node);

  // The pools `[pools]` defined, in file order.
  const std::vector<std::shared_ptr<const PoolSpec>>& pools() const { return m_pools; }

private:
  const ValueReader& m_values;
  std::vector<std::shared_ptr<const PoolSpec>> m_pools;
  std::unordered_map<std::string_view, std::shared_ptr<const PoolSpec>>
    m_by_name;                               // views of their names
  std::shared_ptr<const PoolSpec> m_console; // made when a job first names it
};

} // namespace fanout
