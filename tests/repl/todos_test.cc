#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include "repl/todos.h"
#include "test_support.h"

namespace omk::repl {
namespace {

TEST(Todos, ParsesMarkdownChecklistsOnly) {
  auto items = parse_checklist(
      "Plan:\n- [ ] write the parser\n* [x] add tests  \n+ [X] ship\n1. [ ] numbered\n"
      "- [] broken\n- [ ]\n  - [ ] nested item\ntext - [ ] inline\n");
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].title, "write the parser");
  EXPECT_FALSE(items[0].done);
  EXPECT_EQ(items[1].title, "add tests");
  EXPECT_TRUE(items[1].done);
  EXPECT_TRUE(items[2].done);
  EXPECT_EQ(items[3].title, "nested item");
}

TEST(Todos, SyncMergesByTitleAndWritesAPrivateFile) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / ".omk");
  sync_todos(dir.path(), {{"a", false}, {"b", false}}, "run-1", "turn-1");
  auto merged = sync_todos(dir.path(), {{"b", true}, {"c", false}}, "run-1", "turn-2");
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[1].title, "b");
  EXPECT_TRUE(merged[1].done);
  auto loaded = load_todos(dir.path());
  ASSERT_EQ(loaded.size(), 3u);
  EXPECT_EQ(loaded[2].title, "c");
  struct stat info {};
  ASSERT_EQ(::stat(todos_path(dir.path()).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto document = nlohmann::json::parse(test::read_text(todos_path(dir.path())));
  EXPECT_EQ(document["schema"], "omk.todos.v1");
  EXPECT_NE(render_todos(loaded).find("[x] b"), std::string::npos);
}

}  // namespace
}  // namespace omk::repl
