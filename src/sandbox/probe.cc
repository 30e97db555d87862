#include "sandbox/probe.h"

#include <stdlib.h>
#include <unistd.h>

#include "core/error.h"
#include "sandbox/landlock.h"
#include "sandbox/sandboxed_run.h"

namespace omk::sandbox {
namespace fs = std::filesystem;

namespace {

// A scratch workspace for the trial children, removed afterwards.
class TrialWorkspace {
 public:
  explicit TrialWorkspace(const fs::path& base) {
    std::string pattern = (base / "omk-probe-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
      throw UserError(ExitCode::kFailed,
                      "cannot create a scratch directory under " + base.string());
    }
    path_ = fs::canonical(buffer.data());
  }
  ~TrialWorkspace() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

fs::path true_binary() {
  for (const char* candidate : {"/bin/true", "/usr/bin/true"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  return "true";
}

}  // namespace

ProbeReport probe_sandbox(const fs::path& scratch_base) {
  fs::path base = scratch_base;
  std::error_code ec;
  if (base.empty() || !fs::is_directory(base, ec)) base = "/tmp";  // the trial workspace
  ProbeReport report;
  report.kernel = kernel_release();
  report.arch = machine_arch();
  TrialWorkspace workspace(base);
  // workspace-write first: it exercises every layer, so what the kernel refuses is known before
  // the other profiles are described.
  for (Profile profile : {Profile::kWorkspaceWrite, Profile::kReadOnly, Profile::kFullAccess}) {
    SandboxRequest request;
    request.profile = profile;
    request.workspace = workspace.path();
    request.scratch_base = scratch_base;
    auto box = Sandbox::prepare(request);
    if (profile != Profile::kFullAccess) {
      process::RunOptions options;
      options.spawn.argv = {true_binary().string()};
      box->apply_to_environment(options.spawn.env);
      options.timeout = std::chrono::seconds(10);
      auto result = run_sandboxed(*box, options);
      if (result.start_failure) {
        report.trial_errors[profile] = result.start_failure->message();
      } else if (result.exit_code != 0) {
        report.trial_errors[profile] =
            "the trial child exited with " + std::to_string(result.exit_code);
      }
    }
    report.profiles[profile] = box->enforcement();
  }
  report.support = kernel_support();
  if (report.support.landlock_abi > 0) {
    report.landlock_rights =
        landlock::Ruleset::build(report.support.landlock_abi, {}, {true, true, true})
            ->handled_rights();
  }
  return report;
}

}  // namespace omk::sandbox
