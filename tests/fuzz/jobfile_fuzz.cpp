// SPDX-License-Identifier: MIT
// libFuzzer target for the job-file parser: whatever the bytes, parse_jobfile
// returns a JobFile or throws fanout::Error. Any other exception escapes and
// aborts, so libFuzzer reports it as a crash, as it does sanitizer findings.
#include "error.hpp"
#include "jobfile/jobfile.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static const std::string path = "fuzz.toml";
  try {
    fanout::parse_jobfile(std::string_view(reinterpret_cast<const char*>(data), size), path);
  } catch (const fanout::Error&) {
    // The one expected way to refuse a file.
  }
  return 0;
}
