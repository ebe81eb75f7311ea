// SPDX-License-Identifier: MIT
#include "inputs/glob_walk.hpp"

#include <algorithm>
#include <dirent.h>
#include <fnmatch.h>
#include <memory>
#include <sys/stat.h>
#include <utility>

namespace fanout {
namespace {

enum class Links { follow, ignore };

// Whether the entry at `path`, of dirent type `type`, is a folder; with
// Links::follow a link to a folder is one. Most file systems give the type
// in the dirent, and then this asks the disk nothing.
bool is_folder(const std::string& path, unsigned char type, Links links)
{
  if (type == DT_DIR) {
    return true;
  }
  if (type != DT_UNKNOWN && !(type == DT_LNK && links == Links::follow)) {
    return false;
  }
  struct stat status {};
  const int result =
    links == Links::follow ? ::stat(path.c_str(), &status) : ::lstat(path.c_str(), &status);
  return result == 0 && S_ISDIR(status.st_mode);
}

} // namespace

GlobWalk::GlobWalk(std::string_view pattern, std::string folder)
    : m_folder(std::move(folder)), m_root(pattern.starts_with('/') ? 1 : 0, '/')
{
  m_folders_only = pattern.size() > 1 && pattern.ends_with('/');
  std::size_t start = 0;
  while (start < pattern.size()) {
    const std::size_t end = std::min(pattern.find('/', start), pattern.size());
    const std::string_view text = pattern.substr(start, end - start);
    start = end + 1;
    // "a//b" is "a/b"; and "**/**" matches what "**" does, twice over.
    if (text.empty() ||
        (text == "**" && !m_components.empty() && m_components.back().is_globstar)) {
      continue;
    }
    Component component{std::string(text), {}, text == "**", false};
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\' && i + 1 < text.size()) {
        component.literal += text[++i];
        continue;
      }
      component.has_wildcard =
        component.has_wildcard || text[i] == '*' || text[i] == '?' || text[i] == '[';
      component.literal += text[i];
    }
    m_components.push_back(std::move(component));
  }
}

GlobWalk::Step GlobWalk::step(std::string& path)
{
  if (!m_started) {
    m_started = true;
    if (!m_components.empty()) {
      enter(m_root, 0);
    }
  } else if (!m_frames.empty()) {
    Frame& frame = m_frames.back();
    Item item = std::move(frame.items[frame.taken++]);
    std::string found = frame.prefix + item.name;
    // A frame leaves as its last entry is taken, before the walk goes into
    // that entry: only the folders still to finish are held.
    if (frame.taken == frame.items.size()) {
      m_frames.pop_back();
    }
    if (found.ends_with('/')) {
      enter(std::move(found), item.index);
    } else {
      path = std::move(found);
      if (m_folders_only) {
        path += '/';
      }
      return Step::found;
    }
  }
  return m_frames.empty() ? Step::done : Step::searching;
}

std::optional<std::string> GlobWalk::next()
{
  std::string path;
  Step step_taken = Step::searching;
  while ((step_taken = step(path)) == Step::searching) {
  }
  if (step_taken == Step::found) {
    return path;
  }
  return std::nullopt;
}

void GlobWalk::enter(std::string prefix, std::size_t index)
{
  // Components without a wildcard are names: no need to read a folder to
  // find them, as the shell does not.
  while (index + 1 < m_components.size() && !m_components[index].has_wildcard) {
    prefix += m_components[index].literal;
    prefix += '/';
    ++index;
  }
  const Component& component = m_components[index];
  if (!component.has_wildcard) {
    const std::string path = on_disk(prefix + component.literal);
    struct stat status {};
    // A dangling link is a match, as it would be for `*`.
    const bool exists = m_folders_only
                          ? ::stat(path.c_str(), &status) == 0 && S_ISDIR(status.st_mode)
                          : ::lstat(path.c_str(), &status) == 0;
    if (exists) {
      m_frames.push_back(Frame{std::move(prefix), {Item{component.literal, index}}, 0});
    }
    return;
  }
  // A folder that cannot be read (no permission, not a folder, gone)
  // matches nothing, as in the shell.
  const std::unique_ptr<DIR, int (*)(DIR*)> folder(::opendir(on_disk(prefix).c_str()), &::closedir);
  if (!folder) {
    return;
  }
  Frame frame{std::move(prefix), {}, 0};
  while (const dirent* entry = ::readdir(folder.get())) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") {
      add_items(frame, name, entry->d_type, index);
    }
  }
  // Sorted as the paths they lead to: "x.csv" before "x/b.csv", since '.'
  // comes before '/'. Stable: of two ways into one folder, the one that
  // matches more of the pattern here ("**" matching nothing) comes first.
  std::stable_sort(frame.items.begin(), frame.items.end(),
                   [](const Item& a, const Item& b) { return a.name < b.name; });
  if (!frame.items.empty()) {
    m_frames.push_back(std::move(frame));
  }
}

void GlobWalk::add_items(Frame& frame, const std::string& name, unsigned char type,
                         std::size_t index) const
{
  if (!m_components[index].is_globstar) {
    add_match(frame, name, type, index);
    return;
  }
  const bool hidden = name.front() == '.';
  if (index + 1 < m_components.size()) {
    // "**" as no folder at all: the entry meets the next component.
    add_match(frame, name, type, index + 1);
  } else if (!hidden &&
             (!m_folders_only || is_folder(on_disk(frame.prefix + name), type, Links::follow))) {
    frame.items.push_back(Item{name, index});
  }
  // "**" as one folder more: never through a link, which could lead back up.
  if (!hidden && is_folder(on_disk(frame.prefix + name), type, Links::ignore)) {
    frame.items.push_back(Item{name + '/', index});
  }
}

void GlobWalk::add_match(Frame& frame, const std::string& name, unsigned char type,
                         std::size_t index) const
{
  // FNM_PERIOD: a leading '.' is matched by a '.' only.
  if (::fnmatch(m_components[index].text.c_str(), name.c_str(), FNM_PERIOD) != 0) {
    return;
  }
  if (index + 1 == m_components.size()) {
    if (!m_folders_only || is_folder(on_disk(frame.prefix + name), type, Links::follow)) {
      frame.items.push_back(Item{name, index});
    }
  } else if (type == DT_DIR || type == DT_LNK || type == DT_UNKNOWN) {
    frame.items.push_back(Item{name + '/', index + 1});
  }
}

std::string GlobWalk::on_disk(const std::string& path) const
{
  if (!m_root.empty() || m_folder.empty()) {
    return path.empty() ? std::string(".") : path;
  }
  return path.empty() ? m_folder : m_folder + '/' + path;
}

} // namespace fanout
