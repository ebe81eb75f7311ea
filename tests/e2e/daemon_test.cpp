// SPDX-License-Identifier: MIT
// End-to-end tests of daemons and readiness (fanout(1), JOB FILE): a daemon takes no
// slot, is stopped once every other job ended, is reported when it ends by
// itself, and the jobs that need it start once it is ready, by a line of its
// output or by a TCP connect to a real server (tests/helper/test_server.cpp).

#include "harness.hpp"
#include "summary_run.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using e2e::JobFile;
using e2e::lines_after;
using e2e::mask_times;
using e2e::name_of;
using e2e::Sandbox;
using e2e::SummaryRun;

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

std::string server()
{
  return TEST_SERVER_BIN;
}

} // namespace

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
                 "ready = { tcp = \"127.0.0.1:" +
                 port +
                 "\", timeout = \"20s\" }\n"
                 "argv = ['" +
                 server() + "', 'serve', '" + port +
                 "', '300']\n\n"
                 "[[job]]\nname = \"client\"\nneeds = [\"server\"]\n"
                 "argv = ['" +
                 server() + "', 'connect', '" + port + "']\n");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(lines_after(result.out, "server | "), std::vector<std::string>{"listening"});
  EXPECT_EQ(lines_after(result.out, "client | "), std::vector<std::string>{"connected"});
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
                                    "  server  stopped   -15   T  SIGTERM\n"
                                    "  client  ok          0   T\n");
}

// A function daemon that ignores its stop request: killed with its forked
// process in the process pool, abandoned on its thread in the thread pool.
// Either way it was stopped, which is no failure.
TEST(Daemon, FunctionThatIgnoresItsStopRequestIsStoppedInBothPools)
{
  Sandbox box;
  box.write_jobs(std::string("[[job]]\nname = \"service\"\ndaemon = true\ngrace = \"300ms\"\n"
                             "call = \"") +
                 TEST_JOBS_LIB +
                 ":block_forever\"\n\n"
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
            "  service  stopped     -   T  abandoned after 300ms grace: a thread cannot be killed\n"
            "  work     ok          0   T\n");
}

