// SPDX-License-Identifier: MIT
#include "exec/thread_launcher.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <mutex>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace fanout {

namespace {

// How much of a function job's output may wait for the event loop before
// its writes wait in turn: what a pipe would hold.
constexpr std::size_t k_output_budget = 256 * 1024;

// A worker thread starts with every signal blocked (WorkerPool). A function
// runs as fanout does, with none blocked, and so does whatever it starts.
// The thread keeps that mask for its later jobs: a signal that reaches it
// runs fanout's handler, which only hands the signal to the event loop, as
// on any thread. Once per thread, not twice per job: those are system calls.
void unblock_signals_for_functions()
{
  thread_local bool unblocked = false;
  if (!unblocked) {
    sigset_t none;
    sigemptyset(&none);
    ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
    unblocked = true;
  }
}

} // namespace

// What a worker thread and the event loop share about one job.
struct ThreadLauncher::ThreadJob : Launched {
  explicit ThreadJob(bool function) : is_function(function) {}

  // The loop forgets the job: its worker posts nothing more, and a write
  // waiting for room fails. Nothing to do once the worker has made its last
  // report, and the worker, on its way to its next job, is not held up.
  void forgotten() override
  {
    if (!has_reported_last) {
      const std::lock_guard lock(mutex);
      abandoned = true;
      drained.notify_all();
    }
  }

  std::atomic<bool> stop{false}; // a function's stop_requested()
  std::mutex mutex;              // guards what follows, and posting to the loop
  std::condition_variable drained;
  std::size_t in_flight = 0; // bytes of a function's output posted, not yet handled
  bool abandoned = false;
  bool finished = false; // the function has returned
  // The event loop's alone:
  const bool is_function;
  int pending_signal = 0;         // for a command whose worker has not reported its pid yet
  bool has_reported_last = false; // its worker's last report has reached the loop
};

// Where a function job's streams send what it writes.
struct ThreadLauncher::Sender {
  ThreadLauncher* launcher;
  WatchRef watch;
  std::shared_ptr<ThreadJob> job;
};

std::optional<SpawnFailure> ThreadLauncher::start(const Attempt& attempt, JobWatch& watch)
{
  return attempt.job->call ? start_function(attempt, watch) : start_command(attempt, watch);
}

std::optional<SpawnFailure> ThreadLauncher::submit(std::function<void()> task)
{
  try {
    m_workers.submit(std::move(task));
  } catch (const std::system_error& e) {
    return cannot_start("cannot create a thread", e.code().value());
  }
  return std::nullopt;
}

template <class Handler>
bool ThreadLauncher::report(ThreadJob& job, WatchRef watch, Report kind, Handler handler)
{
  const std::lock_guard lock(job.mutex);
  if (job.abandoned) {
    return false;
  }
  m_inbox.post([watch, kind, handler = std::move(handler)]() mutable {
    if (JobWatch* found = watch.get()) {
      static_cast<ThreadJob&>(*found->launched()).has_reported_last = kind == Report::last;
      handler(*found);
    }
  });
  return true;
}

std::optional<SpawnFailure> ThreadLauncher::start_function(const Attempt& attempt, JobWatch& watch)
{
  const FunctionTable::Entry& entry = m_functions.at(attempt.position());
  if (!entry.problem.empty()) {
    return SpawnFailure{127, entry.problem};
  }
  auto job = std::make_shared<ThreadJob>(true);
  auto failure =
    submit([this, sender = Sender{this, watch.ref(), job}, function = entry.function,
            name = attempt.job->name, call = attempt.job->call, slot = attempt.slot]() mutable {
      run_function_job(
        sender, {function, name.c_str(), slot, nullptr, nullptr, &call->args, &sender.job->stop});
    });
  if (failure) {
    return failure;
  }
  // After the hand-over, which may fail: the worker's reports go through
  // the loop, so none can come before this.
  watch.set_launched(std::move(job));
  watch.keep_loop_running();
  watch.started();
  return std::nullopt;
}

void ThreadLauncher::run_function_job(Sender& sender, FunctionCall call)
{
  FunctionResult result;
  {
    JobStreams streams(&send_output, &sender);
    if (streams.is_open()) {
      unblock_signals_for_functions();
      call.out = streams.out();
      call.err = streams.err();
      call.streams = &streams;
      result = run_function(call);
    } else {
      result = {1, "cannot open the job's output streams"};
    }
  } // closes the streams the function left open, and with them its last line
  report(*sender.job, sender.watch, Report::last,
         [result = std::move(result)](JobWatch& watch) mutable {
           watch.close_streams();
           watch.ended(W_EXITCODE(result.code & 0xff, 0), std::move(result.exception));
         });
  const std::lock_guard lock(sender.job->mutex);
  sender.job->finished = true;
}

