// SPDX-License-Identifier: MIT
#pragma once

#include "output/console.hpp"
#include "output/line_tagger.hpp"
#include "output/output.hpp"

namespace fanout {

// Streams every job's lines as they complete (`--output lines`), tagged by a
// LineTagger. A job's stdout goes to the console's stdout, its stderr to its
// stderr. Each `write` call ends in at most one `Console::write`, holding
// whole lines only, so lines of different jobs never mix.
class PrefixedSink : public OutputSink {
public:
  // `width` is the padding (the longest tag of the run). The console must
  // outlive the sink.
  PrefixedSink(std::size_t width, Coloring coloring, Console& console);

  void start(JobId id, std::string_view tag) override;

  void write(JobId id, Stream stream, std::string_view bytes) override;

  // Prints the unfinished last line of `stream`, with a newline added.
  void close(JobId id, Stream stream) override;

private:
  LineTagger m_tagger;
  Console& m_console;
};

} // namespace fanout
