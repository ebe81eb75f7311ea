// SPDX-License-Identifier: MIT
#include "report/listing.hpp"

#include "inputs/member_list.hpp"

namespace fanout {

namespace {

// The length of the printable character that `text` starts with: 1 for a
// printable ASCII byte, 2 to 4 for a well-formed UTF-8 sequence that is not
// a C1 control (U+0080 to U+009F); 0 when it starts with anything else.
std::size_t printable_length(std::string_view text)
{
  const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    return lead >= 0x20 && lead != 0x7f ? 1 : 0;
  }
  // The lead byte gives the length, and the smallest second byte that does
  // not make an overlong form, a surrogate or a code point past U+10FFFF.
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    low = lead == 0xc2 ? 0xa0 : 0x80; // U+0080 to U+009F are controls
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    low = lead == 0xe0 ? 0xa0 : 0x80;
    high = lead == 0xed ? 0x9f : 0xbf;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    low = lead == 0xf0 ? 0x90 : 0x80;
    high = lead == 0xf4 ? 0x8f : 0xbf;
  }
  if (length == 0 || text.size() < length || byte(1) < low || byte(1) > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) {
      return 0;
    }
  }
  return length;
}

bool is_printable(std::string_view text)
{
  while (!text.empty()) {
    const std::size_t length = printable_length(text);
    if (length == 0) {
      return false;
    }
    text.remove_prefix(length);
  }
  return true;
}

// `text` in bash's $'...' quotes: what is not printable as an escape, so
// that it stays on one line and cannot upset the terminal.
std::string ansi_c_quote(std::string_view text)
{
  constexpr std::string_view k_hex = "0123456789abcdef";
  std::string quoted = "$'";
  while (!text.empty()) {
    const std::size_t length = printable_length(text);
    const char c = text.front();
    if (c == '\\' || c == '\'') {
      quoted += '\\';
      quoted += c;
    } else if (length > 0) {
      quoted += text.substr(0, length);
    } else if (c == '\n') {
      quoted += "\\n";
    } else if (c == '\t') {
      quoted += "\\t";
    } else if (c == '\r') {
      quoted += "\\r";
    } else {
      // Always two digits, so that a hex digit after it stays a character.
      const auto byte = static_cast<unsigned char>(c);
      quoted += "\\x";
      quoted += k_hex[byte >> 4];
      quoted += k_hex[byte & 0xf];
    }
    text.remove_prefix(length > 0 ? length : 1);
  }
  return quoted + "'";
}

// Each of `words`, shell-quoted, after a space unless `text` is empty.
void append_quoted(std::string& text, const std::vector<std::string>& words)
{
  for (const std::string& word : words) {
    if (!text.empty()) {
      text += ' ';
    }
    text += shell_quote(word);
  }
}

// `job`'s line: its name, and with `commands` what it runs.
void append_entry(std::string& text, const JobSpec& job, Listing listing)
{
  text += job.name;
  if (listing == Listing::commands) {
    text += ": ";
    text += command_text(job);
  }
  text += '\n';
}

} // namespace

std::string shell_quote(const std::string& arg)
{
  constexpr std::string_view k_safe =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,:/@%";
  if (!arg.empty() && arg.find_first_not_of(k_safe) == std::string::npos) {
    return arg;
  }
  if (!is_printable(arg)) {
    return ansi_c_quote(arg);
  }
  std::string quoted = "'";
  for (const char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string command_text(const JobSpec& job)
{
  std::string text;
  if (job.call) {
    text += "call ";
    text += shell_quote(job.call->library + ':' + job.call->symbol);
    append_quoted(text, job.call->args);
  } else if (!job.cmd.empty() && is_printable(job.cmd)) {
    text += job.cmd;
  } else if (!job.cmd.empty()) {
    // Spread over lines, or holding what the terminal would act on: the
    // command fanout runs, quoted as one argument.
    text += "/bin/sh -c ";
    text += shell_quote(job.cmd);
  } else {
    append_quoted(text, job.argv);
  }
  return text;
}

void write_listing(const JobFile& file, const std::vector<JobId>& selected, Listing listing,
                   const std::function<void(std::string_view)>& out)
{
  std::string line;
  const auto list = [&](const JobSpec& job) {
    line.clear();
    append_entry(line, job, listing);
    out(line);
  };
  for (const JobId id : selected) {
    if (file.jobs[id].group) {
      for_each_member(file.jobs[id], list);
    } else {
      list(file.jobs[id]);
    }
  }
}

std::string format_listing(const JobFile& file, const std::vector<JobId>& selected, Listing listing)
{
  std::string text;
  write_listing(file, selected, listing, [&text](std::string_view line) { text += line; });
  return text;
}

} // namespace fanout
