#include "core/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/error.h"
#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;

size_t entries_in(const fs::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicFile, WritesContentAndMode) {
  test::TempDir tmp;
  fs::path file = tmp.path() / "a.json";
  write_file_atomic(file, "{}\n", 0600);
  EXPECT_EQ(test::read_text(file), "{}\n");
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(entries_in(tmp.path()), 1u) << "temp file left behind";
}

TEST(AtomicFile, ReplacesWholeFile) {
  test::TempDir tmp;
  fs::path file = tmp.path() / "state.json";
  write_file_atomic(file, std::string(100000, 'x'));
  write_file_atomic(file, "short");
  EXPECT_EQ(test::read_text(file), "short");
  EXPECT_EQ(entries_in(tmp.path()), 1u);
}

TEST(AtomicFile, MissingDirectoryIsAUserErrorNamingThePath) {
  test::TempDir tmp;
  fs::path file = tmp.path() / "no/such/dir/x";
  try {
    write_file_atomic(file, "x");
    FAIL();
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kUsage);
    EXPECT_NE(std::string(error.what()).find(file.string()), std::string::npos);
  }
}

TEST(AtomicFile, ReplacingADirectoryFailsAndLeavesNoTemp) {
  test::TempDir tmp;
  fs::create_directories(tmp.path() / "d/inner");
  EXPECT_THROW(write_file_atomic(tmp.path() / "d", "x"), UserError);
  EXPECT_EQ(entries_in(tmp.path()), 1u);
  EXPECT_TRUE(fs::is_directory(tmp.path() / "d/inner"));
}

TEST(AtomicFile, ReadDistinguishesAbsentFromUnreadable) {
  test::TempDir tmp;
  EXPECT_FALSE(read_file_if_exists(tmp.path() / "absent").has_value());
  test::write_text(tmp.path() / "present", "data");
  EXPECT_EQ(read_file_if_exists(tmp.path() / "present").value(), "data");
  EXPECT_THROW(read_file_if_exists(tmp.path()), UserError);
}

}  // namespace
}  // namespace omk
