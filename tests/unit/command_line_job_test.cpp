// SPDX-License-Identifier: MIT
#include "cli/command_line_job.hpp"
#include "error.hpp"
#include "input_sources_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout {
namespace {

// The job file that `args` (after the program name) stand for.
JobFile jobfile_of(std::vector<const char*> args)
{
  args.insert(args.begin(), "fanout");
  return command_line_jobfile(
    std::get<Options>(parse_command_line(static_cast<int>(args.size()), args.data())));
}

// Every field of `job`, one per line, so that a test compares a whole job.
std::string job_text(const JobSpec& job)
{
  std::string text = "name " + job.name + "\ncmd " + job.cmd + "\nargv";
  for (const std::string& arg : job.argv) {
    text += " [" + arg + "]";
  }
  text += "\ncwd " + job.cwd.str() + "\n";
  if (job.call || !job.env.empty() || job.timeout || job.grace) {
    text += "call, env, timeout or grace set\n";
  }
  if (job.lifecycle) {
    const Lifecycle& life = *job.lifecycle;
    const bool only_retries = life.needs.empty() && !life.daemon && !life.ready &&
                              life.retry_delay == std::chrono::seconds(1) && !life.allow_failure;
    text += "retries " + std::to_string(life.retries) + (only_retries ? "\n" : " and more\n");
  }
  if (job.group) {
    text += job.group->origin == GroupSpec::Origin::command_line ? "group\n" : "other group\n";
    for (const std::string& source : test::sources_text(job.group->sources)) {
      text += source + "\n";
    }
  }
  return text;
}

// The only job of the job file that `args` stand for.
std::string only_job(std::vector<const char*> args)
{
  const JobFile file = jobfile_of(std::move(args));
  EXPECT_EQ(file.path, "command line");
  EXPECT_EQ(file.jobs.size(), 1u);
  return file.jobs.empty() ? "(none)" : job_text(file.jobs.front());
}

TEST(CommandLineJob, ArgumentsAreArgv)
{
  EXPECT_EQ(only_job({"--", "gzip", "-9", "-k", "{}", ":::", "a b.csv", "c.csv"}),
            "name gzip\ncmd \nargv [gzip] [-9] [-k] [{}]\ncwd .\ngroup\nvalues a b.csv c.csv\n");
}

TEST(CommandLineJob, OneArgumentWithShellSyntaxIsCmd)
{
  EXPECT_EQ(only_job({"--", "gzip < {} > {}.gz"}),
            "name gzip\ncmd gzip < {} > {}.gz\nargv\ncwd .\ngroup\nlines - NL\n");
  EXPECT_EQ(only_job({"-0", "--", "~/bin/convert", "::::", "/dev/null"}),
            "name convert\ncmd ~/bin/convert\nargv\ncwd .\ngroup\nlines /dev/null NUL\n");
}

TEST(CommandLineJob, AFileOfInputsThatCannotBeReadIsAUsageError)
{
  try {
    only_job({"--", "echo", "::::", "/nonexistent/list"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "fanout: error: cannot read inputs from \"/nonexistent/list\": No "
                           "such file or directory");
  }
}

TEST(CommandLineJob, AnUnknownPlaceholderIsAUsageError)
{
  try {
    only_job({"--", "echo", "{2}", ":::", "a"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "fanout: error: {2}: there is only 1 input source, in \"{2}\"");
  }
}

// A program alone, or arguments holding spaces: each token one argument.
TEST(CommandLineJob, PlainProgramOrSeveralArgumentsAreArgv)
{
  EXPECT_EQ(only_job({"--", "./tools/resize-{.}"}),
            "name resize-_._\ncmd \nargv [./tools/resize-{.}]\ncwd .\ngroup\nlines - NL\n");
  EXPECT_EQ(only_job({"--", "sh", "-c", "echo \"$1\" | wc -c", "sh", ":::", "x", ":::", "y"}),
            "name sh\ncmd \nargv [sh] [-c] [echo \"$1\" | wc -c] [sh]\ncwd .\ngroup\nvalues "
            "x\nvalues y\n");
  EXPECT_EQ(only_job({"--", "/opt/My App/run", "{}"}),
            "name run\ncmd \nargv [/opt/My App/run] [{}]\ncwd .\ngroup\nlines - NL\n");
}

// The name is the program's basename made a name, cut to 32 bytes; a shell
// command's program is its first word.
TEST(CommandLineJob, NameIsTheProgramsBasename)
{
  std::vector<std::string> names;
  for (const char* command :
       {"(cd {} && make)", "\"my tool\" {}", "$HOME/bin/x {}", "FOO=1 make {}", "<>",
        "/opt/a-program-with-a-very-long-name-indeed"}) {
    names.push_back(jobfile_of({"--", command}).jobs.at(0).name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"cd", "my", "x", "FOO_1", "cmd",
                                             "a-program-with-a-very-long-name-"}));
}

TEST(CommandLineJob, RetriesBecomeTheLifecycle)
{
  EXPECT_EQ(only_job({"--retries", "3", "--", "curl", "-fsS", "{}"}),
            "name curl\ncmd \nargv [curl] [-fsS] [{}]\ncwd .\nretries 3\ngroup\nlines - NL\n");
  EXPECT_EQ(only_job({"--retries", "0", "--", "curl"}),
            "name curl\ncmd \nargv [curl]\ncwd .\nretries 0\ngroup\nlines - NL\n");
}

} // namespace
} // namespace fanout
