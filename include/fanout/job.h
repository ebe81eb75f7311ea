/* SPDX-License-Identifier: MIT */
/*
 * fanout/job.h: the interface of function jobs, for C and C++ libraries.
 *
 * A job file runs a function of a shared library with
 *
 *     [[job]]
 *     name = "resize"
 *     call = "lib/libimages.so:resize"   # relative to the job file
 *     args = ["--width", "640"]
 *
 * The library includes this header, states once which version of it it was
 * built against, and defines its functions with the fanout_job_fn signature:
 *
 *     #include <fanout/job.h>
 *     FANOUT_JOB_LIBRARY;
 *
 *     FANOUT_JOB_EXPORT int resize(const fanout_job* job, int argc, char** argv)
 *     {
 *         fprintf(job->out, "resizing %d files\n", argc);
 *         for (int i = 0; i < argc && !job->stop_requested(job); ++i) { ... }
 *         return 0;   // the job's exit code
 *     }
 *
 * It needs nothing linked from fanout: build it with
 * `cc -shared -fPIC -I<fanout>/include -o libimages.so images.c`.
 *
 * Where the function runs depends on fanout's --pool:
 *   process  in a child forked for the job: its own memory, process group
 *            and exit code, stdin from /dev/null and no other descriptor
 *            of fanout's. A crash ends only that job ("killed -11"); a
 *            timeout sends SIGTERM, then SIGKILL after the grace period.
 *   thread   on one of fanout's worker threads, in fanout's memory and
 *            process group, with fanout's descriptors (stdin included). A
 *            timeout sets the stop request, which the function must poll; a
 *            function still running after the grace period is reported
 *            "timeout" and abandoned (a thread cannot be killed). A crash
 *            ends fanout itself.
 * In both, a C++ exception escaping the function fails the job with exit
 * code 1, and its what() is printed on the job's stderr and in the summary.
 * Write to job->out and job->err: what goes to stdout or stderr instead is
 * not tagged (in the thread pool it is fanout's own output). Never call
 * exit() or pthread_exit(): return.
 *
 * Compatibility: fields are only ever added at the end of fanout_job, and
 * FANOUT_JOB_ABI_VERSION grows with each addition. A library built against
 * an older version keeps working with a newer fanout; fanout refuses a
 * library built for a version newer than its own, naming both.
 */
#ifndef FANOUT_JOB_H
#define FANOUT_JOB_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header. 1: the fields below. */
#define FANOUT_JOB_ABI_VERSION 1

/* Exports a function job (or the version below) under its plain name, with
 * C linkage in C++, whatever -fvisibility the library is built with. */
#ifdef __cplusplus
#define FANOUT_JOB_EXPORT extern "C" __attribute__((visibility("default")))
#else
#define FANOUT_JOB_EXPORT __attribute__((visibility("default")))
#endif

/* What a function job is given. fanout owns it and everything it points to;
 * all of it stays valid until the function returns. */
typedef struct fanout_job {
  /* The FANOUT_JOB_ABI_VERSION of the fanout that filled this in. */
  unsigned abi_version;
  /* The job's name, as the summary shows it ("job-3" when unnamed). */
  const char* name;
  /* The pool slot the job runs in, 1 to -j (what FANOUT_SLOT is for commands). */
  unsigned slot;
  /* The job's stdout and stderr: whole lines written here come out tagged
   * with the job's name, like a command's output. Flushed by fanout when
   * the function returns; only this job writes to them. The function may
   * fclose() either, as a program may close its stdout: the stream is
   * flushed and closed, and nothing else happens (the job goes on; what
   * it would write there later is lost, and a closed FILE* must not be
   * used again). */
  FILE* out;
  FILE* err;
  /* Non-zero once fanout asks the job to stop (timeout, Ctrl-C). Cheap and
   * safe to call from any thread, as often as wanted: a long function
   * should poll it and return soon after it turns non-zero. */
  int (*stop_requested)(const struct fanout_job* job);
  /* fanout's own; do not touch. */
  void* internal;
} fanout_job;

/* A function job: returns the job's exit code (0 to 255; 0 is success).
 * argv holds the job's `args` (argc of them) and ends with a null pointer;
 * unlike main's, argv[0] is the first argument, not a program name. */
typedef int fanout_job_fn(const fanout_job* job, int argc, char** argv);

/* Put FANOUT_JOB_LIBRARY; once in a library of function jobs: it records
 * the version of this header that the library was built against, which
 * fanout reads when it loads the library. */
#define FANOUT_JOB_LIBRARY                                                                         \
  FANOUT_JOB_EXPORT const unsigned fanout_job_abi_version = FANOUT_JOB_ABI_VERSION

#ifdef __cplusplus
}
#endif

#endif /* FANOUT_JOB_H */
