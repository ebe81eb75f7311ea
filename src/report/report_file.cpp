// SPDX-License-Identifier: MIT
#include "report/report_file.hpp"

#include "error.hpp"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace fanout {

namespace {

// `path` when a report can be written there; a folder would only fail
// the rename at the end of the run.
std::string checked_path(std::string path)
{
  struct stat status {};
  int error = 0;
  if (path.empty()) {
    error = ENOENT;
  } else if (::stat(path.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) {
    error = EISDIR;
  }
  if (error != 0) {
    const std::string shown = path.empty() ? "\"\"" : path;
    throw Error("fanout: error: cannot write " + shown + ": " + std::strerror(error));
  }
  return path;
}

} // namespace

ReportFile::ReportFile(std::string path) : m_file(checked_path(std::move(path)))
{
}

void ReportFile::commit()
{
  if (!m_committed) {
    m_committed = true;
    m_failure = m_file.commit();
  }
}

std::optional<std::string> ReportFile::close(std::string_view why)
{
  if (!m_committed) {
    write_incomplete_end(why);
    commit();
  }
  return m_failure;
}

} // namespace fanout
