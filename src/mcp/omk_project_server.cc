#include "mcp/omk_project_server.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/build_info.h"
#include "core/config.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/output.h"
#include "mcp/file_read.h"
#include "mcp/glob.h"
#include "mcp/inventory.h"
#include "mcp/project_files.h"
#include "mcp/project_search.h"
#include "mcp/summary.h"

namespace omk::mcp {
namespace fs = std::filesystem;

namespace {

constexpr size_t kDefaultReadBytes = 256 * 1024;
constexpr size_t kMaxReadBytes = 1024 * 1024;
constexpr size_t kMaxEvidenceBytes = 64 * 1024;

// Argument readers: a wrong type is InvalidParams (-32602), as the spec asks.
std::string string_arg(const Json& args, const char* key, bool required,
                       std::string fallback = "") {
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) {
    if (required) throw InvalidParams(fmt::format("Invalid params: missing '{}'", key));
    return fallback;
  }
  if (!it->is_string())
    throw InvalidParams(fmt::format("Invalid params: '{}' must be a string", key));
  return it->get<std::string>();
}

int64_t int_arg(const Json& args, const char* key, int64_t fallback, int64_t min, int64_t max) {
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
    throw InvalidParams(
        fmt::format("Invalid params: '{}' must be a whole number from {} to {}", key, min, max));
  }
  return it->get<int64_t>();
}

bool bool_arg(const Json& args, const char* key, bool fallback) {
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) return fallback;
  if (!it->is_boolean())
    throw InvalidParams(fmt::format("Invalid params: '{}' must be true or false", key));
  return it->get<bool>();
}

