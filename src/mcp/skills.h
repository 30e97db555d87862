#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mcp/diagnostic.h"
#include "mcp/scopes.h"

namespace omk::mcp {

// A skill: <skills-dir>/<folder>/SKILL.md whose YAML front matter names and describes it.
struct Skill {
  std::string name;
  std::string description;
  std::string path;  // SKILL.md, displayed
  Origin origin = Origin::kProject;
};

struct SkillScan {
  std::vector<Skill> skills;  // sorted by name; a project skill replaces a user skill
  std::vector<Diagnostic> diagnostics;
};

SkillScan scan_skills(const std::vector<ActiveFile>& skill_dirs);

// Parses SKILL.md text. Returns the problem (no content quoted) or fills name/description.
std::optional<std::string> parse_skill_front_matter(std::string_view text, std::string& name,
                                                    std::string& description);

}  // namespace omk::mcp
