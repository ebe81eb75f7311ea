// SPDX-License-Identifier: MIT
#include "jobfile/jobfile_sections.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace fanout {
namespace {

using Kind = JobFileSection::Kind;

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

bool is_bare_key_character(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// What a table header says: `[[job]]` is an array, `[job.ready]` nested in
// table "job".
struct Header {
  bool is_array = false;
  std::string_view first_key;
  bool is_nested = false;
};

// The header that starts at `text[at]` (a '['), when its keys are bare;
// nothing for any other, quoted keys and broken headers included.
std::optional<Header> read_header(std::string_view text, std::size_t at)
{
  Header header;
  std::size_t i = at + 1;
  if (i < text.size() && text[i] == '[') {
    header.is_array = true;
    ++i;
  }
  const auto skip_blanks = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
      ++i;
    }
  };
  for (bool is_first = true;; is_first = false) {
    skip_blanks();
    const std::size_t key = i;
    while (i < text.size() && is_bare_key_character(text[i])) {
      ++i;
    }
    if (i == key) {
      return std::nullopt;
    }
    if (is_first) {
      header.first_key = text.substr(key, i - key);
    } else {
      header.is_nested = true;
    }
    skip_blanks();
    if (i == text.size() || text[i] != '.') {
      break;
    }
    ++i;
  }
  if (text.substr(i, header.is_array ? 2 : 1) != (header.is_array ? "]]" : "]")) {
    return std::nullopt;
  }
  return header;
}

// Whether `text` is UTF-8 as RFC 3629 has it: no overlong forms, no
// surrogates, nothing past U+10FFFF.
bool is_utf8(std::string_view text)
{
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // The length of the sequence, and the range its second byte must be in.
    std::size_t length = 1;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      low = byte == 0xE0 ? 0xA0 : low;
      high = byte == 0xED ? 0x9F : high;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      low = byte == 0xF0 ? 0x90 : low;
      high = byte == 0xF4 ? 0x8F : high;
    } else if (byte >= 0x80) {
      return false;
    }
    if (text.size() - i < length) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

// Just past the end of the string whose opening quote is `text[at]`, as
// toml++ reads it: escapes in basic strings, and a multi-line string's
// closing quotes followed by up to two more that belong to its text. A
// single-line string not closed on its line ends at the newline, where
// toml++ reports it.
std::size_t end_of_string(std::string_view text, std::size_t at)
{
  const char quote = text[at];
  const bool is_basic = quote == '"';
  const bool is_multi_line = text.substr(at, 3) == (is_basic ? "\"\"\"" : "'''");
  std::size_t i = at + (is_multi_line ? 3 : 1);
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\\' && is_basic) {
      i += 2;
    } else if (c == '\n' && !is_multi_line) {
      return i;
    } else if (c != quote) {
      ++i;
    } else if (!is_multi_line) {
      return i + 1;
    } else {
      std::size_t run = 1;
      while (i + run < text.size() && text[i + run] == quote) {
        ++run;
      }
      if (run >= 3) {
        return i + std::min<std::size_t>(run, 5);
      }
      i += run;
    }
  }
  return text.size();
}

using Visit = std::function<void(const JobFileSection&)>;

// Cuts a job file into sections, header by header.
class Splitter {
public:
  Splitter(std::string_view text, const Visit& visit) : m_text(text), m_visit(visit) {}

  // Calls `visit` with each section; false when the file is not made of
  // sections (see `JobFileSections`), which may be after some calls.
  bool split()
  {
    std::size_t depth = 0; // arrays and inline tables open
    bool is_line_start = true;
    std::size_t i = m_text.starts_with(k_utf8_bom) ? k_utf8_bom.size() : 0;
    while (i < m_text.size()) {
      const char c = m_text[i];
      if (c == '\n') {
        is_line_start = true;
        m_line_begin = ++i;
        continue;
      }
      // A '\r' of a "\r\n" counts as a blank; toml++ refuses any other.
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
        continue;
      }
      const bool is_first_on_line = std::exchange(is_line_start, false);
      if (c == '#') {
        i = std::min(m_text.find('\n', i), m_text.size());
        continue;
      }
      if (c == '[' && depth == 0 && is_first_on_line) {
        if (!take_header(i)) {
          return false;
        }
      } else if (!m_section) {
        // A key before the first header.
        return false;
      }
      if (c == '"' || c == '\'') {
        i = end_of_string(m_text, i);
        continue;
      }
      if (c == '[' || c == '{') {
        ++depth;
      } else if ((c == ']' || c == '}') && depth > 0) {
        --depth;
      }
      ++i;
    }
    if (!m_section) {
      return false;
    }
    finish(m_text.size());
    return true;
  }

private:
  // Starts a section at the header at `at`, or leaves it in the current
  // one; false when the file cannot be cut there.
  bool take_header(std::size_t at)
  {
    const std::optional<Header> header = read_header(m_text, at);
    if (!header) {
      return false;
    }
    if (header->is_nested) {
      // [job.ready] belongs to the last [[job]], [defaults.env] to
      // [defaults]: cut elsewhere, they would be tables of their own.
      return m_section && ((header->first_key == "job" && m_section->kind == Kind::job) ||
                           (header->first_key == "defaults" && m_section->kind == Kind::defaults));
    }
    if (header->first_key == "job" && header->is_array) {
      start(Kind::job);
      return true;
    }
    if (header->first_key == "defaults" && !header->is_array && !m_has_defaults) {
      m_has_defaults = true;
      start(Kind::defaults);
      return true;
    }
    if (header->first_key == "pools" && !header->is_array && !m_has_pools) {
      m_has_pools = true;
      start(Kind::pools);
      return true;
    }
    return false;
  }

  void start(Kind kind)
  {
    if (!m_section) {
      // Blank lines and comments before the first header are its section's.
      m_section = JobFileSection{0, 0, 1, kind};
      return;
    }
    finish(m_line_begin);
    m_line += static_cast<std::size_t>(
      std::count(m_text.begin() + m_section->begin, m_text.begin() + m_line_begin, '\n'));
    m_section = JobFileSection{m_line_begin, 0, m_line, kind};
  }

  void finish(std::size_t end)
  {
    m_section->end = end;
    m_visit(*m_section);
  }

  std::string_view m_text;
  const Visit& m_visit;
  std::optional<JobFileSection> m_section; // the one being read
  bool m_has_defaults = false;
  bool m_has_pools = false;
  std::size_t m_line_begin = 0; // where the line being read begins
  std::size_t m_line = 1;       // m_section's first line
};

} // namespace

JobFileSections::JobFileSections(std::string_view text) : m_text(text)
{
  const Visit count = [this](const JobFileSection& section) {
    if (section.kind == Kind::job) {
      ++m_job_count;
    } else {
      (section.kind == Kind::defaults ? m_defaults : m_pools) = section;
    }
  };
  // toml++ decodes its input in blocks of 32 bytes counted from its start,
  // and reports bad UTF-8 as it decodes a block: which of two errors close
  // together comes first would depend on where a section starts.
  m_is_whole = !is_utf8(text) || !Splitter(text, count).split();
  if (m_is_whole) {
    m_job_count = 0;
    m_defaults.reset();
    m_pools.reset();
  }
}

void JobFileSections::for_each(const Visit& visit) const
{
  if (m_is_whole) {
    visit(JobFileSection{0, m_text.size(), 1, Kind::whole});
  } else {
    Splitter(m_text, visit).split();
  }
}

} // namespace fanout
