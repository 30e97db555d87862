// Sending files or the environment to the network: uploads with curl/wget, netcat, scp/rsync
// to a remote host, and anything that pipes the environment or a secret into a network tool.

#include <algorithm>

#include "safety/guard_access.h"
#include "safety/guard_programs.h"
#include "safety/guard_rules_impl.h"

namespace omk::guard::rules {
namespace {

std::string host_of(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  size_t at = url.rfind('@');
  if (at != std::string_view::npos) url.remove_prefix(at + 1);
  if (!url.empty() && url.front() == '[') return std::string(url.substr(0, url.find(']') + 1));
  return std::string(url.substr(0, url.find(':')));
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || starts_with(host, "127.") || host == "0.0.0.0" || host == "[::1]" ||
         host == "::1" || host == "host.docker.internal" ||
         (host.size() > 10 && host.compare(host.size() - 10, 10, ".localhost") == 0);
}

// True when every URL the tool is given points at this machine (a local dev server).
bool only_loopback_targets(const Invocation& inv) {
  bool any = false;
  for (size_t index : operand_indices(
           inv, "dFHXuToeAbcrEKmwxy",
           {"--data", "--data-binary", "--header", "--request", "--user", "--upload-file",
            "--output", "--form", "--data-urlencode", "--json", "--user-agent", "--cookie",
            "--referer", "--cert", "--key", "--max-time"})) {
    const Arg& arg = inv.argv[index];
    if (arg.dynamic) return false;
    std::string host = host_of(arg.text);
    if (host.empty()) continue;
    any = true;
    if (!is_loopback(lower(host))) return false;
  }
  return any;
}

// "host:path" or "user@host:path" (not "./a:b" or "/x:y"), or rsync://.
bool is_remote_location(const std::string& text) {
  if (starts_with(text, "rsync://")) return true;
  size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  size_t slash = text.find('/');
  return slash == std::string::npos || slash > colon;
}

bool reads_secret(const Invocation& other, const GuardContext& context) {
  for (const FileUse& use : file_uses(other)) {
    if (use.kind != FileUse::Kind::kRead || use.path.dynamic) continue;
    std::string path = resolve_path(other.cwd, use.path.text);
    if (!secret_file_kind(path, context).empty()) return true;
  }
  return false;
}

void judge_uploads(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  std::vector<std::string> files;
  for (const FileUse& use : file_uses(inv)) {
    if (use.kind == FileUse::Kind::kRead) files.push_back(use.path.text);
  }
  bool stdin_upload = std::any_of(inv.argv.begin(), inv.argv.end(), [](const Arg& arg) {
    return arg.text == "@-" || arg.text.find("=@-") != std::string::npos || arg.text == "-T-" ||
           arg.text == "-";
  });
  if (files.empty() && !stdin_upload) return;
  if (only_loopback_targets(inv)) return;
  if (!files.empty()) {
    std::string list;
    for (const auto& file : files) list += (list.empty() ? "" : ", ") + file;
    judge.add(Decision::kDeny, "exfil-upload",
              inv.program + " sends the file(s) " + list + " to a remote host");
  }
}

}  // namespace

void judge_network(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  const std::string& program = inv.program;
  if (!is_network_tool(program)) return;

  // The environment or a secret file piped or substituted into a network tool.
  std::vector<size_t> sources;
  for (const Arg& arg : inv.argv)
    sources.insert(sources.end(), arg.produced_by.begin(), arg.produced_by.end());
  for (const auto& redirect : inv.redirects) {
    sources.insert(sources.end(), redirect.produced_by.begin(), redirect.produced_by.end());
  }
  auto dumps_env = [](const Invocation& other) { return is_env_dump(other); };
  auto secret = [&](const Invocation& other) { return reads_secret(other, judge.context); };
  if ((!sources.empty() && judge.any_of(sources, dumps_env)) || judge.any_of({}, dumps_env)) {
    judge.add(Decision::kDeny, "exfil-env",
              program + " receives the environment (printenv/env/set), which holds secrets");
    return;
  }
  if ((!sources.empty() && judge.any_of(sources, secret)) || judge.any_of({}, secret)) {
    judge.add(Decision::kDeny, "exfil-secret", program + " receives the contents of a secret file");
    return;
  }

  if (program == "curl" || program == "wget" || program == "http" || program == "https" ||
      program == "xh") {
    judge_uploads(judge);
  } else if (program == "nc" || program == "ncat" || program == "netcat" || program == "socat") {
    bool scan = has_short_flag(inv, 'z');
    bool exec = has_short_flag(inv, 'e') || has_short_flag(inv, 'c') ||
                has_long_flag(inv, "--exec") || has_long_flag(inv, "--sh-exec");
    bool listen = has_short_flag(inv, 'l') || has_long_flag(inv, "--listen");
    if (exec) {
      judge.add(Decision::kDeny, "remote-shell", program + " connects a shell to the network");
    } else if (!scan && !listen) {
      judge.add(Decision::kDeny, "exfil-netcat", program + " sends data to a remote host");
    }
  } else if (program == "scp" || program == "rsync" || program == "sftp") {
    auto operands = operand_indices(inv, program == "scp" ? "cFiJloPS" : "efT",
                                    {"--rsh", "--exclude", "--include", "--filter"});
    if (operands.size() >= 2 && is_remote_location(inv.argv[operands.back()].text)) {
      bool local_source = std::any_of(operands.begin(), operands.end() - 1, [&](size_t index) {
        return !is_remote_location(inv.argv[index].text);
      });
      if (local_source) {
        judge.add(Decision::kDeny, "exfil-copy",
                  program + " copies local files to " + inv.argv[operands.back()].text);
      }
    }
  }
}

}  // namespace omk::guard::rules
