// SPDX-License-Identifier: MIT
#include "exec/functions.hpp"

#include <cerrno>
#include <cstdio>
#include <dlfcn.h>
#include <exception>
#include <link.h>
#include <map>
#include <stdexcept>
#include <string>

namespace fanout {

namespace {

constexpr const char* k_version_symbol = "fanout_job_abi_version";

// `name` as the library behind `handle` defines it, or null. dlsym alone also
// searches the libraries it depends on: "getpid" would be found in libc and
// called as a job.
void* own_symbol(void* handle, const char* name)
{
  void* symbol = ::dlsym(handle, name);
  link_map* library = nullptr;
  Dl_info info;
  link_map* owner = nullptr;
  if (symbol == nullptr || ::dlinfo(handle, RTLD_DI_LINKMAP, &library) != 0 ||
      ::dladdr1(symbol, &info, reinterpret_cast<void**>(&owner), RTLD_DL_LINKMAP) == 0) {
    return nullptr;
  }
  return owner == library ? symbol : nullptr;
}

// One library, loaded or not.
struct Library {
  void* handle = nullptr;
  std::string problem;
};

Library load_library(const std::string& path)
{
  // RTLD_NOW: an unresolved symbol is found here, before any job starts,
  // not in the middle of a job. RTLD_LOCAL: libraries cannot collide.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return {nullptr, "cannot load " + path + ": " + (why ? why : "unknown error")};
  }
  const auto* version = static_cast<const unsigned*>(own_symbol(handle, k_version_symbol));
  if (version == nullptr) {
    return {nullptr, path + " is not a fanout job library: it has no " + k_version_symbol +
                       " (build it with FANOUT_JOB_LIBRARY; from fanout/job.h)"};
  }
  if (*version > FANOUT_JOB_ABI_VERSION) {
    return {nullptr, path + " was built for fanout/job.h version " + std::to_string(*version) +
                       ", newer than this fanout's " + std::to_string(FANOUT_JOB_ABI_VERSION)};
  }
  return {handle, {}};
}

// The entry of a job that calls `call` in `library`.
FunctionTable::Entry lookup(const Library& library, const CallSpec& call)
{
  if (library.handle == nullptr) {
    return {nullptr, library.problem};
  }
  if (void* symbol = own_symbol(library.handle, call.symbol.c_str())) {
    return {reinterpret_cast<fanout_job_fn*>(symbol), {}};
  }
  return {nullptr, call.library + " has no function " + call.symbol};
}

int stop_requested(const fanout_job* job)
{
  return static_cast<const std::atomic<bool>*>(job->internal)->load(std::memory_order_relaxed) ? 1
                                                                                               : 0;
}

} // namespace

FunctionTable::FunctionTable(const JobFile& file, const std::vector<JobId>& selected)
    : m_by_job(file.jobs.size(), nullptr)
{
  std::map<std::string, Library> libraries;
  const CallSpec* last_call = nullptr;
  const Entry* last_entry = nullptr;
  for (const JobId id : selected) {
    const CallSpec* call = file.jobs[id].call.get();
    if (call == nullptr) {
      continue;
    }
    // Jobs that call the same share their CallSpec, mostly one after another.
    if (call != last_call) {
      auto [entry, is_new] = m_entries.try_emplace({call->library, call->symbol});
      if (is_new) {
        auto found = libraries.find(call->library);
        if (found == libraries.end()) {
          found = libraries.emplace(call->library, load_library(call->library)).first;
        }
        entry->second = lookup(found->second, *call);
      }
      last_call = call;
      last_entry = &entry->second;
    }
    m_by_job[id] = last_entry;
  }
}

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
