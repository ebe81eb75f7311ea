// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace fanout {

// The threads of `--pool thread`. A task goes to an idle thread at once, or
// to a new thread when none is idle, so the threads number the most tasks
// that ever ran at once: about the runner's `-j` (a thread that has posted
// its job's end may not be idle yet when the next job comes), and a task
// that never returns (an abandoned function job) keeps only its own thread. Worker
// threads start with every signal blocked: signals are the event loop's
// business.
class WorkerPool {
public:
  WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  // Joins the idle threads. A thread still in a task is detached: it is an
  // abandoned job's, and fanout exits without waiting for it. A task that no
  // thread has taken yet never runs. What the
  // threads share outlives the pool until the last of them has left.
  ~WorkerPool();

  void submit(std::function<void()> task);

  // Tasks not ended yet: those running, abandoned ones included, and those
  // about to run.
  std::size_t busy_count() const;

private:
  struct Shared;
  std::shared_ptr<Shared> m_shared;
};

} // namespace fanout
