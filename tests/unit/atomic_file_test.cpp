// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "report/atomic_file.hpp"
#include "temp_folder_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fanout {
namespace {

class AtomicFileTest : public fanout_test::TempFolderTest {
protected:
  std::string read(const std::string& path) const
  {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // The names in the temp folder, sorted.
  std::vector<std::string> names() const
  {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir)) {
      found.push_back(entry.path().filename().string());
    }
    std::sort(found.begin(), found.end());
    return found;
  }
};

TEST_F(AtomicFileTest, ReplacesTheFileOnlyWhenCommitted)
{
  const std::string path = write("report.json", "old");
  AtomicFile file(path);
  file.write("new ");
  file.write(std::string(100'000, 'x'));
  EXPECT_EQ(read(path), "old");
  EXPECT_EQ(names().size(), 2u); // the old file and the temporary one

  EXPECT_EQ(file.commit(), std::nullopt);

  EXPECT_EQ(read(path), "new " + std::string(100'000, 'x'));
  EXPECT_EQ(names(), std::vector<std::string>{"report.json"});
}

TEST_F(AtomicFileTest, LeavesNothingWhenNotCommitted)
{
  const std::string path = (m_dir / "report.json").string();
  {
    AtomicFile file(path);
    file.write("partial");
  }
  EXPECT_TRUE(names().empty());
}

// Once while the bytes are still buffered, once after they went to the file.
TEST_F(AtomicFileTest, OverwritesWrittenBytesInPlaceAndAppendsAfterThem)
{
  const std::string path = (m_dir / "report.xml").string();
  AtomicFile file(path);
  file.write("<a n=\"?\" m=\"?\">");
  file.overwrite(3, "n=\"1\"");
  file.write(std::string(100'000, 'x'));
  file.overwrite(9, "m=\"2\"");
  file.write("</a>");

  EXPECT_EQ(file.commit(), std::nullopt);

  EXPECT_EQ(read(path), "<a n=\"1\" m=\"2\">" + std::string(100'000, 'x') + "</a>");
}

TEST_F(AtomicFileTest, AFolderThatIsMissingIsAnErrorNamingThePath)
{
  const std::string path = (m_dir / "missing" / "report.json").string();
  try {
    AtomicFile file(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "fanout: error: cannot write " + path + ": No such file or directory");
  }
}

} // namespace
} // namespace fanout
