// SPDX-License-Identifier: MIT
// The steps with which test_child tells what it was given: its terminal,
// its stdin, its descriptors, their limit and its signal masks.

#include "test_child.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace test_child {

void print_terminal()
{
  const auto yes_no = [](bool yes) { return yes ? std::string("yes") : std::string("no"); };
  const bool foreground = ::isatty(STDIN_FILENO) == 1 && ::tcgetpgrp(STDIN_FILENO) == ::getpgrp();
  write_all(STDOUT_FILENO, "tty stdin=" + yes_no(::isatty(STDIN_FILENO) == 1) +
                             " stdout=" + yes_no(::isatty(STDOUT_FILENO) == 1) +
                             " stderr=" + yes_no(::isatty(STDERR_FILENO) == 1) +
                             " foreground=" + yes_no(foreground) + "\n");
}

void ask(std::string_view question)
{
  write_all(STDOUT_FILENO, std::string(question) + "\n");
  std::string line;
  char c = 0;
  while (::read(STDIN_FILENO, &c, 1) == 1 && c != '\n') {
    line += c;
  }
  write_all(STDOUT_FILENO, "answer " + line + "\n");
}

void print_descriptors()
{
  std::string line = "fds";
  DIR* stream = ::opendir("/proc/self/fd");
  if (stream == nullptr) {
    fail(k_system_error, "cannot read /proc/self/fd");
  }
  std::vector<int> fds;
  while (dirent* entry = ::readdir(stream)) {
    if (entry->d_name[0] != '.' && std::atoi(entry->d_name) != ::dirfd(stream)) {
      fds.push_back(std::atoi(entry->d_name));
    }
  }
  ::closedir(stream);
  std::sort(fds.begin(), fds.end());
  for (int fd : fds) {
    line += " " + std::to_string(fd);
  }
  char target[256] = {};
  ssize_t n = ::readlink("/proc/self/fd/0", target, sizeof target - 1);
  line += " stdin=";
  line += n > 0 ? std::string(target, static_cast<std::size_t>(n)) : "closed";
  write_all(STDOUT_FILENO, line + "\n");
}

void print_descriptor_limits()
{
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    fail(k_system_error, "getrlimit");
  }
  auto text = [](rlim_t value) {
    return value == RLIM_INFINITY ? std::string("unlimited") : std::to_string(value);
  };
  write_all(STDOUT_FILENO, "nofile " + text(limit.rlim_cur) + " " + text(limit.rlim_max) + "\n");
}

void print_signal_masks()
{
  int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fail(k_system_error, "cannot open /proc/self/status");
  }
  std::string status;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
    status.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  auto field = [&](const std::string& name) {
    auto at = status.find("\n" + name + ":\t");
    if (at == std::string::npos) {
      return std::string("?");
    }
    at += name.size() + 3;
    std::uint64_t mask = std::strtoull(status.c_str() + at, nullptr, 16);
    mask &= ~((std::uint64_t{1} << 31) | (std::uint64_t{1} << 32)); // signals 32 and 33
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(mask));
    return std::string(hex);
  };
  write_all(STDOUT_FILENO, "blocked=" + field("SigBlk") + " ignored=" + field("SigIgn") + "\n");
}

} // namespace test_child
