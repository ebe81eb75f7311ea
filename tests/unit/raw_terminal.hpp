// SPDX-License-Identifier: MIT
// A pseudo-terminal for unit tests of what fanout draws on a terminal.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace fanout_test {

// A pseudo-terminal in raw mode: what the console writes arrives unchanged.
struct Terminal {
  Terminal()
  {
    master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    EXPECT_GE(master, 0);
    EXPECT_EQ(::grantpt(master), 0);
    EXPECT_EQ(::unlockpt(master), 0);
    tty = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    termios mode{};
    ::tcgetattr(tty, &mode);
    ::cfmakeraw(&mode);
    ::tcsetattr(tty, TCSANOW, &mode);
  }
  ~Terminal()
  {
    ::close(tty);
    ::close(master);
  }
  std::string read(std::size_t size) const
  {
    std::string text;
    char buffer[256];
    while (text.size() < size) {
      const ssize_t n = ::read(master, buffer, sizeof buffer);
      if (n <= 0) {
        break;
      }
      text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
  }
  int master;
  int tty;
};

} // namespace fanout_test
