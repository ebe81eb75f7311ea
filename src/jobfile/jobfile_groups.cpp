// SPDX-License-Identifier: MIT
#include "jobfile/jobfile_groups.hpp"

#include "jobfile/jobfile_keys.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <unordered_map>
#include <utility>

namespace fanout {
namespace {

constexpr std::string_view k_group_keys[] = {"for_each", "matrix"};
// What ends the group's name in a name with placeholders: "thumb-{/.}".
constexpr std::string_view k_name_separators = "-_.:+@";
// `lines = "-"`: fanout's stdin, not a file.
constexpr std::string_view k_stdin = "-";

std::string needs_group_name(const std::string& name)
{
  return concat("name ", quote_for_message(name),
                ": a name with placeholders starts with the group's name, as in \"thumb-{/.}\"");
}

std::size_t code_points(std::string_view text)
{
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// How many bytes UTF-8 takes for code point `value`.
std::size_t utf8_length(std::uint32_t value)
{
  return value < 0x80 ? 1 : value < 0x800 ? 2 : value < 0x10000 ? 3 : 4;
}

// Where in the file `text` byte `offset` of string `value` is written, the
// string's opening quote being at `start`: TOML's escapes, line-ending
// backslashes and the line break after `"""` are followed back to the
// source. Nothing when the source does not spell `value` as expected.
std::optional<SourcePoint> point_in_string(std::string_view text, SourcePoint start,
                                           std::string_view value, std::size_t offset)
{
  const std::optional<std::size_t> begin = offset_of(text, start);
  if (!begin || *begin >= text.size() || (text[*begin] != '"' && text[*begin] != '\'')) {
    return std::nullopt;
  }
  const std::string_view raw = text.substr(*begin);
  const bool is_basic = raw[0] == '"';
  const bool is_multi_line = raw.starts_with(is_basic ? "\"\"\"" : "'''");
  std::size_t i = is_multi_line ? 3 : 1;
  if (is_multi_line) {
    i += raw.substr(i).starts_with("\r\n") ? 2 : raw.substr(i).starts_with('\n') ? 1 : 0;
  }
  for (std::size_t produced = 0; produced < offset;) {
    if (i >= raw.size()) {
      return std::nullopt;
    }
    const char c = raw[i];
    const char next = i + 1 < raw.size() ? raw[i + 1] : '\0';
    if (is_basic && c == '\\' && (next == 'u' || next == 'U')) {
      const std::size_t digits = next == 'u' ? 4 : 8;
      const std::string_view hex = raw.substr(i + 2, digits);
      std::uint32_t code_point = 0;
      const auto parsed = std::from_chars(hex.data(), hex.data() + hex.size(), code_point, 16);
      if (hex.size() != digits || parsed.ptr != hex.data() + hex.size()) {
        return std::nullopt;
      }
      produced += utf8_length(code_point);
      i += 2 + digits;
    } else if (is_basic && c == '\\' &&
               std::string_view("btnfr\"\\").find(next) != std::string_view::npos) {
      ++produced;
      i += 2;
    } else if (is_basic && c == '\\' && is_multi_line) {
      // A line-ending backslash: the blanks and line breaks after it go.
      constexpr std::string_view k_blanks = " \t\r\n";
      ++i;
      while (i < raw.size() && k_blanks.find(raw[i]) != std::string_view::npos) {
        ++i;
      }
    } else if (is_multi_line && raw.substr(i).starts_with("\r\n") && value[produced] == '\n') {
      ++produced;
      i += 2;
    } else if (c == value[produced] && (c != '\\' || !is_basic)) {
      ++produced;
      ++i;
    } else {
      return std::nullopt;
    }
    if (produced > offset) {
      return std::nullopt;
    }
  }
  const std::string_view before = raw.substr(0, i);
  const std::size_t newline = before.rfind('\n');
  if (newline == std::string_view::npos) {
    return SourcePoint{start.line, start.column + code_points(before)};
  }
  const auto lines = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  return SourcePoint{start.line + lines, 1 + code_points(before.substr(newline + 1))};
}

} // namespace

bool GroupReader::reads(std::string_view key)
{
  return std::find(std::begin(k_group_keys), std::end(k_group_keys), key) != std::end(k_group_keys);
}

bool GroupReader::is_group(const toml::table& table)
{
  return std::any_of(std::begin(k_group_keys), std::end(k_group_keys),
                     [&table](std::string_view key) { return table.contains(key); });
}

std::string GroupReader::group_name(const toml::node& node, const std::string& text) const
{
  std::string name = text.substr(0, text.find('{'));
  while (!name.empty() && k_name_separators.find(name.back()) != std::string_view::npos) {
    name.pop_back();
  }
  if (!is_valid_name(name)) {
    m_values.fail(node.source().begin, needs_group_name(text));
  }
  return name;
}

void GroupReader::inherit(const toml::table& defaults)
{
  m_inherited.clear();
  if (const toml::table* env = defaults.get_as<toml::table>("env")) {
    for (const auto& [key, value] : entries_in_file_order(*env)) {
      m_inherited.push_back({concat("env.", key_for_message(key->str())), value->as_string()->get(),
                             m_values.in_file(value->source().begin)});
    }
  }
  if (const toml::node* cwd = defaults.get("cwd")) {
    m_inherited.push_back({"cwd", cwd->as_string()->get(), m_values.in_file(cwd->source().begin)});
  }
}

void GroupReader::read(const toml::key& key, const toml::node& node)
{
  if (m_group) {
    m_values.fail(key.source().begin, "for_each and matrix are both set; keep one");
  }
  m_group.emplace();
  if (key.str() == k_group_keys[0]) {
    m_key = k_group_keys[0];
    m_group->origin = GroupSpec::Origin::for_each;
    m_group->sources.push_back(read_for_each(node));
    m_placeholders = PlaceholderSet{};
  } else {
    m_key = k_group_keys[1];
    m_group->origin = GroupSpec::Origin::matrix;
    read_matrix(node);
  }
}

std::shared_ptr<const GroupSpec> GroupReader::finish_job(const toml::table& table,
                                                         const std::string& cwd, JobSpec& job)
{
  if (!m_group) {
    return nullptr;
  }
  check_templates(table);
  GroupSpec group = std::move(*m_group);
  m_group.reset();
  m_key = {};
  if (const toml::node* node = table.get("name")) {
    const std::string& name = node->as_string()->get();
    const std::size_t brace = name.find('{');
    if (brace != std::string::npos) {
      // group_name() took the text before the first `{`: that must be
      // where the first placeholder is.
      const std::optional<std::size_t> first = first_placeholder(name);
      if (!first) {
        m_values.fail(node->source().begin, invalid_name_message(name));
      }
      if (*first != brace) {
        m_values.fail(node->source().begin, needs_group_name(name));
      }
      group.name_template = name;
    }
  }
  // A cwd made from inputs is a path once expanded: "{//}" must not be
  // tidied into "{/}" now. It is taken from the job file's folder, as any.
  const bool is_cwd_template = first_placeholder(cwd).has_value();
  if (is_cwd_template) {
    const bool is_absolute = std::filesystem::path(cwd).is_absolute();
    job.cwd = is_absolute || m_folder.empty() ? cwd : concat(m_folder, "/", cwd);
  }
  const std::string folder = is_cwd_template ? resolve_path(".", m_folder) : job.cwd.str();
  for (InputSourceSpec& source : group.sources) {
    if (source.kind == InputSourceSpec::Kind::glob) {
      source.folder = folder;
    }
  }
  return std::make_shared<const GroupSpec>(std::move(group));
}

InputSourceSpec GroupReader::read_for_each(const toml::node& node) const
{
  const auto& table = m_values.require<toml::table>(node, "for_each must be a table");
  std::optional<InputSourceSpec> source;
  std::string_view first_key;
  for (const auto& [key, value] : entries_in_file_order(table)) {
    const std::string_view name = key->str();
    if (std::find(std::begin(k_source_keys), std::end(k_source_keys), name) ==
        std::end(k_source_keys)) {
      m_values.fail(key->source().begin,
                    concat("for_each: ", unknown_key_message(name, k_source_keys)));
    }
    if (source) {
      m_values.fail(key->source().begin, concat("for_each.", first_key, " and for_each.", name,
                                                " are both set; keep one"));
    }
    first_key = name;
    source.emplace();
    const std::string field = concat("for_each.", name);
    if (name == "values") {
      source->kind = InputSourceSpec::Kind::values;
      source->values = read_values(*value, field);
    } else if (name == "range") {
      const auto& range =
        m_values.require<toml::array>(*value, concat(field, " must be an array of two integers"));
      if (range.size() != 2) {
        m_values.fail(value->source().begin,
                      concat(field, " holds ", std::to_string(range.size()),
                             range.size() == 1 ? " value" : " values", "; write [first, last]"));
      }
      const auto bound = [&](std::size_t i) {
        const std::string must_be = concat(field, "[", std::to_string(i), "] must be an integer");
        return m_values.require<std::int64_t>(*range.get(i), must_be).get();
      };
      source->kind = InputSourceSpec::Kind::range;
      source->first = bound(0);
      source->last = bound(1);
    } else {
      source->path = m_values.read_string(*value, field, Empty::refused);
      source->kind = name == "glob" ? InputSourceSpec::Kind::glob : InputSourceSpec::Kind::lines;
      if (name == "lines" && source->path != k_stdin) {
        source->path = resolve_path(source->path, m_folder);
      }
    }
  }
  if (!source) {
    m_values.fail(node.source().begin, "for_each sets none of glob, lines, values and range; "
                                       "set one");
  }
  return std::move(*source);
}

void GroupReader::read_matrix(const toml::node& node)
{
  const auto& table = m_values.require<toml::table>(node, "matrix must be a table");
  if (table.empty()) {
    m_values.fail(node.source().begin, "matrix is empty");
  }
  m_placeholders = PlaceholderSet{};
  for (const auto& [key, value] : entries_in_file_order(table)) {
    const std::string name(key->str());
    if (!is_c_identifier(name)) {
      m_values.fail(key->source().begin,
                    concat("matrix key ", quote_for_message(name),
                           " is not a placeholder name: use letters, digits and _, "
                           "not starting with a digit"));
    }
    const std::string field = concat("matrix.", name);
    InputSourceSpec source;
    source.key = name;
    source.values = read_values(*value, field);
    // Each value names jobs.
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t i = 0; i < source.values.size(); ++i) {
      const auto [first, is_new] = seen.emplace(source.values[i], i);
      if (!is_new) {
        m_values.fail(value->as_array()->get(i)->source().begin,
                      concat(field, "[", std::to_string(i), "] repeats ",
                             quote_for_message(source.values[i]), " (", field, "[",
                             std::to_string(first->second),
                             "]): values name jobs, so they must differ"));
      }
    }
    m_group->sources.push_back(std::move(source));
    m_placeholders.keys.push_back(name);
  }
  m_placeholders.count = m_placeholders.keys.size();
}

std::vector<std::string> GroupReader::read_values(const toml::node& node,
                                                  const std::string& field) const
{
  const auto& array =
    m_values.require<toml::array>(node, concat(field, " must be an array of strings or integers"));
  if (array.empty()) {
    m_values.fail(node.source().begin, concat(field, " is empty"));
  }
  std::vector<std::string> values;
  values.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    const toml::node& element = *array.get(i);
    const std::string name = concat(field, "[", std::to_string(i), "]");
    if (const toml::value<std::int64_t>* integer = element.as_integer()) {
      values.push_back(std::to_string(integer->get()));
    } else {
      m_values.require<std::string>(element, concat(name, " must be a string or an integer"));
      values.push_back(m_values.read_string(element, name, Empty::allowed));
    }
  }
  return values;
}

