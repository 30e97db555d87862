#include "core/scaffold.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <sstream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/json_output.h"

namespace omk {
namespace fs = std::filesystem;

std::string to_string(ScaffoldAction action) {
  switch (action) {
    case ScaffoldAction::kCreated:
      return "created";
    case ScaffoldAction::kKept:
      return "kept";
    case ScaffoldAction::kUnchanged:
      return "unchanged";
    case ScaffoldAction::kOverwritten:
      return "overwritten";
    case ScaffoldAction::kUpdated:
      return "updated";
  }
  return "kept";
}

namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

bool has_line(const std::vector<std::string>& lines, const std::string& wanted) {
  for (const auto& line : lines) {
    std::string trimmed = line;
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\r')) {
      trimmed.pop_back();
    }
    if (trimmed == wanted) return true;
  }
  return false;
}

// "# header" followed by the lines that are still missing; empty when none are.
std::string missing_block(const std::string& existing, const std::string& wanted_block) {
  auto present = split_lines(existing);
  auto wanted = split_lines(wanted_block);
  std::string block;
  for (size_t i = 0; i < wanted.size(); ++i) {
    bool is_header = i == 0 && !wanted[i].empty() && wanted[i][0] == '#';
    if (is_header) continue;
    if (!has_line(present, wanted[i])) block += wanted[i] + "\n";
  }
  if (block.empty()) return block;
  if (!wanted.empty() && !wanted[0].empty() && wanted[0][0] == '#')
    block = wanted[0] + "\n" + block;
  std::string separator;
  if (!existing.empty() && existing.back() != '\n') separator = "\n";
  if (!existing.empty()) separator += "\n";
  return separator + block;
}

// Adds what `from` has and `into` lacks. Returns false on a conflict (the same key holding
// different kinds of value, or different scalars), leaving `into` partly merged.
bool merge_json(Json& into, const Json& from) {
  if (into.is_object() && from.is_object()) {
    for (const auto& [key, value] : from.items()) {
      auto it = into.find(key);
      if (it == into.end()) {
        into[key] = value;
      } else if (!merge_json(*it, value)) {
        return false;
      }
    }
    return true;
  }
  if (into.is_array() && from.is_array()) {
    for (const auto& item : from) {
      if (std::find(into.begin(), into.end(), item) == into.end()) into.push_back(item);
    }
    return true;
  }
  return into == from;
}

std::string json_text(const Json& document) {
  return document.dump(2) + "\n";
}

// The merged file, or nullopt (with the reason) when the existing one cannot take the merge.
std::optional<std::string> merged_json(const std::string& existing, const std::string& wanted,
                                       std::string& problem) {
  Json current = Json::parse(existing, nullptr, false);
  if (current.is_discarded() || !current.is_object()) {
    problem = "not a JSON object omk can merge into";
    return std::nullopt;
  }
  Json merged = current;
  if (!merge_json(merged, Json::parse(wanted))) {
    problem = "holds a value that conflicts with omk's entry";
    return std::nullopt;
  }
  if (merged == current) return existing;
  return json_text(merged);
}

std::string free_backup_name(const fs::path& root, const fs::path& relative) {
  std::string base = relative.string() + ".bak";
  std::error_code ec;
  if (!fs::exists(root / base, ec)) return base;
  for (int n = 2;; ++n) {
    std::string candidate = base + "." + std::to_string(n);
    if (!fs::exists(root / candidate, ec)) return candidate;
  }
}

void make_directory(const fs::path& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    throw usage_error("cannot create directory " + path.string() + ": " + std::strerror(errno) +
                      " (check that the project directory is writable)");
  }
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    throw usage_error(path.string() + " exists but is not a directory; move it out of the way");
  }
}

// Everything done so far, undone in reverse when a later step fails.
class UndoLog {
 public:
  void push(std::function<void()> step) { steps_.push_back(std::move(step)); }
  void roll_back() noexcept {
    for (auto it = steps_.rbegin(); it != steps_.rend(); ++it) {
      try {
        (*it)();
      } catch (...) {
        // best effort: keep undoing the rest
      }
    }
    steps_.clear();
  }

 private:
  std::vector<std::function<void()>> steps_;
};

}  // namespace

