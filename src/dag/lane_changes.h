#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "dag/git.h"

namespace omk::dag {

// What a lane changed. For a worktree lane: its commit against the commit it started from. For
// a lane that ran in the project itself: the working tree (untracked files included, .omk/
// excluded) against the run's base commit — lanes sharing the project cannot be told apart.
struct LaneChanges {
  std::vector<std::string> files;
  // (path, the lines the change adds), for the secret scan; only when asked for.
  std::vector<std::pair<std::string, std::string>> added;
  std::string error;  // set when git could not say (not a repository, unknown commit)
};

LaneChanges collect_changes(const Git& git, const std::filesystem::path& workspace,
                            const std::string& base, const std::string& head, bool with_content);

}  // namespace omk::dag
