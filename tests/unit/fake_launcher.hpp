// SPDX-License-Identifier: MIT
// A launcher whose jobs are nothing but their watches, for tests of the
// JobWatch and the PoolExecutor that need no process.
#pragma once

#include "exec/job_watch.hpp"
#include "exec/launcher.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <array>
#include <csignal>
#include <deque>
#include <fcntl.h>
#include <map>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fanout::test {

// Starts nothing: each job runs until the test ends it (end()), or until it
// gets `ending_signal`, which ends it as a process that signal killed would
// end, from the event loop. Records the jobs it started and the signals.
class FakeLauncher : public Launcher {
public:
  explicit FakeLauncher(boost::asio::io_context& io) : m_io(io) {}
  ~FakeLauncher() override
  {
    for (const auto& [id, fds] : m_write_ends) {
      ::close(fds[0]);
      ::close(fds[1]);
    }
  }

  std::optional<SpawnFailure> start(const Attempt& attempt, JobWatch& watch) override
  {
    started.push_back(attempt.id);
    if (!failures.empty()) {
      SpawnFailure failure = failures.front();
      failures.pop_front();
      return failure;
    }
    m_watches.insert_or_assign(attempt.id, watch.ref());
    if (with_pipes) {
      int out[2];
      int err[2];
      EXPECT_EQ(::pipe2(out, O_CLOEXEC), 0);
      EXPECT_EQ(::pipe2(err, O_CLOEXEC), 0);
      watch.read_pipes(out[0], err[0]);
      m_write_ends[attempt.id] = {out[1], err[1]};
    }
    watch.started();
    return std::nullopt;
  }

  void signal(JobWatch& watch, int signal) override
  {
    signals.push_back(signal);
    if (signal == ending_signal) {
      boost::asio::post(m_io, [this, id = watch.attempt().id, signal] { end(id, signal); });
    }
  }

  // The watch of job `id`, while it runs.
  JobWatch* watch(JobId id) const
  {
    const auto it = m_watches.find(id);
    return it == m_watches.end() ? nullptr : it->second.get();
  }

  // Writes `bytes` to the stdout (or stderr) pipe of job `id`.
  void write(JobId id, Stream stream, std::string_view bytes)
  {
    const int fd = m_write_ends.at(id)[stream == Stream::out ? 0 : 1];
    EXPECT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }

  // Closes the write ends of job `id`'s pipes: its streams reach their end.
  void close_pipes(JobId id)
  {
    const auto fds = m_write_ends.at(id);
    ::close(fds[0]);
    ::close(fds[1]);
    m_write_ends.erase(id);
  }

  // Ends job `id` with the raw wait status `raw_status`; its streams end
  // with it unless it has pipes.
  void end(JobId id, int raw_status)
  {
    if (JobWatch* found = watch(id)) {
      if (!with_pipes) {
        found->close_streams();
      }
      found->ended(raw_status);
    }
  }

  // The next starts fail with these, first first.
  std::deque<SpawnFailure> failures;
  bool with_pipes = false;
  int ending_signal = SIGKILL;
  std::vector<JobId> started;
  std::vector<int> signals;

private:
  boost::asio::io_context& m_io;
  std::map<JobId, WatchRef> m_watches;
  std::map<JobId, std::array<int, 2>> m_write_ends;
};

} // namespace fanout::test
