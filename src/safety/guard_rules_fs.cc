// Files and disks: recursive deletes, find -delete, recursive permission changes, disk tools,
// writes to protected paths and devices, reading credential files.

#include <algorithm>

#include "safety/guard_access.h"
#include "safety/guard_rules_impl.h"

namespace omk::guard::rules {
namespace {

bool is_recursive(const Invocation& invocation) {
  return has_short_flag(invocation, 'r') || has_short_flag(invocation, 'R') ||
         has_long_flag(invocation, "--recursive");
}

// Why deleting (or recursively changing) this location is never acceptable; "" when it may be.
std::string catastrophic(const PathFacts& facts) {
  if (facts.root) return "the whole filesystem (/)";
  if (facts.home) return "a home directory (" + facts.absolute + ")";
  if (facts.workspace) return "the workspace itself (" + facts.absolute + ")";
  if (facts.workspace_ancestor) return "a directory holding the workspace (" + facts.absolute + ")";
  if (facts.system) return "a system directory (" + facts.absolute + ")";
  return {};
}

void judge_rm(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  if (has_long_flag(inv, "--no-preserve-root")) {
    judge.add(Decision::kDeny, "rm-root", "rm --no-preserve-root removes the whole filesystem");
    return;
  }
  if (!is_recursive(inv)) return;
  for (size_t index : operand_indices(inv, "")) {
    const Arg& target = inv.argv[index];
    PathFacts facts = judge.facts(target);
    if (!facts.known) {
      judge.add(Decision::kAsk, "rm-recursive",
                "recursive delete of a path known only at run time (" + target.text + ")");
      continue;
    }
    if (facts.glob) {
      if (facts.glob_everything && facts.workspace) {
        judge.add(Decision::kDeny, "rm-workspace",
                  "recursive delete of everything in the workspace (" + target.text + ")",
                  facts.absolute);
        continue;
      }
      std::string what = catastrophic(facts);
      if (!what.empty() && (facts.glob_everything || facts.root || facts.home)) {
        judge.add(Decision::kDeny,
                  facts.root   ? "rm-root"
                  : facts.home ? "rm-home"
                               : "rm-system",
                  "recursive delete of entries of " + what + " (" + target.text + ")",
                  facts.absolute);
        continue;
      }
      if (facts.temporary) continue;
      judge.add(Decision::kAsk, "rm-recursive",
                "recursive delete of " + target.text + " in " + facts.absolute, facts.absolute);
      continue;
    }
    std::string what = catastrophic(facts);
    if (!what.empty()) {
      std::string rule = facts.root                                      ? "rm-root"
                         : facts.home                                    ? "rm-home"
                         : (facts.workspace || facts.workspace_ancestor) ? "rm-workspace"
                                                                         : "rm-system";
      judge.add(Decision::kDeny, rule, "recursive delete of " + what, facts.absolute);
    } else if (facts.git_dir) {
      judge.add(Decision::kDeny, "rm-git",
                "recursive delete of a repository's history (" + facts.absolute + ")",
                facts.absolute);
    } else if (!facts.temporary) {
      judge.add(Decision::kAsk, "rm-recursive", "recursive delete of " + facts.absolute,
                facts.absolute);
    }
  }
}

void judge_find(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  const auto& argv = inv.argv;
  bool deletes = false;
  bool filtered = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& text = argv[i].text;
    if (text == "-delete") deletes = true;
    if ((text == "-exec" || text == "-execdir" || text == "-ok" || text == "-okdir") &&
        i + 1 < argv.size()) {
      std::string program = normalize_program(argv[i + 1].text);
      if (program == "rm" || program == "shred" || program == "unlink" || program == "rmdir" ||
          program == "truncate") {
        deletes = true;
      }
    }
    if (text == "-name" || text == "-iname" || text == "-path" || text == "-ipath" ||
        text == "-wholename" || text == "-regex" || text == "-iregex" || text == "-newer" ||
        text == "-mtime" || text == "-mmin" || text == "-size" || text == "-empty" ||
        text == "-user" || text == "-perm" || text == "-atime" || text == "-ctime") {
      filtered = true;
    }
  }
  if (!deletes) return;
  std::vector<Arg> roots;
  size_t i = 1;
  while (i < argv.size() && (argv[i].text == "-H" || argv[i].text == "-L" || argv[i].text == "-P" ||
                             starts_with(argv[i].text, "-O"))) {
    ++i;
  }
  for (; i < argv.size(); ++i) {
    const std::string& text = argv[i].text;
    if (text.empty() || text[0] == '-' || text == "(" || text == "!" || text == ")") break;
    roots.push_back(argv[i]);
  }
  if (roots.empty()) roots.push_back(Arg{".", false, false, {}});
  for (const Arg& root : roots) {
    PathFacts facts = judge.facts(root);
    if (!facts.known) {
      judge.add(Decision::kAsk, "find-delete",
                "find deletes files under a path known only at run time (" + root.text + ")");
      continue;
    }
    std::string what = catastrophic(facts);
    bool everything_here = facts.workspace && !filtered;
    if ((!what.empty() && !facts.workspace) || everything_here) {
      judge.add(Decision::kDeny, "find-delete",
                "find deletes " + std::string(filtered ? "matching files in " : "everything in ") +
                    (what.empty() ? facts.absolute : what),
                facts.absolute);
    } else if (!filtered && !facts.temporary) {
      judge.add(Decision::kAsk, "find-delete", "find deletes everything under " + facts.absolute,
                facts.absolute);
    }
  }
}

void judge_permissions(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  bool recursive = is_recursive(inv);
  auto operands = operand_indices(inv, "", {"--reference", "--from"});
  size_t first = has_long_flag(inv, "--reference") ? 0 : 1;
  for (size_t k = first; k < operands.size(); ++k) {
    const Arg& target = inv.argv[operands[k]];
    PathFacts facts = judge.facts(target);
    if (!facts.known) {
      if (recursive) {
        judge.add(Decision::kAsk, inv.program + "-recursive",
                  inv.program + " -R on a path known only at run time (" + target.text + ")");
      }
      continue;
    }
    bool system = facts.root || facts.home || facts.system;
    if (system && (recursive || facts.root)) {
      judge.add(Decision::kDeny, inv.program + "-system",
                inv.program + (recursive ? " -R" : "") + " on " +
                    (facts.root ? std::string("/") : facts.absolute) +
                    " changes ownership or permissions of the system or a home directory",
                facts.absolute);
    } else if (recursive && !facts.temporary) {
      judge.add(Decision::kAsk, inv.program + "-recursive",
                inv.program + " -R on " + facts.absolute, facts.absolute);
    }
  }
}

void judge_disks(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  const std::string& program = inv.program;
  if (starts_with(program, "mkfs") || program == "mke2fs" || program == "mkswap" ||
      program == "mkdosfs") {
    judge.add(Decision::kDeny, "mkfs", program + " formats a filesystem");
  } else if (program == "wipefs" || program == "blkdiscard") {
    judge.add(Decision::kDeny, "wipefs", program + " erases a disk's signatures or contents");
  } else if (program == "fdisk" || program == "sfdisk" || program == "parted" ||
             program == "sgdisk" || program == "gdisk" || program == "cfdisk") {
    bool listing = has_short_flag(inv, 'l') || has_long_flag(inv, "--list") ||
                   std::any_of(inv.argv.begin(), inv.argv.end(),
                               [](const Arg& arg) { return arg.text == "print"; });
    if (!listing) judge.add(Decision::kDeny, "partition", program + " changes a partition table");
  } else if (program == "shred") {
    for (size_t index : operand_indices(inv, "nsx")) {
      if (judge.facts(inv.argv[index]).device) {
        judge.add(Decision::kDeny, "shred-device",
                  "shred overwrites the device " + inv.argv[index].text);
      }
    }
  }
}

void judge_file_uses(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  for (const FileUse& use : file_uses(inv)) {
    PathFacts facts = judge.facts(use.path);
    if (!facts.known) continue;
    const std::string& path = facts.absolute;
    if (use.kind == FileUse::Kind::kRead) {
      std::string secret = secret_file_kind(path, judge.context);
      if (secret.empty() || facts.glob) continue;
      if (inv.program == "source" || inv.program == ".") {
        judge.add(Decision::kAsk, "secret-source",
                  "loads the " + secret + " " + path + " into the shell", path);
      } else {
        judge.add(Decision::kDeny, "secret-read", "reads the " + secret + " " + path, path);
      }
      continue;
    }
    if (facts.device || (inv.program == "dd" && starts_with(path, "/dev/") && path != "/dev/zero" &&
                         path != "/dev/random" && path != "/dev/urandom")) {
      judge.add(Decision::kDeny, inv.program == "dd" ? "dd-device" : "device-write",
                "writes to the device " + path, path);
      continue;
    }
    std::string protected_kind = protected_path_kind(path, judge.context);
    if (!protected_kind.empty()) {
      judge.add(Decision::kDeny, "protected-path",
                std::string(use.kind == FileUse::Kind::kDelete ? "deletes " : "changes ") + path +
                    ": " + protected_kind + " may only be changed by a person, never by an agent",
                path);
      continue;
    }
    if (use.kind == FileUse::Kind::kWrite && !facts.glob) {
      std::string secret = secret_file_kind(path, judge.context);
      if (!secret.empty()) {
        judge.add(Decision::kAsk, "secret-write", "writes the " + secret + " " + path, path);
      }
    }
  }
}

}  // namespace

void judge_files(const Judge& judge) {
  const std::string& program = judge.invocation.program;
  if (program == "rm") judge_rm(judge);
  if (program == "find") judge_find(judge);
  if (program == "chmod" || program == "chown" || program == "chgrp") judge_permissions(judge);
  judge_disks(judge);
  judge_file_uses(judge);
}

}  // namespace omk::guard::rules