int ThreadLauncher::send_output(void* context, Stream stream, std::string_view bytes)
{
  const Sender& sender = *static_cast<Sender*>(context);
  ThreadJob& job = *sender.job;
  std::string piece(bytes);
  std::unique_lock lock(job.mutex);
  job.drained.wait(lock, [&] { return job.abandoned || job.in_flight < k_output_budget; });
  if (job.abandoned) {
    return EPIPE;
  }
  job.in_flight += piece.size();
  sender.launcher->m_inbox.post(
    [watch = sender.watch, job = sender.job, stream, piece = std::move(piece)] {
      if (JobWatch* found = watch.get()) {
        found->output(stream, piece);
      }
      const std::lock_guard lock(job->mutex);
      job->in_flight -= piece.size();
      job->drained.notify_all();
    });
  return 0;
}

std::optional<SpawnFailure> ThreadLauncher::start_command(const Attempt& attempt, JobWatch& watch)
{
  auto made = make_job_pipes();
  if (auto* failure = std::get_if<SpawnFailure>(&made)) {
    return std::move(*failure);
  }
  JobPipes& pipes = std::get<JobPipes>(made);
  auto job = std::make_shared<ThreadJob>(false);
  auto failure =
    submit([this, job, watch = watch.ref(),
            plan = std::make_shared<const LaunchPlan>(attempt, m_base_env), out_fd = pipes.out[1],
            err_fd = pipes.err[1]] { run_command(job, watch, *plan, out_fd, err_fd); });
  if (failure) {
    pipes.close_write_ends();
    pipes.close_read_ends();
    return failure;
  }
  watch.read_pipes(pipes.out[0], pipes.err[0]);
  watch.set_launched(std::move(job));
  watch.keep_loop_running();
  return std::nullopt;
}

void ThreadLauncher::run_command(const std::shared_ptr<ThreadJob>& job, WatchRef watch,
                                 const LaunchPlan& plan, int out_fd, int err_fd)
{
  const auto spawned = spawn_job(plan.request(out_fd, err_fd));
  if (const auto* failure = std::get_if<SpawnFailure>(&spawned)) {
    // Reported before the pipes close, so the message precedes their end.
    report(*job, watch, Report::last,
           [failure = *failure](JobWatch& found) { found.not_started(failure); });
    ::close(out_fd);
    ::close(err_fd);
    return;
  }
  ::close(out_fd);
  ::close(err_fd);
  const pid_t pid = std::get<pid_t>(spawned);
  const bool reported = report(*job, watch, Report::more, [pid](JobWatch& found) {
    // Its timeout counts from here, as in the process pool, not from when
    // its worker was handed the job.
    found.started(pid);
    const int pending = static_cast<ThreadJob&>(*found.launched()).pending_signal;
    if (pending != 0) {
      ::kill(-pid, pending);
      if (pending != SIGKILL) {
        ::kill(-pid, SIGCONT); // as JobWatch sends it
      }
    }
  });
  if (!reported) {
    // fanout is going away (an error ended the run): so does the job.
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return;
  }
  // Waits for the end without reaping: the loop kills what is left of the
  // group, and what fanout adopted from the job, while the pid is still the
  // job's (JobWatch::process_exited). Waiting here also keeps this thread
  // alive as long as the process: the parent-death signal that spawn_job
  // set comes when the thread that started the process ends.
  siginfo_t info{};
  int rc = 0;
  while ((rc = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT)) < 0 &&
         errno == EINTR) {
  }
  if (rc < 0) {
    const SpawnFailure failure{127,
                               std::string("cannot wait for the process: ") + std::strerror(errno)};
    report(*job, watch, Report::last, [failure](JobWatch& found) { found.not_started(failure); });
    return;
  }
  report(*job, watch, Report::last, [](JobWatch& found) { found.process_exited(); });
}

void ThreadLauncher::signal(JobWatch& watch, int signal)
{
  auto& job = static_cast<ThreadJob&>(*watch.launched());
  if (watch.pid() > 0) {
    ::kill(-watch.pid(), signal);
  } else if (!job.is_function) {
    // Its worker has not reported the pid yet: sent then, with SIGCONT.
    if (signal != SIGCONT && job.pending_signal != SIGKILL) {
      job.pending_signal = signal;
    }
  } else if (signal == SIGKILL) {
    job.forgotten(); // its writes from now on fail (EPIPE)
    m_abandoned.push_back(std::static_pointer_cast<ThreadJob>(watch.launched()));
    watch.abandon();
  } else if (signal != SIGCONT) {
    job.stop = true;
  }
}

std::size_t ThreadLauncher::abandoned_count() const
{
  return static_cast<std::size_t>(std::count_if(m_abandoned.begin(), m_abandoned.end(),
                                                [](const std::shared_ptr<ThreadJob>& job) {
                                                  const std::lock_guard lock(job->mutex);
                                                  return !job->finished;
                                                }));
}

} // namespace fanout
