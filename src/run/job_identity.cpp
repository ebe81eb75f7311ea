// SPDX-License-Identifier: MIT
#include "run/job_identity.hpp"

#include <algorithm>

namespace fanout {

namespace {

// A bijective mix of a word's bits, each output bit depending on every
// input bit (the finaliser of the splitmix64 generator).
std::uint64_t scramble(std::uint64_t x)
{
  x ^= x >> 30;
  x *= 0xbf58'476d'1ce4'e5b9;
  x ^= x >> 27;
  x *= 0x94d0'49bb'1331'11eb;
  return x ^ (x >> 31);
}

// `path` made absolute from `here`, tidied, without a trailing slash: the
// same folder gives the same text wherever fanout was started from.
std::string absolute_from(const std::string& path, const std::filesystem::path& here)
{
  const std::filesystem::path given(path);
  std::string text = (given.is_absolute() ? given : here / given).lexically_normal().string();
  if (text.size() > 1 && text.back() == '/') {
    text.pop_back();
  }
  return text;
}

// What `job` runs, hashed: for a group, its templates as written.
std::uint64_t content_of(const JobSpec& job, const std::filesystem::path& here)
{
  StableHash hash;
  if (!job.cmd.empty()) {
    hash.add("cmd").add(job.cmd);
  } else if (job.call) {
    hash.add("call").add(absolute_from(job.call->library, here)).add(job.call->symbol);
    hash.add(job.call->args.size());
    for (const std::string& arg : job.call->args) {
      hash.add(arg);
    }
  } else {
    hash.add("argv").add(job.argv.size());
    for (const std::string& arg : job.argv) {
      hash.add(arg);
    }
  }
  hash.add(job.env.size());
  for (const auto& [name, value] : job.env) {
    hash.add(name).add(value);
  }
  return hash.add(absolute_from(job.cwd, here)).value();
}

} // namespace

StableHash& StableHash::add(std::string_view text)
{
  mix(text.size());
  // Little-endian words, whatever the machine's byte order; the last one
  // padded with zeros, which the length above tells apart.
  for (std::size_t at = 0; at < text.size(); at += 8) {
    std::uint64_t word = 0;
    const std::size_t end = std::min(text.size(), at + 8);
    for (std::size_t i = end; i > at; --i) {
      word = (word << 8) | static_cast<unsigned char>(text[i - 1]);
    }
    mix(word);
  }
  return *this;
}

StableHash& StableHash::add(std::uint64_t number)
{
  mix(number);
  return *this;
}

void StableHash::mix(std::uint64_t word)
{
  m_state = scramble(m_state ^ word) + 0x9e37'79b9'7f4a'7c15;
  ++m_words;
}

std::uint64_t StableHash::value() const
{
  return scramble(m_state ^ m_words);
}

std::uint64_t name_key(std::string_view name)
{
  return StableHash().add("name").add(name).value();
}

JobIdentity identity_of(const JobSpec& job, const std::filesystem::path& here)
{
  return {name_key(job.name), content_of(job, here)};
}

MemberIdentity::MemberIdentity(const JobSpec& group, bool numbered,
                               const std::filesystem::path& here)
    : m_group_key(name_key(group.name)), m_content(content_of(group, here)), m_numbered(numbered)
{
}

JobIdentity MemberIdentity::of(const InputValues& input) const
{
  StableHash key;
  key.add("member").add(m_group_key).add(input.values.size());
  for (const std::string& value : input.values) {
    key.add(value);
  }
  const std::uint64_t content =
    m_numbered ? StableHash().add(m_content).add(input.seq).value() : m_content;
  return {key.value(), content};
}

} // namespace fanout
