// SPDX-License-Identifier: MIT
// The shim between fanout and a function job: loading libraries and
// symbols (FunctionTable), and calling a function with its context.
#include "exec/functions.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

using namespace fanout;

namespace {

// A FILE* that collects what is written to it.
class Capture {
public:
  Capture() : m_file(open_memstream(&m_data, &m_size)) {}
  ~Capture()
  {
    std::fclose(m_file);
    std::free(m_data);
  }
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  FILE* file() const { return m_file; }
  std::string text() const
  {
    std::fflush(m_file);
    return std::string(m_data, m_size);
  }

private:
  char* m_data = nullptr;
  std::size_t m_size = 0;
  FILE* m_file;
};

int echo_context(const fanout_job* job, int argc, char** argv)
{
  std::fprintf(job->out, "%s %u %d", job->name, job->slot, job->stop_requested(job));
  for (int i = 0; i < argc; ++i) {
    std::fprintf(job->out, " %s", argv[i]);
  }
  std::fprintf(job->err, "argv[argc] %s", argv[argc] == nullptr ? "null" : "set");
  return 42;
}

int throws(const fanout_job*, int, char**)
{
  throw std::runtime_error("There was an error!");
}

struct Call {
  Capture out;
  Capture err;
  std::vector<std::string> args;
  std::atomic<bool> stop{false};

  FunctionResult run(fanout_job_fn* function)
  {
    return run_function({function, "unit", 3, out.file(), err.file(), &args, &stop});
  }
};

JobFile calls(const std::vector<std::string>& targets)
{
  JobFile file;
  for (const std::string& target : targets) {
    JobSpec& job = file.jobs.emplace_back();
    job.name = "job-" + std::to_string(file.jobs.size());
    const auto colon = target.rfind(':');
    job.call =
      std::make_shared<CallSpec>(CallSpec{target.substr(0, colon), target.substr(colon + 1), {}});
  }
  return file;
}

} // namespace

TEST(RunFunction, PassesTheContextAndReturnsTheCode)
{
  Call call;
  call.args = {"a", "b c"};
  call.stop = true;

  const FunctionResult result = call.run(&echo_context);

  EXPECT_EQ(result.code, 42);
  EXPECT_EQ(result.exception, "");
  EXPECT_EQ(call.out.text(), "unit 3 1 a b c");
  EXPECT_EQ(call.err.text(), "argv[argc] null");
}

TEST(RunFunction, ExceptionGivesCodeOneAndItsMessageOnStderr)
{
  Call call;

  const FunctionResult result = call.run(&throws);

  EXPECT_EQ(result.code, 1);
  EXPECT_EQ(result.exception, "There was an error!");
  EXPECT_EQ(call.err.text(), "There was an error!\n");
}

TEST(FunctionTable, FindsSeedFunctionsAndExplainsWhatIsMissing)
{
  const std::string seed = SEED_LIB;
  const JobFile file = calls({seed + ":worker", seed + ":nosuch", "/nonexistent/lib.so:f",
                              "/lib/x86_64-linux-gnu/libm.so.6:cos"});

  const FunctionTable table(file, {0, 1, 2, 3});

  EXPECT_NE(table.at(0).function, nullptr);
  EXPECT_EQ(table.at(0).problem, "");
  EXPECT_EQ(table.at(1).function, nullptr);
  EXPECT_EQ(table.at(1).problem, seed + " has no function nosuch");
  EXPECT_EQ(table.at(2).problem, "cannot load /nonexistent/lib.so: /nonexistent/lib.so: cannot "
                                 "open shared object file: No such file or directory");
  EXPECT_EQ(table.at(3).problem,
            "/lib/x86_64-linux-gnu/libm.so.6 is not a fanout job library: it has no "
            "fanout_job_abi_version (build it with FANOUT_JOB_LIBRARY; from fanout/job.h)");
}

TEST(FunctionTable, ASymbolOfALibraryItDependsOnIsNotItsFunction)
{
  const std::string seed = SEED_LIB;
  // libseed.so links libc, whose getpid and daemon dlsym alone would find.
  const JobFile file = calls({seed + ":getpid", seed + ":daemon"});

  const FunctionTable table(file, {0, 1});

  EXPECT_EQ(table.at(0).function, nullptr);
  EXPECT_EQ(table.at(0).problem, seed + " has no function getpid");
  EXPECT_EQ(table.at(1).problem, seed + " has no function daemon");
}

TEST(FunctionTable, JobsThatCallTheSameFunctionShareItsEntry)
{
  const std::string seed = SEED_LIB;
  const JobFile file = calls({seed + ":exit_ok", seed + ":worker", seed + ":exit_ok"});

  const FunctionTable table(file, {0, 1, 2});

  EXPECT_EQ(&table.at(2), &table.at(0));
  EXPECT_NE(&table.at(1), &table.at(0));
  EXPECT_NE(table.at(1).function, table.at(0).function);
}

TEST(FunctionTable, LoadsOnlyTheSelectedJobs)
{
  const JobFile file = calls({"/nonexistent/a.so:f", std::string(SEED_LIB) + ":exit_ok"});

  const FunctionTable table(file, {1});

  EXPECT_NE(table.at(1).function, nullptr);
  EXPECT_THROW(table.at(0), std::out_of_range);
}
