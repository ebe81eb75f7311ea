// SPDX-License-Identifier: MIT
// The job file's text and the values in it that need no TOML to check:
// reading the file, names, symbols, paths.
#pragma once

#include <string>
#include <string_view>

namespace fanout {

// The whole job file. Throws fanout::Error, with the path and the reason,
// when it cannot be read or is bigger than any job file should be.
std::string read_file(const std::string& path);

// 1 to 128 letters, digits and _ . - : + @.
bool is_valid_name(std::string_view name);

bool contains_nul(std::string_view text);

// A C identifier, as a symbol `dlsym` can find must be.
bool is_c_identifier(std::string_view text);

// `path` (a `cwd`, a `call` library) taken from the job file's folder,
// tidied lexically; an absolute `path` as written.
std::string resolve_path(const std::string& path, const std::string& jobfile_path);

// A `call` library, resolved as `resolve_path` does. dlopen looks a name
// without a slash up in the system's library folders, not in the current
// one, so a library next to the job file is named "./libseed.so".
std::string resolve_library(const std::string& library, const std::string& jobfile_path);

} // namespace fanout
