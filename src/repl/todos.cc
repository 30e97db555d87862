#include "repl/todos.h"

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/clock.h"
#include "core/json_output.h"
#include "core/output.h"
#include "core/text.h"

namespace omk::repl {
std::vector<TodoItem> parse_checklist(std::string_view text) {
  std::vector<TodoItem> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim_line(text.substr(start, end - start));
    start = end + 1;
    // "- [ ] x", "* [x] x", "+ [X] x"; numbered lists are not checklists.
    if (line.size() < 6 || (line[0] != '-' && line[0] != '*' && line[0] != '+') || line[1] != ' ' ||
        line[2] != '[' || line[4] != ']' || line[5] != ' ') {
      continue;
    }
    char mark = line[3];
    if (mark != ' ' && mark != 'x' && mark != 'X') continue;
    std::string_view title = trim_line(line.substr(6));
    if (title.empty()) continue;
    items.push_back({std::string(title), mark != ' '});
  }
  return items;
}

std::filesystem::path todos_path(const std::filesystem::path& project_root) {
  return project_root / ".omk" / "todos.json";
}

std::vector<TodoItem> load_todos(const std::filesystem::path& project_root) {
  std::vector<TodoItem> items;
  std::optional<std::string> text;
  try {
    text = read_file_if_exists(todos_path(project_root));
  } catch (const std::exception&) {
    return items;
  }
  if (!text) return items;
  Json document = Json::parse(*text, nullptr, false);
  if (!document.is_object() || !document.contains("items") || !document["items"].is_array()) {
    return items;  // a damaged file is replaced by the next sync
  }
  for (const Json& item : document["items"]) {
    if (!item.is_object() || !item.contains("title") || !item["title"].is_string()) continue;
    items.push_back({item["title"].get<std::string>(), item.value("done", false)});
  }
  return items;
}

std::vector<TodoItem> sync_todos(const std::filesystem::path& project_root,
                                 const std::vector<TodoItem>& items, const std::string& run_id,
                                 const std::string& node) {
  std::vector<TodoItem> merged = load_todos(project_root);
  for (const TodoItem& item : items) {
    TodoItem clean{filter_output(item.title), item.done};
    bool found = false;
    for (TodoItem& existing : merged) {
      if (existing.title == clean.title) {
        existing.done = clean.done;
        found = true;
      }
    }
    if (!found) merged.push_back(clean);
  }
  Json document = json_envelope("todos");
  document["updated_at"] = utc_timestamp();
  document["run_id"] = run_id;
  document["node"] = node;
  Json list = Json::array();
  for (const TodoItem& item : merged) list.push_back({{"title", item.title}, {"done", item.done}});
  document["items"] = std::move(list);
  write_file_atomic(todos_path(project_root), document.dump(2) + "\n", 0600);
  return merged;
}

std::string render_todos(const std::vector<TodoItem>& items) {
  if (items.empty()) {
    return "No todos yet: checklists (- [ ] / - [x]) in the agent's answers are collected here.\n";
  }
  std::string out;
  size_t done = 0;
  for (const TodoItem& item : items) {
    out += fmt::format("  [{}] {}\n", item.done ? "x" : " ", item.title);
    if (item.done) ++done;
  }
  out += fmt::format("{} of {} done (.omk/todos.json)\n", done, items.size());
  return out;
}

}  // namespace omk::repl
