// SPDX-License-Identifier: MIT
#include "fanout/worker_pool.hpp"

#include "signal_mask.hpp"

#include <algorithm>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

namespace fanout {

struct WorkerPool::Shared {
  struct Worker {
    std::thread thread;
    std::condition_variable wake;
    std::function<void()> task; // set while busy
  };

  // A worker thread's life: wait for a task, run it, until the pool stops.
  static void work(const std::shared_ptr<Shared>& shared, Worker& self)
  {
    std::unique_lock lock(shared->mutex);
    for (;;) {
      self.wake.wait(lock, [&] { return self.task || shared->stopping; });
      if (!self.task) {
        return;
      }
      // The slot stays set while the task runs: that is what marks the
      // worker busy. A copy runs, so that the slot can be emptied after.
      std::function<void()> task = self.task;
      lock.unlock();
      task();
      task = nullptr;
      lock.lock();
      self.task = nullptr;
    }
  }

  std::mutex mutex;
  std::list<Worker> workers; // stable addresses: each thread holds its own
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
    for (auto it = m_shared->workers.begin(); it != m_shared->workers.end();) {
      const auto next = std::next(it);
      if (it->task) {
        it->thread.detach();
      } else {
        it->wake.notify_one();
        idle.splice(idle.end(), m_shared->workers, it);
      }
      it = next;
    }
  }
  // Outside the lock: a thread needs it to see `stopping` and leave.
  for (Shared::Worker& worker : idle) {
    worker.thread.join();
  }
}

void WorkerPool::submit(std::function<void()> task)
{
  const std::lock_guard lock(m_shared->mutex);
  auto& workers = m_shared->workers;
  const auto idle = std::find_if(workers.begin(), workers.end(),
                                 [](const Shared::Worker& worker) { return !worker.task; });
  if (idle != workers.end()) {
    idle->task = std::move(task);
    idle->wake.notify_one();
    return;
  }
  Shared::Worker& worker = workers.emplace_back();
  worker.task = std::move(task);
  try {
    // A thread starts with its creator's signal mask: block every signal
    // for it, so that SIGINT and the rest reach the event loop's thread,
    // never a worker sitting in waitpid.
    const ScopedSignalMask blocked(ScopedSignalMask::all);
    worker.thread = std::thread([shared = m_shared, &worker] { Shared::work(shared, worker); });
  } catch (...) {
    workers.pop_back();
    throw;
  }
}

std::size_t WorkerPool::busy_count() const
{
  const std::lock_guard lock(m_shared->mutex);
  const auto& workers = m_shared->workers;
  return static_cast<std::size_t>(
    std::count_if(workers.begin(), workers.end(),
                  [](const Shared::Worker& worker) { return bool(worker.task); }));
}

} // namespace fanout
