// SPDX-License-Identifier: MIT
#include "exec/slurm_launcher.hpp"

#include "error.hpp"
#include "exec/job_watch.hpp"
#include "exec/srun_report.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <functional>
#include <random>
#include <sstream>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fanout {

namespace asio = boost::asio;

namespace {

// How long srun may take to end its step after SIGTERM before it gets
// SIGKILL (slurmstepd then kills the step's tasks itself).
constexpr Duration k_srun_kill_wait = std::chrono::seconds(3);

// A Slurm command fanout runs beside the jobs (squeue, scancel): a child
// process whose output is read, and whose end is awaited, on the event
// loop, which never blocks on it. Calls `done` with its output, stdout and
// stderr together, once it has ended and been reaped.
class Tool : public std::enable_shared_from_this<Tool> {
public:
  static void run(asio::io_context& io, const std::vector<std::string>& args,
                  std::function<void(std::string)> done)
  {
    std::vector<const char*> argv;
    for (const std::string& arg : args) {
      argv.push_back(arg.c_str());
    }
    argv.push_back(nullptr);
    int pipe[2] = {-1, -1};
    if (::pipe2(pipe, O_CLOEXEC) != 0) {
      done({});
      return;
    }
    const char* path = std::getenv("PATH");
    const SpawnRequest request{
      argv.data(), environ, path != nullptr ? path : "/usr/bin:/bin", "/", "/", pipe[1], pipe[1]};
    auto spawned = spawn_job(request);
    ::close(pipe[1]);
    const pid_t* pid = std::get_if<pid_t>(&spawned);
    const int pidfd = pid != nullptr ? static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0)) : -1;
    if (pidfd < 0) {
      if (pid != nullptr) {
        ::kill(*pid, SIGKILL);
        while (::waitpid(*pid, nullptr, 0) < 0 && errno == EINTR) {
        }
      }
      ::close(pipe[0]);
      done({});
      return;
    }
    auto tool = std::shared_ptr<Tool>(new Tool(io, *pid, pipe[0], pidfd, std::move(done)));
    tool->read();
  }

private:
  Tool(asio::io_context& io, pid_t pid, int out_fd, int pidfd,
       std::function<void(std::string)> done)
      : m_pid(pid), m_out(io, out_fd), m_pidfd(io, pidfd), m_done(std::move(done))
  {
  }

  void read()
  {
    m_out.async_read_some(
      asio::buffer(m_buffer),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        self->m_output.append(self->m_buffer.data(), n);
        if (!ec) {
          self->read();
        } else {
          self->await_end();
        }
      });
  }

  void await_end()
  {
    m_pidfd.async_wait(asio::posix::descriptor_base::wait_read,
                       [self = shared_from_this()](const boost::system::error_code& ec) {
                         if (ec) {
                           return;
                         }
                         siginfo_t info{};
                         const int rc = ::waitid(P_PID, static_cast<id_t>(self->m_pid), &info,
                                                 WEXITED | WNOHANG);
                         if (rc == 0 && info.si_pid == 0) {
                           self->await_end();
                           return;
                         }
                         self->m_done(std::move(self->m_output));
                       });
  }

  pid_t m_pid;
  asio::posix::stream_descriptor m_out;
  asio::posix::stream_descriptor m_pidfd;
  std::function<void(std::string)> m_done;
  std::array<char, 4096> m_buffer{};
  std::string m_output;
};

// A step name made only of characters squeue prints as they are.
std::string step_name(const std::string& run_name, const Attempt& attempt)
{
  std::string name =
    run_name + "-" + std::to_string(attempt.id + 1) + "." + std::to_string(attempt.number) + "-";
  for (const char c : attempt.job->name.substr(0, 40)) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    name.push_back(plain ? c : '_');
  }
  return name;
}

} // namespace

// A step fanout started: srun's report of it, its unique name, and the
// timer that ends a srun that outlives its SIGTERM.
class SlurmStep : public Launched {
public:
  SlurmStep(asio::io_context& io, std::string name, std::string program)
      : m_name(std::move(name)), m_report(std::move(program)), m_kill_timer(io)
  {
  }

  std::string_view job_output(Stream stream, std::string_view bytes, bool at_end) override
  {
    return stream == Stream::err ? m_report.job_output(bytes, at_end) : bytes;
  }

  Outcome outcome(int raw_status, Ending ending) override
  {
    return m_report.outcome(raw_status, ending);
  }

  void forgotten() override
  {
    m_pid = 0;
    m_kill_timer.cancel();
  }

  const std::string& name() const { return m_name; }
  // srun's pid while its watch has it (unreaped, so still its own); else 0.
  pid_t pid() const { return m_pid; }
  void set_pid(pid_t pid) { m_pid = pid; }

