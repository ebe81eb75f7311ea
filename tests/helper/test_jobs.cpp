// SPDX-License-Identifier: MIT
// Function jobs for the end-to-end tests of `call` (function_test.cpp): each
// misbehaves in one way a real library might.
#include "fanout/job.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <unistd.h>

FANOUT_JOB_LIBRARY;

namespace {

std::atomic<int> g_active{0};
std::atomic<int> g_most_active{0};

} // namespace

// Ignores its stop request and never returns (it waits for a notification
// that never comes): the thread pool must abandon it, and fanout must still
// end.
FANOUT_JOB_EXPORT int block_forever(const fanout_job* job, int, char**)
{
  std::fprintf(job->out, "blocking\n");
  std::fflush(job->out);
  std::mutex mutex;
  std::condition_variable never;
  std::unique_lock lock(mutex);
  never.wait(lock, [] { return false; });
  return 0;
}

// Dies of SIGSEGV.
FANOUT_JOB_EXPORT int crash(const fanout_job* job, int, char**)
{
  std::fprintf(job->out, "crashing\n");
  std::fflush(job->out);
  volatile int* nowhere = nullptr;
  *nowhere = 1;
  return 0;
}

// Throws what is not a std::exception.
FANOUT_JOB_EXPORT int throw_int(const fanout_job*, int, char**)
{
  throw 7;
}

// Waits (at most 10 s) until argv[0] jobs of the thread pool are in it at
// once, then prints the most it has seen: the pool's bound, met and kept.
FANOUT_JOB_EXPORT int meet(const fanout_job* job, int argc, char** argv)
{
  const int want = argc > 0 ? std::atoi(argv[0]) : 2;
  const int now = ++g_active;
  int most = g_most_active.load();
  while (now > most && !g_most_active.compare_exchange_weak(most, now)) {
  }
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (g_most_active.load() < want && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::yield();
  }
  std::fprintf(job->out, "most at once: %d\n", g_most_active.load());
  --g_active;
  return g_most_active.load() >= want ? 0 : 1;
}

// Prints argv[0] lines (default 1000) of a fixed text, each numbered, in
// pieces, so that writes of concurrent jobs interleave.
FANOUT_JOB_EXPORT int lines(const fanout_job* job, int argc, char** argv)
{
  const int count = argc > 0 ? std::atoi(argv[0]) : 1000;
  for (int i = 0; i < count; ++i) {
    std::fprintf(job->out, "%s line %d ", job->name, i);
    std::fprintf(job->out, "of a text long enough to need several writes\n");
  }
  return 0;
}

// Prints its name and slot and the stop request: the context as given.
FANOUT_JOB_EXPORT int context(const fanout_job* job, int argc, char** argv)
{
  std::fprintf(job->out, "name=%s slot=%u abi=%u stop=%d argc=%d", job->name, job->slot,
               job->abi_version, job->stop_requested(job), argc);
  for (int i = 0; i < argc; ++i) {
    std::fprintf(job->out, " [%s]", argv[i]);
  }
  std::fprintf(job->out, " end=%s\n", argv[argc] == nullptr ? "null" : "set");
  return 0;
}

// Moves the whole process to "/" and prints where it went: in the thread
// pool, fanout itself, and with it every job that would still resolve a
// relative path against the current folder.
FANOUT_JOB_EXPORT int chdir_root(const fanout_job* job, int, char**)
{
  if (::chdir("/") != 0) {
    std::fprintf(job->err, "chdir: %s\n", std::strerror(errno));
    return 1;
  }
  std::fprintf(job->out, "moved to /\n");
  return 0;
}

// Writes a line, closes job->out as a program may close its stdout, then
// writes to job->err and succeeds: fanout must not close job->out again.
FANOUT_JOB_EXPORT int close_out(const fanout_job* job, int, char**)
{
  std::fprintf(job->out, "before closing\n");
  std::fclose(job->out);
  std::fprintf(job->err, "after closing\n");
  return 0;
}

// Prints with stdio to fanout's own stdout, not to job->out: in the thread
// pool the line waits in stdout's buffer until someone flushes it.
FANOUT_JOB_EXPORT int print_to_stdout(const fanout_job*, int, char**)
{
  std::printf("printed to stdout with stdio\n");
  return 0;
}
