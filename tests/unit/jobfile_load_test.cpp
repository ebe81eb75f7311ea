// SPDX-License-Identifier: MIT
// load_jobfile: a job file read from a path (a file, a descriptor, a pipe or
// a link), the folder its paths resolve against, and the errors of reading it.
#include "error.hpp"
#include "jobfile/jobfile.hpp"
#include "temp_folder_test.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <tuple>
#include <unistd.h>
#include <vector>

namespace fanout {
namespace {

class LoadJobfile : public fanout_test::TempFolderTest {};

TEST_F(LoadJobfile, ResolvesCwdAgainstTheFilesFolder)
{
  const std::string path = write("ci.toml", "[[job]]\nname = \"a\"\ncmd = \"x\"\ncwd = \"sub\"\n");
  const JobFile file = load_jobfile(path);
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(std::tie(file.path, file.jobs[0].cwd), std::make_tuple(path, (m_dir / "sub").string()));
}

// /dev/stdin, /dev/fd/N and /proc/self/fd/N name a descriptor, whose folder
// is not the job file's, even when the file behind it is a regular one
// (`fanout -f /dev/stdin < conf/ci.toml`).
TEST_F(LoadJobfile, ThroughADescriptorResolvesAgainstTheCurrentFolder)
{
  std::filesystem::create_directory(m_dir / "conf");
  const std::string path =
    write("conf/ci.toml", "[[job]]\ncmd = \"x\"\ncwd = \"sub\"\n[[job]]\ncall = \"lib/x.so:f\"\n");
  std::vector<std::string> paths;
  for (const std::string folder : {"/dev/fd/", "/proc/self/fd/"}) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    const JobFile file = load_jobfile(folder + std::to_string(fd));
    ::close(fd);
    ASSERT_EQ(file.jobs.size(), 2u);
    paths.insert(paths.end(), {file.jobs[0].cwd, file.jobs[1].cwd, file.jobs[1].call->library});
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"sub", ".", "lib/x.so", "sub", ".", "lib/x.so"}));
}

TEST_F(LoadJobfile, FromAPipeResolvesAgainstTheCurrentFolder)
{
  std::filesystem::create_directory(m_dir / "conf");
  const std::string fifo = (m_dir / "conf" / "ci.toml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&fifo] { std::ofstream(fifo) << "[[job]]\ncmd = \"x\"\ncwd = \"sub\"\n"; });
  const JobFile file = load_jobfile(fifo);
  writer.join();
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cwd, "sub");
}

// A symbolic link to a job file is not a descriptor: the link's folder it is.
TEST_F(LoadJobfile, ThroughASymbolicLinkResolvesAgainstTheLinksFolder)
{
  std::filesystem::create_directory(m_dir / "conf");
  write("ci.toml", "[[job]]\ncmd = \"x\"\n");
  std::filesystem::create_symlink("../ci.toml", m_dir / "conf" / "link.toml");
  const JobFile file = load_jobfile((m_dir / "conf" / "link.toml").string());
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cwd, (m_dir / "conf").string());
}

TEST_F(LoadJobfile, ReportsAMissingFile)
{
  const std::string path = (m_dir / "missing.toml").string();
  try {
    load_jobfile(path);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              path + ": error: cannot read the job file: No such file or directory");
  }
}

TEST_F(LoadJobfile, ReportsAFolder)
{
  try {
    load_jobfile(m_dir.string());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              m_dir.string() + ": error: cannot read the job file: Is a directory");
  }
}

TEST_F(LoadJobfile, ReportsParseErrorsWithThePathAsGiven)
{
  const std::string path = write("ci.toml", "jobs = 1\n");
  try {
    load_jobfile(path);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              path + ":1:1: error: unknown key \"jobs\" (did you mean \"job\"?)\n"
                     "    1 | jobs = 1\n"
                     "      | ^");
  }
}

} // namespace
} // namespace fanout
