// SPDX-License-Identifier: MIT
// The seed's multiprocessing examples (Aula 8) as function jobs, for
// `call = "libseed.so:NAME"`. With --pool thread these run concurrently on
// fanout's worker threads, so they keep no state outside their own frame and
// use only thread-safe calls; output goes to the job's own `out` and `err`.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fanout/job.h>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>

FANOUT_JOB_LIBRARY;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto k_poll_interval = 10ms;

// What a job returns when it gives up because fanout asked it to stop: 128 +
// SIGTERM, the code a shell reports for a command ended by SIGTERM. In the
// thread pool fanout keeps the job's status (`timeout` or `cancelled`) and
// shows this code. In the process pool the forked child usually never gets
// here: SIGTERM's default action ends it first, and it shows -15.
constexpr int k_stopped_code = 143;

// Sleeps for `duration` in steps of 10 ms, polling the job's stop request.
// Returns true after the whole `duration`, false as soon as a stop is
// requested.
bool sleep_unless_stopped(const fanout_job* job, std::chrono::milliseconds duration)
{
  const Clock::time_point deadline = Clock::now() + duration;
  while (!job->stop_requested(job)) {
    const Clock::duration left = deadline - Clock::now();
    if (left <= 0s) {
      return true;
    }
    std::this_thread::sleep_for(std::min<Clock::duration>(left, k_poll_interval));
  }
  return false;
}

// The whole of `text` as a decimal integer, or nothing. std::from_chars
// neither allocates nor reads the locale, unlike strtol and streams.
std::optional<long long> parse_number(std::string_view text)
{
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// Writes a whole line and flushes it, so that it shows before the job sleeps
// and is not lost in a stdio buffer if the forked child dies of SIGTERM.
void print_line(std::FILE* stream, const char* first, const char* second = "")
{
  std::fprintf(stream, "%s%s\n", first, second);
  std::fflush(stream);
}

// The seed's named worker and my_service: print the current process's name
// (here the job's), sleep, print it again.
int starting_and_exiting(const fanout_job* job, std::chrono::milliseconds duration)
{
  print_line(job->out, job->name, " Starting");
  if (!sleep_unless_stopped(job, duration)) {
    return k_stopped_code;
  }
  print_line(job->out, job->name, " Exiting");
  return 0;
}

} // namespace

// worker() prints "Worker"; worker(num), args = ["3"], prints "Worker: 3".
FANOUT_JOB_EXPORT int worker(const fanout_job* job, int argc, char** argv)
{
  if (argc == 0) {
    print_line(job->out, "Worker");
    return 0;
  }
  if (argc > 1) {
    std::fprintf(job->err, "worker: takes one number at most, got %d arguments\n", argc);
    return 2;
  }
  const std::optional<long long> num = parse_number(argv[0]);
  if (!num) {
    std::fprintf(job->err, "worker: \"%s\" is not a whole number\n", argv[0]);
    return 2;
  }
  std::fprintf(job->out, "Worker: %lld\n", *num);
  return 0;
}

// The seed sleeps 3 s in my_service and 2 s in worker; a sixth of that here.
FANOUT_JOB_EXPORT int my_service(const fanout_job* job, int /*argc*/, char** /*argv*/)
{
  return starting_and_exiting(job, 500ms);
}

FANOUT_JOB_EXPORT int named_worker(const fanout_job* job, int /*argc*/, char** /*argv*/)
{
  return starting_and_exiting(job, 300ms);
}

// The seed's terminate() example: stopped early (by a timeout), it returns
// k_stopped_code without printing "Finished worker".
FANOUT_JOB_EXPORT int slow_worker(const fanout_job* job, int /*argc*/, char** /*argv*/)
{
  print_line(job->out, "Starting worker");
  if (!sleep_unless_stopped(job, 3s)) {
    return k_stopped_code;
  }
  print_line(job->out, "Finished worker");
  return 0;
}

// The seed's daemon example: daemon() prints "Starting: NAME", sleeps 2 s
// and prints "Exiting: NAME"; non_daemon() prints both at once. The seed
// also prints the pid; these leave it out, so that the output is the same
// on every run, and in the thread pool, where every job shares fanout's pid.
// Stopped once the other jobs ended (the job file's `daemon = true`), the
// daemon returns k_stopped_code without "Exiting", as a Python daemon
// process killed when its main ends never prints it. It is not called
// `daemon`, as the seed's is: that is libc's daemon(3), which <unistd.h>
// declares with another signature.
FANOUT_JOB_EXPORT int daemon_worker(const fanout_job* job, int /*argc*/, char** /*argv*/)
{
  print_line(job->out, "Starting: ", job->name);
  if (!sleep_unless_stopped(job, 2s)) {
    return k_stopped_code;
  }
  print_line(job->out, "Exiting: ", job->name);
  return 0;
}

FANOUT_JOB_EXPORT int non_daemon(const fanout_job* job, int /*argc*/, char** /*argv*/)
{
  print_line(job->out, "Starting: ", job->name);
  print_line(job->out, "Exiting: ", job->name);
  return 0;
}

// The seed's sys.exit(1). Never call exit() in a function job: in the thread
// pool it would end fanout itself, with every other job.
FANOUT_JOB_EXPORT int exit_error(const fanout_job* /*job*/, int /*argc*/, char** /*argv*/)
{
  return 1;
}

FANOUT_JOB_EXPORT int exit_ok(const fanout_job* /*job*/, int /*argc*/, char** /*argv*/)
{
  return 0;
}

// In Python a target's return value is dropped and the exitcode is 0. Here a
// function's return value IS the job's exit code, so this job fails with 1.
FANOUT_JOB_EXPORT int return_value(const fanout_job* /*job*/, int /*argc*/, char** /*argv*/)
{
  return 1;
}

// fanout catches the exception: the job fails with 1 and what() is printed
// on its stderr, like Python's traceback.
FANOUT_JOB_EXPORT int raises(const fanout_job* /*job*/, int /*argc*/, char** /*argv*/)
{
  throw std::runtime_error("There was an error!");
}

// The seed's time.sleep(3) that the parent terminate()s; here the job file's
// timeout stops it, and it returns k_stopped_code when it notices.
FANOUT_JOB_EXPORT int terminated(const fanout_job* job, int /*argc*/, char** /*argv*/)
{
  return sleep_unless_stopped(job, 3s) ? 0 : k_stopped_code;
}
