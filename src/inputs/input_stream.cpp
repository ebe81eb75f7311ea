// SPDX-License-Identifier: MIT
#include "inputs/input_stream.hpp"

#include "inputs/glob_walk.hpp"
#include "inputs/line_reader.hpp"
#include "inputs/read_ahead.hpp"
#include "inputs/value_source.hpp"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <utility>

namespace fanout {
namespace {

using Next = InputStream::Next;

// A `values` source: the job file's list, in order.
class ListSource final : public ValueSource {
public:
  explicit ListSource(std::vector<std::string> values) : m_values(std::move(values)) {}

  Next next(std::string& value) override
  {
    if (m_taken == m_values.size()) {
      return Next::end;
    }
    value = std::move(m_values[m_taken++]);
    return Next::input;
  }

private:
  std::vector<std::string> m_values;
  std::size_t m_taken = 0;
};

// A `range` source: first..last as decimal text, counting down when last
// is below first. It stops on `last`, so no step ever overflows.
class RangeSource final : public ValueSource {
public:
  RangeSource(long long first, long long last) : m_next(first), m_last(last) {}

  Next next(std::string& value) override
  {
    if (m_done) {
      return Next::end;
    }
    value = std::to_string(m_next);
    m_done = m_next == m_last;
    if (!m_done) {
      m_next += m_next < m_last ? 1 : -1;
    }
    return Next::input;
  }

private:
  long long m_next;
  long long m_last;
  bool m_done = false;
};

// A `glob` source walked on a thread of its own: reading folders may take
// long, on a network file system or a big tree with few matches, and the
// caller is an event loop.
class GlobSource final : public ValueSource {
public:
  GlobSource(const InputSourceSpec& spec, std::function<void()> on_more)
      : m_walk(spec.path, spec.folder), m_ahead(std::move(on_more))
  {
    m_ahead.start([this]() -> std::optional<std::string> {
      std::string path;
      // One step reads at most one folder: a stop waits for no more.
      while (!m_ahead.is_stopping()) {
        const GlobWalk::Step step = m_walk.step(path);
        if (step == GlobWalk::Step::done ||
            (step == GlobWalk::Step::found && !m_ahead.put(std::move(path)))) {
          break;
        }
      }
      return std::nullopt;
    });
  }

  Next next(std::string& value) override { return m_ahead.take(value); }

private:
  GlobWalk m_walk;
  ReadAhead m_ahead; // last: its thread ends before the walk goes
};

// A source whose values are known without reading anything.
std::unique_ptr<ValueSource> listed_source(const InputSourceSpec& spec)
{
  if (spec.kind == InputSourceSpec::Kind::range) {
    return std::make_unique<RangeSource>(spec.first, spec.last);
  }
  return std::make_unique<ListSource>(spec.values);
}

// The first source of a group, read as its values are asked for.
std::unique_ptr<ValueSource> open_lazily(const InputSourceSpec& spec, std::function<void()> on_more)
{
  switch (spec.kind) {
  case InputSourceSpec::Kind::lines:
    return std::make_unique<LineReader>(open_lines(spec.path), spec.path, spec.separator,
                                        std::move(on_more));
  case InputSourceSpec::Kind::glob:
    return std::make_unique<GlobSource>(spec, std::move(on_more));
  case InputSourceSpec::Kind::values:
  case InputSourceSpec::Kind::range:
    break;
  }
  return listed_source(spec);
}

// Every value of a later source, read here and now.
std::vector<std::string> read_whole(const InputSourceSpec& spec)
{
  std::vector<std::string> values;
  switch (spec.kind) {
  case InputSourceSpec::Kind::lines:
    return read_all_lines(spec.path, spec.separator);
  case InputSourceSpec::Kind::glob: {
    GlobWalk walk(spec.path, spec.folder);
    while (std::optional<std::string> path = walk.next()) {
      values.push_back(std::move(*path));
    }
    return values;
  }
  case InputSourceSpec::Kind::values:
  case InputSourceSpec::Kind::range:
    break;
  }
  const std::unique_ptr<ValueSource> source = listed_source(spec);
  std::string value;
  while (source->next(value) == Next::input) {
    values.push_back(std::move(value));
  }
  return values;
}

// The inputs: each value of the first source, read lazily, with every
// combination of the others' values, the last varying fastest.
class ProductStream final : public InputStream {
public:
  ProductStream(std::unique_ptr<ValueSource> first, std::vector<std::vector<std::string>> others)
      : m_first(std::move(first)), m_others(std::move(others)), m_positions(m_others.size(), 0)
  {
    // A source without values leaves no combination: the first one's
    // reading stops here.
    if (std::any_of(m_others.begin(), m_others.end(),
                    [](const std::vector<std::string>& values) { return values.empty(); })) {
      m_first.reset();
    }
  }

  Next next(std::vector<std::string>& values) override
  {
    if (!m_first) {
      return Next::end;
    }
    if (!m_has_value) {
      const Next next = m_first->next(m_value);
      if (next != Next::input) {
        return next;
      }
      m_has_value = true;
    }
    values.resize(1);
    for (std::size_t i = 0; i < m_others.size(); ++i) {
      values.push_back(m_others[i][m_positions[i]]);
    }
    // The next combination: like an odometer, the last source turning
    // fastest; once every one has turned over, the first source moves on.
    std::size_t i = m_others.size();
    while (i > 0 && ++m_positions[i - 1] == m_others[i - 1].size()) {
      m_positions[i - 1] = 0;
      --i;
    }
    m_has_value = i > 0;
    values[0] = m_has_value ? m_value : std::move(m_value);
    return Next::input;
  }

  std::optional<std::string> error() const override
  {
    return m_first ? m_first->error() : std::nullopt;
  }

private:
  std::unique_ptr<ValueSource> m_first;
  std::vector<std::vector<std::string>> m_others;
  std::vector<std::size_t> m_positions; // into each of m_others
  std::string m_value;                  // the first source's current value
  bool m_has_value = false;
};

} // namespace

std::unique_ptr<InputStream> open_inputs(const GroupSpec& group, std::function<void()> on_more)
{
  assert(!group.sources.empty());
  std::unique_ptr<ValueSource> first = open_lazily(group.sources.front(), std::move(on_more));
  std::vector<std::vector<std::string>> others;
  for (std::size_t i = 1; i < group.sources.size(); ++i) {
    others.push_back(read_whole(group.sources[i]));
  }
  return std::make_unique<ProductStream>(std::move(first), std::move(others));
}

} // namespace fanout
