#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace omk::routing::testing {

// A real repository with one commit holding README.md, plus .gitignore ignoring build/.
inline void git(const std::filesystem::path& repo, std::vector<std::string> args) {
  test::CommandOptions options;
  options.argv = {"/usr/bin/git",
                  "-C",
                  repo.string(),
                  "-c",
                  "user.name=omk test",
                  "-c",
                  "user.email=test@omk.invalid",
                  "-c",
                  "commit.gpgsign=false"};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  test::CommandResult result = test::run_command(options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

inline void make_repo(const std::filesystem::path& repo) {
  test::git_init(repo);
  test::write_text(repo / "README.md", "hello\n");
  test::write_text(repo / ".gitignore", "build/\n");
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "init"});
}

}  // namespace omk::routing::testing
