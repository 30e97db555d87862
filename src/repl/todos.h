#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace omk::repl {

// A markdown checklist item from the agent's final message: `- [ ] title` or `- [x] title`.
struct TodoItem {
  std::string title;
  bool done = false;
};

std::vector<TodoItem> parse_checklist(std::string_view text);

// .omk/todos.json: the session's checklist, merged by title (the newest state wins, new items
// appended in order). Written atomically (0600), titles through the redactor.
std::filesystem::path todos_path(const std::filesystem::path& project_root);
std::vector<TodoItem> load_todos(const std::filesystem::path& project_root);
// Merges `items` in and writes the file; returns the merged list.
std::vector<TodoItem> sync_todos(const std::filesystem::path& project_root,
                                 const std::vector<TodoItem>& items, const std::string& run_id,
                                 const std::string& node);
// "[x] title" lines, or a note that there is nothing yet.
std::string render_todos(const std::vector<TodoItem>& items);

}  // namespace omk::repl
