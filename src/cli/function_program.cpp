// SPDX-License-Identifier: MIT
#include "cli/function_program.hpp"

#include "error.hpp"
#include "exec/resource_limits.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <sys/mman.h>
#include <unistd.h>

namespace fanout {

namespace {

// The descriptor a job file path reads from when it names one: 0 for "-"
// and /dev/stdin, N for /dev/fd/N and /proc/self/fd/N; -1 otherwise.
int descriptor_of(std::string_view path)
{
  if (path == "-" || path == "/dev/stdin") {
    return STDIN_FILENO;
  }
  for (const std::string_view folder : {"/dev/fd/", "/proc/self/fd/"}) {
    if (path.starts_with(folder)) {
      const std::string_view number = path.substr(folder.size());
      int fd = -1;
      const auto [end, error] = std::from_chars(number.begin(), number.end(), fd);
      return error == std::errc() && end == number.end() ? fd : -1;
    }
  }
  return -1;
}

// Writes `text` into a file in memory that takes the place of descriptor
// `fd`, read from its start.
void put_back(int fd, const std::string& text, const std::string& path)
{
  const auto fail = [&path](const char* what) {
    throw Error("fanout: error: " + path + ": cannot keep the job file for function jobs: " + what +
                ": " + std::strerror(errno));
  };
  const int memory = ::memfd_create("fanout-jobfile", MFD_CLOEXEC);
  if (memory < 0) {
    fail("memfd_create");
  }
  std::string_view rest = text;
  while (!rest.empty()) {
    const ssize_t written = ::write(memory, rest.data(), rest.size());
    if (written < 0 && errno != EINTR) {
      fail("write");
    }
    rest.remove_prefix(static_cast<std::size_t>(std::max<ssize_t>(written, 0)));
  }
  if (::dup2(memory, fd) < 0 || ::lseek(fd, 0, SEEK_SET) != 0) {
    fail("dup2");
  }
  ::close(memory);
}

// `program` beside this executable, else in `folder` relative to it; the
// second place when neither holds it.
std::filesystem::path find_program(const char* program, const char* folder)
{
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::filesystem::path beside = self.parent_path() / program;
  if (::access(beside.c_str(), X_OK) == 0) {
    return beside;
  }
  return (self.parent_path() / folder / program).lexically_normal();
}

} // namespace

bool calls_functions(const JobFile& file, const std::vector<JobId>& selected)
{
  return std::any_of(selected.begin(), selected.end(),
                     [&file](JobId id) { return file.jobs[id].call != nullptr; });
}

void hand_over_run(const char* program, const char* folder, char** argv,
                   const std::string& jobfile_path,
                   const std::optional<std::string>& read_once_text)
{
  const std::filesystem::path path = find_program(program, folder);
  if (::access(path.c_str(), X_OK) != 0) {
    throw Error(
      "fanout: error: function jobs are run by " + path.string() + ", which " +
      (errno == ENOENT ? "is missing" : std::string("cannot be run: ") + std::strerror(errno)) +
      " (install fanout whole)");
  }
  if (read_once_text) {
    const int fd = descriptor_of(jobfile_path);
    if (fd < 0) {
      throw Error("fanout: error: " + jobfile_path +
                  ": a job file with function jobs is read a second time, so it must be a "
                  "regular file, stdin (-) or /dev/fd/N");
    }
    put_back(fd, *read_once_text, jobfile_path);
  }
  const rlimit limit = job_descriptor_limit();
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::execv(path.c_str(), argv);
  throw Error("fanout: error: cannot run " + path.string() + ": " + std::strerror(errno));
}

} // namespace fanout
