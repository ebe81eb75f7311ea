// SPDX-License-Identifier: MIT
// Sandbox: one test's temporary folder, the files it writes and reads there,
// and the runs of fanout (or another program) in it.
#include "harness_internal.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/inotify.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace e2e {

Sandbox::Sandbox()
{
  std::string pattern = (fs::temp_directory_path() / "fanout-e2e-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw_errno(errno, "mkdtemp " + pattern);
  }
  m_dir = pattern;
}

Sandbox::~Sandbox()
{
  if (::testing::Test::HasFailure()) {
    std::cerr << "e2e: kept the test folder " << m_dir.string() << "\n";
    return;
  }
  std::error_code ignored;
  fs::remove_all(m_dir, ignored);
}

fs::path Sandbox::write_file(std::string_view name, std::string_view text) const
{
  std::string contents(text);
  const std::string marker = "@CHILD@";
  for (auto at = contents.find(marker); at != std::string::npos; at = contents.find(marker, at)) {
    contents.replace(at, marker.size(), TEST_CHILD_BIN);
  }
  fs::path path = m_dir / name;
  fs::create_directories(path.parent_path());
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << contents;
  if (!file.flush()) {
    throw std::runtime_error("cannot write " + path.string());
  }
  return path;
}

std::string Sandbox::read_file(std::string_view name) const
{
  std::ifstream file(m_dir / name, std::ios::binary);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

bool Sandbox::exists(std::string_view name) const
{
  return fs::exists(m_dir / name);
}

bool Sandbox::wait_for_file(std::string_view name) const
{
  // Watched before the first look, so a file made in between is not missed.
  const int watch = ::inotify_init1(IN_CLOEXEC);
  ::inotify_add_watch(watch, m_dir.c_str(), IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE);
  const auto deadline = std::chrono::steady_clock::now() + k_ceiling;
  bool found = exists(name);
  while (!found) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    pollfd pfd{watch, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
      break;
    }
    char events[4096];
    [[maybe_unused]] const ssize_t n = ::read(watch, events, sizeof events);
    found = exists(name);
  }
  ::close(watch);
  if (!found) {
    ADD_FAILURE() << "no file " << name << " within " << k_ceiling.count() << " s";
  }
  return found;
}

pid_t Sandbox::read_pid(std::string_view name) const
{
  std::string text = read_file(name);
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (ec != std::errc() || pid <= 0) {
    ADD_FAILURE() << "no pid in " << (m_dir / name).string();
    return 0;
  }
  return pid;
}

Result Sandbox::run(const std::vector<std::string>& args) const
{
  return start(args).finish();
}

RunningProgram Sandbox::start(const std::vector<std::string>& args) const
{
  return spawn(FANOUT_BIN, with_suite_options(args), m_dir);
}

RunningProgram Sandbox::start_with_stdin(int stdin_fd, const std::vector<std::string>& args) const
{
  return spawn(FANOUT_BIN, with_suite_options(args), m_dir, stdin_fd);
}

Result Sandbox::run_with_stdin(std::string_view name, const std::vector<std::string>& args) const
{
  const int fd = ::open((m_dir / name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw_errno(errno, "cannot open " + (m_dir / name).string());
  }
  RunningProgram program = start_with_stdin(fd, args);
  ::close(fd);
  return program.finish();
}

Result Sandbox::run_after(std::string_view prelude, const std::vector<std::string>& args) const
{
  return start_after(prelude, args).finish();
}

RunningProgram Sandbox::start_after(std::string_view prelude,
                                    const std::vector<std::string>& args) const
{
  // "$0" is "sh"; "$@" is fanout and its arguments.
  std::vector<std::string> shell_args{"-c", "set -e\n" + std::string(prelude) + "\nexec \"$@\"",
                                      "sh", FANOUT_BIN};
  for (const std::string& arg : with_suite_options(args)) {
    shell_args.push_back(arg);
  }
  return spawn("/bin/sh", shell_args, m_dir);
}

Result Sandbox::run_program(const std::string& program, const std::vector<std::string>& args) const
{
  return spawn(program, args, m_dir).finish();
}

} // namespace e2e
