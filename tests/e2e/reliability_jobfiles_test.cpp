// SPDX-License-Identifier: MIT
// Reliability suite, hostile job files: a corpus of broken TOML
// and schema errors. Each must stop fanout before any job starts, with exit
// code 2 exactly (not 134 or 139: no abort, no crash), nothing on stdout, and
// a message located as `<file>:<line>:<col>: error: ` (`<file>: error: ` when
// the file cannot be read). The harness's ceiling turns a hang into a
// failure. The corpus is built here rather than kept in files, since several
// entries are binary or a megabyte long. The positions of TOML syntax errors
// are those toml++ 3.3 (Debian 12) reports.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using e2e::Sandbox;
using namespace std::string_literals;

namespace {

struct Hostile {
  std::string name;     // the job file's name, without ".toml"
  std::string contents; // written as is (no @CHILD@ in here)
  std::string location; // what the message starts with, after "<name>.toml"
};

std::string nested(const std::string& open, const std::string& middle, const std::string& close,
                   int depth)
{
  std::string text;
  for (int i = 0; i < depth; ++i) {
    text += open;
  }
  text += middle;
  for (int i = 0; i < depth; ++i) {
    text += close;
  }
  return text;
}

std::vector<Hostile> corpus()
{
  const std::string job = "[[job]]\nname = \"a\"\n";
  const std::string megabyte(1 << 20, 'a');
  const std::string daemon = job + "cmd = \"true\"\ndaemon = true\n";
  return {
    // Broken TOML.
    {"truncated_string", job + "cmd = \"ec", ":3:10"},
    {"truncated_header", "[[jo", ":1:5"},
    {"truncated_after_equals", job + "cmd =", ":3:6"},
    {"binary", "\x00\x01\x02\xff\xfe\x7f\x80garbage\n"s, ":1:3"},
    {"invalid_utf8_in_string", job + "cmd = \"\xc3\x28\"\n", ":3:7"},
    {"invalid_utf8_in_comment", job + "cmd = \"true\" # \xff\xfe\n", ":3:15"},
    {"nul_byte_in_string", job + "cmd = \"a\x00b\"\n"s, ":3:9"},
    {"huge_integer", job + "cmd = \"true\"\ntimeout = 99999999999999999999999999\n", ":4:37"},
    {"huge_float", job + "cmd = \"true\"\ntimeout = 1e400\n", ":4:16"},
    {"deeply_nested_arrays", job + "argv = " + nested("[", "", "]", 100'000) + "\n", ":3:264"},
    {"deeply_nested_tables", job + "env = " + nested("{a = ", "1", "}", 100'000) + "\n", ":3:1287"},
    {"duplicate_table", "[defaults]\ntimeout = \"1s\"\n[defaults]\ngrace = \"1s\"\n", ":3:1"},
    {"duplicate_key", job + "cmd = \"true\"\ncmd = \"false\"\n", ":4:7"},
    {"megabyte_line_of_junk", job + "cmd = \"true\"\n" + megabyte + "\n", ":4:1048577"},
    // Valid TOML, wrong schema.
    {"empty_file", "", ":1:1"},
    {"job_is_a_table", "[job]\nname = \"a\"\ncmd = \"true\"\n", ":1:1"},
    {"unknown_top_level_key", "jobs = 1\n", ":1:1"},
    {"name_is_a_number", "[[job]]\nname = 5\ncmd = \"true\"\n", ":2:8"},
    {"megabyte_name", "[[job]]\nname = \"" + megabyte + "\"\ncmd = \"true\"\n", ":2:8"},
    {"argv_is_a_string", job + "argv = \"true\"\n", ":3:8"},
    {"argv_holds_a_number", job + "argv = [\"true\", 1]\n", ":3:17"},
    {"argv_is_empty", job + "argv = []\n", ":3:8"},
    {"env_is_a_number", job + "cmd = \"true\"\nenv = 3\n", ":4:7"},
    {"timeout_is_a_boolean", job + "cmd = \"true\"\ntimeout = true\n", ":4:11"},
    {"timeout_is_negative", job + "cmd = \"true\"\ntimeout = -1\n", ":4:11"},
    {"timeout_overflows", job + "cmd = \"true\"\ntimeout = \"99999999999999999999h\"\n", ":4:11"},
    {"nul_escape_in_cmd", job + "cmd = \"a\\u0000b\"\n", ":3:7"},
    {"cmd_and_argv", job + "cmd = \"true\"\nargv = [\"true\"]\n", ":4:1"},
    {"no_command", job, ":1:1"},
    {"call_without_colon", job + "call = \"libx.so\"\n", ":3:8"},
    {"call_without_symbol", job + "call = \"libx.so:\"\n", ":3:8"},
    {"call_symbol_not_an_identifier", job + "call = \"lib/x.so:a-b\"\n", ":3:8"},
    {"call_is_an_array", job + "call = [\"x.so\", \"f\"]\n", ":3:8"},
    {"megabyte_of_colons_in_call", job + "call = \"" + std::string(1 << 20, ':') + "\"\n", ":3:8"},
    {"nul_escape_in_call", job + "call = \"x.so\\u0000:f\"\n", ":3:8"},
    {"cmd_and_call", job + "cmd = \"true\"\ncall = \"x.so:f\"\n", ":4:1"},
    {"args_with_cmd", job + "cmd = \"true\"\nargs = [\"a\"]\n", ":4:1"},
    {"args_before_argv", job + "args = [\"a\"]\nargv = [\"true\"]\n", ":3:1"},
    {"args_without_command", job + "args = [\"a\"]\n", ":1:1"},
    {"args_is_a_string", job + "call = \"x.so:f\"\nargs = \"a\"\n", ":4:8"},
    {"args_holds_a_number", job + "call = \"x.so:f\"\nargs = [1]\n", ":4:9"},
    {"nul_escape_in_args", job + "call = \"x.so:f\"\nargs = [\"\\u0000\"]\n", ":4:9"},
    {"unknown_need", job + "cmd = \"true\"\nneeds = [\"b\"]\n", ":4:10"},
    {"needs_itself", job + "cmd = \"true\"\nneeds = [\"a\"]\n", ":4:1"},
    {"needs_cycle",
     "[[job]]\nname = \"b\"\ncmd = \"true\"\nneeds = [\"a\"]\n" + job +
       "cmd = \"true\"\nneeds = [\"b\"]\n",
     ":4:1"},
    {"needs_is_a_table", job + "cmd = \"true\"\nneeds = { a = 1 }\n", ":4:9"},
    {"ready_without_daemon", job + "cmd = \"true\"\nready = { log = \"up\" }\n", ":4:1"},
    {"ready_without_target", daemon + "ready = { timeout = \"1s\" }\n", ":5:9"},
    {"ready_with_unknown_key", daemon + "ready = { port = 80 }\n", ":5:11"},
    {"ready_timeout_zero", daemon + "ready = { log = \"up\", timeout = 0 }\n", ":5:33"},
    {"bad_regex", daemon + "ready = { log = \"[z-a]\" }\n", ":5:17"},
    {"megabyte_regex", daemon + "ready = { log = \"" + nested("(", "a", ")", 1 << 19) + "\" }\n",
     ":5:17"},
    {"bad_port", daemon + "ready = { tcp = \"127.0.0.1:70000\" }\n", ":5:17"},
    {"host_name", daemon + "ready = { tcp = \"db.internal:6379\" }\n", ":5:17"},
    {"negative_retries", job + "cmd = \"true\"\nretries = -1\n", ":4:11"},
    {"retries_on_a_daemon", daemon + "retries = 1\n", ":5:1"},
    {"daemon_is_a_string", job + "cmd = \"true\"\ndaemon = \"yes\"\n", ":4:10"},
  };
}

} // namespace

TEST(ReliabilityJobFiles, EveryHostileFileExits2WithALocatedMessageAndRunsNothing)
{
  Sandbox box;
  for (const Hostile& hostile : corpus()) {
    SCOPED_TRACE(hostile.name);
    std::string file = hostile.name + ".toml";
    box.write_file(file, hostile.contents);

    auto result = box.run({"-f", file});

    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.out, "");
    std::string prefix = file + hostile.location + ": error: ";
    EXPECT_TRUE(result.err.starts_with(prefix))
      << "expected it to start with \"" << prefix << "\"; it is \"" << result.err.substr(0, 200)
      << "\"";
  }
}

TEST(ReliabilityJobFiles, UnreadableJobFileExits2NamingTheFile)
{
  Sandbox box;
  box.write_file("folder.toml/inside", "");

  auto result = box.run({"-f", "folder.toml"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "folder.toml: error: cannot read the job file: Is a directory\n");
}
