// SPDX-License-Identifier: MIT
#pragma once

#include "report/atomic_file.hpp"
#include "run/run_events.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace fanout {

// A report file that a run writes as it goes (--json, --joblog, --junit): under a
// temporary name as jobs end, renamed over its path when the run is over,
// interrupted or not, and also when an exception ends the run. A reader
// sees the previous file or a whole new one.
class ReportFile : public RunObserver {
public:
  // Commits the file if the run did not get to (an exception ended it,
  // `why` is fanout's message), after the end that marks it incomplete;
  // then says why it could not be written ("PATH: No space left on
  // device"), or nothing when it was.
  std::optional<std::string> close(std::string_view why = {});

protected:
  // Creates the temporary file beside `path`. Throws fanout::Error naming
  // `path` when it cannot, or when `path` is empty or a folder: before any
  // job runs, not at the end.
  explicit ReportFile(std::string path);

  // Appends `bytes` to the file.
  void write(std::string_view bytes) { m_file.write(bytes); }

  // Replaces bytes written earlier, from `offset` (AtomicFile::overwrite).
  void overwrite(std::size_t offset, std::string_view bytes) { m_file.overwrite(offset, bytes); }

  // Commits the file: the run is over. Once; close() then only reports.
  void commit();

private:
  // Writes what ends the file of a run that did not finish; `why` is
  // fanout's error message, or empty.
  virtual void write_incomplete_end(std::string_view why) = 0;

  AtomicFile m_file;
  std::optional<std::string> m_failure;
  bool m_committed = false;
};

} // namespace fanout
