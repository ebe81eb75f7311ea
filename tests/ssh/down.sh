#!/bin/sh
# SPDX-License-Identifier: MIT
# Stops the sshd that up.sh started, and only that one: the pid in its pid
# file, if that process is an sshd run with up.sh's config. `--purge` also
# deletes the state directory. The test user and the package stay.
set -eu

dir=${FANOUT_SSH_DIR:-/tmp/fanout-ssh}

if [ -f "$dir/sshd.pid" ]; then
  pid=$(cat "$dir/sshd.pid")
  if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
    grep -q -- "-f $dir/sshd_config"; then
    kill -TERM "$pid"
    # Gone, or a zombie that PID 1 does not reap.
    tries=0
    while [ -r "/proc/$pid/stat" ] && [ "$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f1)" != Z ]; do
      tries=$((tries + 1))
      if [ "$tries" -ge 100 ]; then
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.05
    done
  fi
  rm -f "$dir/sshd.pid"
fi

if [ "${1:-}" = --purge ]; then
  rm -rf "$dir"
fi
echo "down"
