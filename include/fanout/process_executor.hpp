// SPDX-License-Identifier: MIT
#pragma once

#include "fanout/executor.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fanout {

// Runs each job as a child process, watched by the single event loop `io`:
// its pipes, its pidfd and its timer are all Asio objects on `io`. A job's
// process ending ends the job: what is left of its process group is killed,
// and its pipes are read to their end (or for at most a short drain time, if
// a process outside the group still holds them).
class ProcessExecutor : public Executor {
public:
  // Takes fanout's environment (`environ`) as the base of every job's.
  explicit ProcessExecutor(boost::asio::io_context& io);
  ~ProcessExecutor() override;

  void start(JobId id, const JobSpec& job, std::size_t slot, Callbacks callbacks) override;
  void cancel_all(int signal) override;
  std::size_t running_count() const override { return m_running.size(); }

private:
  struct RunningJob;

  void read(RunningJob& job, Stream stream);
  void grow(RunningJob& job, std::size_t stream_index);
  void on_process_exit(JobId id, int raw_status);
  void on_timer(JobId id, int phase);
  void arm_timer(RunningJob& job, Duration after);
  void finish_if_done(RunningJob& job);
  void fail_to_start(std::string reason, int code, Callbacks callbacks);

  boost::asio::io_context& m_io;
  std::vector<std::string> m_base_env;
  std::unordered_map<JobId, std::unique_ptr<RunningJob>> m_running;
};

} // namespace fanout
