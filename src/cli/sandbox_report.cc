#include "cli/sandbox_report.h"

#include <signal.h>
#include <string.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/log.h"
#include "core/output.h"
#include "sandbox/probe.h"
#include "sandbox/seccomp_filter.h"

namespace omk::cli {
namespace {

Json stream_json(const process::CapturedStream& stream) {
  return {
      {"text", stream.text}, {"bytes", stream.read_bytes}, {"dropped_bytes", stream.dropped_bytes}};
}

std::string yes_no(bool value) {
  return value ? "yes" : "no";
}

Json probe_json(const sandbox::ProbeReport& report) {
  const auto& s = report.support;
  auto document = json_envelope("sandbox-probe");
  document["kernel"] = report.kernel;
  document["arch"] = report.arch;
  document["running_as_root"] = s.running_as_root;
  document["landlock"] = {{"available", s.landlock_abi > 0},
                          {"abi", s.landlock_abi},
                          {"rights", report.landlock_rights}};
  std::vector<std::string> syscalls(sandbox::seccomp::always_denied_syscalls().begin(),
                                    sandbox::seccomp::always_denied_syscalls().end());
  std::vector<std::string> ioctls(sandbox::seccomp::denied_ioctls().begin(),
                                  sandbox::seccomp::denied_ioctls().end());
  document["seccomp"] = {{"available", s.seccomp},
                         {"denied_syscalls", syscalls},
                         {"denied_ioctls", ioctls},
                         {"network_off", "socket() and socketpair() refused unless AF_UNIX"}};
  Json namespaces = {{"available", s.namespaces},
                     {"user", s.user_namespace && s.namespaces},
                     {"mount", s.mount_namespace},
                     {"private_proc", s.private_proc}};
  if (!s.namespace_problem.empty()) namespaces["problem"] = s.namespace_problem;
  document["namespaces"] = namespaces;
  Json profiles = Json::object();
  for (const auto& [profile, enforcement] : report.profiles) {
    Json entry = sandbox::to_json(enforcement);
    if (auto it = report.trial_errors.find(profile); it != report.trial_errors.end()) {
      entry["trial_error"] = it->second;
    }
    profiles[std::string(sandbox::to_string(profile))] = entry;
  }
  document["profiles"] = profiles;
  document["missing"] = report.profiles.at(sandbox::Profile::kWorkspaceWrite).missing();
  return document;
}

std::string probe_text(const sandbox::ProbeReport& report) {
  const auto& s = report.support;
  std::string text = fmt::format("omk sandbox probe: Linux {} {}{}\n", report.kernel, report.arch,
                                 s.running_as_root ? " (running as root)" : "");
  text += fmt::format("  landlock      {:<4} {}\n", yes_no(s.landlock_abi > 0),
                      s.landlock_abi > 0 ? fmt::format("ABI {}: {}", s.landlock_abi,
                                                       fmt::join(report.landlock_rights, " "))
                                         : "not in this kernel");
  text += fmt::format("  seccomp       {:<4} {} syscalls refused\n", yes_no(s.seccomp),
                      sandbox::seccomp::always_denied_syscalls().size());
  text += fmt::format("  namespaces    {:<4} user={} mount={} private /proc={}{}\n",
                      yes_no(s.namespaces), yes_no(s.user_namespace && s.namespaces),
                      yes_no(s.mount_namespace), yes_no(s.private_proc),
                      s.namespace_problem.empty() ? "" : "  (" + s.namespace_problem + ")");
  text += "profiles:\n";
  for (auto profile : {sandbox::Profile::kReadOnly, sandbox::Profile::kWorkspaceWrite,
                       sandbox::Profile::kFullAccess}) {
    const auto& enforcement = report.profiles.at(profile);
    std::string name(sandbox::to_string(profile));
    if (profile == sandbox::Profile::kFullAccess) {
      text +=
          fmt::format("  {:<16} no sandbox (only on explicit request; always reported)\n", name);
      continue;
    }
    std::vector<std::string> on, off;
    for (const auto& layer : enforcement.layers) {
      if (layer.wanted) (layer.enforced ? on : off).push_back(layer.name);
    }
    text += fmt::format("  {:<16} network {}; enforced: {}{}\n", name,
                        enforcement.network_allowed ? "allowed" : "off", fmt::join(on, ", "),
                        off.empty() ? "" : fmt::format("; MISSING: {}", fmt::join(off, ", ")));
    if (auto it = report.trial_errors.find(profile); it != report.trial_errors.end()) {
      text += fmt::format("    trial run failed: {}\n", it->second);
    }
  }
  auto missing = report.profiles.at(sandbox::Profile::kWorkspaceWrite).missing();
  if (missing.empty()) {
    text += "Everything omk can enforce is available here; --require-sandbox will run.\n";
  } else {
    text += "Missing here (--require-sandbox and sandbox.require refuse to run):\n";
    for (const auto& line : missing) text += "  " + line + "\n";
  }
  return text;
}

}  // namespace

int run_sandbox_probe(bool json, const Context& context) {
  auto report = sandbox::probe_sandbox(env_value(context.env, "TMPDIR").value_or(""));
  if (json) {
    print_json(probe_json(report));
  } else {
    print_out(probe_text(report));
  }
  return 0;
}

void warn_about_enforcement(const sandbox::Enforcement& enforcement) {
  if (enforcement.profile == sandbox::Profile::kFullAccess) {
    log::warn(
        "running without a sandbox (--profile full-access); the environment is still "
        "scrubbed and HOME is private");
    return;
  }
  for (const auto& missing : enforcement.missing()) log::warn("sandbox layer missing: {}", missing);
}

Json run_result_json(const process::RunResult& result) {
  Json json = {{"exit_code", result.exit_code}};
  if (result.start_failure) {
    json["started"] = false;
    json["start_error"] = result.start_failure->message();
  } else {
    json["started"] = true;
    const auto& status = *result.status;
    if (status.signaled()) {
      const char* name = sigabbrev_np(status.signal());
      json["signal"] = name ? std::string("SIG") + name : std::to_string(status.signal());
    } else {
      json["code"] = status.code();
    }
    json["user_ms"] = status.user_ms();
    json["sys_ms"] = status.system_ms();
    json["max_rss_kb"] = status.max_rss_kb();
  }
  json["timed_out"] = result.timed_out;
  json["cancelled"] = result.cancelled;
  json["wall_ms"] = result.wall_ms;
  json["stdout"] = stream_json(result.out);
  json["stderr"] = stream_json(result.err);
  return json;
}

}  // namespace omk::cli
