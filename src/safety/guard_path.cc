#include "safety/guard_path.h"

#include <array>
#include <vector>

namespace omk::guard {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view basename_of(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view dirname_of(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Directories whose removal or recursive change breaks the machine.
constexpr std::array<std::string_view, 20> kSystemDirs = {
    "/bin", "/boot", "/dev",  "/etc",  "/home", "/lib",  "/lib32", "/lib64", "/libx32", "/media",
    "/mnt", "/opt",  "/proc", "/root", "/run",  "/sbin", "/srv",   "/sys",   "/usr",    "/var"};

bool is_system_dir(std::string_view path) {
  for (std::string_view dir : kSystemDirs) {
    if (path == dir) return true;
  }
  // One level down in the most important trees: /usr/bin, /etc/ssh, /var/lib ...
  std::string_view parent = dirname_of(path);
  return parent == "/usr" || parent == "/etc" || parent == "/var" || parent == "/boot" ||
         parent == "/lib" || parent == "/usr/local";
}

bool is_device(std::string_view path) {
  if (!starts_with(path, "/dev/")) return false;
  std::string_view name = path.substr(5);
  static constexpr std::array<std::string_view, 12> kPrefixes = {
      "sd", "hd", "vd", "xvd", "nvme", "mmcblk", "disk/", "mapper/", "md", "dm-", "loop", "sr"};
  for (std::string_view prefix : kPrefixes) {
    if (starts_with(name, prefix)) return true;
  }
  return false;
}

bool is_glob_everything(std::string_view name) {
  return name == "*" || name == ".*" || name == "**" || name == "?*" || name == "*.*" ||
         name == ".[!.]*" || name == "{*,.*}";
}

}  // namespace

std::string normalize_path(std::string_view path) {
  bool absolute = !path.empty() && path.front() == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(i, slash - i);
    i = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = absolute ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) out += '/';
    out.append(parts[k]);
  }
  if (out.empty()) out = absolute ? "/" : ".";
  return out;
}

std::string resolve_path(std::string_view cwd, std::string_view path) {
  if (!path.empty() && path.front() == '/') return normalize_path(path);
  if (cwd.empty()) return {};
  std::string joined(cwd);
  joined += '/';
  joined.append(path);
  return normalize_path(joined);
}

