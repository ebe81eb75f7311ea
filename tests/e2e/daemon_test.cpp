// SPDX-License-Identifier: MIT
// End-to-end tests of daemons and readiness (DESIGN §7): a daemon takes no
// slot, is stopped once every other job ended, is reported when it ends by
// itself, and the jobs that need it start once it is ready, by a line of its
// output or by a TCP connect to a real server (tests/helper/test_server.cpp).

#include "harness.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <vector>
#include <unistd.h>

using e2e::lines_after;
using e2e::mask_times;
using e2e::Sandbox;

namespace {

// A loopback port nobody listens on now: bound to port 0, then released.
std::string free_port()
{
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return std::to_string(ntohs(address.sin_port));
}

std::string server() { return TEST_SERVER_BIN; }

} // namespace

TEST(Daemon, IsStoppedOnceEveryOtherJobEndedAndThatIsNoFailure)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "service"
daemon = true
argv = ['@CHILD@', 'print', '1', 'up', 'sleep', '60000']

[[job]]
name = "work"
needs = ["service"]
argv = ['@CHILD@', 'print', '1', 'done']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
                                    "  service  stopped   -15   T  SIGTERM\n"
                                    "  work     ok          0   T\n");
}

TEST(Daemon, TakesNoSlot)
{
  Sandbox box;
  // At -j1 the work can only run beside the daemon if the daemon has no slot.
  box.write_jobs(R"(
[[job]]
name = "service"
daemon = true
argv = ['@CHILD@', 'rendezvous', 'meet', '2', 'sleep', '60000']

[[job]]
name = "work"
argv = ['@CHILD@', 'rendezvous', 'meet', '2']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
                                    "  service  stopped   -15   T  SIGTERM\n"
                                    "  work     ok          0   T\n");
}

TEST(Daemon, ThatIgnoresSigtermIsKilledAfterItsGrace)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "service"
daemon = true
grace = "200ms"
ready = { log = "^up" }
argv = ['@CHILD@', 'ignore-term', 'print', '1', 'up', 'sleep', '60000']

[[job]]
name = "work"
needs = ["service"]
cmd = "true"
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
                                    "  service  stopped    -9   T  SIGKILL after 200ms grace\n"
                                    "  work     ok          0   T\n");
}

TEST(Daemon, ThatEndsByItselfIsReportedAndANonZeroExitFailsTheRun)
{
  Sandbox box;
  // The daemons end before the work does: it waits until fanout has reaped
  // both (a zombie still answers kill -0).
  box.write_jobs(R"(
[[job]]
name = "quits"
daemon = true
argv = ['@CHILD@', 'pidfile', 'quits.pid', 'exit', '0']

[[job]]
name = "crashes"
daemon = true
argv = ['@CHILD@', 'pidfile', 'crashes.pid', 'exit', '4']

[[job]]
name = "work"
cmd = "for f in quits.pid crashes.pid; do until [ -s $f ] && ! kill -0 $(cat $f) 2>/dev/null; do sleep 0.01; done; done"
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 2 ok, 1 failed\n"
                                    "  quits    ok          0   T\n"
                                    "  crashes  failed      4   T\n"
                                    "  work     ok          0   T\n");
}

TEST(Daemon, ReadyByLogStartsItsUsersOnlyOnceTheLineCame)
{
  Sandbox box;
  // The daemon marks the log before it prints its ready line: a user that
  // started on the daemon's start rather than its line would come first.
  box.write_jobs(R"(
[[job]]
name = "service"
daemon = true
ready = { log = "^accepting connections$", timeout = "20s" }
argv = ['@CHILD@', 'print', '1', 'starting', 'sleep', '300', 'mark', 'order.log', 'service',
        'eprint', 'accepting connections', 'sleep', '60000']

[[job]]
name = "user"
needs = ["service"]
argv = ['@CHILD@', 'mark', 'order.log', 'user']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(box.read_file("order.log"), "service\nuser\n");
}

TEST(Daemon, ReadyByTcpStartsItsUsersOnceTheServerAccepts)
{
  Sandbox box;
  const std::string port = free_port();
  // The server takes 300 ms to listen; its user connects once and fails if
  // it is refused.
  box.write_jobs("[[job]]\nname = \"server\"\ndaemon = true\n"
                 "ready = { tcp = \"127.0.0.1:" + port + "\", timeout = \"20s\" }\n"
                 "argv = ['" + server() + "', 'serve', '" + port + "', '300']\n\n"
                 "[[job]]\nname = \"client\"\nneeds = [\"server\"]\n"
                 "argv = ['" + server() + "', 'connect', '" + port + "']\n");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(lines_after(result.out, "server | "), std::vector<std::string>{"listening"});
  EXPECT_EQ(lines_after(result.out, "client | "), std::vector<std::string>{"connected"});
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
                                    "  server  stopped   -15   T  SIGTERM\n"
                                    "  client  ok          0   T\n");
}

