// SPDX-License-Identifier: MIT
// The job file's JSON Schema names the keys the parser knows, table by
// table: a key added to one and not the other fails here.
#include "jobfile/jobfile_keys.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

namespace fanout {
namespace {

namespace json = boost::json;

json::value read_schema()
{
  std::ifstream file(JOBFILE_SCHEMA);
  std::ostringstream text;
  text << file.rdbuf();
  return json::parse(text.str());
}

// The schema of the table `path` ("" the top level, "job.ready"): through
// each key's property, and an array's items (each [[job]]). The tables are
// written in place, not referred to.
const json::object& table_schema(const json::value& schema, std::string_view path)
{
  const json::object* table = &schema.as_object();
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    table = &table->at("properties").at(key).as_object();
    if (const json::value* items = table->if_contains("items")) {
      table = &items->as_object();
    }
  }
  return *table;
}

// How many schemas within `value` refuse the keys they do not name.
std::size_t closed_tables(const json::value& value)
{
  std::size_t count = 0;
  if (const json::object* object = value.if_object()) {
    for (const auto& [key, member] : *object) {
      count += key == "additionalProperties" && member == false ? 1 : closed_tables(member);
    }
  } else if (const json::array* array = value.if_array()) {
    for (const json::value& element : *array) {
      count += closed_tables(element);
    }
  }
  return count;
}

TEST(JobfileSchema, EachTableHasTheKeysTheParserKnows)
{
  const json::value schema = read_schema();
  for (const KnownKeys& table : k_known_keys) {
    const std::set<std::string> parser(table.keys.begin(), table.keys.end());
    std::set<std::string> named;
    const json::object& properties = table_schema(schema, table.table).at("properties").as_object();
    for (const auto& property : properties) {
      named.emplace(property.key());
    }
    EXPECT_EQ(named, parser) << "table \"" << table.table << "\"";
  }
}

TEST(JobfileSchema, RefusesUnknownKeysInTheTablesTheParserDoes)
{
  const json::value schema = read_schema();
  for (const KnownKeys& table : k_known_keys) {
    EXPECT_EQ(table_schema(schema, table.table).at("additionalProperties"), false)
      << "table \"" << table.table << "\"";
  }
  // And in no other: the parser knows the keys of every table it closes.
  EXPECT_EQ(closed_tables(schema), std::size(k_known_keys));
}

} // namespace
} // namespace fanout
