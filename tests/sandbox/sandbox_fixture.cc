#include "sandbox_fixture.h"

#include <sys/stat.h>

#include "sandbox/kernel_support.h"
#include "sandbox/probe.h"
#include "sandbox/sandboxed_run.h"

namespace omk::sandbox::test_fixture {
namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

KernelSupportReset::~KernelSupportReset() {
  reset_kernel_support();
}

bool layers_missing() {
  // A real trial (sysctls can say yes where a container's seccomp profile says no); what the
  // kernel refuses is then also known to the tests' own sandboxes.
  static const bool missing =
      !probe_sandbox("").profiles.at(Profile::kWorkspaceWrite).missing().empty();
  return missing;
}

Fixture::Fixture() {
  fs::create_directories(workspace);
  omk::test::write_text(workspace / "a.txt", "original\n");
  omk::test::write_text(home / ".ssh" / "id_rsa", "KEY\n");
}

SandboxRequest Fixture::request(Profile profile) const {
  SandboxRequest r;
  r.profile = profile;
  r.workspace = workspace;
  r.original_home = home;
  return r;
}

process::RunResult run_script(Sandbox& sandbox, const std::string& script, const fs::path& cwd) {
  process::RunOptions options;
  options.spawn.argv = {"/bin/sh", "-c", script};
  options.spawn.env = {{"PATH", "/usr/bin:/bin"}};
  options.spawn.cwd = cwd;
  sandbox.apply_to_environment(options.spawn.env);
  options.timeout = std::chrono::seconds(60);
  return run_sandboxed(sandbox, options);
}

std::string attempts(const std::vector<std::pair<std::string, std::string>>& commands) {
  std::string script;
  for (const auto& [name, command] : commands) {
    script += "if " + command + " 2>/dev/null; then echo " + name + "=ok; else echo " + name +
              "=refused; fi\n";
  }
  return script;
}

}  // namespace omk::sandbox::test_fixture
