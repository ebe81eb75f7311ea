// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// The paths a glob pattern matches, found as they are asked for. In a
// component of the pattern, `*`, `?` and `[...]` match as in the shell
// (fnmatch(3), a backslash quoting the next character), and a leading `.`
// only matches a `.` written there; a component `**` matches zero or more
// folders, never hidden ones, and never enters a symbolic link, so a link
// to a parent makes no loop; a last component `**` matches everything under
// its folder. A pattern ending in `/` matches folders only. Paths come as
// the pattern spells them ("data/x/a.csv", or "/abs/..." for an absolute
// pattern), depth first, each folder's entries in the bytewise order of
// the paths they give, as a globstar shell sorts them. Folders that cannot
// be read are skipped. A folder is read when the walk reaches it: memory
// holds the entries of one folder per level of the walk, whatever the
// number of matches.
class GlobWalk {
public:
  enum class Step {
    found,     // `path` holds the next match
    searching, // a step was taken: ask again
    done,      // there are no more
  };

  // Matches `pattern` from the folder `folder` ("" for the current one);
  // reads nothing yet.
  GlobWalk(std::string_view pattern, std::string folder);

  // One step of the walk: takes one entry of a folder read earlier, or
  // reads one folder. A caller that must be able to stop the walk quickly
  // steps; others use `next`.
  Step step(std::string& path);

  // The next match, or nothing after the last.
  std::optional<std::string> next();

private:
  struct Component {
    std::string text;    // as written: a fnmatch(3) pattern
    std::string literal; // without its backslashes, when it has no wildcard
    bool is_globstar = false;
    bool has_wildcard = false;
  };
  // An entry of a folder: a match (`name`), or a folder to go into
  // (`name` ends in '/') for the components from `index` on.
  struct Item {
    std::string name;
    std::size_t index = 0;
  };
  struct Frame {
    std::string prefix; // the folder's path as the pattern spells it, "" or ending in '/'
    std::vector<Item> items;
    std::size_t taken = 0;
  };

  void enter(std::string prefix, std::size_t index);
  void add_items(Frame& frame, const std::string& name, unsigned char type,
                 std::size_t index) const;
  void add_match(Frame& frame, const std::string& name, unsigned char type,
                 std::size_t index) const;
  std::string on_disk(const std::string& path) const;

  std::vector<Component> m_components;
  std::string m_folder;
  std::string m_root; // "/" for an absolute pattern, else ""
  bool m_folders_only = false;
  bool m_started = false;
  std::vector<Frame> m_frames;
};

} // namespace fanout
