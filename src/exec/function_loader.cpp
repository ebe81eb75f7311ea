// SPDX-License-Identifier: MIT
// FunctionTable's loading of libraries, apart from the rest of the table: a
// fanout that never loads one (CMakeLists.txt, FANOUT_STATIC) links none of
// this, and so no dlopen.
#include "exec/functions.hpp"

#include <dlfcn.h>
#include <link.h>
#include <map>
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

} // namespace fanout
