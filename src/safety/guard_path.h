#pragma once

#include <string>
#include <string_view>

#include "safety/guard_types.h"

namespace omk::guard {

// Lexical path handling: the guard decides on what a command names, without touching the disk
// (so the answer does not depend on what exists yet, and costs no system calls).

// "/a//b/./c/../d/" -> "/a/b/d"; relative paths stay relative ("./x/../y" -> "y").
std::string normalize_path(std::string_view path);

// `path` made absolute against `cwd` and normalized; "" when cwd is unknown and path relative.
std::string resolve_path(std::string_view cwd, std::string_view path);

// True when `path` is `dir` or lies below it (both absolute and normalized).
bool is_within(std::string_view path, std::string_view dir);

// What a path is to the guard.
struct PathFacts {
  std::string absolute;  // "" when unknowable (dynamic, unknown cwd)
  bool known = false;
  bool root = false;       // "/"
  bool home = false;       // the user's home, or another user's (~user, /home/x, /root)
  bool system = false;     // /etc, /usr, /bin, /boot, /var ... or something directly in them
  bool workspace = false;  // the workspace itself
  bool workspace_ancestor = false;
  bool inside_workspace = false;  // strictly below the workspace
  bool temporary = false;         // under /tmp, /var/tmp or $TMPDIR
  bool git_dir = false;           // a .git directory itself
  bool device = false;            // a block device: /dev/sd*, nvme*, ...
  // A glob names entries of `absolute` (the directory before its first wildcard);
  // glob_everything: it takes all of them ("*", ".*", anything directly under / or a home).
  bool glob = false;
  bool glob_everything = false;
};

PathFacts examine_path(const Arg& arg, std::string_view cwd, const GuardContext& context);

// Paths an agent must not change: omk's and the agents' own config and hooks, git hooks and
// config, shell start-up files. Returns a short description, or "" when not protected.
std::string protected_path_kind(std::string_view absolute, const GuardContext& context);

// Files holding credentials: private keys, .env files, cloud and registry credentials.
// Returns a short description, or "" when not a secret file.
std::string secret_file_kind(std::string_view absolute, const GuardContext& context);

}  // namespace omk::guard
