// SPDX-License-Identifier: MIT
#include "output/prefixed_sink.hpp"

namespace fanout {

PrefixedSink::PrefixedSink(std::size_t width, Coloring coloring, Console& console)
    : m_tagger(width, coloring), m_console(console)
{
}

void PrefixedSink::start(JobId id, std::string_view tag)
{
  m_tagger.start(id, tag);
}

void PrefixedSink::write(JobId id, Stream stream, std::string_view bytes)
{
  m_console.write(stream, m_tagger.tag(id, stream, bytes));
}

void PrefixedSink::close(JobId id, Stream stream)
{
  m_console.write(stream, m_tagger.close(id, stream));
}

} // namespace fanout
