// SPDX-License-Identifier: MIT
#include "exec/worker_pool.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

using fanout::WorkerPool;

namespace {

// A latch the tests open by hand: tasks wait on it, so the test decides
// when they end, without sleeping.
class Gate {
public:
  void wait()
  {
    std::unique_lock lock(m_mutex);
    ++m_waiting;
    m_changed.notify_all();
    m_changed.wait(lock, [&] { return m_open; });
  }
  void wait_for_waiters(int count)
  {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_waiting >= count; });
  }
  void open()
  {
    const std::lock_guard lock(m_mutex);
    m_open = true;
    m_changed.notify_all();
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  int m_waiting = 0;
  bool m_open = false;
};

// How long a test waits for what must happen before it records a failure and
// goes on: only a broken pool makes it wait that long.
constexpr auto k_ceiling = std::chrono::seconds(30);

// A task that has returned leaves its thread busy a moment longer, until the
// thread has taken the pool's lock again.
void wait_until_idle(const WorkerPool& pool)
{
  while (pool.busy_count() != 0) {
    std::this_thread::yield();
  }
}

} // namespace

TEST(WorkerPool, RunsTasksAtOnceOnNewThreadsWhenNoneIsIdle)
{
  Gate gate; // outlives the pool: its threads use it until they are idle
  WorkerPool pool;
  for (int i = 0; i < 3; ++i) {
    pool.submit([&gate] { gate.wait(); });
  }

  gate.wait_for_waiters(3); // all three run at once: three threads
  EXPECT_EQ(pool.busy_count(), 3u);
  gate.open();
  // The pool detaches a thread still in its task; wait until none is, so
  // that no thread touches the gate after this test.
  wait_until_idle(pool);
}

TEST(WorkerPool, ReusesAnIdleThread)
{
  std::mutex mutex;
  std::set<std::thread::id> threads;
  {
    WorkerPool pool;
    for (int i = 0; i < 5; ++i) {
      Gate done;
      pool.submit([&] {
        {
          const std::lock_guard lock(mutex);
          threads.insert(std::this_thread::get_id());
        }
        done.open();
      });
      done.wait();
      // The task has run; wait until its thread is idle again.
      wait_until_idle(pool);
    }
  }
  EXPECT_EQ(threads.size(), 1u);
}

TEST(WorkerPool, DetachesAThreadStillInATaskAtDestruction)
{
  // What the task holds: it outlives the pool, and this test by the few
  // instructions after it says that it is done.
  struct TaskState {
    Gate release;
    std::promise<std::thread::id> done; // the thread the task ran on
  };
  auto state = std::make_shared<TaskState>();
  std::future<std::thread::id> done = state->done.get_future();
  auto pool = std::make_unique<WorkerPool>();
  pool->submit([state] {
    state->release.wait();
    state->done.set_value(std::this_thread::get_id());
  });
  state->release.wait_for_waiters(1);

  // Destroyed on a thread of its own: a destructor that waited for the task
  // would fail this test at the ceiling, rather than hang it.
  std::promise<void> destroyed;
  std::future<void> returned = destroyed.get_future();
  std::thread destroyer([&] {
    pool.reset();
    destroyed.set_value();
  });
  EXPECT_EQ(returned.wait_for(k_ceiling), std::future_status::ready)
    << "the destructor waited for the task";
  EXPECT_EQ(done.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
    << "the task ended before it was released";
  state->release.open();
  destroyer.join();

  // Released, the task goes on to its end on the thread the pool left it.
  ASSERT_EQ(done.wait_for(k_ceiling), std::future_status::ready);
  EXPECT_NE(done.get(), std::this_thread::get_id());
}

TEST(WorkerPool, IdleThreadsTakeABurstOfTasksAtOnceWithoutNewThreads)
{
  std::mutex mutex;
  std::set<std::thread::id> first;
  std::set<std::thread::id> second;
  auto burst = [&](WorkerPool& pool, std::set<std::thread::id>& threads) {
    Gate gate;
    for (int i = 0; i < 3; ++i) {
      pool.submit([&] {
        {
          const std::lock_guard lock(mutex);
          threads.insert(std::this_thread::get_id());
        }
        gate.wait();
      });
    }
    gate.wait_for_waiters(3); // never returns unless all three run at once
    gate.open();
    wait_until_idle(pool);
  };

  WorkerPool pool;
  burst(pool, first);  // three new threads
  burst(pool, second); // the same three, each woken for its task
  EXPECT_EQ(first.size(), 3u);
  EXPECT_EQ(second, first);
}
