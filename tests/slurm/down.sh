#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stops what tests/slurm/up.sh started, and only that: the slurmd,
# slurmctld and munged whose pids it recorded under $FANOUT_SLURM_DIR, and
# the slurmstepd processes left in its spool. A munged it found running is
# left alone. --purge also removes the folder. Idempotent.
set -euo pipefail

dir=${FANOUT_SLURM_DIR:-/tmp/fanout-slurm}

say() { echo "slurm-down: $*" >&2; }

# Whether process $1 runs and is named $2; a zombie does not run (PID 1
# need not reap the daemons that exit).
runs() {
  [ -r "/proc/$1/stat" ] || return 1
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# Stops the process of pid file $1, named $2: SIGTERM, then SIGKILL if it
# is still there after 5 s. Waits on the pid, not on its file (slurmd
# removes its file before it is done).
stop() {
  local pid i
  pid=$(cat "$1" 2>/dev/null) || return 0
  rm -f "$1"
  [ -n "$pid" ] && runs "$pid" "$2" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 50); do
    runs "$pid" "$2" || return 0
    sleep 0.1
  done
  say "$2 ($pid) still there after 5 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# Steps whose controller forgot them block SIGTERM: slurmstepd processes
# whose cwd is in our spool get SIGKILL.
for proc in /proc/[0-9]*; do
  pid=${proc#/proc/}
  if runs "$pid" slurmstepd && [[ "$(readlink "$proc/cwd" 2>/dev/null)" == "$dir"* ]]; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
done

# slurmd and slurmctld record their own pids in the files up.sh's config
# names; munged's file is up.sh's copy, there only if up.sh started it.
stop "$dir/slurmd.pid" slurmd
stop "$dir/slurmctld.pid" slurmctld
stop "$dir/munged.pid" munged
if [ "${1:-}" = --purge ]; then
  rm -rf "$dir"
fi
say "stopped"
