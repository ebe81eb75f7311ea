// SPDX-License-Identifier: MIT
#include "exec/functions.hpp"

#include <cerrno>
#include <cstdio>
#include <exception>
#include <map>
#include <stdexcept>
#include <string>

namespace fanout {

namespace {

int stop_requested(const fanout_job* job)
{
  return static_cast<const std::atomic<bool>*>(job->internal)->load(std::memory_order_relaxed) ? 1
                                                                                               : 0;
}

} // namespace

const FunctionTable::Entry& FunctionTable::at(JobId id) const
{
  const Entry* entry = id < m_by_job.size() ? m_by_job[id] : nullptr;
  if (entry == nullptr) {
    throw std::out_of_range("fanout: no function loaded for job " + std::to_string(id));
  }
  return *entry;
}

FunctionResult run_function(const FunctionCall& call)
{
  std::vector<char*> argv;
  argv.reserve(call.args->size() + 1);
  for (const std::string& arg : *call.args) {
    // The function's argv is `char**`, as main's; it gets its own copy
    // only if it writes into it, which it must not.
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  const fanout_job job{FANOUT_JOB_ABI_VERSION,
                       call.name,
                       static_cast<unsigned>(call.slot),
                       call.out,
                       call.err,
                       &stop_requested,
                       const_cast<std::atomic<bool>*>(call.stop)};
  FunctionResult result;
  try {
    result.code = call.function(&job, static_cast<int>(call.args->size()), argv.data());
  } catch (const std::exception& e) {
    result = {1, e.what()};
  } catch (...) {
    result = {1, "an exception that is not a std::exception"};
  }
  const auto is_open = [&](Stream stream) {
    return call.streams == nullptr || !call.streams->is_closed(stream);
  };
  if (!result.exception.empty() && is_open(Stream::err)) {
    std::fprintf(call.err, "%s\n", result.exception.c_str());
  }
  if (is_open(Stream::out)) {
    std::fflush(call.out);
  }
  if (is_open(Stream::err)) {
    std::fflush(call.err);
  }
  return result;
}

JobStreams::JobStreams(Sink sink, void* context)
    : m_sink(sink), m_context(context), m_ends{End{this, Stream::out}, End{this, Stream::err}}
{
  for (End& end : m_ends) {
    end.file = ::fopencookie(&end, "w", {nullptr, &write_end, nullptr, &close_end});
    if (end.file != nullptr) {
      std::setvbuf(end.file, nullptr, _IOLBF, BUFSIZ);
    }
  }
}

JobStreams::~JobStreams()
{
  for (End& end : m_ends) {
    if (end.file != nullptr && !end.closed) {
      std::fclose(end.file);
    }
  }
}

ssize_t JobStreams::write_end(void* cookie, const char* data, std::size_t size)
{
  const End& end = *static_cast<End*>(cookie);
  // Nothing may unwind through stdio, which holds the stream's lock here.
  int error = 0;
  try {
    error = end.streams->m_sink(end.streams->m_context, end.stream, std::string_view(data, size));
  } catch (...) {
    error = ENOMEM;
  }
  if (error != 0) {
    errno = error;
    return -1;
  }
  return static_cast<ssize_t>(size);
}

int JobStreams::close_end(void* cookie)
{
  // Called from fclose, which frees the FILE once this returns, whether
  // fanout or the function closed it.
  static_cast<End*>(cookie)->closed = true;
  return 0;
}

} // namespace fanout
