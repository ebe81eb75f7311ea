// SPDX-License-Identifier: MIT
// What the tests of shell quoting share: values that try to run code, and
// a temp folder to run /bin/sh in, where such code would leave a file.
#pragma once

#include "inputs/shell_quote.hpp"
#include "temp_folder_test.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdlib.h>
#include <string>
#include <sys/wait.h>
#include <utility>
#include <vector>

namespace fanout::test {

// The values a hostile input list may hold; each tries to run `touch pwned`,
// or to be read otherwise than as its bytes.
inline const std::vector<std::string> k_hostile_values = {
  "$(touch pwned)",
  "`touch pwned`",
  "; touch pwned",
  "&& touch pwned",
  "| touch pwned",
  "> pwned",
  "a'b",
  "'; touch pwned; '",
  "\"$(touch pwned)\"",
  "\"; touch pwned; \"",
  "two words",
  "line\nbreak\n",
  "x\ntouch pwned\n",
  "\ttab",
  "-n",
  "--help",
  "*",
  "?",
  "[a]",
  "~",
  "~root",
  "\\",
  "\\'",
  "\\\"",
  "\\$(touch pwned)",
  "`touch pwned`\\",
  "a=b",
  "$HOME",
  "${HOME}",
  "}$(touch pwned)",
  ")$(touch pwned)",
  "#comment",
  "!",
  "{a,b}",
  "if",
  "\xff\xfe",
  "",
  " ",
  "'",
  "''",
  "\"",
  "%1",
  "(x)",
  "<pwned",
};

// Runs `command` with /bin/sh -c in `dir`, returning its stdout and exit status.
inline std::pair<std::string, int> run_shell(const std::filesystem::path& dir,
                                             const std::string& command)
{
  const std::string script = "cd " + shell_quoted(dir.string()) + " && " + command;
  FILE* pipe = ::popen(script.c_str(), "r");
  if (pipe == nullptr) {
    return {"", -1};
  }
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    out.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

// A test in a temp folder of its own, kept when the test fails.
class ShellTest : public fanout_test::TempFolderTest {
protected:
  // What `command` printed in the folder, or its exit status and output.
  std::string printed_by(const std::string& command) const
  {
    const auto [out, status] = run_shell(m_dir, command);
    return status == 0 ? out : "exit status " + std::to_string(status) + ": " + out;
  }

  bool pwned() const { return std::filesystem::exists(m_dir / "pwned"); }
};

} // namespace fanout::test
