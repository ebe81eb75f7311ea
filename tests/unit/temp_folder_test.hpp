// SPDX-License-Identifier: MIT
// A unit test with a temp folder of its own.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace fanout_test {

// A test with a temp folder of its own, removed after, kept and named when
// the test fails.
class TempFolderTest : public ::testing::Test {
protected:
  void SetUp() override
  {
    std::string pattern = (std::filesystem::temp_directory_path() / "fanout_unit.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
  }

  void TearDown() override
  {
    if (HasFailure()) {
      std::cerr << "kept " << m_dir << '\n';
    } else {
      std::filesystem::remove_all(m_dir);
    }
  }

  // Writes `bytes` to the file `name` of the temp folder, making its
  // folders; returns its path.
  std::string write(const std::string& name, const std::string& bytes) const
  {
    const std::filesystem::path path = m_dir / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  std::filesystem::path m_dir;
};

} // namespace fanout_test