void GroupReader::check_templates(const toml::table& table) const
{
  const auto check_node = [this](const toml::node& node, std::string_view field) {
    check(node.as_string()->get(), m_values.in_file(node.source().begin), field);
  };
  for (const auto& [key, node] : entries_in_file_order(table)) {
    const std::string_view name = key->str();
    if (name == "name" || name == "cmd" || name == "cwd") {
      check_node(*node, name);
    } else if (name == "argv" || name == "args") {
      const toml::array& array = *node->as_array();
      for (std::size_t i = 0; i < array.size(); ++i) {
        check_node(*array.get(i), concat(name, "[", std::to_string(i), "]"));
      }
    } else if (name == "env") {
      for (const auto& [variable, value] : entries_in_file_order(*node->as_table())) {
        check_node(*value, concat("env.", key_for_message(variable->str())));
      }
    }
  }
  for (const Inherited& value : m_inherited) {
    if (value.field != "cwd" || !table.contains("cwd")) {
      check(value.text, value.where, concat(value.field, " (from [defaults])"));
    }
  }
}

void GroupReader::check(std::string_view text, SourcePoint where, std::string_view field) const
{
  const std::optional<TemplateProblem> problem =
    field == "cmd" ? find_shell_template_problem(text, m_placeholders)
                   : find_template_problem(text, m_placeholders);
  if (problem) {
    const std::optional<SourcePoint> brace = point_in_string(m_text, where, text, problem->offset);
    m_values.fail(brace.value_or(where), concat(field, ": ", problem->message));
  }
}

std::optional<std::size_t> GroupReader::first_placeholder(std::string_view text) const
{
  // Every placeholder expands to something that does not start with '{',
  // so the expansion first differs from the text where one is.
  InputValues input;
  input.values.assign(std::max(m_placeholders.count, m_placeholders.keys.size()), "?");
  input.slot = 1;
  const std::string expanded =
    Template(text, m_placeholders).expand(input, Template::Quoting::none);
  if (expanded == text) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(
    std::mismatch(text.begin(), text.end(), expanded.begin(), expanded.end()).first - text.begin());
}

} // namespace fanout
