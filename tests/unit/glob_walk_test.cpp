// SPDX-License-Identifier: MIT
#include "inputs/glob_walk.hpp"
#include "inputs_test_support.hpp"

#include <gtest/gtest.h>

#include <dirent.h>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

using fanout::GlobWalk;
namespace fs = std::filesystem;

namespace {

using Paths = std::vector<std::string>;

class GlobWalkTest : public fanout_test::TempFolderTest {
protected:
  // Every match of `pattern` in the temp folder.
  Paths walk(const std::string& pattern) const
  {
    GlobWalk walk(pattern, m_dir.string());
    Paths paths;
    while (std::optional<std::string> path = walk.next()) {
      paths.push_back(*path);
    }
    return paths;
  }

  // The tree the tests of `**` share.
  void make_data_tree() const
  {
    for (const char* name : {"data/a.csv", "data/x.csv", "data/x/b.csv", "data/x/deep/c.csv",
                             "data/y/d.csv", "data/z.txt", "data/.f.csv", "data/.hid/e.csv"}) {
      write(name, "");
    }
  }
};

TEST_F(GlobWalkTest, MatchesWithinOneComponentInBytewiseOrder)
{
  for (const char* name : {"b.csv", "a.csv", "B.csv", "c.txt", "ab.csv", "sub/d.csv"}) {
    write(name, "");
  }
  EXPECT_EQ(walk("*.csv"), (Paths{"B.csv", "a.csv", "ab.csv", "b.csv"}));
  EXPECT_EQ(walk("?.csv"), (Paths{"B.csv", "a.csv", "b.csv"}));
  EXPECT_EQ(walk("[ab]*.c??"), (Paths{"a.csv", "ab.csv", "b.csv"}));
  EXPECT_EQ(walk("[!a]*"), (Paths{"B.csv", "b.csv", "c.txt", "sub"}));
}

// The order is that of the whole paths, as bash -O globstar with LC_ALL=C
// prints them: "data/x.csv" before "data/x/b.csv".
TEST_F(GlobWalkTest, GlobstarMatchesZeroOrMoreFoldersDepthFirst)
{
  make_data_tree();
  EXPECT_EQ(walk("data/**/*.csv"), (Paths{"data/a.csv", "data/x.csv", "data/x/b.csv",
                                          "data/x/deep/c.csv", "data/y/d.csv"}));
  EXPECT_EQ(walk("**/deep/*"), (Paths{"data/x/deep/c.csv"}));
}

TEST_F(GlobWalkTest, TrailingGlobstarMatchesEverythingBelow)
{
  make_data_tree();
  EXPECT_EQ(walk("data/**"),
            (Paths{"data/a.csv", "data/x", "data/x.csv", "data/x/b.csv", "data/x/deep",
                   "data/x/deep/c.csv", "data/y", "data/y/d.csv", "data/z.txt"}));
}

TEST_F(GlobWalkTest, HiddenEntriesNeedALeadingDotInThePattern)
{
  make_data_tree();
  EXPECT_EQ(walk("data/*.csv"), (Paths{"data/a.csv", "data/x.csv"}));
  EXPECT_EQ(walk("data/.*"), (Paths{"data/.f.csv", "data/.hid"}));
  EXPECT_EQ(walk("data/.hid/*"), (Paths{"data/.hid/e.csv"}));
  EXPECT_EQ(walk("**/.*.csv"), (Paths{"data/.f.csv"}));
}

// A link back up makes no loop: "**" never goes through a link; a
// component that names or matches one does, as in the shell.
TEST_F(GlobWalkTest, GlobstarDoesNotFollowLinksToFolders)
{
  write("sub/a.csv", "");
  fs::create_directory_symlink("..", m_dir / "sub" / "loop");
  fs::create_directory_symlink("sub", m_dir / "link");
  EXPECT_EQ(walk("**/*.csv"), (Paths{"sub/a.csv"}));
  EXPECT_EQ(walk("**"), (Paths{"link", "sub", "sub/a.csv", "sub/loop"}));
  EXPECT_EQ(walk("*/a.csv"), (Paths{"link/a.csv", "sub/a.csv"}));
  EXPECT_EQ(walk("sub/loop/sub/*.csv"), (Paths{"sub/loop/sub/a.csv"}));
}

TEST_F(GlobWalkTest, NamesThatAreNotUtf8PassThrough)
{
  write("\xff\xfe.csv", "");
  write("\xc3\xa9.csv", "");
  EXPECT_EQ(walk("*.csv"), (Paths{"\xc3\xa9.csv", "\xff\xfe.csv"}));
}

TEST_F(GlobWalkTest, PathsAreSpelledAsInThePattern)
{
  make_data_tree();
  const std::string root = m_dir.string();
  EXPECT_EQ(walk("./data//y/*"), (Paths{"./data/y/d.csv"}));
  EXPECT_EQ(walk(root + "/data/y/*"), (Paths{root + "/data/y/d.csv"}));
  // An absolute pattern does not depend on the folder.
  GlobWalk absolute(root + "/data/*.txt", "/nowhere");
  EXPECT_EQ(absolute.next(), root + "/data/z.txt");
}

TEST_F(GlobWalkTest, ComponentsWithoutWildcardsAreNames)
{
  make_data_tree();
  write("data/a*.csv", "");
  EXPECT_EQ(walk("data/x/b.csv"), (Paths{"data/x/b.csv"}));
  EXPECT_EQ(walk("data/x/none.csv"), (Paths{}));
  EXPECT_EQ(walk("data/*/b.csv"), (Paths{"data/x/b.csv"}));
  EXPECT_EQ(walk("data/a\\*.csv"), (Paths{"data/a*.csv"}));
  EXPECT_EQ(walk("data/a\\*.c*"), (Paths{"data/a*.csv"}));
}

TEST_F(GlobWalkTest, TrailingSlashMatchesFoldersOnly)
{
  make_data_tree();
  fs::create_directory_symlink("x", m_dir / "data" / "link");
  EXPECT_EQ(walk("data/*/"), (Paths{"data/link/", "data/x/", "data/y/"}));
  EXPECT_EQ(walk("data/**/"), (Paths{"data/link/", "data/x/", "data/x/deep/", "data/y/"}));
  EXPECT_EQ(walk("data/x/"), (Paths{"data/x/"}));
  EXPECT_EQ(walk("data/z.txt/"), (Paths{}));
}

TEST_F(GlobWalkTest, SkipsFoldersItCannotRead)
{
  make_data_tree();
  fs::permissions(m_dir / "data" / "x", fs::perms::none);
  DIR* readable = ::opendir((m_dir / "data" / "x").c_str());
  if (readable != nullptr) {
    ::closedir(readable);
    fs::permissions(m_dir / "data" / "x", fs::perms::owner_all);
    GTEST_SKIP() << "permissions do not stop this user";
  }
  const Paths paths = walk("data/**/*.csv");
  fs::permissions(m_dir / "data" / "x", fs::perms::owner_all);
  EXPECT_EQ(paths, (Paths{"data/a.csv", "data/x.csv", "data/y/d.csv"}));
}

// A folder is read when the walk gets to it: a file made there after the
// first match is found.
TEST_F(GlobWalkTest, ReadsAFolderWhenTheWalkGetsThere)
{
  write("a/1.csv", "");
  write("b/2.csv", "");
  GlobWalk walk("*/*.csv", m_dir.string());
  EXPECT_EQ(walk.next(), "a/1.csv");
  write("b/3.csv", "");
  EXPECT_EQ(walk.next(), "b/2.csv");
  EXPECT_EQ(walk.next(), "b/3.csv");
  EXPECT_EQ(walk.next(), std::nullopt);
}

TEST_F(GlobWalkTest, StepsReadOneFolderAtATime)
{
  write("a/b/1.csv", "");
  GlobWalk walk("**/*.csv", m_dir.string());
  std::string path;
  std::vector<GlobWalk::Step> steps;
  GlobWalk::Step step = GlobWalk::Step::searching;
  while ((step = walk.step(path)) != GlobWalk::Step::done) {
    steps.push_back(step);
  }
  using enum GlobWalk::Step;
  // The top, a, b, then 1.csv.
  EXPECT_EQ(steps, (std::vector<GlobWalk::Step>{searching, searching, searching, found}));
  EXPECT_EQ(path, "a/b/1.csv");
}

} // namespace
