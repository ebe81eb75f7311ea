// SPDX-License-Identifier: MIT
#include "exec/ssh_launcher.hpp"

#include "error.hpp"
#include "exec/job_watch.hpp"
#include "exec/ssh_remote.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace fanout {

namespace {

// How long a connection may take to close once asked to, before it is killed.
constexpr auto k_close_time = std::chrono::seconds(2);
// How long the first job on a host waits for the host's connection to be
// up; past it (a host that drops packets), jobs connect by themselves.
constexpr auto k_open_time = std::chrono::seconds(5);

// A job run over SSH, as its launcher keeps it: the stdin pipe that holds
// the watchdog's connection open, and the filter that reads its last word.
class SshJob : public Launched {
public:
  SshJob(SshLauncher::Host& host, int input, const std::string& mark)
      : m_host(host), m_input(input), m_filter(mark)
  {
    ++m_host.running;
  }
  ~SshJob() override { forgotten(); }
  SshJob(const SshJob&) = delete;
  SshJob& operator=(const SshJob&) = delete;

  // The watchdog's stdin reaches its end: it stops the job.
  void close_input()
  {
    if (m_input >= 0) {
      ::close(m_input);
      m_input = -1;
    }
  }

  void forgotten() override
  {
    close_input();
    if (!m_forgotten) {
      m_forgotten = true;
      --m_host.running;
    }
  }

  std::string_view job_output(Stream stream, std::string_view bytes, bool at_end) override
  {
    if (stream == Stream::out) {
      return bytes;
    }
    if (!at_end) {
      return m_filter.pass(bytes);
    }
    m_rest = m_filter.finish();
    const auto& end = m_filter.end();
    if (end && end->kind == RemoteEnd::Kind::not_started) {
      // As a job that cannot start here says so.
      m_rest += "fanout: " + end->reason + "\n";
    }
    return m_rest;
  }

  Outcome outcome(int raw_status, Ending ending) override
  {
    auto judged = judge(raw_status);
    if (const auto* failure = std::get_if<SpawnFailure>(&judged)) {
      return failure_outcome(*failure);
    }
    return outcome_of_exit(std::get<int>(judged), ending);
  }

private:
  // The raw wait status of the job on its host, from its watchdog's last
  // word, or why it did not run there (the host is marked down when ssh
  // itself failed).
  std::variant<int, SpawnFailure> judge(int raw_status)
  {
    if (const auto& end = m_filter.end()) {
      m_host.is_down = false;
      switch (end->kind) {
      case RemoteEnd::Kind::exited:
        return (end->number & 0xff) << 8;
      case RemoteEnd::Kind::signaled:
        return end->number & 0x7f;
      case RemoteEnd::Kind::not_started:
        return SpawnFailure{end->number, end->reason};
      }
    }
    if (WIFSIGNALED(raw_status)) {
      return raw_status; // fanout killed the local ssh
    }
    // No word: the job never ran, or its host went away meanwhile.
    m_host.is_down = true;
    const std::string& line = m_filter.last_line();
    SpawnFailure failure{WEXITSTATUS(raw_status),
                         line.empty() ? "ssh to " + m_host.spec.destination + " exited with " +
                                          std::to_string(WEXITSTATUS(raw_status))
                                      : line};
    failure.is_launcher_error = true;
    return failure;
  }

