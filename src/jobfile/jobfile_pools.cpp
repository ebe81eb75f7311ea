// SPDX-License-Identifier: MIT
#include "jobfile/jobfile_pools.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace fanout {

void PoolReader::read_table(const toml::table& table)
{
  for (const auto& [key, node] : entries_in_file_order(table)) {
    const std::string_view name = key->str();
    if (name == PoolSpec::k_console_pool) {
      m_values.fail(key->source().begin,
                    "\"console\" is the built-in console pool, of size 1; use another name");
    }
    if (!is_valid_name(name)) {
      m_values.fail(key->source().begin, invalid_name_message(name));
    }
    const std::string must_be =
      concat("the size of ", quote_for_message(name), " must be a positive integer");
    const std::int64_t size = m_values.require<std::int64_t>(*node, must_be).get();
    if (size < 1) {
      m_values.fail(node->source().begin, concat(must_be, ", not ", m_values.as_written(*node)));
    }
    m_pools.push_back(std::make_shared<const PoolSpec>(
      PoolSpec{std::string(name), static_cast<std::size_t>(size)}));
    m_by_name.emplace(m_pools.back()->name, m_pools.back());
  }
}

std::shared_ptr<const PoolSpec> PoolReader::find(const toml::node& node)
{
  const std::string name = m_values.read_string(node, "pool", Empty::refused);
  if (name == PoolSpec::k_console_pool) {
    if (!m_console) {
      m_console = std::make_shared<const PoolSpec>(PoolSpec{name, 1});
    }
    return m_console;
  }
  if (const auto found = m_by_name.find(name); found != m_by_name.end()) {
    return found->second;
  }
  std::vector<std::string_view> names{PoolSpec::k_console_pool};
  for (const auto& pool : m_pools) {
    names.push_back(pool->name);
  }
  std::string what = concat("unknown pool ", quote_for_message(name));
  const std::string suggestion = did_you_mean(name, names);
  m_values.fail(node.source().begin,
                suggestion.empty() ? concat(what, ": define it in [pools]") : what + suggestion);
}

} // namespace fanout
