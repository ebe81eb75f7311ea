#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts a single-node Slurm for the launcher tests, from nothing, as root:
# installs Debian's slurmctld, slurmd, slurm-client and munge if they are
# missing (without letting their packages start services), writes a config
# of its own under $FANOUT_SLURM_DIR (never /etc/slurm), starts munged if
# munge does not already work, then slurmctld and slurmd, and waits until
# a step runs. Idempotent: a cluster it already started is reused. The node
# advertises $FANOUT_SLURM_CPUS CPUs (8 by default), whatever the machine
# has, so that pools wider than its cores can be tested.
#
# Prints `export SLURM_CONF=...` last: the tests read the config from there.
# tests/slurm/down.sh stops what this started, and only that.
set -euo pipefail

dir=${FANOUT_SLURM_DIR:-/tmp/fanout-slurm}
cpus=${FANOUT_SLURM_CPUS:-8}
conf=$dir/slurm.conf
export SLURM_CONF=$conf
started_at=$(date +%s%N)

say() { echo "slurm-up: $*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (slurmd and munged run as root here)"

# A pid from a file of ours, if that process still lives. A daemon that
# exited may stay a zombie (PID 1 need not reap): state Z counts as dead.
live_pid() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
  echo "$pid"
}

install_packages() {
  local missing=() p
  for p in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  say "installing ${missing[*]}"
  # Package scripts must not start the daemons (on a host with an init
  # that would): a policy that refuses every start, ours only if none is there.
  local policy=/usr/sbin/policy-rc.d ours=0
  if [ ! -e $policy ]; then
    printf '#!/bin/sh\nexit 101\n' >$policy
    chmod 755 $policy
    ours=1
  fi
  local rc=0
  apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null || rc=$?
  if [ $rc -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q \
      --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
  fi
  [ $ours -eq 0 ] || rm -f $policy
  [ $rc -eq 0 ] || die "apt-get failed ($rc)"
}

start_munge() {
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    return 0
  fi
  [ -s /etc/munge/munge.key ] || die "no /etc/munge/munge.key (reinstall munge)"
  install -d -o munge -g munge -m 755 /run/munge
  runuser -u munge -- /usr/sbin/munged
  # munged writes its own pid file; ours tells down.sh that we started it.
  local i
  for i in $(seq 50); do
    if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
      cp /run/munge/munged.pid "$dir/munged.pid" 2>/dev/null || pgrep -n -x munged >"$dir/munged.pid"
      return 0
    fi
    sleep 0.1
  done
  die "munged does not answer"
}

write_config() {
  local memory
  memory=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -n1)
  cat >"$conf.new" <<CONF
# Written by tests/slurm/up.sh: a one-node cluster for fanout's tests.
ClusterName=fanout
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
SlurmdParameters=config_overrides
KillWait=2
MinJobAge=300
ReturnToService=2
SlurmctldPort=${FANOUT_SLURM_PORT:-6917}
SlurmdPort=$((${FANOUT_SLURM_PORT:-6917} + 1))
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus Boards=1 SocketsPerBoard=1 CoresPerSocket=$cpus ThreadsPerCore=1 RealMemory=${memory:-1000}
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  mv "$conf.new" "$conf"
}

wait_until() {
  local what=$1 i
  shift
  for i in $(seq 100); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  die "$what: not within 10 s (logs in $dir)"
}

node_idle() {
  local state
  state=$(sinfo -h -o %T 2>/dev/null | head -n1)
  case $state in
  idle* | mixed* | allocated*) return 0 ;;
  down* | drain*) scontrol update nodename=localhost state=resume >/dev/null 2>&1 ;;
  esac
  return 1
}

install_packages
mkdir -p "$dir/state" "$dir/spool"
chmod 755 "$dir"
start_munge
if ! live_pid "$dir/slurmctld.pid" >/dev/null || ! live_pid "$dir/slurmd.pid" >/dev/null; then
  write_config
  if ! live_pid "$dir/slurmctld.pid" >/dev/null; then
    (cd "$dir" && slurmctld -c -i)
  fi
  wait_until "slurmctld up" sh -c 'scontrol ping | grep -q UP'
  if ! live_pid "$dir/slurmd.pid" >/dev/null; then
    (cd "$dir" && slurmd -N localhost)
  fi
fi
wait_until "node idle" node_idle
srun -N1 -n1 -t1 true || die "a smoke step failed (logs in $dir)"
say "READY in $((($(date +%s%N) - started_at) / 1000000)) ms"
echo "export SLURM_CONF=$conf"