std::vector<ScaffoldOutcome> apply_scaffold(const fs::path& root, const ScaffoldPlan& plan,
                                            const ScaffoldOptions& options) {
  std::vector<ScaffoldOutcome> outcomes;
  UndoLog undo;
  try {
    for (const auto& relative : plan.directories) {
      fs::path path = root / relative;
      std::error_code ec;
      std::string shown = relative.string() + "/";
      if (fs::is_directory(path, ec)) {
        outcomes.push_back({shown, ScaffoldAction::kKept, std::nullopt, ""});
        continue;
      }
      if (!options.dry_run) {
        make_directory(path);
        undo.push([path] { ::rmdir(path.c_str()); });
      }
      outcomes.push_back({shown, ScaffoldAction::kCreated, std::nullopt, ""});
    }

    for (const auto& file : plan.files) {
      fs::path path = root / file.relative;
      std::string shown = file.relative.string();
      auto existing = read_file_if_exists(path);
      ScaffoldOutcome outcome{shown, ScaffoldAction::kCreated, std::nullopt, ""};

      if (!existing) {
        std::string content = file.content;
        if (file.policy == FilePolicy::kEnsureLines) content = missing_block("", file.content);
        if (file.policy == FilePolicy::kMergeJson) content = json_text(Json::parse(file.content));
        if (!options.dry_run) {
          write_file_atomic(path, content, file.mode);
          undo.push([path] { ::unlink(path.c_str()); });
        }
      } else if (file.policy == FilePolicy::kEnsureLines) {
        std::string block = missing_block(*existing, file.content);
        if (block.empty()) {
          outcome.action = ScaffoldAction::kUnchanged;
        } else {
          outcome.action = ScaffoldAction::kUpdated;
          if (!options.dry_run) {
            write_file_atomic(path, *existing + block, file.mode);
            undo.push(
                [path, old = *existing, mode = file.mode] { write_file_atomic(path, old, mode); });
          }
        }
      } else if (file.policy == FilePolicy::kMergeJson) {
        std::string problem;
        auto merged = merged_json(*existing, file.content, problem);
        std::optional<std::string> replacement = merged;
        if (!merged && options.force) replacement = json_text(Json::parse(file.content));
        if (!replacement) {
          outcome.action = ScaffoldAction::kKept;
          outcome.note = problem + "; --force rewrites it after saving a .bak";
        } else if (*replacement == *existing) {
          outcome.action = ScaffoldAction::kUnchanged;
        } else {
          outcome.action = merged ? ScaffoldAction::kUpdated : ScaffoldAction::kOverwritten;
          outcome.backup = free_backup_name(root, file.relative);
          if (!options.dry_run) {
            fs::path backup = root / *outcome.backup;
            write_file_atomic(backup, *existing, file.mode);
            undo.push([backup] { ::unlink(backup.c_str()); });
            write_file_atomic(path, *replacement, file.mode);
            undo.push(
                [path, old = *existing, mode = file.mode] { write_file_atomic(path, old, mode); });
          }
        }
      } else if (*existing == file.content) {
        outcome.action = ScaffoldAction::kUnchanged;
      } else if (file.policy == FilePolicy::kCreateOnly) {
        outcome.action = ScaffoldAction::kKept;
        outcome.note = "exists; it is yours, omk never rewrites it";
      } else if (!options.force) {
        outcome.action = ScaffoldAction::kKept;
        outcome.note = "exists with your edits; --force rewrites it after saving a .bak";
      } else {
        outcome.action = ScaffoldAction::kOverwritten;
        outcome.backup = free_backup_name(root, file.relative);
        if (!options.dry_run) {
          fs::path backup = root / *outcome.backup;
          write_file_atomic(backup, *existing, file.mode);
          undo.push([backup] { ::unlink(backup.c_str()); });
          write_file_atomic(path, file.content, file.mode);
          undo.push(
              [path, old = *existing, mode = file.mode] { write_file_atomic(path, old, mode); });
        }
      }
      outcomes.push_back(std::move(outcome));
    }
  } catch (const UserError& error) {
    undo.roll_back();
    throw UserError(error.code(), std::string(error.what()) + "; nothing was changed");
  }
  return outcomes;
}

}  // namespace omk
