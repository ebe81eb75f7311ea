// SPDX-License-Identifier: MIT
#include "run/result_log.hpp"

#include <algorithm>

namespace fanout {

namespace {

// A result the summary may leave out once it lists too many: a success, or
// a daemon stopped at the end.
bool is_expected(const JobResult& result)
{
  return !fails_run(result) && !is_allowed_failure(result);
}

} // namespace

ResultLog::ResultLog(std::size_t row_limit) : m_row_limit(row_limit) {}

void ResultLog::add(JobResult result, JobId position, std::uint64_t seq)
{
  m_tally.add(result);
  if (m_tally.jobs <= m_row_limit || !is_expected(result)) {
    m_rows.push_back({position, seq, std::move(result)});
  }
}

void ResultLog::fill(Report& report)
{
  if (m_tally.jobs > m_row_limit) {
    std::erase_if(m_rows, [](const Row& row) { return is_expected(row.result); });
  }
  std::stable_sort(m_rows.begin(), m_rows.end(), [](const Row& a, const Row& b) {
    return a.position != b.position ? a.position < b.position : a.seq < b.seq;
  });
  report.results.clear();
  report.results.reserve(m_rows.size());
  for (Row& row : m_rows) {
    report.results.push_back(std::move(row.result));
  }
  report.unlisted = m_tally.jobs - report.results.size();
  report.tally = m_tally;
  m_rows.clear();
}

} // namespace fanout
