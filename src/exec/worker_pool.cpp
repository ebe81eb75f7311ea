// SPDX-License-Identifier: MIT
#include "exec/worker_pool.hpp"

#include "exec/signal_mask.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <thread>

namespace fanout {

struct WorkerPool::Shared {
  struct Worker {
    std::thread thread;
    bool in_task = false;
  };

  // A worker thread's life: take the oldest task, run it, until the pool
  // stops. A thread that has just ended a task looks at the queue before it
  // sleeps, so a task submitted meanwhile costs no wake-up.
  static void work(const std::shared_ptr<Shared>& shared, Worker& self)
  {
    std::unique_lock lock(shared->mutex);
    for (;;) {
      shared->spin(lock);
      shared->wake.wait(lock, [&] { return !shared->queue.empty() || shared->stopping; });
      if (shared->stopping) {
        return;
      }
      std::function<void()> task = std::move(shared->queue.front());
      shared->queue.pop_front();
      shared->queued.store(shared->queue.size(), std::memory_order_relaxed);
      self.in_task = true;
      ++shared->in_task;
      // More tasks wait and no thread watches for them: wake one for them.
      const bool more = !shared->queue.empty() && !shared->spinning;
      lock.unlock();
      if (more) {
        shared->wake.notify_one();
      }
      task();
      task = nullptr;
      lock.lock();
      self.in_task = false;
      --shared->in_task;
    }
  }

  // With nothing to do, one thread at a time watches the queue for a short
  // while before it sleeps: the next task of a busy run comes within
  // microseconds, and a sleeping thread costs two system calls and a switch
  // to wake. `lock` is held on entry and on return.
  void spin(std::unique_lock<std::mutex>& lock)
  {
    if (!queue.empty() || stopping || spinning) {
      return;
    }
    spinning = true;
    lock.unlock();
    const auto until = std::chrono::steady_clock::now() + k_spin_time;
    while (queued.load(std::memory_order_relaxed) == 0 &&
           std::chrono::steady_clock::now() < until) {
      std::this_thread::yield(); // to whatever else is ready to run, the jobs first
    }
    lock.lock();
    spinning = false;
  }

  static constexpr std::chrono::microseconds k_spin_time{50};

  std::mutex mutex;
  std::condition_variable wake; // a task was queued, or the pool stops
  std::deque<std::function<void()>> queue;
  std::list<Worker> workers;          // stable addresses: each thread holds its own
  std::size_t in_task = 0;            // workers running a task
  bool spinning = false;              // a thread watches `queued` rather than sleep
  std::atomic<std::size_t> queued{0}; // the queue's size, for the spinning thread
  bool stopping = false;
};

WorkerPool::WorkerPool() : m_shared(std::make_shared<Shared>())
{
}

WorkerPool::~WorkerPool()
{
  std::list<Shared::Worker> idle;
  {
    const std::lock_guard lock(m_shared->mutex);
    m_shared->stopping = true;
    // A task no thread took yet never starts.
    m_shared->queue.clear();
    for (auto it = m_shared->workers.begin(); it != m_shared->workers.end();) {
      const auto next = std::next(it);
      if (it->in_task) {
        it->thread.detach();
      } else {
        idle.splice(idle.end(), m_shared->workers, it);
      }
      it = next;
    }
  }
  m_shared->wake.notify_all();
  for (Shared::Worker& worker : idle) {
    worker.thread.join();
  }
}

void WorkerPool::submit(std::function<void()> task)
{
  std::unique_lock lock(m_shared->mutex);
  Shared& shared = *m_shared;
  shared.queue.push_back(std::move(task));
  shared.queued.store(shared.queue.size(), std::memory_order_relaxed);
  // Every thread not in a task takes a queued one soon: it sleeps until told,
  // or is on its way to the queue. With fewer of them than queued tasks, a
  // new thread takes this one.
  if (shared.queue.size() <= shared.workers.size() - shared.in_task) {
    // A spinning thread takes the task without being woken, and wakes
    // another if more wait by then.
    const bool wake = !shared.spinning;
    lock.unlock();
    if (wake) {
      shared.wake.notify_one(); // outside the lock: the woken thread needs it
    }
    return;
  }
  // The new thread's entry joins the list once the thread exists; it keeps
  // its address on the way (list nodes do not move).
  std::list<Shared::Worker> fresh;
  try {
    Shared::Worker& worker = fresh.emplace_back();
    // A thread starts with its creator's signal mask: block every signal
    // for it, so that SIGINT and the rest reach the event loop's thread
    // rather than a worker sitting in waitid (one that has run a function
    // job unblocks them for good: docs/decisions.md).
    const BlockedSignals blocked;
    worker.thread = std::thread([shared = m_shared, &worker] { Shared::work(shared, worker); });
  } catch (...) {
    shared.queue.pop_back();
    throw;
  }
  shared.workers.splice(shared.workers.end(), fresh);
}

std::size_t WorkerPool::busy_count() const
{
  const std::lock_guard lock(m_shared->mutex);
  return m_shared->in_task + m_shared->queue.size();
}

} // namespace fanout
