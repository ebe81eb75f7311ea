// SPDX-License-Identifier: MIT
// What the tests of src/inputs share: a temp folder per test
// (temp_folder_test.hpp), and a wait for the `on_more` calls of a reader
// thread.
#pragma once

#include "inputs/input_stream.hpp"
#include "temp_folder_test.hpp"

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
