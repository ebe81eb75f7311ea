// SPDX-License-Identifier: MIT
#pragma once

#include "inputs/input_stream.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace fanout {

// Values made on a thread of its own, at most a bounded amount ahead of the
// one who takes them: once `k_max_values` values or `k_max_bytes` bytes wait
// to be taken, the thread waits in `put` until the taker has brought both
// down to half, so that it wakes once per half a read-ahead, not once per
// value taken. The taker never waits.
class ReadAhead {
public:
  static constexpr std::size_t k_max_values = 4096;
  static constexpr std::size_t k_max_bytes = std::size_t{1} << 20;

  // Makes the values: runs on the thread, hands each value to `put`, and
  // returns why the values ended early, or nothing at their natural end.
  using Producer = std::function<std::optional<std::string>()>;

  // `on_more` is called from the thread when a value is put, or the values
  // end, after `take` said `later`: once per `later`. Throws fanout::Error
  // when the wake-up descriptor cannot be made.
  explicit ReadAhead(std::function<void()> on_more);
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;
  // Stops and joins the thread (`stop`).
  ~ReadAhead();

  // Starts the thread, with every signal blocked, running `produce` once.
  // An exception `produce` throws ends the values with its message as error.
  void start(Producer produce);

  // Makes `put` return false from now on and wakes `wake_fd` and a waiting
  // `put`, then waits for the thread to end. `on_more` is not called once
  // `stop` returns. Idempotent.
  void stop();

  // The taker's side: the oldest value not taken, into `value`; `later`
  // while the thread may still put one; `end` after the last.
  InputStream::Next take(std::string& value);

  // Why the values ended early, once `take` said `end`.
  std::optional<std::string> error() const;

  // The thread's side: queues `value`, first waiting while the read-ahead
  // is full. False, with `value` dropped, once the taker stops the thread.
  bool put(std::string&& value);

  // A descriptor that turns readable when `stop` is called: a producer that
  // waits for a descriptor of its own polls it as well.
  int wake_fd() const { return m_wake_fd; }

  // Whether `stop` was called: a producer that never waits on a descriptor
  // asks between steps.
  bool is_stopping() const { return m_stopping.load(std::memory_order_relaxed); }

private:
  void finish(std::optional<std::string> error);
  // Whether both counts are at most half their bound; under m_mutex.
  bool is_half_empty() const;

  std::function<void()> m_on_more;
  int m_wake_fd = -1;
  std::atomic<bool> m_stopping{false};
  mutable std::mutex m_mutex;
  std::condition_variable m_room;   // the taker made room, or stop
  std::deque<std::string> m_values; // guarded by m_mutex, as what follows
  std::size_t m_bytes = 0;
  bool m_waiting = false; // `take` said `later`: `on_more` is owed
  bool m_full = false;    // `put` waits for the read-ahead to drain to half
  bool m_ended = false;
  std::optional<std::string> m_error;
  std::thread m_thread;
};

} // namespace fanout
