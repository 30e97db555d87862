#include "mcp/skills.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <system_error>

#include "mcp/file_read.h"

namespace omk::mcp {
namespace fs = std::filesystem;

namespace {

// The YAML between a first line "---" and the next line that is exactly "---" (or "...").
std::optional<std::string_view> front_matter(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  auto first_end = text.find('\n');
  if (first_end == std::string_view::npos) return std::nullopt;
  std::string_view first = text.substr(0, first_end);
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  if (first != "---") return std::nullopt;
  size_t start = first_end + 1;
  size_t at = start;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    std::string_view line = text.substr(at, end == std::string_view::npos ? text.npos : end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == "---" || line == "...") return text.substr(start, at - start);
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string> scalar(const YAML::Node& map, const char* key) {
  YAML::Node node = map[key];
  if (!node || !node.IsScalar()) return std::nullopt;
  std::string value = node.as<std::string>();
  if (value.find_first_not_of(" \t") == std::string::npos) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string> parse_skill_front_matter(std::string_view text, std::string& name,
                                                    std::string& description) {
  auto yaml = front_matter(text);
  if (!yaml)
    return std::string("no YAML front matter (a first line \"---\" and a closing \"---\")");
  YAML::Node node;
  try {
    node = YAML::Load(std::string(*yaml));
  } catch (const YAML::Exception& error) {
    // yaml-cpp's message can quote the text; only the position is kept (line 1 is "---").
    return fmt::format("front matter is not valid YAML (line {}, column {})",
                       error.mark.line >= 0 ? error.mark.line + 2 : 0,
                       error.mark.column >= 0 ? error.mark.column + 1 : 0);
  }
  if (!node.IsMap()) return std::string("front matter must be a YAML mapping");
  auto parsed_name = scalar(node, "name");
  auto parsed_description = scalar(node, "description");
  if (!parsed_name) return std::string("front matter has no \"name\" string");
  if (!parsed_description) return std::string("front matter has no \"description\" string");
  name = *parsed_name;
  description = *parsed_description;
  return std::nullopt;
}

SkillScan scan_skills(const std::vector<ActiveFile>& skill_dirs) {
  SkillScan scan;
  for (const ActiveFile& dir : skill_dirs) {
    std::error_code ec;
    if (!fs::exists(dir.path, ec)) continue;
    std::vector<fs::path> folders;
    fs::directory_iterator it(dir.path, ec);
    if (ec) {
      scan.diagnostics.push_back({Level::kError, "skills_dir_unreadable", dir.display,
                                  "skills folder unreadable (" + ec.message() + ")"});
      continue;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_directory(ec)) folders.push_back(it->path());
    }
    std::sort(folders.begin(), folders.end());
    for (const fs::path& folder : folders) {
      std::string folder_display = dir.display + "/" + folder.filename().string();
      fs::path manifest = folder / "SKILL.md";
      std::string display = folder_display + "/SKILL.md";
      FileText read = read_tool_plane_file(manifest);
      if (!read.exists) {
        scan.diagnostics.push_back({Level::kWarning, "skill_manifest_missing", folder_display,
                                    "skill folder has no SKILL.md; it is ignored"});
        continue;
      }
      if (!read.text) {
        scan.diagnostics.push_back(
            {Level::kError, "skill_unreadable", display, "SKILL.md " + read.error});
        continue;
      }
      Skill skill;
      if (auto problem = parse_skill_front_matter(*read.text, skill.name, skill.description)) {
        scan.diagnostics.push_back(
            {Level::kError, "skill_front_matter_invalid", display, *problem});
        continue;
      }
      skill.path = display;
      skill.origin = dir.origin;
      // Later folders take precedence (project after user), like MCP files.
      auto same = std::find_if(scan.skills.begin(), scan.skills.end(),
                               [&](const Skill& s) { return s.name == skill.name; });
      if (same != scan.skills.end()) {
        *same = std::move(skill);
      } else {
        scan.skills.push_back(std::move(skill));
      }
    }
  }
  std::sort(scan.skills.begin(), scan.skills.end(),
            [](const Skill& a, const Skill& b) { return a.name < b.name; });
  return scan;
}

}  // namespace omk::mcp
