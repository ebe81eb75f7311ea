// SPDX-License-Identifier: MIT
#pragma once

#include "exec/executor.hpp"
#include "run/jobserver.hpp"
#include "run/run_config.hpp"
#include "run/scheduler.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace fanout {

// Make's rule for the runner (fanout(1), ENVIRONMENT): the first job that
// runs (daemons aside) needs no token, every other one holds a token of the
// jobserver while it runs. The runner asks `next` instead of the scheduler,
// and calls `settle` once it has started what it could and after every end.
// Waiting for a token is an asynchronous wait on the event loop: timers,
// signals and output go on meanwhile.
class TokenGate {
public:
  // Without a `config.jobserver` that has tokens, `next` is the scheduler's.
  // `wake` is called on `io` when a token came for a job that waited for
  // one. `executor` tells when no process of fanout's runs, for
  // Jobserver::recover. All three must outlive the gate.
  TokenGate(boost::asio::io_context& io, const RunConfig& config, const Executor& executor,
            std::function<void()> wake);
  // Gives back every token still held: a run that ends on an exception.
  ~TokenGate();
  TokenGate(const TokenGate&) = delete;
  TokenGate& operator=(const TokenGate&) = delete;

  // The scheduler's next launch, if the jobs it runs have the tokens one
  // more needs: a token is taken first (given back by `settle` if nothing
  // starts). Without one, nothing starts, and the gate waits for a token.
  std::optional<Launch> next(Scheduler& scheduler);

  // Gives back the tokens the jobs `scheduler` runs no longer need; stops
  // waiting when none waits for one.
  void settle(const Scheduler& scheduler);

private:
  void wait();
  // The end of wait number `number`: a token, if it is there, and `wake`.
  void on_readable(const boost::system::error_code& ec, std::uint64_t number);

  Jobserver* m_jobserver;
  const Executor& m_executor;
  std::size_t m_max_parallel;
  std::function<void()> m_wake;
  std::optional<boost::asio::posix::stream_descriptor> m_readable; // its wait_fd, not owned
  std::string m_held;                                              // the tokens held, as read
  bool m_waiting = false;          // a wait is under way, number m_wait_number
  std::uint64_t m_wait_number = 0; // moves on when a wait is cancelled
};

} // namespace fanout
