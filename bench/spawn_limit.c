// SPDX-License-Identifier: MIT
//
// spawn_limit N K CMD [ARG...]
// spawn_limit - K CMD [ARG...]
// spawn_limit N K --fork
//
// The physical limit for "run N commands, at most K at a time": start CMD N
// times with posix_spawnp and reap the children with waitpid(-1), keeping at
// most K alive. With N "-", the limit for "run CMD once per input line": one
// run per line of stdin, read with getline, the line (without its newline)
// appended as CMD's last argument. With --fork, the limit for "run N trivial
// function jobs in forked children": fork N times, each child leaving at once
// with _exit(0). Nothing else: no pipes, no process groups, no environment
// changes, no file actions, no polling. Whatever a job runner does beyond this
// loop is its own overhead, so bench/run divides the runner's time by ours.
//
// Children inherit our stdio and environment. Exit status: 0 if every child
// exited 0, 1 if any did not, 2 on a usage, input or spawn error.

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

// Parses a positive decimal count; exits with a usage error on anything else.
static long parse_count(const char *what, const char *text)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 1 || value > INT_MAX) {
        fprintf(stderr, "spawn_limit: %s must be a positive integer, not \"%s\"\n", what, text);
        exit(2);
    }
    return value;
}

// Blocks until one child ends; returns 1 if it failed, 0 if it exited 0.
static int reap_one(void)
{
    int status = 0;
    pid_t pid;
    do {
        pid = waitpid(-1, &status, 0);
    } while (pid == -1 && errno == EINTR);
    if (pid == -1) {
        perror("spawn_limit: waitpid");
        exit(2);
    }
    return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// Reads the next line of stdin into *line, without its newline; returns 0 at
// the end of the input. getline reuses and grows the one buffer.
static int read_line(char **line, size_t *size)
{
    ssize_t length = getline(line, size, stdin);
    if (length < 0) {
        if (ferror(stdin)) {
            perror("spawn_limit: stdin");
            exit(2);
        }
        return 0;
    }
    if (length > 0 && (*line)[length - 1] == '\n') {
        (*line)[length - 1] = '\0';
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: spawn_limit N|- K CMD [ARG...] | spawn_limit N K --fork\n"
                        "  runs CMD N times, at most K at once (posix_spawn + waitpid);\n"
                        "  N -: once per line of stdin, the line appended to CMD;\n"
                        "  --fork: forks N children that _exit(0) (fork + waitpid)\n");
        return 2;
    }
    int from_stdin = strcmp(argv[1], "-") == 0;
    long total = from_stdin ? LONG_MAX : parse_count("N", argv[1]);
    long width = parse_count("K", argv[2]);
    char **cmd = argv + 3;
    int forking = strcmp(cmd[0], "--fork") == 0;
    if (from_stdin && forking) {
        fprintf(stderr, "spawn_limit: --fork takes a count N, not -\n");
        return 2;
    }
    // With N "-", CMD's words, then the line, then the terminating NULL.
    int words = argc - 3;
    char *line = NULL;
    size_t size = 0;
    if (from_stdin) {
        cmd = calloc((size_t)words + 2, sizeof *cmd);
        if (cmd == NULL) {
            perror("spawn_limit: calloc");
            return 2;
        }
        memcpy(cmd, argv + 3, (size_t)words * sizeof *cmd);
    }

    long running = 0;
    long failures = 0;
    long started = 0;
    for (; started < total; ++started) {
        // posix_spawnp returns once the child has exec'd (glibc's vfork-like
        // clone), so the next getline may reuse the buffer it was given.
        if (from_stdin) {
            if (!read_line(&line, &size)) {
                break;
            }
            cmd[words] = line;
        }
        // A slot frees only when a child ends: block on it, never poll.
        if (running == width) {
            failures += reap_one();
            --running;
        }
        pid_t pid;
        int rc = 0;
        if (forking) {
            pid = fork();
            if (pid == 0) {
                _exit(0);
            }
            rc = pid < 0 ? errno : 0;
        } else {
            // posix_spawnp does no PATH search when cmd[0] holds a '/', so an
            // absolute path costs exactly what posix_spawn would.
            rc = posix_spawnp(&pid, cmd[0], NULL, NULL, cmd, environ);
        }
        if (rc != 0) {
            fprintf(stderr, "spawn_limit: cannot start %s: %s\n", cmd[0], strerror(rc));
            return 2;
        }
        ++running;
    }
    while (running > 0) {
        failures += reap_one();
        --running;
    }
    if (failures > 0) {
        fprintf(stderr, "spawn_limit: %ld of %ld runs failed\n", failures, started);
        return 1;
    }
    return 0;
}
