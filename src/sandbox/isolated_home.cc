#include "sandbox/isolated_home.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/error.h"

namespace omk::sandbox {
namespace fs = std::filesystem;

namespace {

std::string single_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

void make_private_parents(const fs::path& home, const fs::path& relative) {
  fs::path dir = home;
  for (auto it = relative.begin(); std::next(it) != relative.end(); ++it) {
    dir /= *it;
    std::error_code ec;
    if (fs::create_directory(dir, ec)) fs::permissions(dir, fs::perms::owner_all, ec);
  }
}

// Copies without following symlinks anywhere: a link inside a credential directory could
// point at the rest of the real HOME.
void copy_private(const fs::path& from, const fs::path& to) {
  auto status = fs::symlink_status(from);
  if (fs::is_symlink(status)) return;
  if (fs::is_directory(status)) {
    fs::create_directory(to);
    fs::permissions(to, fs::perms::owner_all);
    for (const auto& entry : fs::directory_iterator(from))
      copy_private(entry.path(), to / entry.path().filename());
  } else if (fs::is_regular_file(status)) {
    fs::copy_file(from, to);
    fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write);
  }
}

}  // namespace

void validate_home_entry(const HomeEntry& entry) {
  fs::path path(entry.path);
  bool climbs = false;
  for (const auto& part : path) climbs = climbs || part == "..";
  if (entry.path.empty() || path.is_absolute() || climbs) {
    throw usage_error(fmt::format(
        "isolated HOME entry \"{}\" must be a path relative to HOME without \"..\" (e.g. "
        ".codex/auth.json)",
        entry.path));
  }
}

const std::vector<std::string_view>& bridged_shell_profiles() {
  static const std::vector<std::string_view> names = {".bashrc", ".bash_profile", ".profile",
                                                      ".zshrc", ".zprofile"};
  return names;
}

std::string shell_profile_bridge(const fs::path& original_home, std::string_view name) {
  std::string home = single_quoted(original_home.string());
  std::string profile = single_quoted((original_home / name).string());
  return fmt::format(
      "# OMK isolated HOME shell profile bridge.\n"
      "# Sources the real {name} with HOME set to the real home, then restores this HOME.\n"
      "if [ \"${{OMK_SHELL_PROFILE_BRIDGE_ACTIVE:-}}\" != 1 ]; then\n"
      "  __omk_isolated_home=$HOME\n"
      "  OMK_SHELL_PROFILE_BRIDGE_ACTIVE=1; export OMK_SHELL_PROFILE_BRIDGE_ACTIVE\n"
      "  HOME={home}; export HOME\n"
      "  . {profile}\n"
      "  HOME=$__omk_isolated_home; export HOME\n"
      "  unset OMK_SHELL_PROFILE_BRIDGE_ACTIVE __omk_isolated_home\n"
      "fi\n",
      fmt::arg("name", name), fmt::arg("home", home), fmt::arg("profile", profile));
}

IsolatedHome IsolatedHome::populate(const fs::path& home, const fs::path& original_home,
                                    const std::vector<HomeEntry>& entries,
                                    bool bridge_shell_profiles) {
  IsolatedHome result;
  for (const HomeEntry& entry : entries) {
    validate_home_entry(entry);
    fs::path relative = fs::path(entry.path).lexically_normal();
    fs::path original = original_home / relative;
    std::error_code ec;
    if (original_home.empty() || !fs::exists(original, ec)) {
      if (entry.required) {
        throw UserError(ExitCode::kFailed,
                        fmt::format("~/{} is needed in the agent's private HOME but does not exist "
                                    "in {}; log the agent in first",
                                    entry.path, original_home.string()));
      }
      result.skipped_.push_back(entry.path);
      continue;
    }
    make_private_parents(home, relative);
    try {
      if (entry.kind == HomeEntry::Kind::kCopy) {
        copy_private(original, home / relative);
      } else {
        fs::create_symlink(original, home / relative);
        result.read_grants_.push_back(fs::canonical(original));
      }
    } catch (const fs::filesystem_error& error) {
      throw UserError(ExitCode::kFailed,
                      fmt::format("cannot place ~/{} in the agent's private HOME: {}", entry.path,
                                  error.code().message()));
    }
  }
  if (bridge_shell_profiles && !original_home.empty()) {
    for (auto name : bridged_shell_profiles()) {
      std::error_code ec;
      fs::path original = original_home / name;
      if (!fs::is_regular_file(original, ec)) continue;
      write_file_atomic(home / name, shell_profile_bridge(original_home, name), 0600);
      result.read_grants_.push_back(fs::canonical(original));
    }
  }
  return result;
}

}  // namespace omk::sandbox