Json schema(Json properties, std::vector<std::string> required = {}) {
  Json out = {
      {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) out["required"] = required;
  return out;
}

std::string git_branch(const fs::path& root) {
  std::error_code ec;
  if (fs::is_symlink(root / ".git/HEAD", ec)) return "";  // not followed out of the project
  FileText head = read_tool_plane_file(root / ".git/HEAD", 4096);
  if (!head.text) return "";
  std::string text = *head.text;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const std::string ref = "ref: refs/heads/";
  if (text.rfind(ref, 0) == 0) return text.substr(ref.size());
  return text.size() >= 12 ? "(detached " + text.substr(0, 12) + ")" : "";
}

class OmkProject {
 public:
  OmkProject(const fs::path& root, EnvMap env) : files_(root, env), env_(std::move(env)) {}

  Json info() const {
    const fs::path& root = files_.root();
    std::error_code ec;
    Json out = Json::object();
    out["name"] = root.filename().string();
    out["root"] = root.string();
    bool repository = fs::exists(root / ".git", ec);
    out["git"] = {{"repository", repository}, {"branch", repository ? git_branch(root) : ""}};
    out["omk"] = {{"initialized", fs::exists(root / ".omk/config.toml", ec)},
                  {"version", build_info().version}};
    out["runs"] = run_ids().size();
    out["tools"] = {"project_info", "list_files", "read_file",
                    "search",       "run_status", "run_evidence"};
    out["rules"] =
        "paths are relative to the root; '..', absolute paths, symlinks out of the "
        "project and secret-bearing files are refused; file contents are redacted";
    return out;
  }

  Json list_files(const Json& args) const {
    std::string directory = string_arg(args, "path", false);
    std::string pattern = string_arg(args, "pattern", false);
    auto limit = static_cast<size_t>(int_arg(args, "limit", 1000, 1, 10000));
    bool truncated = false;
    std::vector<std::string> all = files_.list(directory, 200000, truncated);
    Json list = Json::array();
    bool limited = false;
    for (const auto& path : all) {
      if (!pattern.empty() && !glob_match(pattern, path)) continue;
      if (list.size() >= limit) {
        limited = true;
        break;
      }
      list.push_back(path);
    }
    return {{"files", list}, {"count", list.size()}, {"truncated", truncated || limited}};
  }

  Json read_file(const Json& args) const {
    std::string input = string_arg(args, "path", true);
    auto start_line = int_arg(args, "start_line", 1, 1, 100000000);
    auto end_line = int_arg(args, "end_line", 0, 0, 100000000);
    auto max_bytes =
        static_cast<size_t>(int_arg(args, "max_bytes", static_cast<int64_t>(kDefaultReadBytes), 1,
                                    static_cast<int64_t>(kMaxReadBytes)));
    fs::path real = files_.resolve(input);
    std::error_code ec;
    if (fs::is_directory(real, ec)) throw ToolError(input + " is a directory; use list_files");
    FileText read = files_.read(input, 64 * 1024 * 1024);
    if (!read.text) throw ToolError(fmt::format("cannot read {}: {}", input, read.error));
    const std::string& text = *read.text;
    if (text.find('\0', 0) < std::min<size_t>(text.size(), 8192)) {
      throw ToolError(input + " is a binary file");
    }
    // The requested lines, then the byte bound.
    size_t line = 1, at = 0, begin = 0;
    while (line < static_cast<size_t>(start_line) && at < text.size()) {
      size_t nl = text.find('\n', at);
      if (nl == std::string::npos) {
        at = text.size();
        break;
      }
      at = nl + 1;
      ++line;
    }
    begin = at;
    size_t end = text.size();
    if (end_line > 0) {
      size_t current = line;
      size_t pos = begin;
      while (current <= static_cast<size_t>(end_line) && pos < text.size()) {
        size_t nl = text.find('\n', pos);
        pos = nl == std::string::npos ? text.size() : nl + 1;
        ++current;
      }
      end = pos;
    }
    std::string content = text.substr(begin, end - begin);
    std::string note;
    if (content.size() > max_bytes) {
      content.resize(max_bytes);
      note = fmt::format("\n[truncated at {} bytes; read on with start_line]", max_bytes);
    }
    return filter_output(content) + note;
  }

  Json search(const Json& args) const {
    SearchRequest request;
    request.pattern = string_arg(args, "pattern", true);
    request.glob = string_arg(args, "glob", false);
    request.directory = string_arg(args, "path", false);
    request.case_sensitive = bool_arg(args, "case_sensitive", true);
    request.max_results = static_cast<size_t>(int_arg(args, "max_results", 100, 1, 1000));
    SearchResult found = search_project(files_, request);
    Json matches = Json::array();
    for (const auto& match : found.matches) {
      matches.push_back({{"path", match.path}, {"line", match.line}, {"text", match.text}});
    }
    return {{"matches", matches},
            {"truncated", found.truncated},
            {"files_searched", found.files_searched},
            {"files_skipped", found.files_skipped}};
  }

  std::vector<std::string> run_ids() const {
    std::vector<std::string> ids;
    std::error_code ec;
    for (fs::directory_iterator it(files_.root() / ".omk/runs", ec);
         !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (it->is_directory(ec) && is_valid_run_id(name)) ids.push_back(name);
    }
    std::sort(ids.rbegin(), ids.rend());  // run ids sort by start time: newest first
    return ids;
  }

  // The run's directory relative to the root (so its files go through the same containment
  // as read_file: a run directory or evidence file that is a symlink out is not followed).
  std::string run_dir(const std::string& id) const {
    if (!is_valid_run_id(id)) throw InvalidParams("Invalid params: 'run_id' is not a run id");
    std::string dir = ".omk/runs/" + id;
    std::error_code ec;
    try {
      if (fs::is_directory(files_.resolve(dir), ec)) return dir;
    } catch (const ToolError&) {
    }
    throw ToolError("no run " + id + " in .omk/runs");
  }

  // A run file through the redactor: JSON when it parses, text otherwise.
  Json redacted_file(const std::string& relative) const {
    FileText read;
    try {
      read = files_.read(relative, kMaxEvidenceBytes);
    } catch (const ToolError&) {
      return Json("(refused: outside the project or secret)");
    }
    if (!read.text) return Json(read.exists ? "(" + read.error + ")" : "(absent)");
    std::string text = filter_output(*read.text);
    std::string where;
    if (auto parsed = parse_json_quietly(text, where)) return *parsed;
    return text;
  }

  Json run_status(const Json& args) const {
    std::string id = string_arg(args, "run_id", false);
    if (id.empty()) {
      Json runs = Json::array();
      for (const auto& run : run_ids()) {
        Json state = redacted_file(".omk/runs/" + run + "/state.json");
        runs.push_back(
            {{"run_id", run},
             {"status", state.is_object() ? state.value("status", "unknown") : "unknown"}});
        if (runs.size() >= 50) break;
      }
      return {{"runs", runs}, {"count", runs.size()}};
    }
    std::string dir = run_dir(id);
    Json files = Json::array();
    std::error_code ec;
    for (fs::directory_iterator it(files_.root() / dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      files.push_back(it->path().filename().string());
    }
    std::sort(files.begin(), files.end());
    Json state = redacted_file(dir + "/state.json");
    return {{"run_id", id},
            {"status", state.is_object() ? state.value("status", "unknown") : "unknown"},
            {"state", state},
            {"files", files}};
  }

  Json run_evidence(const Json& args) const {
    std::string id = string_arg(args, "run_id", true);
    std::string dir = run_dir(id);
    fs::path base = files_.root() / dir;
    Json evidence = Json::object();
    std::error_code ec;
    for (fs::recursive_directory_iterator it(base, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory(ec)) continue;
      std::string relative = it->path().lexically_relative(base).generic_string();
      if (relative.find("evidence") == std::string::npos &&
          relative.find("verify") == std::string::npos) {
        continue;
      }
      evidence[relative] = redacted_file(dir + "/" + relative);
      if (evidence.size() >= 50) break;
    }
    if (evidence.empty()) throw ToolError("run " + id + " has no evidence recorded");
    return {{"run_id", id}, {"evidence", evidence}};
  }

  Json tool_plane() const {
    Locations locations{files_.root(), std::nullopt};
    if (auto home = env_value(env_, "HOME"); home && !home->empty())
      locations.home = fs::path(*home);
    try {
      Config config = load_config(files_.root(), env_);
      return inventory_json(build_inventory(inventory_query(locations, config, env_)));
    } catch (const UserError& error) {
      return {{"error", filter_output(error.what())}};
    }
  }

 private:
  ProjectFiles files_;
  EnvMap env_;
};

}  // namespace

std::unique_ptr<McpServer> make_omk_project_server(const fs::path& root, const EnvMap& env) {
  auto project = std::make_shared<OmkProject>(root, env);
  std::string name = fs::canonical(root).filename().string();
  auto server = std::make_unique<McpServer>(ServerInfo{
      "omk-project", build_info().version,
      fmt::format("Read-only tools over the project \"{}\": project_info, list_files (respects "
                  ".gitignore), read_file (line ranges), search (regular expressions), "
                  "run_status and run_evidence (omk's recorded runs). Paths are relative to the "
                  "project root; secret-bearing files are refused and contents are redacted.",
                  name)});

  server->add_tool({"project_info", "Project info",
                    "The project's name, root, git branch, whether omk is set up, and the rules "
                    "these tools follow.",
                    schema(Json::object()), true,
                    [project](const Json&) { return project->info(); }});
  server->add_tool(
      {"list_files", "List files",
       "Files of the project that .gitignore does not exclude, relative to the root, sorted.",
       schema({{"path",
                {{"type", "string"}, {"description", "A directory to list (default: the root)"}}},
               {"pattern",
                {{"type", "string"},
                 {"description", "Glob, e.g. \"src/**/*.cc\" or \"*.md\" (any depth)"}}},
               {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}}}}),
       true, [project](const Json& args) { return project->list_files(args); }});
  server->add_tool(
      {"read_file", "Read a file",
       "A text file of the project, optionally a line range. Secret-bearing files are refused; "
       "credentials in the content are redacted.",
       schema({{"path", {{"type", "string"}, {"description", "Relative to the project root"}}},
               {"start_line", {{"type", "integer"}, {"minimum", 1}}},
               {"end_line", {{"type", "integer"}, {"minimum", 1}}},
               {"max_bytes", {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxReadBytes}}}},
              {"path"}),
       true, [project](const Json& args) { return project->read_file(args); }});
  server->add_tool(
      {"search", "Search",
       "Lines matching a regular expression in the project's files (not ignored, not secret), "
       "with path and line number.",
       schema({{"pattern", {{"type", "string"}, {"description", "Regular expression"}}},
               {"glob", {{"type", "string"}, {"description", "Only files matching this glob"}}},
               {"path", {{"type", "string"}, {"description", "Only under this directory"}}},
               {"case_sensitive", {{"type", "boolean"}}},
               {"max_results", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}}},
              {"pattern"}),
       true, [project](const Json& args) { return project->search(args); }});
  server->add_tool({"run_status", "Run status",
                    "omk's recorded runs (.omk/runs), newest first, or one run's state.",
                    schema({{"run_id", {{"type", "string"}}}}), true,
                    [project](const Json& args) { return project->run_status(args); }});
  server->add_tool({"run_evidence", "Run evidence",
                    "The evidence omk recorded for a run (gates, verification), redacted.",
                    schema({{"run_id", {{"type", "string"}}}}, {"run_id"}), true,
                    [project](const Json& args) { return project->run_evidence(args); }});

  server->add_resource({"omk://project/info", "project-info",
                        "The project's name, root, git branch and omk status", "application/json",
                        [project] { return project->info().dump(2); }});
  server->add_resource({"omk://project/tool-plane", "tool-plane",
                        "The active MCP servers, skills and hooks of the project and their "
                        "diagnostics (offline; names only, never env or headers)",
                        "application/json", [project] { return project->tool_plane().dump(2); }});
  server->add_prompt({"project_orientation", "How to find your way around this project", [name] {
                        return fmt::format(
                            "You are working in the project \"{}\". Start with project_info, "
                            "then list_files (with a glob) and search to find what matters, and "
                            "read_file with line ranges. These tools are read-only.",
                            name);
                      }});
  return server;
}

}  // namespace omk::mcp