  // SIGTERM to srun, which kills the step; SIGKILL after k_srun_kill_wait.
  void kill()
  {
    if (m_pid <= 0) {
      return;
    }
    ::kill(m_pid, SIGTERM);
    m_kill_timer.expires_after(k_srun_kill_wait);
    m_kill_timer.async_wait([this](const boost::system::error_code& ec) {
      if (!ec && m_pid > 0) {
        ::kill(m_pid, SIGKILL);
      }
    });
  }

private:
  std::string m_name;
  SrunReport m_report;
  pid_t m_pid = 0;
  asio::steady_timer m_kill_timer;
};

SlurmAllocation slurm_allocation()
{
  const char* job_id = std::getenv("SLURM_JOB_ID");
  if (job_id == nullptr || *job_id == '\0') {
    throw Error("fanout: error: --launcher slurm runs inside a Slurm allocation, and there is none "
                "(SLURM_JOB_ID is not set): run fanout under salloc (salloc -n 8 fanout "
                "--launcher slurm ...) or in an sbatch script");
  }
  SlurmAllocation allocation{job_id, 0};
  if (const char* tasks = std::getenv("SLURM_NTASKS")) {
    const std::string_view text(tasks);
    std::from_chars(text.data(), text.data() + text.size(), allocation.tasks);
  }
  return allocation;
}

SlurmLauncher::SlurmLauncher(asio::io_context& io, SlurmAllocation allocation)
    : m_io(io), m_allocation(std::move(allocation)), m_alive(std::make_shared<bool>(true))
{
  std::random_device random;
  std::ostringstream name;
  name << "fanout-" << std::hex << (random() & 0xffffff);
  m_run_name = name.str();
}

SlurmLauncher::~SlurmLauncher()
{
  *m_alive = false;
}

std::optional<SpawnFailure> SlurmLauncher::start(const Attempt& attempt, JobWatch& watch)
{
  const LaunchPlan plan(attempt, m_base_env);
  SpawnRequest request = plan.request(-1, -1);
  auto step = std::make_shared<SlurmStep>(m_io, step_name(m_run_name, attempt), request.argv[0]);
  const std::string chdir = "--chdir=" + plan.folder();
  std::vector<const char*> argv{"srun",         "--exclusive", "-N1", "-n1",
                                "--input=none", "--quiet",     "-J",  step->name().c_str(),
                                chdir.c_str(),  "--"};
  for (const char* const* arg = request.argv; *arg != nullptr; ++arg) {
    argv.push_back(*arg);
  }
  argv.push_back(nullptr);
  request.argv = argv.data();
  // A watch that cannot watch srun drops it, and with it the step's note.
  return spawn_watched(watch, request, [&step, &watch](pid_t pid) {
    step->set_pid(pid);
    watch.set_launched(step);
  });
}

void SlurmLauncher::signal(JobWatch& watch, int signal)
{
  auto step = std::static_pointer_cast<SlurmStep>(watch.launched());
  if (!step || signal == SIGCONT) {
    // SIGCONT follows every SIGTERM: the step's processes are not stopped
    // by fanout, and scancel's signal reaches them as they are.
    return;
  }
  if (signal == SIGKILL) {
    step->kill();
    return;
  }
  m_to_signal.push_back({step, signal});
  if (!m_looking_up) {
    look_up_steps();
  }
}

void SlurmLauncher::look_up_steps()
{
  m_looking_up = true;
  Tool::run(m_io, {"squeue", "-h", "-s", "-j", m_allocation.job_id, "-o", "%i %j"},
            [this, alive = m_alive](std::string listing) {
              if (*alive) {
                m_looking_up = false;
                signal_steps(listing);
              }
            });
}

void SlurmLauncher::signal_steps(const std::string& listing)
{
  std::vector<Pending> pending = std::move(m_to_signal);
  m_to_signal.clear();
  std::vector<std::vector<std::string>> scancels; // one per signal
  std::istringstream lines(listing);
  std::string line;
  std::vector<std::pair<std::string, std::string>> steps; // name, id
  while (std::getline(lines, line)) {
    const std::size_t space = line.find(' ');
    if (space != std::string::npos) {
      steps.emplace_back(line.substr(space + 1), line.substr(0, space));
    }
  }
  for (const Pending& each : pending) {
    const auto step = each.step.lock();
    if (!step || step->pid() <= 0) {
      continue;
    }
    const auto found = std::find_if(steps.begin(), steps.end(),
                                    [&step](const auto& s) { return s.first == step->name(); });
    if (found == steps.end()) {
      // Not a step yet (srun waits for a free CPU) or no longer one: srun
      // itself takes the signal, and gives up or ends what is left.
      ::kill(step->pid(), each.signal);
      continue;
    }
    auto group = std::find_if(scancels.begin(), scancels.end(), [&each](const auto& args) {
      return args[1] == "--signal=" + std::to_string(each.signal);
    });
    if (group == scancels.end()) {
      scancels.push_back({"scancel", "--signal=" + std::to_string(each.signal)});
      group = scancels.end() - 1;
    }
    group->push_back(found->second);
  }
  for (const auto& args : scancels) {
    Tool::run(m_io, args, [](const std::string&) {});
  }
  if (!m_to_signal.empty()) {
    look_up_steps();
  }
}

} // namespace fanout
