#include "process/prompt_file.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "test_support.h"

namespace omk::process {
namespace {
namespace fs = std::filesystem;

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

TEST(PromptFile, IsPrivateAndRemovedAfterwards) {
  test::TempDir tmp;
  fs::path file, dir;
  {
    PromptFile prompt(tmp.path(), "do the thing");
    file = prompt.path();
    dir = file.parent_path();
    EXPECT_EQ(test::read_text(file), "do the thing");
    EXPECT_EQ(mode_of(file), 0600u);
    EXPECT_EQ(mode_of(dir), 0700u);
    EXPECT_EQ(dir.parent_path(), tmp.path());
  }
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::exists(dir));
}

TEST(PromptFile, IsRemovedWhenTheRunFails) {
  test::TempDir tmp;
  fs::path dir;
  try {
    PromptFile prompt(tmp.path(), "x");
    dir = prompt.path().parent_path();
    throw std::runtime_error("the agent failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_TRUE(fs::is_empty(tmp.path()));
}

}  // namespace
}  // namespace omk::process
