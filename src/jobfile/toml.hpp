// SPDX-License-Identifier: MIT
// toml++ as fanout compiles it in (header-only): the only place it is
// included, so every build and the fuzzer see the same settings.
#pragma once

// No formatters: fanout parses TOML, it never writes any.
#define TOML_ENABLE_FORMATTERS 0
// toml++ 3.3.0 asserts things about its input that input can break (the
// fuzzer found `[[ ;b]]`, where parse_key() asserts a key character and the
// parser, without the assert, reports the error it should). Debian builds
// the library with NDEBUG; this keeps its checks off in every build, Debug
// and fuzzing included.
#define TOML_ASSERT(expr) static_assert(true)

#include <toml++/toml.h>
