/* SPDX-License-Identifier: MIT */
/* A function job built against the installed <fanout/job.h> alone. */
#include <fanout/job.h>

FANOUT_JOB_LIBRARY;

/* Greets from its job with its arguments; exits with their number. */
FANOUT_JOB_EXPORT int hello(const fanout_job* job, int argc, char** argv)
{
    fprintf(job->out, "hello from %s:", job->name);
    for (int i = 0; i < argc; ++i) {
        fprintf(job->out, " %s", argv[i]);
    }
    fprintf(job->out, "\n");
    return argc;
}