  SshLauncher::Host& m_host;
  int m_input;
  LastWordFilter m_filter;
  std::string m_rest;
  bool m_forgotten = false;
};

// A mark no job's output holds by chance.
std::string random_mark()
{
  std::random_device random;
  std::ostringstream mark;
  mark << "fanout-" << std::hex << random() << random();
  return mark.str();
}

// The words' C strings, null-terminated, for execve.
std::vector<const char*> c_strings(const std::vector<std::string>& words)
{
  std::vector<const char*> pointers;
  for (const std::string& word : words) {
    pointers.push_back(word.c_str());
  }
  pointers.push_back(nullptr);
  return pointers;
}

// Starts `args` with fanout's environment, stdin `in_fd` (-1: /dev/null)
// and stdout and stderr `out_fd` and `err_fd`.
std::variant<pid_t, SpawnFailure> spawn_ssh(const std::vector<std::string>& args, int in_fd,
                                            int out_fd, int err_fd)
{
  const std::vector<const char*> argv = c_strings(args);
  const char* path = std::getenv("PATH");
  SpawnRequest request{};
  request.argv = argv.data();
  request.envp = environ;
  request.path = path != nullptr ? path : "/usr/bin:/bin";
  request.folder = request.cwd = ".";
  request.out_fd = out_fd;
  request.err_fd = err_fd;
  request.in_fd = in_fd;
  return spawn_job(request);
}

// Runs `args` to its end, its output dropped; whether it exited 0.
bool run_quietly(const std::vector<std::string>& args)
{
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null < 0) {
    return false;
  }
  const auto spawned = spawn_ssh(args, -1, null, null);
  ::close(null);
  const pid_t* pid = std::get_if<pid_t>(&spawned);
  int status = 0;
  while (pid != nullptr && ::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  return pid != nullptr && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Waits for `pid` to end, for at most `time`, then kills it and reaps it.
void reap_within(pid_t pid, std::chrono::milliseconds time)
{
  const auto deadline = std::chrono::steady_clock::now() + time;
  while (::waitpid(pid, nullptr, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

} // namespace

std::vector<std::string> ssh_command_from_environment()
{
  std::vector<std::string> command;
  if (const char* value = std::getenv("FANOUT_SSH")) {
    std::istringstream words(value);
    for (std::string word; words >> word;) {
      command.push_back(word);
    }
  }
  if (command.empty()) {
    command.emplace_back("ssh");
  }
  return command;
}

SshLauncher::SshLauncher(std::vector<HostSpec> hosts, std::vector<std::string> ssh)
    : m_ssh(std::move(ssh)), m_mark(random_mark())
{
  std::size_t most = 0;
  for (HostSpec& spec : hosts) {
    most = std::max(most, spec.slots);
    const std::string target = ssh_destination(spec.destination);
    m_hosts.push_back({std::move(spec), target});
  }
  for (std::size_t round = 0; round < most; ++round) {
    for (std::size_t i = 0; i < m_hosts.size(); ++i) {
      if (m_hosts[i].spec.slots > round) {
        m_slot_hosts.push_back(i);
      }
    }
  }
  // In /tmp, whatever TMPDIR says: a socket's path has room for about 100
  // bytes, and the socket's own name takes 40.
  char folder[] = "/tmp/fanout-ssh.XXXXXX";
  if (::mkdtemp(folder) == nullptr) {
    throw Error(std::string("fanout: error: cannot make a folder for SSH connections: ") +
                std::strerror(errno));
  }
  m_folder = folder;
}

SshLauncher::~SshLauncher()
{
  for (Host& host : m_hosts) {
    if (host.master > 0) {
      run_quietly(ssh_args(host, {"-O", "exit"}, {}));
      reap_within(host.master, k_close_time);
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(m_folder, ignored);
}

std::vector<std::string> SshLauncher::ssh_args(const Host& host, std::vector<std::string> options,
                                               const std::string& remote) const
{
  std::vector<std::string> args = m_ssh;
  for (const char* option : {"-T", "-o", "BatchMode=yes", "-o"}) {
    args.emplace_back(option);
  }
  args.push_back("ControlPath=" + socket_of(host));
  args.insert(args.end(), options.begin(), options.end());
  args.emplace_back("--");
  args.push_back(host.target);
  if (!remote.empty()) {
    args.push_back(remote);
  }
  return args;
}

SshLauncher::Host& SshLauncher::host_for(std::size_t slot)
{
  Host* host = slot > 0 ? &m_hosts[m_slot_hosts[(slot - 1) % m_slot_hosts.size()]] : nullptr;
  if (host == nullptr || host->is_down) {
    Host* best = nullptr;
    for (Host& other : m_hosts) {
      const bool is_free = !other.is_down && other.running < other.spec.slots;
      if (is_free && (best == nullptr || other.running < best->running)) {
        best = &other;
      }
    }
    host = best != nullptr ? best : host != nullptr ? host : &m_hosts.front();
  }
  return *host;
}

std::string SshLauncher::socket_of(const Host& host) const
{
  return m_folder + "/" + std::to_string(&host - m_hosts.data());
}

void SshLauncher::open_connection(Host& host)
{
  host.master = -1; // tried: if it fails, the jobs connect by themselves
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null < 0) {
    return;
  }
  const auto spawned =
    spawn_ssh(ssh_args(host, {"-N", "-o", "ControlMaster=yes", "-o", "ControlPersist=no"}, {}), -1,
              null, null);
  ::close(null);
  const pid_t* pid = std::get_if<pid_t>(&spawned);
  if (pid == nullptr) {
    return;
  }
  // Jobs that started before the socket is there would each open a
  // connection of their own: the first job waits, once per host, while the
  // loop stands still. A connection that fails ends its ssh.
  const std::string socket = socket_of(host);
  const auto deadline = std::chrono::steady_clock::now() + k_open_time;
  while (::access(socket.c_str(), F_OK) != 0 && std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(*pid, nullptr, WNOHANG) == *pid) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  host.master = *pid;
}

std::optional<SpawnFailure> SshLauncher::start(const Attempt& attempt, JobWatch& watch)
{
  Host& host = host_for(attempt.slot);
  if (host.master == 0) {
    open_connection(host);
  }
  const LaunchPlan plan(attempt, m_base_env);
  const JobSpec& job = *attempt.job;
  RemoteJob remote;
  remote.mark = m_mark;
  remote.grace_seconds = std::chrono::duration<double>(attempt.grace).count();
  remote.folder = plan.folder();
  remote.cmd = job.cmd;
  remote.argv = job.argv;
  for (const auto& [key, value] : job.env) {
    remote.env.push_back(key + "=" + value);
  }
  remote.env.insert(remote.env.end(), plan.fanout_variables().begin(),
                    plan.fanout_variables().end());
  const std::vector<std::string> args = ssh_args(host, {}, remote_command(remote));

  int input[2];
  if (::pipe2(input, O_CLOEXEC) != 0) {
    return cannot_start("cannot create a pipe", errno);
  }
  auto made = make_job_pipes();
  if (auto* failure = std::get_if<SpawnFailure>(&made)) {
    ::close(input[0]);
    ::close(input[1]);
    return std::move(*failure);
  }
  JobPipes& pipes = std::get<JobPipes>(made);
  auto spawned = spawn_ssh(args, input[0], pipes.out[1], pipes.err[1]);
  ::close(input[0]);
  pipes.close_write_ends();
  if (auto* failure = std::get_if<SpawnFailure>(&spawned)) {
    ::close(input[1]);
    pipes.close_read_ends();
    return std::move(*failure);
  }
  watch.set_launched(std::make_shared<SshJob>(host, input[1], m_mark));
  return watch_child(watch, std::get<pid_t>(spawned), pipes);
}

void SshLauncher::signal(JobWatch& watch, int signal)
{
  if (signal == SIGKILL) {
    ::kill(-watch.pid(), SIGKILL);
  } else if (signal != SIGCONT) {
    // The watchdog forwards no other signal: its stdin's end means SIGTERM.
    static_cast<SshJob&>(*watch.launched()).close_input();
  }
}

} // namespace fanout