// The runs whose exit code and summary say it all: each is a test
// Daemon/JobFile.Run/NAME (summary_run.hpp).
const SummaryRun k_daemon_runs[] = {
  {"IsStoppedOnceEveryOtherJobEndedAndThatIsNoFailure",
   R"(
[[job]]
name = "service"
daemon = true
argv = ['@CHILD@', 'print', '1', 'up', 'sleep', '60000']

[[job]]
name = "work"
needs = ["service"]
argv = ['@CHILD@', 'print', '1', 'done']
)",
   {"-j", "1"},
   0,
   "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
   "  service  stopped   -15   T  SIGTERM\n"
   "  work     ok          0   T\n"},
  // At -j1 the work can only run beside the daemon if the daemon has no slot.
  {"TakesNoSlot",
   R"(
[[job]]
name = "service"
argv = ['@CHILD@', 'rendezvous', 'meet', '2', 'sleep', '60000']
daemon = true

[[job]]
name = "work"
argv = ['@CHILD@', 'rendezvous', 'meet', '2']
)",
   {"-j", "1"},
   0,
   "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
   "  service  stopped   -15   T  SIGTERM\n"
   "  work     ok          0   T\n"},
  {"ThatIgnoresSigtermIsKilledAfterItsGrace",
   R"(
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
)",
   {},
   0,
   "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
   "  service  stopped    -9   T  SIGKILL after 200ms grace\n"
   "  work     ok          0   T\n"},
  // The daemons end before the work does: it waits until fanout has reaped
  // both (a zombie still answers kill -0).
  {"ThatEndsByItselfIsReportedAndANonZeroExitFailsTheRun",
   R"(
[[job]]
name = "quits"
daemon = true
argv = ['@CHILD@', 'pidfile', 'quits.pid', 'exit', '0']

[[job]]
name = "crashes"
argv = ['@CHILD@', 'pidfile', 'crashes.pid', 'exit', '4']
daemon = true

[[job]]
name = "work"
cmd = "for f in quits.pid crashes.pid; do until [ -s $f ] && ! kill -0 $(cat $f) 2>/dev/null; do sleep 0.01; done; done"
)",
   {},
   1,
   "fanout: 3 jobs in T: 2 ok, 1 failed\n"
   "  quits    ok          0   T\n"
   "  crashes  failed      4   T\n"
   "  work     ok          0   T\n"},
  {"NotReadyInTimeFailsAndSkipsItsUsers",
   R"(
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
)",
   {},
   1,
   "fanout: 3 jobs in T: 1 ok, 1 failed, 1 skipped\n"
   "  service  failed    -15   T  not ready after 300ms\n"
   "  user     skipped     -       -  because service failed\n"
   "  other    ok          0   T\n"},
  {"ThatEndsBeforeItIsReadyFailsAndSkipsItsUsers",
   R"(
[[job]]
name = "service"
daemon = true
ready = { log = "ready" }
argv = ['@CHILD@', 'exit', '0']

[[job]]
name = "user"
needs = ["service"]
cmd = "true"
)",
   {},
   1,
   "fanout: 2 jobs in T: 1 failed, 1 skipped\n"
   "  service  failed      0   T  ended before it was ready\n"
   "  user     skipped     -       -  because service failed\n"},
  // [defaults] timeout is for the work: the service outlives it.
  {"KeepsNoTimeoutFromDefaultsOrTheCommandLine",
   R"(
[defaults]
timeout = "300ms"

[[job]]
daemon = true
name = "service"
argv = ['@CHILD@', 'sleep', '60000']

[[job]]
name = "work"
needs = ["service"]
timeout = "30s"
argv = ['@CHILD@', 'sleep', '600']
)",
   {"--timeout", "200ms"},
   0,
   "fanout: 2 jobs in T: 1 ok, 1 stopped\n"
   "  service  stopped   -15   T  SIGTERM\n"
   "  work     ok          0   T\n"},
  {"IsStoppedAfterAFailFastFailure",
   R"(
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
cmd = "true"
needs = ["broken"]
)",
   {"--fail-fast"},
   1,
   "fanout: 3 jobs in T: 1 failed, 1 stopped, 1 skipped\n"
   "  service  stopped   -15   T  SIGTERM\n"
   "  broken   failed      5   T\n"
   "  later    skipped     -       -  because broken failed\n"},
  // Every line of the service's output costs its ready regex all the work the
  // engine allows: (a|a)* can split twenty 'a's in 2^20 ways before '$' fails
  // at the number after them. Searching them must not hold up the event loop:
  // the timeout of each of the six attempts of the work, each retry and each
  // end are handled while most of those lines still wait to be searched.
  {"CostlyReadyRegexHoldsUpNoTimeoutNorStop",
   R"(
[[job]]
name = "service"
ready = { log = "^(a|a)*$", timeout = "20s" }
daemon = true
argv = ['@CHILD@', 'print', '100000', 'aaaaaaaaaaaaaaaaaaaa', 'sleep', '60000']

[[job]]
name = "work"
timeout = "200ms"
retries = 5
retry_delay = "10ms"
argv = ['@CHILD@', 'sleep', '60000']
)",
   {},
   1,
   "fanout: work timeout -15, retrying in 10ms (attempt 2 of 6)\n"
   "fanout: work#2 timeout -15, retrying in 20ms (attempt 3 of 6)\n"
   "fanout: work#3 timeout -15, retrying in 40ms (attempt 4 of 6)\n"
   "fanout: work#4 timeout -15, retrying in 80ms (attempt 5 of 6)\n"
   "fanout: work#5 timeout -15, retrying in 160ms (attempt 6 of 6)\n"
   "fanout: 2 jobs in T: 1 timed out, 1 stopped\n"
   "  service  stopped   -15   T  SIGTERM\n"
   "  work     timeout   -15   T  SIGTERM after 200ms (6 attempts)\n"},
};

INSTANTIATE_TEST_SUITE_P(Daemon, JobFile, testing::ValuesIn(k_daemon_runs), name_of);