bool is_within(std::string_view path, std::string_view dir) {
  if (dir.empty() || path.empty()) return false;
  if (dir == "/") return path.front() == '/';
  return path == dir ||
         (starts_with(path, dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

PathFacts examine_path(const Arg& arg, std::string_view cwd, const GuardContext& context) {
  PathFacts facts;
  if (arg.dynamic) return facts;
  if (arg.glob) {
    // A glob stands for entries of the directory before its first wildcard: judge that
    // directory, and whether the pattern takes everything in it.
    std::string trimmed = arg.text;
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
    size_t wild = trimmed.find_first_of("*?[");
    size_t slash = trimmed.rfind('/', wild);
    std::string dir =
        slash == std::string::npos ? "." : (slash == 0 ? "/" : trimmed.substr(0, slash));
    std::string pattern = slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
    Arg directory;
    directory.text = dir;
    facts = examine_path(directory, cwd, context);
    facts.glob = true;
    bool one_level = pattern.find('/') == std::string::npos;
    facts.glob_everything =
        facts.known && ((one_level && is_glob_everything(pattern)) || facts.root || facts.home);
    return facts;
  }
  facts.absolute = resolve_path(cwd, arg.text);
  facts.known = !facts.absolute.empty();
  if (!facts.known) return facts;
  const std::string& path = facts.absolute;
  facts.root = path == "/";
  facts.home = (!context.home.empty() && path == context.home) || path == "/root" ||
               (starts_with(path, "/home/") && path.find('/', 6) == std::string::npos);
  facts.system = !facts.root && is_system_dir(path);
  if (!context.workspace.empty()) {
    facts.workspace = path == context.workspace;
    facts.workspace_ancestor = !facts.workspace && is_within(context.workspace, path);
    facts.inside_workspace = !facts.workspace && is_within(path, context.workspace);
  }
  // Scratch space, unless the workspace itself lives there: its files are never scratch.
  facts.temporary =
      (is_within(path, "/tmp") || is_within(path, "/var/tmp") ||
       (!context.tmpdir.empty() && context.tmpdir != "/" && is_within(path, context.tmpdir))) &&
      !facts.workspace && !facts.inside_workspace && !facts.workspace_ancestor;
  facts.git_dir = basename_of(path) == ".git";
  facts.device = is_device(path);
  return facts;
}

std::string protected_path_kind(std::string_view path, const GuardContext& context) {
  if (path.empty()) return {};
  // Agent and omk configuration directories, wherever they are (a project's or the user's).
  for (std::string_view dir : {"/.omk", "/.kimi", "/.kimi-code", "/.codex", "/.claude"}) {
    size_t at = path.find(dir);
    while (at != std::string_view::npos) {
      size_t end = at + dir.size();
      if (end == path.size() || path[end] == '/') {
        return std::string(dir.substr(1)) + "/ (agent and omk configuration, hooks)";
      }
      at = path.find(dir, at + 1);
    }
  }
  size_t git = path.find("/.git/");
  while (git != std::string_view::npos) {
    std::string_view rest = path.substr(git + 6);
    if (rest == "config" || rest == "hooks" || starts_with(rest, "hooks/")) {
      return rest == "config" ? ".git/config" : ".git/hooks";
    }
    git = path.find("/.git/", git + 1);
  }
  std::string_view name = basename_of(path);
  if (name == ".mcp.json") return ".mcp.json (MCP servers an agent starts)";
  std::string_view dir = dirname_of(path);
  bool in_home = !context.home.empty() && dir == context.home;
  static constexpr std::array<std::string_view, 12> kProfiles = {
      ".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc",
      ".zshenv", ".zprofile",     ".zlogin",     ".gitconfig",   ".inputrc", ".kshrc"};
  for (std::string_view profile : kProfiles) {
    if (name == profile && (in_home || dir == "/root" || starts_with(dir, "/home/"))) {
      return "shell start-up file " + std::string(profile);
    }
  }
  if (path == "/etc/profile" || path == "/etc/bash.bashrc" || path == "/etc/environment" ||
      starts_with(path, "/etc/profile.d/") || ends_with(path, "/.config/fish/config.fish")) {
    return "shell start-up file " + std::string(path);
  }
  if (is_within(path, context.home + "/.ssh") && name == "authorized_keys") {
    return "~/.ssh/authorized_keys";
  }
  return {};
}

std::string secret_file_kind(std::string_view path, const GuardContext& context) {
  if (path.empty()) return {};
  std::string_view name = basename_of(path);
  const std::string& home = context.home;
  auto under_home = [&](std::string_view rel) {
    return !home.empty() && is_within(path, home + std::string(rel));
  };
  if (under_home("/.ssh") || starts_with(path, "/root/.ssh/") ||
      (starts_with(path, "/home/") && path.find("/.ssh/") != std::string_view::npos)) {
    if (!ends_with(name, ".pub") && name != "known_hosts" && name != "config" &&
        name != "known_hosts.old" && name != ".ssh") {
      return "SSH private key or agent file";
    }
  }
  for (std::string_view key : {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"}) {
    if (starts_with(name, key) && !ends_with(name, ".pub")) return "SSH private key";
  }
  if (ends_with(name, ".pem") || ends_with(name, ".key") || ends_with(name, ".p12") ||
      ends_with(name, ".pfx") || ends_with(name, ".keystore") || ends_with(name, ".jks")) {
    return "private key or certificate store";
  }
  if (name == ".env" || starts_with(name, ".env.") || name == ".envrc") {
    for (std::string_view sample : {".example", ".sample", ".template", ".dist", ".defaults"}) {
      if (ends_with(name, sample)) return {};
    }
    return "dotenv file";
  }
  if (name == ".netrc" || name == "_netrc" || name == ".git-credentials" || name == ".pgpass" ||
      name == ".pypirc" || name == ".my.cnf") {
    return "credentials file " + std::string(name);
  }
  if (under_home("/.aws") && (name == "credentials" || name == "config")) {
    return "AWS credentials";
  }
  if (under_home("/.config/gcloud")) return "Google Cloud credentials";
  if (under_home("/.docker") && name == "config.json") return "Docker registry credentials";
  if (under_home("/.kube") && (name == "config" || ends_with(name, ".kubeconfig"))) {
    return "Kubernetes credentials";
  }
  if (under_home("/.azure") || under_home("/.config/gh") || under_home("/.gnupg")) {
    return "cloud or signing credentials";
  }
  if (!home.empty() && path == home + "/.npmrc") return "npm credentials";
  return {};
}

}  // namespace omk::guard
