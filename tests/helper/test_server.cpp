// SPDX-License-Identifier: MIT
// A tiny TCP service for the tests of daemons and `ready = { tcp = ... }`:
//   test_server serve PORT [DELAY_MS]  wait DELAY_MS, listen on 127.0.0.1:PORT,
//                                      print "listening", accept until killed
//   test_server connect PORT           connect once: print "connected" and
//                                      exit 0, or "refused" and exit 1
// The delay is the service's own start-up time, which fanout must wait for:
// the tests never sleep, they check what fanout let start and when.

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

namespace {

[[noreturn]] void fail(const std::string& what)
{
  std::fprintf(stderr, "test_server: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(2);
}

sockaddr_in loopback(const char* port)
{
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<unsigned short>(std::atoi(port)));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

void wait_ms(long ms)
{
  timespec left{ms / 1000, (ms % 1000) * 1'000'000};
  while (::nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

[[noreturn]] void serve(const char* port, long delay_ms)
{
  wait_ms(delay_ms);
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  const sockaddr_in address = loopback(port);
  if (::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener, 16) != 0) {
    fail("cannot listen on port " + std::string(port));
  }
  std::printf("listening\n");
  std::fflush(stdout);
  for (;;) {
    const int connection = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection >= 0) {
      ::close(connection);
    }
  }
}

int connect_once(const char* port)
{
  const int socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in address = loopback(port);
  const bool connected =
    ::connect(socket, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  std::printf(connected ? "connected\n" : "refused\n");
  return connected ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
  const std::string command = argc >= 3 ? argv[1] : "";
  if (command == "serve" && argc <= 4) {
    serve(argv[2], argc == 4 ? std::atol(argv[3]) : 0);
  }
  if (command == "connect" && argc == 3) {
    return connect_once(argv[2]);
  }
  std::fprintf(stderr, "usage: test_server serve PORT [DELAY_MS] | connect PORT\n");
  return 2;
}
