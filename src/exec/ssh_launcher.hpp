// SPDX-License-Identifier: MIT
#pragma once

#include "exec/launch_plan.hpp"
#include "exec/launcher.hpp"
#include "jobfile/hosts.hpp"

#include <cstddef>
#include <string>
#include <sys/types.h>
#include <vector>

namespace fanout {

// Runs commands over SSH (fanout(1), OVER SSH): each job is a local `ssh`
// process, watched as a command's process is, that runs the job on a host
// under a watchdog (remote_command). The job gets its cwd and the entries
// its `env` and FANOUT_* add, not fanout's environment. Its stdin is a
// pipe fanout holds: SIGTERM closes it, and the watchdog stops the job's
// process group on the far side (SIGTERM, SIGKILL after the grace);
// SIGKILL kills the local ssh, whose end closes that stdin too. The
// watchdog's last word gives the job's real status; ssh's own failure (no
// connection, no login) is `error`, with ssh's message, and may be retried
// on another host.
//
// Slot s runs on a host of an interleaved list in which each host appears
// as many times as its slots (hosts 2/a,3/b: a b a b b), so that a pool cut
// by -j still spreads over the hosts; a daemon, and a job whose host could
// not be reached last time, goes to the least busy host that was not found
// down and has a free slot. The first job on a host opens the host's one
// connection (a ControlMaster, a child of fanout, which dies with it) in a
// folder of its own (mode 0700), and waits until it is up (at most a few
// seconds: past them, or when it fails, jobs connect by themselves).
// `ssh` is the ssh command: FANOUT_SSH split at spaces ("ssh -F cfg"),
// else "ssh".
class SshLauncher : public Launcher {
public:
  // Makes the folder of the connections' sockets. Throws fanout::Error if
  // it cannot.
  SshLauncher(std::vector<HostSpec> hosts, std::vector<std::string> ssh);
  // Closes every host's connection (`ssh -O exit`), waits for it, and
  // removes the folder.
  ~SshLauncher() override;
  SshLauncher(const SshLauncher&) = delete;
  SshLauncher& operator=(const SshLauncher&) = delete;

  std::optional<SpawnFailure> start(const Attempt& attempt, JobWatch& watch) override;
  void signal(JobWatch& watch, int signal) override;

  // What a host is to the launcher while jobs run on it.
  struct Host {
    HostSpec spec;
    std::string target; // as ssh's command line takes it (ssh_destination)
    pid_t master = 0;   // its connection's ssh; -1: none could be opened
    std::size_t running = 0;
    bool is_down = false; // ssh could not reach it last time
  };

private:
  Host& host_for(std::size_t slot);
  // Opens `host`'s connection, and waits until it is up or has failed.
  void open_connection(Host& host);
  // The path of `host`'s connection's socket.
  std::string socket_of(const Host& host) const;
  // ssh's command line for `host`: the ssh command, the options every call
  // shares, `options`, then the host and `remote` if not empty.
  std::vector<std::string> ssh_args(const Host& host, std::vector<std::string> options,
                                    const std::string& remote) const;

  std::vector<Host> m_hosts;
  std::vector<std::size_t> m_slot_hosts; // slot s runs on m_hosts[m_slot_hosts[(s-1) % size]]
  std::vector<std::string> m_ssh;
  std::string m_folder; // the sockets' folder
  std::string m_mark;   // the run's own mark for the watchdogs' last words
  BaseEnvironment m_base_env;
};

// The ssh command in `FANOUT_SSH` (split at spaces), or "ssh".
std::vector<std::string> ssh_command_from_environment();

} // namespace fanout
