// SPDX-License-Identifier: MIT
#include "run/resume_state.hpp"

#include <algorithm>
#include <optional>
#include <unordered_set>

namespace fanout {

namespace {

// The file: this header, a count of sections, each section (its owner, its
// flags, how many identities succeeded and failed, then those identities,
// key and content), and a StableHash of everything before it. Numbers are
// 64-bit little-endian.
constexpr std::string_view k_magic = "fanout-state";
constexpr std::uint32_t k_version = 1;
constexpr std::size_t k_header_size = k_magic.size() + 4;
constexpr std::size_t k_identity_size = 16;
constexpr std::uint64_t k_succeeded_flag = 1;

void put(std::string& out, std::uint64_t number, std::size_t bytes = 8)
{
  for (std::size_t i = 0; i < bytes; ++i) {
    out.push_back(static_cast<char>((number >> (8 * i)) & 0xff));
  }
}

std::uint64_t checksum(std::string_view bytes)
{
  return StableHash().add(bytes).value();
}

// Numbers taken from the front of the bytes, none past their end.
class Reader {
public:
  explicit Reader(std::string_view bytes) : m_rest(bytes) {}

  std::optional<std::uint64_t> number(std::size_t bytes = 8)
  {
    if (m_rest.size() < bytes) {
      return std::nullopt;
    }
    std::uint64_t value = 0;
    for (std::size_t i = bytes; i > 0; --i) {
      value = (value << 8) | static_cast<unsigned char>(m_rest[i - 1]);
    }
    m_rest.remove_prefix(bytes);
    return value;
  }

  // `count` identities, or nothing when fewer are left.
  std::optional<std::vector<JobIdentity>> identities(std::uint64_t count)
  {
    if (count > m_rest.size() / k_identity_size) {
      return std::nullopt;
    }
    std::vector<JobIdentity> list(count);
    for (JobIdentity& identity : list) {
      identity.key = *number();
      identity.content = *number();
    }
    return list;
  }

  bool at_end() const { return m_rest.empty(); }

private:
  std::string_view m_rest;
};

bool is_tidy(const std::vector<JobIdentity>& list)
{
  return std::adjacent_find(list.begin(), list.end(), std::greater_equal<>()) == list.end();
}

// Whether `list` (sorted) holds an identity with `key`.
bool has_key(const std::vector<JobIdentity>& list, std::uint64_t key)
{
  const auto it = std::lower_bound(list.begin(), list.end(), JobIdentity{key, 0});
  return it != list.end() && it->key == key;
}

} // namespace

bool StateSection::has_succeeded(const JobIdentity& identity) const
{
  return std::binary_search(ok.begin(), ok.end(), identity);
}

bool StateSection::has_failed(std::uint64_t key) const
{
  return has_key(failed, key);
}

bool StateSection::knows(std::uint64_t key) const
{
  return has_key(ok, key) || has_key(failed, key);
}

void StateSection::tidy()
{
  for (std::vector<JobIdentity>* list : {&ok, &failed}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
  std::erase_if(ok, [this](const JobIdentity& identity) {
    return std::binary_search(failed.begin(), failed.end(), identity);
  });
}

ResumeState::Reading ResumeState::read(std::string_view bytes)
{
  m_sections.clear();
  if (bytes.empty()) {
    return Reading::read;
  }
  if (!bytes.starts_with(k_magic)) {
    return Reading::foreign;
  }
  Reader header(bytes.substr(k_magic.size()));
  const auto version = header.number(4);
  if (!version) {
    return Reading::damaged;
  }
  if (*version != k_version) {
    return Reading::unknown_version;
  }
  // At least a count of sections and the checksum after the header.
  if (bytes.size() < k_header_size + 16) {
    return Reading::damaged;
  }
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  if (Reader(bytes.substr(body.size())).number() != checksum(body)) {
    return Reading::damaged;
  }
  Reader in(body.substr(k_header_size));
  std::optional<std::uint64_t> sections = in.number();
  for (std::uint64_t i = 0; sections && i < *sections; ++i) {
    const auto owner = in.number();
    const auto flags = in.number();
    const auto ok_count = in.number();
    const auto failed_count = in.number();
    auto ok = ok_count ? in.identities(*ok_count) : std::nullopt;
    auto failed = failed_count && ok ? in.identities(*failed_count) : std::nullopt;
    if (!owner || !flags || !ok || !failed || !is_tidy(*ok) || !is_tidy(*failed)) {
      sections.reset();
      break;
    }
    m_sections[*owner] = {(*flags & k_succeeded_flag) != 0, std::move(*ok), std::move(*failed)};
  }
  if (!sections || !in.at_end() || m_sections.size() != *sections) {
    m_sections.clear();
    return Reading::damaged;
  }
  return Reading::read;
}

std::string ResumeState::bytes() const
{
  std::vector<std::uint64_t> owners;
  owners.reserve(m_sections.size());
  for (const auto& [owner, section] : m_sections) {
    owners.push_back(owner);
  }
  std::sort(owners.begin(), owners.end());
  std::string out(k_magic);
  put(out, k_version, 4);
  put(out, owners.size());
  for (const std::uint64_t owner : owners) {
    const StateSection& section = m_sections.at(owner);
    put(out, owner);
    put(out, section.succeeded ? k_succeeded_flag : 0);
    put(out, section.ok.size());
    put(out, section.failed.size());
    for (const auto* list : {&section.ok, &section.failed}) {
      for (const JobIdentity& identity : *list) {
        put(out, identity.key);
        put(out, identity.content);
      }
    }
  }
  put(out, checksum(out));
  return out;
}

const StateSection* ResumeState::section(std::uint64_t owner) const
{
  const auto it = m_sections.find(owner);
  return it == m_sections.end() ? nullptr : &it->second;
}

void ResumeState::replace(std::uint64_t owner, StateSection newer)
{
  newer.tidy();
  newer.succeeded = newer.succeeded && newer.failed.empty();
  m_sections[owner] = std::move(newer);
}

void ResumeState::update(std::uint64_t owner, StateSection newer)
{
  newer.tidy();
  if (const StateSection* older = section(owner)) {
    const auto kept = [&newer](const JobIdentity& identity) { return !newer.knows(identity.key); };
    std::vector<JobIdentity> ok;
    std::vector<JobIdentity> failed;
    std::copy_if(older->ok.begin(), older->ok.end(), std::back_inserter(ok), kept);
    std::copy_if(older->failed.begin(), older->failed.end(), std::back_inserter(failed), kept);
    newer.ok.insert(newer.ok.end(), ok.begin(), ok.end());
    newer.failed.insert(newer.failed.end(), failed.begin(), failed.end());
  }
  replace(owner, std::move(newer));
}

void ResumeState::keep_only(std::span<const std::uint64_t> owners)
{
  const std::unordered_set<std::uint64_t> kept(owners.begin(), owners.end());
  std::erase_if(m_sections, [&kept](const auto& entry) { return !kept.contains(entry.first); });
}

} // namespace fanout
