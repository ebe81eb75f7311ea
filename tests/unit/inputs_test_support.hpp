// SPDX-License-Identifier: MIT
// What the tests of src/inputs share: a temp folder per test, and a wait
// for the `on_more` calls of a reader thread.
#pragma once

#include "inputs/input_stream.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

namespace fanout_test {

// A test with a temp folder of its own, removed after, kept and named when
// the test fails.
class TempFolderTest : public ::testing::Test {
protected:
  void SetUp() override
  {
    std::string pattern = (std::filesystem::temp_directory_path() / "inputs_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
  }

  void TearDown() override
  {
    if (HasFailure()) {
      std::cerr << "kept " << m_dir << '\n';
    } else {
      std::filesystem::remove_all(m_dir);
    }
  }

  // Writes `bytes` to the file `name` of the temp folder, making its
  // folders; returns its path.
  std::string write(const std::string& name, const std::string& bytes) const
  {
    const std::filesystem::path path = m_dir / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  std::filesystem::path m_dir;
};

// Counts the calls of an `on_more` callback, which come from another
// thread, and lets the test wait for the next one.
class MoreCalls {
public:
  std::function<void()> callback()
  {
    return [this] {
      const std::lock_guard lock(m_mutex);
      ++m_calls;
      m_called.notify_all();
    };
  }

  std::size_t count() const
  {
    const std::lock_guard lock(m_mutex);
    return m_calls;
  }

  // Waits until there were more than `seen` calls; false if none came
  // within a ceiling far above any wait the test means.
  bool wait_past(std::size_t seen)
  {
    std::unique_lock lock(m_mutex);
    return m_called.wait_for(lock, std::chrono::seconds(60), [&] { return m_calls > seen; });
  }

private:
  mutable std::mutex m_mutex;
  std::condition_variable m_called;
  std::size_t m_calls = 0;
};

// The next value of `source` (a ValueSource or an InputStream), waiting
// through `later` for the `on_more` that follows it. False at the end,
// and, with a failure, when `on_more` never comes.
template <typename Source, typename Value>
bool take_next(Source& source, MoreCalls& more, Value& value)
{
  for (;;) {
    const std::size_t seen = more.count();
    switch (source.next(value)) {
    case fanout::InputStream::Next::input:
      return true;
    case fanout::InputStream::Next::end:
      return false;
    case fanout::InputStream::Next::later:
      if (!more.wait_past(seen)) {
        ADD_FAILURE() << "next said later, and on_more was never called";
        return false;
      }
      break;
    }
  }
}

// Every value left in `source`, as take_next gives them.
template <typename Value, typename Source>
std::vector<Value> take_all(Source& source, MoreCalls& more)
{
  std::vector<Value> values;
  Value value;
  while (take_next(source, more, value)) {
    values.push_back(value);
  }
  return values;
}

} // namespace fanout_test
