// SPDX-License-Identifier: MIT
#pragma once

#include "output/console.hpp"
#include "run/run_events.hpp"

#include <string>
#include <string_view>
#include <unordered_map>

namespace fanout {

// --log-dir: each attempt's output, both streams in the order they come,
// also goes to a file of its own in a folder, named by log_file_name. No
// job name, input or file already in the folder can make it write outside
// the folder: the folder is opened once, and each file is created in it
// with openat, O_EXCL and O_NOFOLLOW, after unlinkat removed what an
// earlier run (or anyone) left under that name, a symlink included. A file
// is open, and has a buffer, only while its attempt runs. A file that
// cannot be written is reported on the console (the first one as it
// happens, how many more at the end), and the run goes on.
class LogDir : public RunObserver {
public:
  // Opens the folder `dir`, creating it and its missing parents as
  // `mkdir -p` does. `dir` and the folders on its path may be symlinks: they
  // are the user's to choose. Throws Error when the folder cannot be made
  // or opened. The console must outlive the LogDir.
  LogDir(const std::string& dir, Console& console);
  ~LogDir() override;
  LogDir(const LogDir&) = delete;
  LogDir& operator=(const LogDir&) = delete;

  // Creates the attempt's file, replacing any file of that name.
  void job_started(const JobEvent& e) override;

  // Buffers `bytes` for the attempt's file, writing when the buffer is full.
  void job_output(const JobEvent& e, Stream stream, std::string_view bytes) override;

  // Writes what is buffered and closes the attempt's file.
  void attempt_ended(const JobEvent& e, const Outcome& outcome, Seconds elapsed) override;

  // Says how many files could not be written besides the one reported.
  void run_finished(const Report& report) override;

  // Whether a file could not be written: fanout then exits 1 rather than 0.
  bool has_failed() const { return m_failures > 0; }

private:
  struct OpenLog {
    int fd = -1; // -1 once the file failed
    std::string name;
    std::string buffer;
  };

  void write_out(OpenLog& log, std::string_view bytes);
  void flush(OpenLog& log);
  void fail(OpenLog& log, int error);

  std::string m_dir; // as the user wrote it, for messages
  int m_dir_fd;
  Console& m_console;
  std::unordered_map<JobId, OpenLog> m_open; // running attempts only
  std::size_t m_failures = 0;                // files that could not be written
};

} // namespace fanout
