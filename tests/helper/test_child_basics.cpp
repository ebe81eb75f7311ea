// SPDX-License-Identifier: MIT
// The primitives every step of test_child uses: writing, failing, reading a
// number, sleeping.

#include "test_child.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>
#include <time.h>
#include <unistd.h>

namespace test_child {

void write_all(int fd, std::string_view data)
{
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      _exit(k_system_error);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

[[noreturn]] void fail(int code, std::string_view what)
{
  std::string message = "test_child: ";
  message += what;
  if (code == k_system_error) {
    message += ": ";
    message += std::strerror(errno);
  }
  message += '\n';
  write_all(STDERR_FILENO, message);
  _exit(code);
}

long long to_number(std::string_view text)
{
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    fail(k_bad_step, "not a number: " + std::string(text));
  }
  return value;
}

// Sleeps to an absolute deadline, so a trapped SIGTERM does not cut it short.
void sleep_ms(long long ms)
{
  timespec deadline{};
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += static_cast<time_t>(ms / 1000);
  deadline.tv_nsec += static_cast<long>(ms % 1000) * 1'000'000;
  if (deadline.tv_nsec >= 1'000'000'000) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1'000'000'000;
  }
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr) == EINTR) {
  }
}

} // namespace test_child