TEST(Daemon, NotReadyInTimeFailsAndSkipsItsUsers)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "service"
daemon = true
ready = { log = "never printed", timeout = "300ms" }
argv = ['@CHILD@', 'print', '1', 'starting', 'sleep', '60000']

[[job]]
name = "user"
needs = ["service"]
cmd = "true"

[[job]]
name = "other"
cmd = "true"
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 1 ok, 1 failed, 1 skipped\n"
                                    "  service  failed    -15   T  not ready after 300ms\n"
                                    "  user     skipped     -       -  because service failed\n"
                                    "  other    ok          0   T\n");
}

TEST(Daemon, ThatEndsBeforeItIsReadyFailsAndSkipsItsUsers)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "service"
daemon = true
ready = { log = "ready" }
argv = ['@CHILD@', 'exit', '0']

[[job]]
name = "user"
needs = ["service"]
cmd = "true"
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 failed, 1 skipped\n"
                                    "  service  failed      0   T  ended before it was ready\n"
                                    "  user     skipped     -       -  because service failed\n");
}

// A function daemon that ignores its stop request: killed with its forked
// process in the process pool, abandoned on its thread in the thread pool.
// Either way it was stopped, which is no failure.
TEST(Daemon, FunctionThatIgnoresItsStopRequestIsStoppedInBothPools)
{
  Sandbox box;
  box.write_jobs(std::string("[[job]]\nname = \"service\"\ndaemon = true\ngrace = \"300ms\"\n"
                             "call = \"") + TEST_JOBS_LIB + ":block_forever\"\n\n"
                 "[[job]]\nname = \"work\"\nneeds = [\"service\"]\ncmd = \"true\"\n");

  auto process = box.run({"--pool", "process"});
  auto thread = box.run({"--pool", "thread"});

  EXPECT_EQ(process.exit_code, 0);
  EXPECT_EQ(mask_times(process.err), "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
                                     "  service  stopped   -15   T  SIGTERM\n"
                                     "  work     ok          0   T\n");
  EXPECT_EQ(thread.exit_code, 0);
  EXPECT_EQ(mask_times(thread.err),
            "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
            "  service  stopped     0   T  abandoned after 300ms grace: a thread cannot be killed\n"
            "  work     ok          0   T\n");
}

// [defaults] timeout is for the work: the service outlives it.
TEST(Daemon, KeepsNoTimeoutFromDefaultsOrTheCommandLine)
{
  Sandbox box;
  box.write_jobs(R"(
[defaults]
timeout = "300ms"

[[job]]
name = "service"
daemon = true
argv = ['@CHILD@', 'sleep', '60000']

[[job]]
name = "work"
needs = ["service"]
timeout = "30s"
argv = ['@CHILD@', 'sleep', '600']
)");

  auto result = box.run({"--timeout", "200ms"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
                                    "  service  stopped   -15   T  SIGTERM\n"
                                    "  work     ok          0   T\n");
}

TEST(Daemon, IsStoppedAfterAFailFastFailure)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "service"
daemon = true
argv = ['@CHILD@', 'sleep', '60000']

[[job]]
name = "broken"
needs = ["service"]
argv = ['@CHILD@', 'exit', '5']

[[job]]
name = "later"
needs = ["broken"]
cmd = "true"
)");

  auto result = box.run({"--fail-fast"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 1 failed, 1 stopped, 1 skipped\n"
                                    "  service  stopped   -15   T  SIGTERM\n"
                                    "  broken   failed      5   T\n"
                                    "  later    skipped     -       -  because broken failed\n");
}

// Every line of the service's output costs its ready regex all the work the
// engine allows: (a|a)* can split twenty 'a's in 2^20 ways before '$' fails
// at the number after them. Searching them must not hold up the event loop:
// each timeout of the work, one after the other, and each end are handled
// while most of those lines still wait to be searched, and the run ends.
TEST(Daemon, CostlyReadyRegexHoldsUpNoTimeoutNorStop)
{
  Sandbox box;
  box.write_jobs(R"(
[defaults]
timeout = "200ms"

[[job]]
name = "service"
daemon = true
ready = { log = "^(a|a)*$", timeout = "50s" }
argv = ['@CHILD@', 'print', '100000', 'aaaaaaaaaaaaaaaaaaaa', 'sleep', '60000']

[[job]]
name = "w1"
argv = ['@CHILD@', 'sleep', '60000']

[[job]]
name = "w2"
argv = ['@CHILD@', 'sleep', '60000']

[[job]]
name = "w3"
argv = ['@CHILD@', 'sleep', '60000']

[[job]]
name = "w4"
argv = ['@CHILD@', 'sleep', '60000']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 5 jobs in T: 4 timed out, 1 stopped\n"
                                    "  service  stopped   -15   T  SIGTERM\n"
                                    "  w1       timeout   -15   T  SIGTERM after 200ms\n"
                                    "  w2       timeout   -15   T  SIGTERM after 200ms\n"
                                    "  w3       timeout   -15   T  SIGTERM after 200ms\n"
                                    "  w4       timeout   -15   T  SIGTERM after 200ms\n");
}
