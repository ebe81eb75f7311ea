// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fanout {

// Where make's jobserver is, as MAKEFLAGS names it (fanout(1), ENVIRONMENT).
struct JobserverAuth {
  enum class Form {
    none,    // no jobserver: no --jobserver-auth (nor the older --jobserver-fds)
    pipe,    // `R,W`: descriptors inherited from make (make 4.3 and older)
    fifo,    // `fifo:PATH`: a named pipe (make 4.4)
    invalid, // something else; `text` is the whole option
  };
  Form form = Form::none;
  int read_fd = -1; // pipe form
  int write_fd = -1;
  std::string fifo; // fifo form: the path
  std::string text; // the option as MAKEFLAGS wrote it, for messages
};

// The jobserver `makeflags` (MAKEFLAGS' value) names: its last
// `--jobserver-auth=` or `--jobserver-fds=` option before `--` (after which
// come variable definitions). `-j` alone names none. A pipe form needs two
// whole numbers, a fifo form a path; anything else is `invalid`.
JobserverAuth parse_jobserver_auth(std::string_view makeflags);

// `makeflags` without its `-j`/`-jN` and jobserver options: what a make run
// by a job sees when fanout cannot pass a jobserver on, so that it runs one
// recipe at a time. The rest is kept as it was written.
std::string without_jobserver(std::string_view makeflags);

// `makeflags` with fanout's own jobserver instead of any other: its
// options without `-j` and the jobserver's, then ` -jN --jobserver-auth=R,W`
// for `jobs` N and the pipe's descriptors, as make 4.3 writes them.
std::string with_jobserver(std::string_view makeflags, std::size_t jobs, int read_fd, int write_fd);

} // namespace fanout
